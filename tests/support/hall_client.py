"""A tiny raw HTTP client for the hall tests: it speaks the wire protocol of
docs/hall_api.md directly (the product's client lives in ``sync/``).  The
manifests it sends come from the workstation's producers
(tests/support/producers.py), never from a hand-written dict."""

from __future__ import annotations

import hashlib

import requests

from tests.support.hall import DEMO_PASSWORD, DEMO_STATION, DEMO_USER

OFFSET_STREAM = "application/offset+octet-stream"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class RawHall:
    def __init__(self, handle, station: str = DEMO_STATION, user: str = DEMO_USER):
        self.api = handle.api
        self.station = station
        self.session = requests.Session()
        # Passed per request: requests lets REQUESTS_CA_BUNDLE override Session.verify.
        self.verify: bool | str = str(handle.ca_cert_path) if handle.ca_cert_path else True
        reply = self.request(
            "POST", "/auth/token",
            json={"station": station, "user": user, "password": DEMO_PASSWORD},
        )
        reply.raise_for_status()
        self.session.headers["Authorization"] = f"Bearer {reply.json()['access_token']}"

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 10)
        kwargs.setdefault("verify", self.verify)
        return self.session.request(method, f"{self.api}{path}", **kwargs)

    def patch_chunk(self, case_uuid, digest, offset, chunk, chunk_sha=None):
        return self.request(
            "PATCH", f"/cases/{case_uuid}/blobs/{digest}", data=chunk,
            headers={"Upload-Offset": str(offset), "Content-Type": OFFSET_STREAM,
                     "Chunk-SHA256": chunk_sha or sha256_hex(chunk)},
        )

    def upload(self, case_uuid: str, data: bytes, chunk_size: int = 64 * 1024) -> str:
        digest = sha256_hex(data)
        start = self.request("PUT", f"/cases/{case_uuid}/blobs/{digest}",
                             headers={"Upload-Length": str(len(data))})
        assert start.status_code in (200, 201), start.text
        offset = start.json()["offset"]
        while offset < len(data):
            chunk = data[offset:offset + chunk_size]
            reply = self.patch_chunk(case_uuid, digest, offset, chunk)
            assert reply.status_code == 204, reply.text
            offset = int(reply.headers["Upload-Offset"])
        return digest

    def commit(self, manifest: dict, key: str) -> requests.Response:
        return self.request("PUT", f"/cases/{manifest['uuid']}", json=manifest,
                            headers={"Idempotency-Key": key})
