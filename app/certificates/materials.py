"""Never ask for paper the certificate library has (plan task 18).

``auto_satisfy`` marks every material of the intake draft whose certificate
type was found valid and verified as received from the library
(``received_form = "ecert"``, 免提交) and records which certificate was
used — but only with the certificate of the person the material is about
(the applicant, or the agent / legal representative its name mentions); a
material of several people ("男女双方") is left to the clerk.

Only a certificate the library returned and ``verification`` accepted
satisfies a material.  A well-formed USCC proves that a code is well formed,
not that the business licence behind it exists or is valid: when the look-up
fails, 营业执照 stays missing and the clerk takes it on paper (or looks up
again).  A clerk may undo a satisfied material with a reason
(``override_material``); auto-satisfy then leaves that material alone.

The draft is the intake's ``DraftState``; this module only touches the
material fields ``cert_type_code``, ``received_form``, ``cert_ref``,
``override_reason``, ``file_digest`` and ``file_size``.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.certificates.service import LookupResult
from app.certificates.verification import VerifiedCertificate
from app.identity import normalize_id_text

RECEIVED_FROM_LIBRARY = "ecert"

# Whose certificate a material asks for, read from its catalog name.  The
# catalog has no field for it; the words are the national material names'.
AGENT_WORDS = ("代理人", "代办人", "受托人")
REPRESENTATIVE_WORDS = ("法定代表人", "负责人")
# Materials of several people ("男女双方", "家庭成员") are never settled by one
# person's certificate automatically; the clerk decides ("use for material").
SEVERAL_HOLDERS_WORDS = ("双方", "家庭成员", "夫妻", "共有人", "各方")


def _certificates(results) -> list[VerifiedCertificate]:
    if isinstance(results, LookupResult):
        return list(results.certs)
    certs: list[VerifiedCertificate] = []
    for item in results or ():
        certs.extend(item.certs if isinstance(item, LookupResult) else [item])
    return certs


def best_certificates(results) -> dict[tuple[str, str], VerifiedCertificate]:
    """The newest usable certificate of each (type, holder)."""
    best: dict[tuple[str, str], VerifiedCertificate] = {}
    for cert in _certificates(results):
        if not cert.usable:
            continue
        key = (cert.type_code, normalize_id_text(cert.holder_id))
        current = best.get(key)
        if current is None or (cert.issue_date or cert.verified_at.date()) > (
            current.issue_date or current.verified_at.date()
        ):
            best[key] = cert
    return best


def expected_holder(draft, material) -> str | None:
    """The ID number whose certificate can stand in for ``material`` (None = nobody's)."""
    name = getattr(material, "name", "") or ""
    if any(word in name for word in SEVERAL_HOLDERS_WORDS):
        return None
    applicant = getattr(draft, "applicant", None)
    if any(word in name for word in AGENT_WORDS):
        person = getattr(draft, "agent", None)
    elif any(word in name for word in REPRESENTATIVE_WORDS) and getattr(
        applicant, "legal_rep", None
    ):
        person = applicant.legal_rep
    else:
        person = applicant
    number = normalize_id_text(getattr(person, "id_number", "") if person else "")
    return number or None


def auto_satisfy(draft, results: LookupResult | Iterable) -> list[str]:
    """Mark library-held materials 免提交; returns the material ids changed.

    A certificate counts for a material only when it belongs to the person
    the material is about (the applicant, or the agent / legal representative
    it names).
    """
    usable = best_certificates(results)
    changed: list[str] = []
    for material in draft.materials:
        code = getattr(material, "cert_type_code", None)
        if not code or getattr(material, "override_reason", ""):
            continue
        if not getattr(material, "needed", True):
            continue  # optional, or its condition does not apply to this applicant
        holder = expected_holder(draft, material)
        cert = usable.get((code, holder)) if holder else None
        if cert is None:
            continue  # nothing found and verified for it: the paper is still needed
        ref = cert.reference()
        if material.received_form == RECEIVED_FROM_LIBRARY and material.cert_ref == ref:
            continue
        material.received_form = RECEIVED_FROM_LIBRARY
        material.cert_ref = ref
        changed.append(material.material_id)
    return changed


def material_for(draft, cert: VerifiedCertificate):
    """The material a chosen certificate most likely stands for, or None.

    Among the materials asking for its type: first one about its holder that
    is still open, then any still open, then the first.
    """
    candidates = [m for m in draft.materials
                  if getattr(m, "cert_type_code", None) == cert.type_code]
    holder = normalize_id_text(cert.holder_id)
    open_ones = [m for m in candidates if m.received_form != RECEIVED_FROM_LIBRARY]
    for group in (
        [m for m in open_ones if expected_holder(draft, m) == holder],
        open_ones,
        candidates,
    ):
        if group:
            return group[0]
    return None


def satisfy_with(draft, material_id: str, cert: VerifiedCertificate) -> None:
    """The clerk picked this certificate for this material ("use for material")."""
    if not cert.usable:
        raise ValueError("该证照不能用作申请材料：" + "；".join(cert.problems()))
    material = _find(draft, material_id)
    code = getattr(material, "cert_type_code", None)
    if code and code != cert.type_code:
        raise ValueError(f"材料需要的证照类型是 {code}，所选证照是 {cert.type_code}")
    material.received_form = RECEIVED_FROM_LIBRARY
    material.cert_ref = cert.reference()
    material.override_reason = ""


def attach_certificate_file(draft, material_id: str, digest: str, size: int) -> None:
    """Record the certificate's PDF (already in the blob store) as the material's file."""
    material = _find(draft, material_id)
    if material.received_form != RECEIVED_FROM_LIBRARY or not material.cert_ref:
        raise ValueError("请先用证照满足该材料，再附加证照文件")
    material.file_digest = digest
    material.file_size = size


def override_material(draft, material_id: str, reason: str, received_form: str) -> None:
    """The clerk takes the material another way after all; a reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("不使用电子证照时请填写原因")
    if received_form == RECEIVED_FROM_LIBRARY:
        raise ValueError("请选择纸质或其他收取方式")
    material = _find(draft, material_id)
    material.received_form = received_form
    material.cert_ref = None
    material.override_reason = reason


def _find(draft, material_id: str):
    for material in draft.materials:
        if material.material_id == material_id:
            return material
    raise KeyError(f"本事项没有材料 {material_id}")
