"""What a printed document says, prepared by ``app.documents``.

``printing`` knows nothing of the database or of ID rules: every field here is
already display text (ID numbers arrive masked), so a document can only print
what the caller chose to show.  Times are station wall time (aware datetimes in
the station's zone, see ``local_store.instants``): printed as they are, whatever
the computer's zone is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Document kinds, in the order the CLI lists them.
RECEIPT = "receipt"
ACCEPTANCE = "acceptance"
COMPLETION = "completion"
REJECTION = "rejection"
DEFICIENCY = "deficiency"
BLANK_FORM = "form"
CASE_DOCUMENTS = (RECEIPT, ACCEPTANCE, COMPLETION, REJECTION, DEFICIENCY)

TITLES = {
    RECEIPT: "收件回执",
    ACCEPTANCE: "受理通知书",
    COMPLETION: "一次性告知书",
    REJECTION: "不予受理通知书",
    DEFICIENCY: "容缺受理承诺书",
    BLANK_FORM: "申请表",
}
# The character that marks the kind in the document number (文号).
NUMBER_MARKS = {
    RECEIPT: "收",
    ACCEPTANCE: "受",
    COMPLETION: "补",
    REJECTION: "不受",
    DEFICIENCY: "容",
    BLANK_FORM: "表",
}

A4 = "a4"
ROLL = "roll"
LAYOUTS = (A4, ROLL)
# Only the receipt is handed over at speed from a thermal roll printer.
ROLL_KINDS = (RECEIPT,)


@dataclass
class PrintableMaterial:
    name: str
    received_as: str  # 原件 / 复印件 / 电子证照 … or 未提交
    originals: int = 0
    copies: int = 0
    pages: int = 0
    # What the catalog asks for, for the completion notice.
    wanted: str = ""  # e.g. "纸质原件1份、复印件1份"
    how_to_supply: str = ""
    note: str = ""


@dataclass
class Station:
    centre_name: str
    window_name: str
    clerk: str
    consultation_phone: str = ""
    complaint_phone: str = ""
    seal_image: str = ""  # path; empty = no seal
    reconsideration_body: str = ""
    litigation_body: str = "人民法院"


@dataclass
class PrintableCase:
    station: Station
    case_number: str
    status_query_url: str  # printed as QR: query URL with the case number
    item_name: str  # the 办理项's own name when the case is for one (食品经营许可（新办）)
    task_code: str
    dept_name: str
    applicant_name: str
    applicant_id_label: str  # 居民身份证 / 统一社会信用代码 …
    applicant_id_masked: str
    received_at: dt.datetime
    printed_at: dt.datetime
    is_licence: bool = False  # 行政许可: cite 《行政许可法》
    legal_rep_name: str = ""  # organisations: 法定代表人
    agent_name: str = ""
    agent_id_masked: str = ""
    accepted_at: dt.datetime | None = None
    concluded_at: dt.datetime | None = None  # 即办件 concluded on the spot
    promised_date: dt.date | None = None
    promised_date_uncertain: bool = False
    promise_limit: str = ""  # "5个工作日"
    materials: list[PrintableMaterial] = field(default_factory=list)
    # Satisfied from the e-certificate library: listed apart, never as taken in.
    from_certificates: list[PrintableMaterial] = field(default_factory=list)
    missing: list[PrintableMaterial] = field(default_factory=list)
    deficient: list[PrintableMaterial] = field(default_factory=list)
    completion_days_allowed: int = 0
    deficiency_promise_date: dt.date | None = None
    decision_reason: str = ""
    decision_basis: str = ""
    link_way: str = ""
    supervise_way: str = ""
    transact_addr: str = ""  # where results are collected (catalog guide)
    handle_item_code: str = ""  # 业务办理项编码; '' for an item without 办理项
    # The hall's rating page for this case (好差评 by QR, a signed link); '' = none.
    rating_url: str = ""


@dataclass
class PrintableForm:
    """An item's blank application form, titled from the catalog."""

    station: Station
    title: str
    item_name: str
    task_code: str
    dept_name: str
    printed_at: dt.datetime
    material_names: list[str] = field(default_factory=list)
    link_way: str = ""
    handle_item_code: str = ""
