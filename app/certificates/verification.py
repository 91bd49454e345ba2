"""Is a certificate from the library genuine, current and the applicant's own?

Three independent checks, each with a plain Chinese reason when it fails:

* the 证照标识 check character (ISO 7064 MOD 37,36 over the identifier's parts
  without dots, python-stdnum), and the identifier naming the same type and
  issuer as the metadata;
* the hall's SM2 signature (gmssl ``sign_with_sm3``, checked in ``sm2``) over
  the canonical JSON of the metadata without ``signature`` (hall_api.md),
  against the public key pinned in the settings — never against a key
  fetched with the answer;
* status: the hall's word (revoked beats everything) and the validity dates
  against today, so a certificate that lapsed since the hall last looked is
  still seen as expired.

Only a certificate passing all of them, held by the person asked about, can
satisfy a material (``VerifiedCertificate.usable``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from stdnum.exceptions import ValidationError
from stdnum.iso7064 import mod_37_36

from app.certificates.sm2 import InvalidPublicKey, verify_sm3_signature
from app.identity import normalize_id_text
from local_store.instants import station_now, station_today

IDENTIFIER_PREFIX = "1.2.156.3005.2"
_IDENTIFIER_PATTERN = re.compile(
    r"^1\.2\.156\.3005\.2\.(?P<type>[^.]+)\.(?P<issuer>[^.]+)\.(?P<serial>[^.]+)"
    r"\.(?P<ver>[^.]+)\.(?P<check>[^.])$"
)

STATUS_VALID = "valid"
STATUS_EXPIRED = "expired"
STATUS_REVOKED = "revoked"
STATUS_NOT_YET_VALID = "not_yet_valid"
STATUS_LABELS = {
    STATUS_VALID: "有效",
    STATUS_EXPIRED: "已过期",
    STATUS_REVOKED: "已注销",
    STATUS_NOT_YET_VALID: "尚未生效",
}


def canonical_json(obj: dict) -> bytes:
    """The signed bytes (hall_api.md): sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def check_identifier(identifier: str, type_code: str = "", issuer_code: str = "") -> str | None:
    """None when the 证照标识 is well formed and its check character right."""
    match = _IDENTIFIER_PATTERN.match(identifier or "")
    if not match:
        return "证照标识格式不对"
    body = identifier[: -len(match["check"])].rstrip(".").replace(".", "")
    try:
        mod_37_36.validate(body + match["check"])
    except ValidationError:
        return "证照标识校验位错误"
    if type_code and match["type"] != type_code:
        return "证照标识中的证照类型与证照信息不符"
    if issuer_code and match["issuer"] != issuer_code:
        return "证照标识中的发证机关与证照信息不符"
    return None


def check_signature(certificate: dict, public_key: str) -> str | None:
    """None when the hall's SM2 signature over the metadata verifies."""
    if not public_key:
        return "未配置网上办事大厅公钥，无法验签"
    signature = certificate.get("signature") or ""
    if not re.fullmatch(r"[0-9a-fA-F]{128}", signature):
        return "证照签名缺失或格式不对"
    signed = {k: v for k, v in certificate.items() if k != "signature"}
    try:
        ok = verify_sm3_signature(public_key, signature.lower(), canonical_json(signed))
    except InvalidPublicKey:
        return "配置的网上办事大厅公钥无效，无法验签"
    return None if ok else "证照签名验证失败（信息可能被篡改）"


def _parse_date(value) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def effective_status(hall_status: str, valid_from, valid_until, today: dt.date) -> str:
    """Revoked stays revoked; dates are re-checked against today."""
    if hall_status == STATUS_REVOKED:
        return STATUS_REVOKED
    if hall_status == STATUS_EXPIRED:
        return STATUS_EXPIRED
    until = _parse_date(valid_until)
    if until is not None and until < today:
        return STATUS_EXPIRED
    start = _parse_date(valid_from)
    if start is not None and start > today:
        return STATUS_NOT_YET_VALID
    if hall_status != STATUS_VALID:
        # An unknown word from the hall never makes a certificate usable.
        return STATUS_REVOKED
    return STATUS_VALID


