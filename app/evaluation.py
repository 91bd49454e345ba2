"""Service evaluation (好差评) and the rectification of bad ratings (整改).

Levels are GB/T 39046-2020 A.8 codes (1 非常满意 … 5 非常不满意, from
``app/data/codes.json``) and stored as their meaning, so an interface that numbers
the other way round cannot silently invert a rating.

一事一评 (GB/T 39734), as this station applies it: a case has two decision points,
``decision`` (the window's answer — accepted, 补正 notice, rejected) and
``conclusion`` (办结).  The applicant may rate each once, so a case carries at
most two ratings: the first and the second.  A 即办件 concluded on the spot has
only its conclusion to rate; a rejected case only its decision.  Which point a
rating belongs to follows from the case's state when it is given.

A rating of 不满意 or 非常不满意 needs the applicant's reason (comment) and opens a
rectification item for the supervisor, due ``rectification_working_days`` working
days later on the station's calendar (15 by default; local rules differ).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.catalog.code_tables import code_tables
from app.deadlines import WORKING_DAY, WorkCalendar, promise_deadline
from local_store.instants import station_date, station_today, utcnow
from local_store.models import Case, Evaluation, Rectification

CONCLUSION_STATES = frozenset({"concluded", "delivered"})
DECISION_STATES = frozenset({"received", "accepted", "in_process", "needs_completion",
                             "rejected"})
DECISION, CONCLUSION = "decision", "conclusion"
BAD_LEVEL_CODES = (4, 5)
OPEN, CLOSED = "open", "closed"
COMMENT_LIMIT = 500


class EvaluationError(ValueError):
    """A rating or rectification that cannot be recorded (message in Chinese)."""


def level_meanings() -> dict[int, str]:
    """GB/T 39046 A.8: code → meaning."""
    return {int(code): meaning
            for code, meaning in code_tables()["evaluation_level"]["codes"].items()}


def channel_names() -> dict[str, str]:
    return dict(code_tables()["evaluation_channel"]["codes"])


def bad_levels() -> tuple[str, ...]:
    meanings = level_meanings()
    return tuple(meanings[code] for code in BAD_LEVEL_CODES)


def level_code(meaning: str) -> int:
    return {text: code for code, text in level_meanings().items()}[meaning]


def point_for_state(state: str) -> str:
    """The decision point a rating given now belongs to."""
    if state in CONCLUSION_STATES:
        return CONCLUSION
    if state in DECISION_STATES:
        return DECISION
    raise EvaluationError("该办件尚未作出受理决定，不能评价 / the case has no decision to rate yet")


@dataclass(frozen=True)
class Rated:
    uuid: str
    case_number: str
    point: str
    round: int
    level: str
    channel: str
    rectification_id: int | None
    rectification_due: dt.date | None
    due_uncertain: bool = False


def _checked(level: int, channel: str, comment: str) -> tuple[str, str]:
    meanings = level_meanings()
    if level not in meanings:
        raise EvaluationError(f"评价等级应为 1–5（1 非常满意 … 5 非常不满意），收到 {level!r}")
    if channel not in channel_names():
        raise EvaluationError(f"评价渠道应为 {'、'.join(channel_names())} 之一，收到 {channel!r}")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_LIMIT:
        raise EvaluationError(f"评价意见最多 {COMMENT_LIMIT} 字（现 {len(comment)} 字）")
    if level in BAD_LEVEL_CODES and not comment:
        raise EvaluationError(f"“{meanings[level]}”须填写原因（评价意见），以便核实整改")
    return meanings[level], comment


def rectification_due(opened: dt.datetime, working_days: int,
                      calendar: WorkCalendar | None = None):
    """The last day to rectify a bad rating given at ``opened`` (UTC): working days
    counted on the station's calendar from the station's day of the rating."""
    return promise_deadline(station_date(opened), {"value": working_days, "unit": WORKING_DAY},
                            calendar or WorkCalendar.load())


def record_in_unit(case: Case, level: int, channel: str, comment: str, clerk: str,
                   working_days: int, *, at: dt.datetime | None = None,
                   uuid: str | None = None, sync_state: str = "queued",
                   point: str | None = None) -> Rated:
    """Record one rating inside a writer unit (the window, the CLI, a rating the
    hall sends, whose ``point`` the hall decided).  Refuses a second rating of the
    same decision point."""
    meaning, comment = _checked(level, channel, comment)
    point = point or point_for_state(case.state)
    earlier = list(Evaluation.select().where(Evaluation.case == case))
    if any(e.point == point for e in earlier):
        raise EvaluationError(
            f"办件 {case.number} 的{code_tables()['evaluation_point']['codes'][point]}已评价过"
            "（一事一评：每个环节只评一次）")
    at = at or utcnow()
    fields = {"case": case, "point": point, "round": len(earlier) + 1, "level": meaning,
              "comment": comment, "channel": channel, "clerk": clerk, "at": at,
              "sync_state": sync_state, "next_attempt_at": at}
    if uuid:
        fields["uuid"] = uuid
    evaluation = Evaluation.create(**fields)
    rectification = None
    due = None
    if level in BAD_LEVEL_CODES:
        due = rectification_due(at, working_days)
        rectification = Rectification.create(evaluation=evaluation, opened_at=at,
                                             due_date=due.date, due_uncertain=due.uncertain)
    return Rated(evaluation.uuid, case.number, point, evaluation.round, meaning, channel,
                 rectification.id if rectification else None,
                 due.date if due else None, bool(due and due.uncertain))


def evaluate(store, settings, identity, case_number: str, level: int, channel: str,
             comment: str = "", at: dt.datetime | None = None) -> Rated:
    """The applicant's rating at this station, recorded under the signed-in clerk
    (``at``, UTC, defaults to now)."""
    from app.staff import audit

    def unit() -> Rated:
        case = Case.get_or_none(Case.number == case_number)
        if case is None:
            raise EvaluationError(f"本机没有办件 {case_number}")
        rated = record_in_unit(case, level, channel, comment, identity.account,
                               settings.rectification_working_days, at=at)
        audit.append_in_unit(identity.station, identity.account, audit.EVALUATION,
                             f"case/{case.number}", audit.OK,
                             {"point": rated.point, "level_code": level, "channel": channel})
        return rated

    return store.writer.call(unit)


def hall_rating_applier(settings):
    """``apply`` for the evaluation lane (``sync.evaluations``): a rating the applicant
    gave on the hall's page, kept once with the hall's uuid; a bad one opens its
    rectification item here, on this station's calendar.  Runs in a writer unit."""
    from local_store.instants import from_wire

    def apply(record: dict) -> bool:
        case = Case.get_or_none(Case.number == record["case_number"])
        if case is None:
            return False
        try:
            record_in_unit(case, int(record["level_code"]), record["channel"],
                           record.get("comment") or "", record.get("rated_by") or "",
                           settings.rectification_working_days,
                           at=from_wire(record["rated_at"]), uuid=record["uuid"],
                           sync_state="from_hall", point=record["point"])
        except EvaluationError:
            # This point was rated here too (both before either reached the other):
            # the station's own rating stands, the hall refuses it as already rated
            # and it is parked for a person to see.
            return False
        return True

    return apply


