"""The intake form as plain data: what the clerk has entered so far.

``DraftState`` round-trips through JSON so it can be autosaved into the
``Draft`` table and offered again after a crash; it holds no database rows
and no Qt objects.  The checklist comes from the catalog item (无差别受理:
the catalog, not the clerk, decides what is required).
"""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass, field

from app.applicants import ApplicantInfo, PersonInfo

REQUIRED = "required"
OPTIONAL = "optional"
CONDITIONAL = "conditional"
REQUIREMENT_NAMES = {REQUIRED: "必要", OPTIONAL: "非必要", CONDITIONAL: "情形要件"}

# How a material was received (stored as meaning, see local_store.models).
ORIGINAL = "original"
COPY = "copy"
ELECTRONIC = "electronic"
SCANNED = "scanned"
ECERT = "ecert"
MISSING = "missing"
DEFICIENCY = "deficiency"
NOT_APPLICABLE = "not_applicable"
RECEIVED_FORMS = {
    ORIGINAL: "原件",
    COPY: "复印件",
    ELECTRONIC: "电子文件",
    SCANNED: "扫描件",
    ECERT: "电子证照",
    MISSING: "未提交",
    DEFICIENCY: "容缺",
    NOT_APPLICABLE: "不适用",
}
SATISFYING_FORMS = frozenset({ORIGINAL, COPY, ELECTRONIC, SCANNED, ECERT})

CHANNELS = {"window": "窗口", "online": "网上申请", "mail": "邮寄"}

# The parts of the catalog item a case needs; kept in the draft so a resumed
# draft still commits after the catalog changed underneath it.
ITEM_FIELDS = (
    "task_code",
    "catalog_code",
    "handle_item_code",
    "handle_item_name",
    "name",
    "version",
    "project_type",
    "dept_name",
    "dept_code",
    "promise_limit",
    "legal_limit",
    "deficiency_allowed",
    "auth_level",
    "state",
    "fees",  # shown at intake, confirmed at acceptance (app.fees)
)


def _requirement(value) -> str:
    if value == CONDITIONAL:
        return CONDITIONAL
    return REQUIRED if value is True or value == "true" else OPTIONAL


