"""Case commits, the case as held, and status updates."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse

import contracts
from central_hall import cases, status_updates
from central_hall.auth import Session, require_clerk, require_role, require_session
from central_hall.contract_openapi import json_body, json_response
from central_hall.errors import HallError
from central_hall.schemas import BlobsMissing, CommitResult, ErrorBody, HeldCase

router = APIRouter()
Signed = Annotated[Session, Depends(require_session)]
Clerk = Annotated[Session, Depends(require_clerk)]
Admin = Annotated[Session, Depends(require_role("admin"))]


async def raw_json(request: Request):
    """The body exactly as sent: replays are compared on its canonical JSON."""
    try:
        return json.loads(await request.body())
    except ValueError as exc:
        raise HallError(400, "invalid_json", "body is not JSON") from exc


@router.get("/cases/updates", responses={
    200: json_response("status_updates", "updates after the cursor, oldest first")})
def list_status_updates(
    request: Request,
    session: Signed,
    since: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict:
    station = None if session.reads_all_stations else session.station
    return status_updates.updates_since(request.app.state.hall.db, station, since, limit)


@router.put(
    "/cases/{uuid}",
    name="commit_case",
    status_code=201,
    response_model=CommitResult,
    openapi_extra=json_body("case_manifest", "the case manifest (contracts/case_manifest.v1.json)"),
    responses={
        200: {"model": CommitResult, "description": "next revision of a known case"},
        409: {"model": BlobsMissing},
        403: {"model": ErrorBody, "description": "read_only, not_your_case, station_mismatch, "
              "number_not_of_station"},
        422: {"model": ErrorBody, "description": "idempotency_key_reused, number_conflict, "
              "invalid_manifest (detail = field)"},
    },
)
def commit_case(
    uuid: str,
    request: Request,
    session: Clerk,
    body: Annotated[object, Depends(raw_json)],
    idempotency_key: Annotated[str | None, Header()] = None,
):
    hall = request.app.state.hall
    cases.check_case_uuid(uuid)
    outcome = cases.commit_case(
        hall.db, hall.blobs, session, uuid, body, idempotency_key,
        fail_before_commit=lambda: hall.faults.take("fail_before_commit"),
    )
    if not outcome.replayed and hall.faults.take("fail_after_commit"):
        raise HallError(500, "injected_fault", "injected fault after commit")
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
    return JSONResponse(outcome.body, status_code=outcome.status, headers=headers)


@router.get("/cases/{uuid}", response_model=HeldCase, responses={404: {"model": ErrorBody}})
def get_case(uuid: str, request: Request, session: Signed) -> dict:
    return cases.held_case(request.app.state.hall.db, cases.check_case_uuid(uuid), session)


@router.post("/admin/cases/{uuid}/status",
             responses={403: {"model": ErrorBody}, 404: {"model": ErrorBody}},
             openapi_extra=json_body("status_request"))
def post_status(uuid: str, request: Request, _session: Admin,
                body: Annotated[object, Depends(raw_json)]) -> dict:
    try:
        contracts.check("status_request", body)
    except contracts.ContractViolation as violation:
        raise HallError(422, "invalid_request", str(violation)) from violation
    return status_updates.append_status(request.app.state.hall.db, uuid, body["status"],
                                        body.get("detail", ""))
