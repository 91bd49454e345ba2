"""The gate in front of every route: token first, then a body of bounded size.

A plain ASGI middleware, so it runs before FastAPI reads or parses anything:

1. Every API path except the public ones (health, sign-in, the catalog, the
   hall's public key, an applicant's submission and status, the test-only
   fault switch) needs a valid bearer token.
   Without one the request is answered 401 at once and its body is never read
   (uvicorn discards what the client still sends), so a flood of large bodies
   without a token costs the hall neither memory nor parsing.
2. Each route has a body limit.  A ``Content-Length`` over it is refused with
   413 before reading; a body that streams past it (chunked, or lying about its
   length) is cut off the moment it does, so no route ever holds more than its
   limit in memory.

The session found here is left in the request state for ``require_session``.
"""

from __future__ import annotations

import json
import re

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from central_hall.auth import bearer_token, session_for_token

_PUBLIC = {
    ("GET", "/health"), ("POST", "/auth/token"), ("GET", "/catalog"), ("HEAD", "/catalog"),
    ("GET", "/certificates/public-key"), ("GET", "/admin/faults"), ("POST", "/admin/faults"),
    # The applicant's side of online applications: no station token, by design
    # (the status answers only to the application's own access key).
    ("POST", "/applications"), ("GET", "/applicant/items"), ("GET", "/applicant/codes"),
    # The rating page's post: the applicant has no token; the link's signature
    # (keyed with the case UUID) is checked by central_hall.evaluations.
    ("POST", "/rate"),
}
_APPLICANT_STATUS = re.compile(r"^/applications/[^/]+/status$")
_BLOB_PATH = re.compile(r"^/cases/[^/]+/blobs/[^/]+$")
_CASE_PATH = re.compile(r"^/cases/[^/]+$")
SIGN_IN_BODY_LIMIT = 8 * 1024
# An applicant's whole submission, files inline (routes_applications checks it too).
APPLICATION_BODY_LIMIT = 48 * 1024 * 1024
DECISION_BODY_LIMIT = 256 * 1024
# A batch of audit rows (at most 500, the station sends up to 256 KB at a time).
AUDIT_BODY_LIMIT = 1024 * 1024


def is_public(method: str, path: str) -> bool:
    return (method, path) in _PUBLIC or (method == "GET" and bool(_APPLICANT_STATUS.match(path)))


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` while a body streams past its route's limit.

    An HTTPException, so FastAPI's body parsing passes it on unchanged (it
    turns other errors into 400)."""

    def __init__(self, limit: int):
        super().__init__(413, f"request body over {limit} bytes")


def body_limit(config, method: str, path: str) -> int:
    """The largest body the route at ``path`` (below the API prefix) accepts."""
    if method == "PATCH" and _BLOB_PATH.match(path):
        return config.max_chunk_bytes
    if method == "PUT" and _CASE_PATH.match(path):
        return config.max_manifest_bytes
    if method == "POST" and path == "/admin/catalog":
        return config.max_catalog_bytes
    if method == "POST" and path == "/auth/token":
        return SIGN_IN_BODY_LIMIT
    if method == "POST" and path == "/applications":
        return APPLICATION_BODY_LIMIT
    if method == "POST" and path.startswith("/applications/") and path.endswith("/decision"):
        return DECISION_BODY_LIMIT
    if method == "POST" and path == "/audit":
        return AUDIT_BODY_LIMIT
    return config.max_other_body_bytes


async def _refuse(send, status: int, code: str, detail: str, headers=()) -> None:
    body = json.dumps({"error": code, "detail": detail}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        *headers]})
    await send({"type": "http.response.body", "body": body})


class Gate:
    def __init__(self, app, hall, prefix: str):
        self.app = app
        self.hall = hall
        self.prefix = prefix

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        method = scope["method"].upper()
        full_path = scope["path"]
        path = full_path[len(self.prefix):] if full_path.startswith(self.prefix) else None
        headers = dict(scope["headers"])
        limit = body_limit(self.hall.config, method, path or "")
        if path is not None and not is_public(method, path):
            token = bearer_token(headers.get(b"authorization", b"").decode("latin-1"))
            session = None
            if token:
                session = await run_in_threadpool(session_for_token, self.hall.db, token)
            if session is None:
                return await _refuse(
                    send, 401, "unauthorized",
                    "bearer token required" if not token else "token unknown or expired",
                    [(b"www-authenticate", b"Bearer")])
            scope.setdefault("state", {})["session"] = session
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                declared_length = int(declared)
            except ValueError:
                return await _refuse(send, 400, "invalid_request", "bad Content-Length")
            if declared_length > limit:
                return await _refuse(send, 413, "too_large",
                                     f"request body over {limit} bytes")
        received = 0

        async def bounded_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        return await self.app(scope, bounded_receive, send)
