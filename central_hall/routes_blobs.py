"""Resumable, content-addressed attachment upload (tus-like headers)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from central_hall import uploads
from central_hall.auth import Session, require_clerk
from central_hall.blobstore import UploadState, normalise_digest
from central_hall.cases import check_case_uuid
from central_hall.errors import HallError
from central_hall.schemas import ErrorBody
from central_hall.schemas import UploadState as UploadStateBody

router = APIRouter()
Clerk = Annotated[Session, Depends(require_clerk)]
OFFSET_STREAM = "application/offset+octet-stream"
BLOB_PATH = "/cases/{uuid}/blobs/{sha256}"


def _headers(state: UploadState) -> dict[str, str]:
    return {
        "Upload-Offset": str(state.offset),
        "Upload-Length": str(state.length),
        "Upload-Complete": "1" if state.complete else "0",
    }


@router.head(BLOB_PATH, responses={404: {"description": "the hall knows nothing of it"}})
def upload_offset(uuid: str, sha256: str, request: Request, session: Clerk) -> Response:
    check_case_uuid(uuid)
    state = uploads.state(request.app.state.hall, session, uuid, normalise_digest(sha256))
    if state is None:
        return Response(status_code=404)
    return Response(status_code=200, headers=_headers(state))


@router.put(
    BLOB_PATH,
    response_model=UploadStateBody,
    status_code=201,
    responses={200: {"model": UploadStateBody, "description": "already complete"},
               403: {"model": ErrorBody}, 413: {"model": ErrorBody},
               429: {"model": ErrorBody, "description": "too_many_uploads (Retry-After)"}},
)
def start_upload(
    uuid: str,
    sha256: str,
    request: Request,
    session: Clerk,
    upload_length: Annotated[int | None, Header()] = None,
):
    check_case_uuid(uuid)
    hall = request.app.state.hall
    digest = normalise_digest(sha256)
    if upload_length is None or upload_length < 0:
        raise HallError(400, "upload_length_required", "header Upload-Length is required")
    if upload_length > hall.config.max_blob_bytes:
        raise HallError(413, "too_large", f"limit is {hall.config.max_blob_bytes} bytes")
    state, had_it = uploads.start(hall, session, uuid, digest, upload_length)
    return JSONResponse(
        {"offset": state.offset, "complete": state.complete},
        status_code=200 if had_it else 201,
        headers=_headers(state),
    )


@router.patch(
    BLOB_PATH,
    status_code=204,
    responses={
        204: {"description": "chunk stored; headers Upload-Offset and Upload-Complete"},
        404: {"model": ErrorBody},
        409: {"model": ErrorBody, "description": "offset_mismatch, checksum_mismatch, "
              "digest_mismatch (retry from Upload-Offset)"},
    },
    openapi_extra={"requestBody": {"required": True, "content": {
        OFFSET_STREAM: {"schema": {"type": "string", "format": "binary"}}}}},
)
async def upload_chunk(
    uuid: str,
    sha256: str,
    request: Request,
    session: Clerk,
    upload_offset: Annotated[int, Header()],
    chunk_sha256: Annotated[str, Header()],
    content_type: Annotated[str | None, Header()] = None,
) -> Response:
    check_case_uuid(uuid)
    hall = request.app.state.hall
    digest = normalise_digest(sha256)
    if (content_type or "").split(";")[0].strip().lower() != OFFSET_STREAM:
        raise HallError(415, "unsupported_media_type", f"Content-Type must be {OFFSET_STREAM}")
    state = await run_in_threadpool(uploads.state, hall, session, uuid, digest)
    if state is None:  # refused before a byte of the body is read
        raise HallError(404, "upload_unknown", "no upload started (PUT first)")
    # The gate has checked the token and cuts the body off at max_chunk_bytes.
    chunk = await request.body()
    if not state.complete:
        if hall.faults.take("offset_conflict"):
            raise HallError(409, "offset_mismatch", "injected fault: offset conflict",
                            headers={"Upload-Offset": str(state.offset)})
        if hall.faults.take("checksum_mismatch"):
            raise HallError(409, "checksum_mismatch", "injected fault: chunk corrupted",
                            headers={"Upload-Offset": str(state.offset)})
    state = await run_in_threadpool(uploads.append, hall, session, uuid, digest, upload_offset,
                                    chunk, chunk_sha256)
    return Response(status_code=204, headers=_headers(state))
