"""Stations' audit trails: a station sends its rows, supervisors read them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from central_hall import audit_trail
from central_hall.auth import Session, require_session, valid_station_code
from central_hall.contract_openapi import json_body, json_response
from central_hall.errors import HallError
from central_hall.routes_cases import raw_json
from central_hall.schemas import ErrorBody

router = APIRouter()
Signed = Annotated[Session, Depends(require_session)]


@router.post("/audit", responses={
    200: json_response("audit_receipt", "what the hall holds of the station's chain now"),
    409: {"model": ErrorBody, "description": "audit_gap (held_seq: the last row held)"},
    422: {"model": ErrorBody, "description": "invalid_audit_rows, audit_row_altered, "
          "audit_row_changed, audit_chain_broken (seq: the row)"}},
    openapi_extra=json_body("audit_batch"))
async def post_audit_rows(request: Request, session: Signed) -> dict:
    """The station's own audit rows, whoever is signed in there: the trail records
    supervisors and administrators too, and it is the station's record, not a case."""
    body = await raw_json(request)
    return await run_in_threadpool(audit_trail.receive, request.app.state.hall.db,
                                   session.station, body)


@router.get("/audit", responses={
    200: json_response("audit_listing", "rows held after the cursor, oldest first"),
    403: {"model": ErrorBody, "description": "a clerk asking for another station"}})
def list_audit_rows(request: Request, session: Signed, station: str | None = None,
                    since: str | None = None,
                    limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> dict:
    """Supervisors and administrators read every station's rows; a clerk its own."""
    if station is not None and not valid_station_code(station):
        raise HallError(422, "invalid_request", "station must be nine ASCII digits")
    if station is not None and not session.may_read_station(station):
        raise HallError(403, "forbidden", "a clerk reads only its own station's audit rows")
    if not session.reads_all_stations:
        station = session.station
    return audit_trail.rows_since(request.app.state.hall.db, station, since, limit)
