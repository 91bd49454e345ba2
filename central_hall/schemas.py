"""Shapes of the hall's own small request and response bodies (sign-in, upload
state, commit result, errors, audit, faults), for validation and for the
published OpenAPI schema (``central_hall/openapi.json``).

The bodies both ends exchange as data — case manifests, status updates,
catalog documents, certificate replies — are not here: they are the contracts
in ``contracts/`` (see central_hall/contract_openapi.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    error: str
    detail: str = ""


class Health(BaseModel):
    status: Literal["ok"]
    time: str


class TokenRequest(BaseModel):
    station: str = Field(examples=["350205001"])
    user: str = Field(examples=["clerk01"])
    password: str


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"]
    expires_in: int
    station: str
    user: str
    role: Literal["clerk", "supervisor", "admin"]


class PublishResponse(BaseModel):
    version: str


class UploadState(BaseModel):
    offset: int
    complete: bool


class ManifestAttachment(BaseModel):
    sha256: str
    size: int


class CommitResult(BaseModel):
    uuid: str
    number: str
    revision: int
    committed_at: str


class BlobsMissing(BaseModel):
    error: Literal["blobs_missing"]
    detail: str = ""
    missing: list[str]


class HeldCase(BaseModel):
    uuid: str
    number: str
    revision: int
    station: str
    first_committed_at: str
    committed_at: str
    task_code: str | None = None
    handle_item_code: str | None = None  # 业务办理项编码; null for an item without 办理项
    manifest: dict
    attachments: list[ManifestAttachment]



class PublicKey(BaseModel):
    algorithm: Literal["SM2"]
    public_key: str


class AuditEntry(BaseModel):
    id: int
    at: str
    station: str
    user: str
    action: Literal["lookup", "file"]
    holder: str | None
    holder_type: str | None
    type_code: str | None
    certificate_id: str | None
    purpose: str
    result_count: int


class AuditList(BaseModel):
    entries: list[AuditEntry]


class FaultSettings(BaseModel):
    """Hall-side faults for tests; each counter applies to the next n events."""

    fail_after_commit: int | None = Field(None, ge=0, description="500 after committing")
    fail_before_commit: int | None = Field(None, ge=0, description="500 before committing")
    rate_limit: int | None = Field(None, ge=0, description="429 for the next n requests")
    retry_after_s: int | None = Field(None, ge=0, description="Retry-After of the 429s")
    offset_conflict: int | None = Field(None, ge=0, description="PATCH answered offset_mismatch")
    checksum_mismatch: int | None = Field(
        None, ge=0, description="PATCH answered checksum_mismatch"
    )
    truncate_uploads: bool = Field(False, description="drop every partial upload now")


class FaultState(BaseModel):
    fail_after_commit: int
    fail_before_commit: int
    rate_limit: int
    retry_after_s: int
    offset_conflict: int
    checksum_mismatch: int
