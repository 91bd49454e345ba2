"""周报/月报 and day sign-offs from the stations (``POST /reports``), and the latest of
each for the station or, for district supervisors, every station (``GET /reports``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from central_hall import period_reports
from central_hall.auth import Session, require_session
from central_hall.contract_openapi import json_body
from central_hall.errors import HallError
from central_hall.routes_evaluations import _small_json
from central_hall.schemas import ErrorBody

router = APIRouter()
Signed = Annotated[Session, Depends(require_session)]
KINDS = ("weekly", "monthly", "day_signoff")


@router.post("/reports", status_code=201,
             responses={403: {"model": ErrorBody}, 422: {"model": ErrorBody}},
             openapi_extra=json_body("period_report"))
async def post_report(request: Request, session: Signed):
    """A station's own report, kept once per uuid (a replay answers 200 with it)."""
    body = await _small_json(request, limit=period_reports.BODY_LIMIT)
    status, stored = await run_in_threadpool(
        period_reports.record_from_station, request.app.state.hall.db, session, body)
    return JSONResponse(stored, status_code=status)


@router.get("/reports", responses={422: {"model": ErrorBody}})
def get_reports(request: Request, session: Signed, kind: str | None = None) -> dict:
    """The latest version of each report: the station's own; every station's for a
    district supervisor.  Each record is a ``period_report`` body."""
    if kind is not None and kind not in KINDS:
        raise HallError(422, "invalid_kind", f"kind: one of {', '.join(KINDS)}")
    station = None if session.reads_all_stations else session.station
    return {"reports": period_reports.latest_reports(request.app.state.hall.db, station, kind)}