@dataclass
class MaterialEntry:
    material_id: str
    name: str
    requirement: str = REQUIRED
    condition: str = ""
    form: str = "paper"  # what the catalog asks for: paper|electronic|paper+electronic
    originals_required: int = 0
    copies_required: int = 0
    cert_type_code: str | None = None
    accepts_signed_electronic: bool = False
    # What the clerk recorded.
    received_form: str = MISSING
    originals: int = 0
    copies: int = 0
    # Scanned pages, as ``app.scanning.pages.Page.to_json()`` dicts, in order.
    pages: list[dict] = field(default_factory=list)
    file_digest: str | None = None  # an electronic file (PDF) in the blob store
    file_size: int = 0
    file_name: str = ""
    signature_status: str = ""  # valid|invalid|unknown ('' = not signed / not checked)
    signature_detail: str = ""
    cert_ref: dict | None = None
    override_reason: str = ""
    condition_applies: bool = False
    note: str = ""

    @property
    def needed(self) -> bool:
        """Must be handed in for this application (required, or its condition applies)."""
        return self.requirement == REQUIRED or (
            self.requirement == CONDITIONAL and self.condition_applies
        )

    @property
    def satisfied(self) -> bool:
        return self.received_form in SATISFYING_FORMS

    @property
    def page_digests(self) -> list[str]:
        return [page["digest"] for page in self.pages]

    @property
    def absent(self) -> bool:
        """Needed, and neither handed in nor promised for later (容缺)."""
        return self.needed and not self.satisfied and self.received_form != DEFICIENCY

    def receive_as(self, form: str) -> None:
        """Record how the material came in; counts follow the catalog's defaults
        (one at least), and a conditional material received is one that applies."""
        self.received_form = form
        if form == "original" and not self.originals:
            self.originals = max(1, self.originals_required)
        elif form == "copy" and not self.copies:
            self.copies = max(1, self.copies_required)
        elif form in (MISSING, NOT_APPLICABLE):
            self.originals = self.copies = 0
        if self.requirement == CONDITIONAL and form != NOT_APPLICABLE:
            self.condition_applies = True

    def apply_condition(self, applies: bool) -> None:
        """Whether a conditional material's condition holds for this application;
        a material not yet received follows it between 缺 and 不适用."""
        self.condition_applies = applies
        if not applies and self.received_form == MISSING:
            self.received_form = NOT_APPLICABLE
        elif applies and self.received_form == NOT_APPLICABLE:
            self.received_form = MISSING

    def to_json(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_json(cls, data: dict) -> MaterialEntry:
        known = {key: value for key, value in data.items() if key in cls.__dataclass_fields__}
        return cls(**known)

    @classmethod
    def from_catalog(cls, material: dict) -> MaterialEntry:
        requirement = _requirement(material.get("required"))
        return cls(
            material_id=str(material.get("id") or ""),
            name=material.get("name") or "",
            requirement=requirement,
            condition=material.get("condition") or "",
            form=material.get("form") or "paper",
            originals_required=int(material.get("originals") or 0),
            copies_required=int(material.get("copies") or 0),
            cert_type_code=material.get("cert_type_code"),
            accepts_signed_electronic=bool(material.get("accepts_signed_electronic")),
            # Optional and conditional materials start as "does not apply";
            # the clerk ticks the condition or records what was brought.
            received_form=MISSING if requirement == REQUIRED else NOT_APPLICABLE,
        )


@dataclass
class DraftState:
    task_code: str
    item: dict
    uuid: str = field(default_factory=lambda: str(uuidlib.uuid4()))
    applicant: ApplicantInfo = field(default_factory=ApplicantInfo)
    agent: PersonInfo | None = None
    contact_phone: str = ""
    channel: str = "window"
    materials: list[MaterialEntry] = field(default_factory=list)
    # Continuing a 补正 case: the case keeps its uuid and number.
    case_uuid: str | None = None
    case_number: str | None = None
    # ISO 8601; set for batch entry (补录) and continued cases, else "now".
    received_at: str | None = None
    import_ref: str | None = None
    note: str = ""

    @property
    def item_name(self) -> str:
        """The item's name (事项名称), shared by its 办理项."""
        return self.item.get("name") or ""

    @property
    def handle_item_code(self) -> str | None:
        return self.item.get("handle_item_code") or None

    @property
    def display_name(self) -> str:
        """The 办理项's own name when it is one (食品经营许可（新办）), else the item's."""
        return self.item.get("handle_item_name") or self.item_name

    @property
    def project_type(self) -> str:
        return str(self.item.get("project_type") or "")

    @property
    def deficiency_allowed(self) -> bool:
        return bool(self.item.get("deficiency_allowed", False))

    def material(self, material_id: str) -> MaterialEntry:
        for entry in self.materials:
            if entry.material_id == material_id:
                return entry
        raise KeyError(material_id)

    def to_json(self) -> dict:
        return {
            "task_code": self.task_code,
            "item": dict(self.item),
            "uuid": self.uuid,
            "applicant": self.applicant.to_json(),
            "agent": self.agent.to_json() if self.agent else None,
            "contact_phone": self.contact_phone,
            "channel": self.channel,
            "materials": [entry.to_json() for entry in self.materials],
            "case_uuid": self.case_uuid,
            "case_number": self.case_number,
            "received_at": self.received_at,
            "import_ref": self.import_ref,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: dict) -> DraftState:
        return cls(
            task_code=data["task_code"],
            item=dict(data.get("item") or {}),
            uuid=data.get("uuid") or str(uuidlib.uuid4()),
            applicant=ApplicantInfo.from_json(data.get("applicant")),
            agent=PersonInfo.from_json(data.get("agent")),
            contact_phone=data.get("contact_phone") or "",
            channel=data.get("channel") or "window",
            materials=[MaterialEntry.from_json(entry) for entry in data.get("materials") or []],
            case_uuid=data.get("case_uuid"),
            case_number=data.get("case_number"),
            received_at=data.get("received_at"),
            import_ref=data.get("import_ref"),
            note=data.get("note") or "",
        )

    @classmethod
    def from_catalog_item(cls, item: dict) -> DraftState:
        snapshot = {key: item.get(key) for key in ITEM_FIELDS}
        snapshot["deficiency_allowed"] = bool(item.get("deficiency_allowed", False))
        return cls(
            task_code=item["task_code"],
            item=snapshot,
            materials=[MaterialEntry.from_catalog(m) for m in item.get("materials") or []],
        )
