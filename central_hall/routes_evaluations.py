"""好差评 and payments: stations send their ratings and pull those given by QR; the applicant's
rating page (``GET /rate``) and its post (``POST /rate``, public: the link is signed)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from central_hall import evaluations, fee_notices, payments
from central_hall.auth import Session, require_clerk, require_session
from central_hall.contract_openapi import json_body, json_response
from central_hall.errors import HallError
from central_hall.rating_page import PAGE_HTML
from central_hall.schemas import ErrorBody

router = APIRouter()
page_router = APIRouter()
Signed = Annotated[Session, Depends(require_session)]
Clerk = Annotated[Session, Depends(require_clerk)]
RATING_BODY_LIMIT = 16 * 1024


async def _small_json(request: Request, limit: int = RATING_BODY_LIMIT):
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > limit:
            raise HallError(413, "too_large", f"limit is {limit} bytes")
    try:
        return json.loads(received)
    except ValueError as exc:
        raise HallError(400, "invalid_json", "body is not JSON") from exc


@router.post("/evaluations", status_code=201,
             responses={403: {"model": ErrorBody}, 409: {"model": ErrorBody},
                        422: {"model": ErrorBody}},
             openapi_extra=json_body("evaluation"))
async def post_evaluation(request: Request, session: Clerk):
    """A station's rating of its own case, once (a replay answers 200 with it)."""
    body = await _small_json(request)
    status, stored = await run_in_threadpool(
        evaluations.record_from_station, request.app.state.hall.db, session, body)
    return JSONResponse(stored, status_code=status)


@router.get("/evaluations", responses={
    200: json_response("evaluation_updates", "ratings given by QR after the cursor")})
def pull_evaluations(request: Request, session: Signed, since: str | None = None,
                     limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict:
    station = None if session.reads_all_stations else session.station
    return evaluations.ratings_since(request.app.state.hall.db, station, since, limit)


@router.get("/payments", responses={
    200: json_response("payment_confirmations", "the station's fee payments after the cursor")})
def pull_payments(request: Request, session: Signed, since: str | None = None,
                  limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict:
    """Signed payment confirmations of the station's fee notices (缴款码 prefix)."""
    station = None if session.reads_all_stations else session.station
    return payments.confirmations_since(request.app.state.hall.db, station, since, limit)


@router.post("/fee-notices", status_code=201,
             responses={403: {"model": ErrorBody}, 409: {"model": ErrorBody},
                        422: {"model": ErrorBody}},
             openapi_extra=json_body("fee_notice"))
async def post_fee_notice(request: Request, session: Clerk):
    """A station's fee notice: which case its payment code pays (once; a replay
    answers 200 with the notice held)."""
    body = await _small_json(request)
    status, stored = await run_in_threadpool(
        fee_notices.record_from_station, request.app.state.hall.db, session, body)
    return JSONResponse(stored, status_code=status)


@router.post("/rate", status_code=201, responses={404: {"model": ErrorBody},
                                                   422: {"model": ErrorBody}},
             openapi_extra=json_body("evaluation_qr"))
async def rate_by_qr(request: Request):
    """The applicant's rating from the page the receipt's QR code opens."""
    body = await _small_json(request)
    stored = await run_in_threadpool(evaluations.record_from_qr,
                                     request.app.state.hall.db, body)
    return JSONResponse({"level": stored["level"], "point": stored["point"]}, status_code=201)


@page_router.get("/rate", response_class=HTMLResponse, include_in_schema=False)
def rating_page() -> HTMLResponse:
    return HTMLResponse(PAGE_HTML)
