"""Applicants seen at this window: found again by ID number, kept up to date.

Names are stored exactly as entered: no Unicode normalisation, because NFKC
and friends would alter rare characters outside the BMP (𠇔, 𡒄) and the middle
dot of ethnic-minority names (·) that the applicant's documents carry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.identity import check_id, normalize_id_text
from local_store.models import Applicant, utcnow

PERSON = "person"
ORGANISATION = "organisation"
APPLICANT_KINDS = {PERSON: "自然人", ORGANISATION: "法人或其他组织"}


@dataclass
class PersonInfo:
    """A natural person: applicant, legal representative or agent (代办人)."""

    name: str = ""
    id_type: str = "111"
    id_number: str = ""
    phone: str = ""

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "id_type": self.id_type,
            "id_number": self.id_number,
            "phone": self.phone,
        }

    @classmethod
    def from_json(cls, data: dict | None) -> PersonInfo | None:
        if not data:
            return None
        return cls(
            name=data.get("name") or "",
            id_type=data.get("id_type") or "111",
            id_number=data.get("id_number") or "",
            phone=data.get("phone") or "",
        )


@dataclass
class ApplicantInfo:
    """The applicant as entered on the intake form.

    An organisation has ``id_type`` ``001`` and its USCC in ``id_number``, and
    a legal representative; a person has no legal representative.
    """

    kind: str = PERSON
    name: str = ""
    id_type: str = "111"
    id_number: str = ""
    phone: str = ""
    address: str = ""
    legal_rep: PersonInfo | None = None
    # Set when the form was prefilled from a returning applicant.
    known_applicant_id: int | None = field(default=None, compare=False)

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "name": self.name,
            "id_type": self.id_type,
            "id_number": self.id_number,
            "phone": self.phone,
            "address": self.address,
            "legal_rep": self.legal_rep.to_json() if self.legal_rep else None,
            "known_applicant_id": self.known_applicant_id,
        }

    @classmethod
    def from_json(cls, data: dict | None) -> ApplicantInfo:
        data = data or {}
        return cls(
            kind=data.get("kind") or PERSON,
            name=data.get("name") or "",
            id_type=data.get("id_type") or ("001" if data.get("kind") == ORGANISATION else "111"),
            id_number=data.get("id_number") or "",
            phone=data.get("phone") or "",
            address=data.get("address") or "",
            legal_rep=PersonInfo.from_json(data.get("legal_rep")),
            known_applicant_id=data.get("known_applicant_id"),
        )

    def snapshot(self) -> dict:
        """What the case keeps: the applicant as they were at intake."""
        data = self.to_json()
        data.pop("known_applicant_id")
        return data


def _info_from_row(row: Applicant) -> ApplicantInfo:
    return ApplicantInfo(
        kind=row.kind,
        name=row.name,
        id_type=row.id_type,
        id_number=row.id_number,
        phone=row.phone,
        address=row.address,
        legal_rep=PersonInfo.from_json(row.legal_rep),
        known_applicant_id=row.id,
    )


def find_applicant(id_type: str, id_number: str) -> ApplicantInfo | None:
    """A returning applicant by document type and number (any thread may read)."""
    normalized = normalize_id_text(id_number)
    if not id_type or not normalized:
        return None
    row = Applicant.get_or_none(
        (Applicant.id_type == id_type) & (Applicant.id_number == normalized)
    )
    return _info_from_row(row) if row else None


def prefill(entered: ApplicantInfo) -> ApplicantInfo:
    """Fill what the clerk has not typed yet from a returning applicant's record.

    Never overwrites anything entered: the applicant in front of the clerk
    wins over what was stored last time.
    """
    known = find_applicant(entered.id_type, entered.id_number)
    if known is None:
        return entered
    return ApplicantInfo(
        kind=entered.kind or known.kind,
        name=entered.name or known.name,
        id_type=known.id_type,
        id_number=known.id_number,
        phone=entered.phone or known.phone,
        address=entered.address or known.address,
        legal_rep=entered.legal_rep or known.legal_rep,
        known_applicant_id=known.known_applicant_id,
    )


def upsert_applicant(info: ApplicantInfo) -> Applicant:
    """Create or update the stored applicant (call inside the writer unit)."""
    id_number = check_id(info.id_type, info.id_number).normalized
    values = {
        "kind": info.kind,
        "name": info.name.strip(),
        "phone": info.phone.strip(),
        "address": info.address.strip(),
        "legal_rep": info.legal_rep.to_json() if info.legal_rep else None,
        "updated_at": utcnow(),
    }
    row = Applicant.get_or_none(
        (Applicant.id_type == info.id_type) & (Applicant.id_number == id_number)
    )
    if row is None:
        return Applicant.create(id_type=info.id_type, id_number=id_number, **values)
    for key, value in values.items():
        # Keep a stored phone/address when this intake left them blank.
        if value in ("", None) and key in ("phone", "address", "legal_rep"):
            continue
        setattr(row, key, value)
    row.save()
    return row