@dataclass(frozen=True)
class RectificationRow:
    id: int
    case_number: str
    item_name: str
    level: str
    comment: str
    channel: str
    rated_at: dt.datetime
    due_date: dt.date
    due_uncertain: bool
    state: str
    overdue: bool
    result: str
    closed_by: str
    closed_at: dt.datetime | None

    def to_json(self) -> dict:
        from local_store.instants import to_wire

        return {"id": self.id, "case_number": self.case_number, "item_name": self.item_name,
                "level": self.level, "level_code": level_code(self.level),
                "comment": self.comment, "channel": self.channel,
                "rated_at": to_wire(self.rated_at), "due_date": self.due_date.isoformat(),
                "due_uncertain": self.due_uncertain, "state": self.state,
                "overdue": self.overdue, "result": self.result, "closed_by": self.closed_by,
                "closed_at": to_wire(self.closed_at)}


def is_overdue(row: Rectification, today: dt.date) -> bool:
    """Open past its due day, or closed after it."""
    if row.state == CLOSED:
        return station_date(row.closed_at) > row.due_date
    return today > row.due_date


def rectifications(include_closed: bool = True, today: dt.date | None = None
                   ) -> list[RectificationRow]:
    today = today or station_today()
    query = (Rectification.select(Rectification, Evaluation, Case)
             .join(Evaluation).join(Case)
             .order_by(Rectification.state.desc(), Rectification.due_date, Rectification.id))
    if not include_closed:
        query = query.where(Rectification.state == OPEN)
    rows = []
    for row in query:
        evaluation = row.evaluation
        case = evaluation.case
        rows.append(RectificationRow(
            row.id, case.number, case.handle_item_name or case.item_name, evaluation.level,
            evaluation.comment, evaluation.channel, evaluation.at, row.due_date,
            row.due_uncertain, row.state, is_overdue(row, today), row.result,
            row.closed_by, row.closed_at))
    return rows


def close_rectification(store, identity, rectification_id: int, result: str) -> None:
    """The supervisor records what was verified, rectified and answered."""
    from app.staff import SUPERVISORS, audit, require_role

    require_role(identity, SUPERVISORS, "办结差评整改")
    result = (result or "").strip()
    if not result:
        raise EvaluationError("请填写整改结果（核实情况、整改措施、回复申请人情况）")

    def unit() -> None:
        row = Rectification.get_or_none(Rectification.id == rectification_id)
        if row is None:
            raise EvaluationError(f"没有编号为 {rectification_id} 的整改事项")
        if row.state == CLOSED:
            raise EvaluationError(f"整改事项 {rectification_id} 已于 {row.closed_at:%Y-%m-%d} 办结")
        row.state, row.result = CLOSED, result
        row.closed_by, row.closed_at = identity.account, utcnow()
        row.save()
        audit.append_in_unit(identity.station, identity.account, audit.RECTIFICATION,
                             f"rectification/{row.id}", audit.OK, {})

    store.writer.call(unit)
