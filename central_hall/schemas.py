"""Request and response shapes, for validation and for the published OpenAPI
schema (``central_hall/openapi.json``) that the workstation is written against."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


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


class CatalogDocument(BaseModel):
    """The catalog interchange document (DESIGN.md) plus the delta mode."""

    model_config = ConfigDict(extra="allow")
    format: str
    version: str
    generated_at: str
    mode: Literal["delta", "snapshot"] | None = None
    items: list[dict]
    removed: list[str] = []


class PublishResponse(BaseModel):
    version: str


class UploadState(BaseModel):
    offset: int
    complete: bool


class Decision(BaseModel):
    model_config = ConfigDict(extra="allow")
    reason: str | None = None
    basis: str | None = None


class Person(BaseModel):
    """A natural person named on a case: an organisation's legal representative."""

    model_config = ConfigDict(extra="allow")
    name: str | None = None
    id_type: str | None = None
    id_number: str | None = None
    phone: str | None = None


class Party(BaseModel):
    model_config = ConfigDict(extra="allow")
    kind: str | None = None
    name: str | None = None
    id_type: str | None = None
    id_number: str | None = None
    phone: str | None = None
    # An organisation's legal representative is a person, sent as an object.
    legal_rep: Person | None = None


class ManifestMaterial(BaseModel):
    model_config = ConfigDict(extra="allow")
    material_id: str | None = None
    name: str | None = None
    received_form: str | None = None
    count: int | None = None
    digest: str | None = None
    size: int | None = None


class ManifestAttachment(BaseModel):
    sha256: str
    size: int


class CaseManifest(BaseModel):
    """Field presence is checked by the hall itself so that a missing core field
    is answered ``invalid_manifest`` naming that field."""

    model_config = ConfigDict(extra="allow")
    uuid: str | None = None
    number: str | None = None
    event: Literal["receive", "notify", "accept", "reject", "conclude"] | None = None
    state: str | None = None
    task_code: str | None = None
    catalog_code: str | None = None
    handle_item_code: str | None = None
    handle_item_name: str | None = None
    item_name: str | None = None
    item_version: int | str | None = None
    project_type: str | None = None
    channel: str | None = None
    dept_name: str | None = None
    dept_code: str | None = None
    station: str | None = None
    clerk: str | None = None
    apply_time: str | None = None
    accept_time: str | None = None
    promised_date: str | None = None
    decided_at: str | None = None
    decision: Decision | None = None
    applicant: Party | None = None
    agent: Party | None = None
    contact_phone: str | None = None
    materials: list[ManifestMaterial] | None = None
    attachments: list[ManifestAttachment] | None = None


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
    manifest: dict
    attachments: list[ManifestAttachment]


CaseStatus = Literal[
    "received",
    "pre_review_passed",
    "pre_review_returned",
    "in_process",
    "concluded",
    "result_ready",
    "delivered",
]


class StatusUpdate(BaseModel):
    uuid: str
    number: str
    status: CaseStatus
    at: str
    detail: str


class StatusUpdates(BaseModel):
    cursor: str
    updates: list[StatusUpdate]


class StatusRequest(BaseModel):
    status: CaseStatus
    detail: str = ""


class Certificate(BaseModel):
    id: str
    identifier: str
    type_code: str
    type_name: str
    name: str
    number: str
    holder_name: str
    holder_id: str
    holder_type: Literal["person", "organisation"]
    issuer: str
    issuer_code: str
    issue_date: str
    valid_from: str
    valid_until: str | None
    status: Literal["valid", "expired", "revoked"]
    signature: str


class CertificateList(BaseModel):
    certificates: list[Certificate]


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
