"""Hall-side faults for the sync tests (only with ``--enable-faults``).

Each counter means "the next n such events fail": 500 after (or before) a
case commit, 429 with Retry-After for requests, an offset conflict or a
chunk checksum mismatch on PATCH.  The counters live in memory; a restart
clears them.
"""

from __future__ import annotations

import threading

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

COUNTERS = (
    "fail_after_commit",
    "fail_before_commit",
    "rate_limit",
    "offset_conflict",
    "checksum_mismatch",
)
# Requests never rate-limited: readiness probes and the fault switch itself.
_EXEMPT_SUFFIXES = ("/health", "/admin/faults")


class FaultInjector:
    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._lock = threading.Lock()
        self._counters = dict.fromkeys(COUNTERS, 0)
        self.retry_after_s = 1

    def configure(self, **settings) -> None:
        with self._lock:
            for name in COUNTERS:
                if settings.get(name) is not None:
                    self._counters[name] = int(settings[name])
            if settings.get("retry_after_s") is not None:
                self.retry_after_s = int(settings["retry_after_s"])

    def take(self, name: str) -> bool:
        """True (and one fewer left) if the next ``name`` event should fail."""
        if not self.enabled:
            return False
        with self._lock:
            if self._counters[name] > 0:
                self._counters[name] -= 1
                return True
            return False

    def snapshot(self) -> dict:
        with self._lock:
            return {**self._counters, "retry_after_s": self.retry_after_s}


def install_rate_limit(app: FastAPI, faults: FaultInjector) -> None:
    if not faults.enabled:
        return

    @app.middleware("http")
    async def injected_rate_limit(request: Request, call_next):
        path = request.url.path
        if path.startswith("/api/") and not path.endswith(_EXEMPT_SUFFIXES):
            if faults.take("rate_limit"):
                return JSONResponse(
                    {"error": "rate_limited", "detail": "injected fault: slow down"},
                    status_code=429,
                    headers={"Retry-After": str(faults.retry_after_s)},
                )
        return await call_next(request)
