"""Catalog delta/snapshot with ETag, and publication of new revisions."""

from __future__ import annotations

import gzip
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response

from central_hall import catalog
from central_hall.auth import Session, require_role
from central_hall.contract_openapi import json_body, json_response
from central_hall.routes_cases import raw_json
from central_hall.schemas import ErrorBody, PublishResponse

router = APIRouter()
GZIP_FROM_BYTES = 4096


@router.get(
    "/catalog",
    responses={200: json_response("catalog", "snapshot, or delta since the cursor"),
               304: {"description": "Not modified (If-None-Match = current ETag)"}},
)
def get_catalog(
    request: Request,
    since: str | None = None,
    if_none_match: Annotated[str | None, Header()] = None,
    accept_encoding: Annotated[str | None, Header()] = None,
):
    db = request.app.state.hall.db
    etag = f'"{catalog.current_version(db)}"'
    if if_none_match and etag in [tag.strip() for tag in if_none_match.split(",")]:
        return Response(status_code=304, headers={"ETag": etag})
    body, version = catalog.document_since(db, since)
    headers = {"ETag": f'"{version}"', "Vary": "Accept-Encoding"}
    # A snapshot is tens of MB of JSON; a street office's link is slow, so compress.
    if "gzip" in (accept_encoding or "").lower() and len(body) > GZIP_FROM_BYTES:
        body = gzip.compress(body, compresslevel=5)
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type="application/json", headers=headers)


@router.post(
    "/admin/catalog", response_model=PublishResponse,
    responses={403: {"model": ErrorBody}, 422: {"model": ErrorBody}},
    openapi_extra=json_body("catalog"),
)
def publish_catalog(
    request: Request,
    document: Annotated[object, Depends(raw_json)],
    session: Annotated[Session, Depends(require_role("admin"))],
) -> dict:
    version = catalog.publish(request.app.state.hall.db, document, source=f"admin:{session.user}")
    return {"version": version}
