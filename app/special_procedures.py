"""特别程序: hearings, inspections, expert reviews stop the clock of a case.

《行政许可法》 §45: time spent on hearing, tendering, auction, inspection,
testing, quarantine, appraisal and expert review is not counted in the
limit.  Each pause is an event on the case; the promised deadline is
recomputed from the acceptance date over all pauses, with the item's limit as
it stood at intake (kept in the case's ``received`` event).
"""

from __future__ import annotations

import datetime as dt

from app.catalog.item_key import ItemKey
from app.catalog.repository import get_item
from app.deadlines import Deadline, WorkCalendar, promise_deadline
from app.intake.validation import FieldError, IntakeError
from app.staff import audit
from local_store.instants import station_date
from local_store.models import Case, CaseEvent, utcnow

PROCEDURES = ("听证", "招标", "拍卖", "检验", "检测", "检疫", "鉴定", "专家评审", "现场核查")
PAUSABLE_STATES = ("accepted", "in_process")
EVENT_KIND = "special_procedure"


def _limit_at_intake(case: Case) -> dict | None:
    received = (
        CaseEvent.select().where((CaseEvent.case == case) & (CaseEvent.kind == "received")).first()
    )
    item = (received.detail or {}).get("item") if received else None
    if item is None:  # a case taken before the snapshot was kept
        item = get_item(ItemKey(case.task_code, case.handle_item_code)) or {}
    return item.get("promise_limit")


def case_pauses(case: Case) -> list[tuple[dt.date, dt.date]]:
    events = CaseEvent.select().where((CaseEvent.case == case) & (CaseEvent.kind == EVENT_KIND))
    return [
        (dt.date.fromisoformat(e.detail["start"]), dt.date.fromisoformat(e.detail["end"]))
        for e in events
    ]


def record_special_procedure(
    number: str, procedure: str, start: dt.date, end: dt.date, clerk: str, note: str = ""
) -> Deadline:
    """Record a pause and move the case's deadline (call inside a writer unit)."""
    case = Case.get_or_none(Case.number == (number or "").strip().upper())
    errors: list[FieldError] = []
    if case is None:
        raise IntakeError([FieldError("case_number", f"找不到办件 {number}")])
    if case.state not in PAUSABLE_STATES or case.accepted_at is None:
        errors.append(FieldError("case_number", f"办件 {case.number} 未在办理中，不能登记特别程序"))
    if procedure not in PROCEDURES:
        errors.append(FieldError("procedure", f"特别程序应为 {'、'.join(PROCEDURES)} 之一"))
    if end < start:
        errors.append(FieldError("end", "特别程序结束日期不能早于开始日期"))
    elif case.accepted_at is not None and start <= station_date(case.accepted_at):
        errors.append(FieldError("start", "特别程序应在受理之后开始"))
    if errors:
        raise IntakeError(errors)
    audit.append_in_unit(case.station, clerk, audit.CASE_DECISION, case.number, audit.OK,
                         {"decision": EVENT_KIND, "procedure": procedure})
    CaseEvent.create(
        case=case,
        kind=EVENT_KIND,
        clerk=clerk,
        detail={
            "procedure": procedure,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "note": note,
        },
    )
    deadline = promise_deadline(
        station_date(case.accepted_at),
        _limit_at_intake(case),
        WorkCalendar.load(),
        case_pauses(case),
    )
    case.deadline = deadline.date
    case.deadline_uncertain = deadline.uncertain
    case.updated_at = utcnow()
    case.save()
    return deadline
