"""Verify electronically signed PDFs (电子签章/电子签名) with pyHanko.

Four verdicts, as the checklist shows them:

- ``valid``    every signature is intact, covers the document and chains to a
               trusted root;
- ``invalid``  a signature is broken: the signed bytes were changed, the
               cryptography does not verify, or the file cannot be read;
- ``unknown``  the signatures are intact but the signer is not trusted (not in
               the configured trust roots, or the chain cannot be checked);
- ``unsigned`` there is no signature at all.

Validation is offline-first: nothing is fetched from the network, revocation
is checked only with information embedded in the file ("soft fail").
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from asn1crypto import pem, x509
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko_certvalidator import ValidationContext

log = logging.getLogger(__name__)


class SignatureStatus(StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    UNKNOWN = "unknown"
    UNSIGNED = "unsigned"


STATUS_LABELS = {
    SignatureStatus.VALID: "签名有效",
    SignatureStatus.INVALID: "签名无效 (文件被改动或签名损坏)",
    SignatureStatus.UNKNOWN: "签名完整，但签名人未知或不受信任",
    SignatureStatus.UNSIGNED: "未签名",
}

# Worst first: the document's verdict is its worst signature's.
_SEVERITY = [SignatureStatus.INVALID, SignatureStatus.UNKNOWN, SignatureStatus.VALID]


@dataclass(frozen=True)
class SignatureDetail:
    field_name: str
    status: SignatureStatus
    signer: str | None
    signed_at: datetime | None
    message: str


@dataclass(frozen=True)
class SignatureVerdict:
    status: SignatureStatus
    message: str
    signatures: list[SignatureDetail] = field(default_factory=list)

    @property
    def signer(self) -> str | None:
        return self.signatures[0].signer if self.signatures else None

    @property
    def signed_at(self) -> datetime | None:
        return self.signatures[0].signed_at if self.signatures else None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def load_trust_roots(pem_bundle: Path) -> list[x509.Certificate]:
    """Certificates from a PEM bundle (the province's e-seal roots, say)."""
    data = Path(pem_bundle).read_bytes()
    if not pem.detect(data):
        return [x509.Certificate.load(data)]
    return [x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(data, multiple=True)]


def station_trust_roots(settings) -> list[x509.Certificate]:
    """Roots for e-signed PDFs from the station's settings (none = signer unknown)."""
    bundle = getattr(settings, "signature_trust_roots", "")
    if not bundle or not Path(bundle).exists():
        return []
    return load_trust_roots(Path(bundle))


def verify_pdf(
    pdf: bytes, trust_roots: Iterable[x509.Certificate | bytes] = ()
) -> SignatureVerdict:
    """Check every signature in ``pdf`` against ``trust_roots`` (DER or asn1crypto)."""
    roots = [root if isinstance(root, x509.Certificate) else x509.Certificate.load(root)
             for root in trust_roots]
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        return SignatureVerdict(SignatureStatus.INVALID, f"PDF 文件无法读取：{exc}")
    if not embedded:
        return SignatureVerdict(SignatureStatus.UNSIGNED, STATUS_LABELS[SignatureStatus.UNSIGNED])
    details = [_check_one(signature, roots) for signature in embedded]
    worst = min((detail.status for detail in details), key=_SEVERITY.index)
    problem = next((d for d in details if d.status is worst), details[0])
    return SignatureVerdict(worst, problem.message, details)


def _check_one(embedded, roots: list[x509.Certificate]) -> SignatureDetail:
    # A fresh context per signature: contexts cache path-building state.
    context = ValidationContext(trust_roots=roots, allow_fetching=False,
                                revocation_mode="soft-fail")
    name = embedded.field_name or "签名"
    try:
        status = validate_pdf_signature(embedded, context)
    except (SignatureValidationError, ValueError, KeyError, PdfReadError) as exc:
        log.info("signature %s does not validate: %s", name, exc)
        return SignatureDetail(name, SignatureStatus.INVALID, None, None,
                               f"签名“{name}”无法验证：文件已被改动或签名数据损坏")
    signer = _common_name(status.signing_cert)
    signed_at = status.signer_reported_dt
    who = f"签名人：{signer}" if signer else "签名人不明"
    if not status.intact or not status.valid:
        verdict, reason = SignatureStatus.INVALID, "签名后文件内容被改动，或签名已损坏"
    elif status.docmdp_ok is False:  # None: the signer set no modification policy
        verdict, reason = SignatureStatus.INVALID, "签名后文件被做了不允许的修改"
    elif not status.trusted:
        verdict, reason = SignatureStatus.UNKNOWN, "签名完整，但签名人证书不在受信任的根证书中"
    else:
        verdict, reason = SignatureStatus.VALID, "签名有效，文件自签名后未被改动"
    return SignatureDetail(name, verdict, signer, signed_at, f"{reason}（{who}）")


def _common_name(certificate) -> str | None:
    if certificate is None:
        return None
    subject = certificate.subject.native
    return subject.get("common_name") or subject.get("organization_name") or None


def configured_trust_roots(settings) -> list[x509.Certificate]:
    """The roots named by ``settings.signature_trust_roots``; none when unset or unreadable.

    An unreadable bundle is logged, not raised: verification then says
    "signer unknown" instead of blocking intake.
    """
    if not settings.signature_trust_roots:
        return []
    try:
        return load_trust_roots(Path(settings.signature_trust_roots))
    except (OSError, ValueError) as exc:
        log.warning("signature trust roots %s unreadable: %s",
                    settings.signature_trust_roots, exc)
        return []