@dataclass
class VerifiedCertificate:
    """A certificate as the library sent it, with what we found out about it."""

    raw: dict
    status: str
    identifier_problem: str | None
    signature_problem: str | None
    holder_matches: bool
    verified_at: dt.datetime
    cached_at: dt.datetime | None = None
    notes: list[str] = field(default_factory=list)

    # Plain accessors for views and receipts.
    @property
    def id(self) -> str:
        return str(self.raw.get("id", ""))

    @property
    def identifier(self) -> str:
        return self.raw.get("identifier", "")

    @property
    def type_code(self) -> str:
        return self.raw.get("type_code", "")

    @property
    def type_name(self) -> str:
        return self.raw.get("type_name", "")

    @property
    def name(self) -> str:
        return self.raw.get("name", "") or self.type_name

    @property
    def number(self) -> str:
        return self.raw.get("number", "")

    @property
    def issuer(self) -> str:
        return self.raw.get("issuer", "")

    @property
    def holder_id(self) -> str:
        return self.raw.get("holder_id", "")

    @property
    def holder_name(self) -> str:
        return self.raw.get("holder_name", "")

    @property
    def issue_date(self) -> dt.date | None:
        return _parse_date(self.raw.get("issue_date"))

    @property
    def valid_from(self) -> dt.date | None:
        return _parse_date(self.raw.get("valid_from"))

    @property
    def valid_until(self) -> dt.date | None:
        """None = long-term (长期)."""
        return _parse_date(self.raw.get("valid_until"))

    @property
    def verified(self) -> bool:
        return self.identifier_problem is None and self.signature_problem is None

    @property
    def usable(self) -> bool:
        """May this certificate stand in for a material?"""
        return self.verified and self.status == STATUS_VALID and self.holder_matches

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def validity_text(self) -> str:
        start = self.valid_from.isoformat() if self.valid_from else "—"
        end = self.valid_until.isoformat() if self.valid_until else "长期"
        return f"{start} 至 {end}"

    def problems(self) -> list[str]:
        """Every reason this certificate cannot satisfy a material, in Chinese."""
        reasons = [p for p in (self.identifier_problem, self.signature_problem) if p]
        if self.status != STATUS_VALID:
            reasons.append(f"证照{self.status_label}")
        if not self.holder_matches:
            reasons.append("证照持有人不是本申请人")
        return reasons

    def reference(self) -> dict:
        """What a material records about the certificate that satisfied it."""
        ref = {
            "certificate_id": self.id,
            "identifier": self.identifier,
            "type": self.type_code,
            "type_name": self.type_name,
            "name": self.name,
            "issuer": self.issuer,
            "number": self.number,
            "verified_at": self.verified_at.isoformat(timespec="seconds"),
        }
        if self.cached_at is not None:
            ref["cached_at"] = self.cached_at.isoformat(timespec="seconds")
        return ref


def verify_certificate(
    raw: dict,
    public_key: str,
    holder: str,
    holder_type: str,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> VerifiedCertificate:
    """Run every check on one certificate from the library."""
    today = today or station_today()  # validity ends at the station's midnight
    holder_matches = normalize_id_text(raw.get("holder_id")) == normalize_id_text(holder) and (
        raw.get("holder_type") in (None, "", holder_type)
    )
    return VerifiedCertificate(
        raw=raw,
        status=effective_status(
            raw.get("status", ""), raw.get("valid_from"), raw.get("valid_until"), today
        ),
        identifier_problem=check_identifier(
            raw.get("identifier", ""), raw.get("type_code", ""), raw.get("issuer_code", "")
        ),
        signature_problem=check_signature(raw, public_key),
        holder_matches=holder_matches,
        # Station time with its offset: the reference a material keeps says which zone.
        verified_at=now or station_now().replace(microsecond=0),
    )
