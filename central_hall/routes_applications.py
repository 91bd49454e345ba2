"""Online applications: the applicant's submission and view, the stations'
pull, file download and pre-review decision (see ``applications``)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from central_hall import applications
from central_hall.applicant_page import PAGE_HTML
from central_hall.auth import Session, require_session
from central_hall.contract_openapi import json_body
from central_hall.errors import HallError
from central_hall.schemas import ErrorBody

router = APIRouter()
page_router = APIRouter()
Signed = Annotated[Session, Depends(require_session)]
# An applicant's whole submission (files base64-encoded) in one request.
MAX_APPLICATION_BYTES = 48 * 1024 * 1024


async def _limited_json(request: Request, limit: int):
    """Read at most ``limit`` bytes of body, refusing more while it streams in."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HallError(413, "too_large", f"limit is {limit} bytes")
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > limit:
            raise HallError(413, "too_large", f"limit is {limit} bytes")
    try:
        return json.loads(received)
    except ValueError as exc:
        raise HallError(400, "invalid_json", "body is not JSON") from exc


def _inline_files(record):
    """Files sent inline by the applicant page: ``{"name", "content_base64"}``."""

    def files_of(index: int) -> list[applications.SubmittedFile]:
        entry = record["materials"][index]
        files = entry.get("files") or []
        if not isinstance(files, list):
            raise applications.FileProblem("", "files 应为数组")
        result = []
        for number, item in enumerate(files):
            if not isinstance(item, dict) or not isinstance(item.get("content_base64"), str):
                raise applications.FileProblem(f"[{number}]", "文件应带 name 和 content_base64")
            try:
                content = base64.b64decode(item["content_base64"], validate=True)
            except (binascii.Error, ValueError) as exc:
                raise applications.FileProblem(f"[{number}]", "文件内容不是 base64") from exc
            result.append(applications.SubmittedFile(str(item.get("name") or "file"), content))
        return result

    return files_of


@router.post("/applications", status_code=201,
             responses={400: {"model": ErrorBody}, 413: {"model": ErrorBody}},
             openapi_extra=json_body("application_submission"))
async def submit_application(request: Request):
    """An applicant's submission (the applicant page posts here).

    201 with ``{"ref", "ok": true, "id", "round", "state", "access_key"}``;
    422 with ``{"ref", "ok": false, "errors": [{"field", "message"}]}``.
    """
    record = await _limited_json(request, MAX_APPLICATION_BYTES)
    hall = request.app.state.hall
    result = await run_in_threadpool(
        applications.submit, hall.db, hall.blobs, record, _inline_files(record), None,
        "application_submission")
    status = 201 if result.ok and not result.already_submitted else 200 if result.ok else 422
    return JSONResponse(result.to_json(), status_code=status)


@router.get("/applications/{application_id}/status", responses={404: {"model": ErrorBody}})
def application_status(application_id: str, request: Request,
                       application_key: Annotated[str | None, Header()] = None) -> dict:
    """The applicant's view (state, round, the clerk's message), by the key from submission."""
    return applications.applicant_view(request.app.state.hall.db, application_id,
                                       application_key or "")


@router.get("/applicant/codes")
def applicant_codes() -> dict:
    """Kinds of applicant and of ID document, code and name (the page's choices)."""
    return applications.applicant_codes()


@router.get("/applicant/items")
def applicant_items(request: Request, q: str = "",
                    limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict:
    """Items an applicant can choose, with their materials (the page's picker)."""
    db = request.app.state.hall.db
    with db.reading() as conn:
        rows = conn.execute("SELECT item_json FROM catalog_items WHERE removed = 0 "
                            "ORDER BY task_code").fetchall()
    found = []
    for row in rows:
        item = json.loads(row["item_json"])
        if (item.get("state") or "active") != "active" or (q and q not in item.get("name", "")):
            continue
        found.append({"task_code": item["task_code"],
                      "handle_item_code": item.get("handle_item_code"),
                      "name": item.get("name"), "dept_name": item.get("dept_name"),
                      "materials": [{"id": m.get("id"), "name": m.get("name"),
                                     "required": m.get("required")}
                                    for m in item.get("materials") or []]})
        if len(found) >= limit:
            break
    return {"items": found}


@router.get("/applications")
def pull_applications(request: Request, session: Signed, since: str | None = None,
                      limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict:
    """Applications routed to the signed-in station, changed after ``since``."""
    return applications.changes_since(request.app.state.hall.db, session.station, since, limit,
                                      reads_all=session.reads_all_stations)


@router.get("/applications/{application_id}/files/{sha256}", response_class=Response,
            responses={404: {"model": ErrorBody}})
def application_file(application_id: str, sha256: str, request: Request,
                     session: Signed) -> Response:
    hall = request.app.state.hall
    digest = applications.check_digest(sha256)
    applications.file_for_station(hall.db, session.station, application_id, digest,
                                  reads_all=session.reads_all_stations)
    content = hall.blobs.path(digest).read_bytes()
    return Response(content, media_type=applications.media_type_of(content)
                    or "application/octet-stream")


@router.post("/applications/{application_id}/decision",
             responses={404: {"model": ErrorBody}, 409: {"model": ErrorBody},
                        422: {"model": ErrorBody}},
             openapi_extra=json_body("prereview_decision"))
async def post_decision(application_id: str, request: Request, session: Signed):
    """预审 decision of the current round, once; a replayed ``decision_id`` is answered
    with the stored result."""
    if session.role != "clerk":  # supervisors read, they do not decide
        raise HallError(403, "forbidden", "只有窗口人员可以作出预审决定")
    body = await _limited_json(request, 256 * 1024)
    hall = request.app.state.hall
    return await run_in_threadpool(applications.decide, hall.db, session.station,
                                   session.user, application_id, body)


@router.put("/stations/signing-key",
             responses={409: {"model": ErrorBody}, 422: {"model": ErrorBody}},
             openapi_extra=json_body("station_key"))
async def enrol_signing_key(request: Request, session: Signed):
    """The signed-in station's SM2 public key, which its pre-review decisions are
    verified against: the first one stands, the same again is answered as enrolled,
    another one is refused (409 signing_key_conflict)."""
    if session.role != "clerk":
        raise HallError(403, "forbidden", "只有工位窗口人员可以登记工位签名公钥")
    body = await _limited_json(request, 16 * 1024)
    hall = request.app.state.hall
    return await run_in_threadpool(applications.enrol_station_key, hall.db, session.station,
                                   session.user, body)


@page_router.get("/apply", response_class=HTMLResponse, include_in_schema=False)
def applicant_page() -> HTMLResponse:
    return HTMLResponse(PAGE_HTML)
