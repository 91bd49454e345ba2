"""A tiny raw HTTP client for the hall tests: it speaks the wire protocol of
briefs/hall_api.md directly (the product's client lives in ``sync/``)."""

from __future__ import annotations

import hashlib
import uuid as uuidlib

import requests

from tests.support.hall import DEMO_PASSWORD, DEMO_STATION, DEMO_USER

OFFSET_STREAM = "application/offset+octet-stream"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class RawHall:
    def __init__(self, handle, station: str = DEMO_STATION, user: str = DEMO_USER):
        self.api = handle.api
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


def make_manifest(number: str, attachments: list[tuple[str, int]] = (), **changes) -> dict:
    """A complete manifest for an accepted case (fields as sync.manifest builds them)."""
    case_uuid = changes.pop("uuid", None) or str(uuidlib.uuid4())
    materials = [
        {"material_id": f"M{i}", "name": f"材料{i}", "received_form": "scanned", "count": 1,
         "digest": digest, "size": size}
        for i, (digest, size) in enumerate(attachments, start=1)
    ] or [{"material_id": "M1", "name": "申请书", "received_form": "paper", "count": 1,
           "digest": None, "size": 0}]
    manifest = {
        "uuid": case_uuid, "number": number, "event": "accept", "state": "accepted",
        "task_code": "11350205MB0000001X4000000000000001", "catalog_code": "000000000001",
        "handle_item_code": None, "item_name": "个体工商户设立登记", "item_version": 1,
        "project_type": "2", "channel": "1", "dept_name": "厦门市海沧区市场监督管理局",
        "dept_code": "11350205MB0000001X", "station": "350205001", "clerk": "窗口人员",
        "apply_time": "2026-11-27T09:00:00+08:00", "accept_time": "2026-11-27T09:10:00+08:00",
        "promised_date": "2026-11-30", "decided_at": None,
        "decision": {"reason": "", "basis": ""},
        "applicant": {"kind": "person", "name": "王𠇔", "id_type": "111",
                      "id_number": "350205199001011236", "phone": "13800000000",
                      "legal_rep": None},
        "agent": None, "contact_phone": "13800000000",
        "materials": materials,
        "attachments": [{"sha256": d, "size": s} for d, s in attachments],
    }
    manifest.update(changes)
    return manifest
