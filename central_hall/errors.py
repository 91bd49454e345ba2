"""Every error the hall returns has the same JSON shape:
``{"error": "<code>", "detail": "<human text>"}`` (plus extra fields where the
contract names them, e.g. ``missing`` for ``blobs_missing``)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

# Routes whose body validation errors are reported as a bad manifest.
MANIFEST_ROUTES = {"commit_case"}


class HallError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        detail: str = "",
        *,
        headers: dict[str, str] | None = None,
        **extra,
    ):
        super().__init__(f"{status} {code}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict:
        return {"error": self.code, "detail": self.detail, **self.extra}


def error_response(error: HallError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


def _field_path(location: tuple) -> str:
    # ("body", "applicant", "name") -> "applicant.name"; list indexes as [i].
    parts: list[str] = []
    for part in location[1:] if location and location[0] == "body" else location:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts) or "body"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HallError)
    async def hall_error(_request: Request, exc: HallError):
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid"}
        if first.get("type") == "json_invalid":
            return JSONResponse({"error": "invalid_json", "detail": "body is not JSON"}, 400)
        field = _field_path(tuple(first.get("loc", ())))
        route = request.scope.get("route")
        code = "invalid_manifest" if getattr(route, "name", "") in MANIFEST_ROUTES else (
            "invalid_request"
        )
        detail = field if code == "invalid_manifest" else f"{field}: {first.get('msg')}"
        return JSONResponse({"error": code, "detail": detail}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException):
        codes = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
        return JSONResponse(
            {"error": codes.get(exc.status_code, "http_error"), "detail": str(exc.detail)},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
