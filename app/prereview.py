"""Online pre-review (网上预审): the queue, one application, the decision.

Applications arrive through the pre-review sync lane (``sync.prereview``) and
must be pre-reviewed within two working days of submission (the day of
submission not counted; the station's working-day calendar, 调休 included).
A resubmission after 退回 keeps its original submission time, but its round
is due two working days after the resubmission: the department had its two
days for the first round.

One call per use case, used by the CLI and the GUI alike:

- ``load_queue`` — rows for the queue, sorted by due date (2,000 rows in one query);
- ``application_detail`` — applicant, materials with their files, the intake checks;
- ``decide`` — 预审通过 (a case through the real intake path: accepted at once when
  the item needs no visit, else 收件 awaiting the originals), 退回补正 (every missing
  material at once, with the text the applicant sees) or 不予受理 (reason and legal
  basis).  The decision is queued for the hall in the same writer unit that records
  it; the lane delivers it once.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid as uuidlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import contracts
from app.deadlines import WORKING_DAY, WorkCalendar, promise_deadline
from app.decision_signing import sign_decision, station_signing_key
from app.identity import check_id, mask_id
from app.intake.validation import FieldError
from app.numbering import station_key
from app.staff import audit
from local_store.models import PrereviewApplication, PrereviewDecision, utcnow
from sync.prereview import ACKNOWLEDGED, DECISION_STATE_LABELS, PARKED, QUEUED, wire_decision

PRE_REVIEW_LIMIT = {"value": 2, "unit": WORKING_DAY}
MEDIA_SUFFIXES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
PENDING, PASSED, RETURNED, REJECTED = "pending", "passed", "returned", "rejected"
STATE_LABELS = {PENDING: "待预审", PASSED: "预审通过", RETURNED: "已退回补正",
                REJECTED: "不予受理"}
ACTIONS = {"pass": PASSED, "return": RETURNED, "reject": REJECTED}
ACTION_LABELS = {"pass": "预审通过", "return": "退回补正", "reject": "不予受理"}
OVERDUE, DUE_TODAY, DUE_TOMORROW, ON_TIME, DECIDED = (
    "overdue", "due_today", "due_tomorrow", "on_time", "decided")
URGENCY_LABELS = {OVERDUE: "已超期", DUE_TODAY: "今日到期", DUE_TOMORROW: "明日到期",
                  ON_TIME: "", DECIDED: ""}


class PrereviewError(ValueError):
    """The decision cannot be taken; ``errors`` name every field at fault (Chinese)."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("；".join(error.message for error in errors))


def station_zone(settings) -> ZoneInfo:
    return ZoneInfo(getattr(settings, "time_zone", "") or "Asia/Shanghai")


def local_time(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """A stored UTC instant on the station's clock."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return moment.replace(tzinfo=dt.UTC).astimezone(zone)


def pre_review_due(submitted_utc: dt.datetime, zone: ZoneInfo,
                   calendar: WorkCalendar | None = None) -> tuple[dt.date, bool]:
    """The working day by which a round submitted at ``submitted_utc`` is pre-reviewed."""
    day = local_time(submitted_utc, zone).date()
    deadline = promise_deadline(day, PRE_REVIEW_LIMIT, calendar or WorkCalendar.load())
    return deadline.date, deadline.uncertain


def due_rule(settings):
    """``due_of`` for the sync lane (runs on the writer thread of the sync process)."""
    zone = station_zone(settings)
    return lambda submitted_utc: pre_review_due(submitted_utc, zone)


# --- the queue --------------------------------------------------------------


class QueueRow(NamedTuple):
    hall_id: str
    item_name: str
    dept_name: str
    applicant_name: str
    applicant_id_masked: str
    submitted_at: dt.datetime  # station time, first submission
    due_date: dt.date
    due_uncertain: bool
    state: str
    round: int
    urgency: str
    working_days_left: int  # 0 = due today, negative = working days overdue
    files_missing: int

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    def to_json(self) -> dict:
        return {
            "id": self.hall_id, "item": self.item_name, "dept": self.dept_name,
            "applicant": self.applicant_name, "applicant_id_masked": self.applicant_id_masked,
            "submitted_at": self.submitted_at.isoformat(), "due": self.due_date.isoformat(),
            "due_uncertain": self.due_uncertain, "state": self.state,
            "state_label": self.state_label, "round": self.round, "urgency": self.urgency,
            "working_days_left": self.working_days_left, "files_missing": self.files_missing,
        }


def mask_name(name: str) -> str:
    """张三 → 张*, 阿依古丽·买买提 → 阿*******: the surname is enough at a glance."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


class _WorkingDayCounter:
    """Signed working days from ``today`` to a due date, memoised per date."""

    def __init__(self, today: dt.date, calendar: WorkCalendar):
        self.today = today
        self.calendar = calendar
        self._memo: dict[dt.date, int] = {}

    def until(self, due: dt.date) -> int:
        if due not in self._memo:
            step = 1 if due >= self.today else -1
            count, day = 0, self.today
            while day != due:
                day += dt.timedelta(days=step)
                if self.calendar.is_workday(day)[0]:
                    count += step
            self._memo[due] = count
        return self._memo[due]


def urgency_of(state: str, days_left: int, due: dt.date, today: dt.date) -> str:
    if state != PENDING:
        return DECIDED
    if due < today:
        return OVERDUE
    if due == today:
        return DUE_TODAY
    return DUE_TOMORROW if days_left <= 1 else ON_TIME


def load_queue(settings, today: dt.date | None = None, include_decided: bool = False
               ) -> list[QueueRow]:
    """The pre-review queue, most urgent first (one query; no per-row look-ups)."""
    zone = station_zone(settings)
    today = today or dt.datetime.now(zone).date()
    counter = _WorkingDayCounter(today, WorkCalendar.load())
    # Plain SQL: peewee's per-field conversions cost more than the rest of the
    # queue (2,000 rows: ~80 ms against ~25 ms); only the name and ID of the
    # applicant JSON are read, by SQLite — or rather from the queue's index
    # (migration 0017), which holds these very expressions, every column, and the
    # order: keep the three in step.
    sql = (
        "SELECT hall_id, item_name, dept_name, json_extract(applicant, '$.name'), "
        "json_extract(applicant, '$.id_number'), submitted_at, due_date, due_uncertain, "
        "state, round, files_missing FROM prereview_application"
        + ("" if include_decided else " WHERE state = 'pending'")
        + " ORDER BY due_date, round_submitted_at, hall_id"
    )
    rows = []
    for (hall_id, item_name, dept_name, name, id_number, submitted, due, uncertain, state,
         round_, files_missing) in PrereviewApplication._meta.database.execute_sql(sql):
        due = dt.date.fromisoformat(due)
        days_left = counter.until(due)
        rows.append(QueueRow(
            hall_id, item_name, dept_name, mask_name(name or ""), mask_id(id_number),
            local_time(dt.datetime.fromisoformat(submitted), zone), due, bool(uncertain),
            state, round_, urgency_of(state, days_left, due, today), days_left,
            files_missing,
        ))
    return rows


@dataclass(frozen=True)
class QueueCounts:
    pending: int
    due_today: int
    overdue: int
    unsent_decisions: int = 0  # taken here, not yet acknowledged by the hall
    parked_decisions: int = 0  # refused by the hall: a person has to look


def queue_counts(settings, today: dt.date | None = None) -> QueueCounts:
    """For the status bar: counts, no rows."""
    today = (today or dt.datetime.now(station_zone(settings)).date()).isoformat()
    # Two statements, no query building: the status bar asks every few seconds
    # from the window's pool, where five peewee queries held the interpreter for
    # ~0.7 ms of Python per call (now ~0.01 ms) — time the GUI thread may wait for
    # when the machine is busy and the holder is off the CPU.
    cursor = PrereviewApplication._meta.database.execute_sql(
        "SELECT COUNT(*), COALESCE(SUM(due_date = ?), 0), COALESCE(SUM(due_date < ?), 0) "
        "FROM prereview_application WHERE state = ?", (today, today, PENDING))
    pending, due_today, overdue = cursor.fetchone()
    cursor = PrereviewDecision._meta.database.execute_sql(
        "SELECT COALESCE(SUM(state != ?), 0), COALESCE(SUM(state = ?), 0) "
        "FROM prereview_decision", (ACKNOWLEDGED, PARKED))
    unsent, parked = cursor.fetchone()
    return QueueCounts(pending=pending, due_today=due_today, overdue=overdue,
                       unsent_decisions=unsent, parked_decisions=parked)


# --- one application -----------------------------------------------------------


def _application(hall_id: str) -> PrereviewApplication:
    row = PrereviewApplication.get_or_none(PrereviewApplication.hall_id == hall_id.strip())
    if row is None:
        raise PrereviewError([FieldError("id", f"本工位没有网上申请 {hall_id}")])
    return row


def _catalog_item(row: PrereviewApplication) -> dict | None:
    """The item or 办理项 applied for, as this station's catalog cache holds it."""
    from app.catalog.item_key import ItemKey
    from app.intake.service import load_catalog_item

    return load_catalog_item(ItemKey(row.task_code, row.handle_item_code or None))


def _person_checks(person: dict | None, role: str, today: dt.date) -> list[dict]:
    if not person:
        return []
    result = check_id(person.get("id_type") or "111", person.get("id_number"), today)
    return [{"check": f"{role}证件号码", "ok": result.ok,
             "message": result.error or "；".join(result.warnings) or "有效"}]


def application_detail(store, settings, hall_id: str, mask: bool = True,
                       verify_signatures: bool = True) -> dict:
    """Everything the clerk reviews: applicant, materials with files, the checks."""
    row = _application(hall_id)
    zone = station_zone(settings)
    today = dt.datetime.now(zone).date()
    item = _catalog_item(row)
    applicant = dict(row.applicant or {})
    agent = dict(row.agent) if row.agent else None
    checks = _person_checks(applicant if applicant.get("kind") == "person" else
                            applicant.get("legal_rep"), "申请人" if applicant.get(
                                "kind") == "person" else "法定代表人", today)
    if applicant.get("kind") == "organisation":
        result = check_id("001", applicant.get("id_number"), today)
        checks.append({"check": "统一社会信用代码", "ok": result.ok,
                       "message": result.error or "有效"})
    checks += _person_checks(agent, "代理人", today)
    provided = {m["material_id"]: m for m in row.materials or []}
    materials = []
    for material in (item or {}).get("materials") or [
            {"id": m["material_id"], "name": m["name"], "required": True}
            for m in row.materials or []]:
        given = provided.get(material.get("id"))
        files = []
        for file in (given or {}).get("files") or []:
            here = store.blobs.has(file["sha256"])
            # No path: the stored file may be encrypted; copy_for_viewer copies it out.
            entry = {**file, "downloaded": here}
            if here and verify_signatures and file.get("media_type") == "application/pdf":
                entry["signature"] = _signature(store, settings, file["sha256"])
            files.append(entry)
        materials.append({"material_id": material.get("id"), "name": material.get("name"),
                          "required": material.get("required"),
                          "cert_type_code": material.get("cert_type_code"),
                          "provided": bool(files), "files": files})
        if material.get("required") is True and not files:
            if material.get("cert_type_code"):
                checks.append({"check": f"材料「{material.get('name')}」", "ok": True,
                               "message": "未上传，预审通过时向电子证照库查验（免提交）"})
            else:
                checks.append({"check": f"材料「{material.get('name')}」", "ok": False,
                               "message": "申请人未上传"})
    missing_files = sum(1 for m in materials for f in m["files"] if not f["downloaded"])
    checks.append({"check": "材料文件", "ok": missing_files == 0,
                   "message": "已全部下载到本机" if not missing_files
                   else f"还有 {missing_files} 个文件未下载（联网后自动下载）"})
    if item is None:
        checks.append({"check": "事项", "ok": False,
                       "message": "本机事项目录中没有该事项，请先同步事项目录"})
    if mask:
        applicant["id_number"] = mask_id(applicant.get("id_number"))
        if applicant.get("legal_rep"):
            applicant["legal_rep"] = {**applicant["legal_rep"], "id_number": mask_id(
                applicant["legal_rep"].get("id_number"))}
        if agent:
            agent["id_number"] = mask_id(agent.get("id_number"))
    counter = _WorkingDayCounter(today, WorkCalendar.load())
    days_left = counter.until(row.due_date)
    decisions = [
        {"decision": d.decision, "label": ACTION_LABELS[d.decision], "round": d.round,
         "reason": d.reason, "basis": d.basis, "missing": d.missing,
         "case_number": d.case_number, "decided_by": d.decided_by, "signed": bool(d.signature),
         "decided_at": local_time(d.decided_at, zone).isoformat(), "delivery": d.state,
         "delivery_label": DECISION_STATE_LABELS[d.state], "delivery_error": d.last_error}
        for d in row.decisions.order_by(PrereviewDecision.id)
    ]
    return {
        "id": row.hall_id, "ref": row.ref, "task_code": row.task_code,
        "handle_item_code": row.handle_item_code, "item": row.item_name,
        "dept": row.dept_name, "state": row.state, "state_label": STATE_LABELS[row.state],
        "round": row.round, "submitted_at": local_time(row.submitted_at, zone).isoformat(),
        "round_submitted_at": local_time(row.round_submitted_at, zone).isoformat(),
        "due": row.due_date.isoformat(), "due_uncertain": bool(row.due_uncertain),
        "urgency": urgency_of(row.state, days_left, row.due_date, today),
        "working_days_left": days_left, "applicant": applicant, "agent": agent,
        "contact_phone": row.contact_phone, "materials": materials, "checks": checks,
        "case_number": row.case_number, "decisions": decisions,
        "hall_state": row.hall_state,
    }


def _signature(store, settings, digest: str) -> dict:
    """The file's signature verdict; a file is verified once per trust-root setting
    (reading a large PDF holds the interpreter long enough to be felt in the window)."""
    key = (digest, getattr(settings, "signature_trust_roots", ""))
    verdict = _SIGNATURE_VERDICTS.get(key)
    if verdict is None:
        from app.signatures import SignatureStatus, station_trust_roots, verify_pdf

        checked = verify_pdf(store.blobs.read(digest), station_trust_roots(settings))
        verdict = {"status": str(checked.status), "message": checked.message,
                   "signed": checked.status is not SignatureStatus.UNSIGNED}
        if len(_SIGNATURE_VERDICTS) > 2_000:
            _SIGNATURE_VERDICTS.clear()
        _SIGNATURE_VERDICTS[key] = verdict
    return verdict


_SIGNATURE_VERDICTS: dict[tuple[str, str], dict] = {}


def round_case_uuid(hall_id: str, round_: int) -> str:
    """The uuid of the case this round becomes if it passes: fixed in advance, so a
    retried pass finds the case it made, and a certificate look-up made while
    reviewing is recorded against (and cached for) that same case."""
    return str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, f"onewindow:prereview:{hall_id}:{round_}"))


class CertificateHolder(NamedTuple):
    role: str  # applicant | legal_rep | agent
    name: str
    id_number: str  # in full: the look-up needs it (the audit keeps it masked)
    id_type: str


@dataclass(frozen=True)
class LookupContext:
    """What the e-certificate look-up of an application starts from (F7, as at intake)."""

    hall_id: str
    item_name: str
    case_uuid: str
    holders: list[CertificateHolder]


def certificate_lookup_context(hall_id: str) -> LookupContext:
    """The people of the application whose certificates the clerk may look up: the
    applicant (an organisation by its credit code), its legal representative, the agent."""
    row = _application(hall_id)
    applicant = row.applicant or {}
    people = [("applicant", applicant), ("legal_rep", applicant.get("legal_rep")),
              ("agent", row.agent)]
    holders = [CertificateHolder(role, person.get("name") or "", person["id_number"],
                                 person.get("id_type") or ("001" if person.get(
                                     "kind") == "organisation" else "111"))
               for role, person in people if person and person.get("id_number")]
    return LookupContext(row.hall_id, row.item_name, round_case_uuid(row.hall_id, row.round),
                         holders)


def material_viewing_copy(store, hall_id: str, digest: str) -> Path:
    """A material file of the application, copied out for the desktop's viewer.

    The copy goes to the station's private ``viewing/`` folder (removed when the
    area closes, when the window closes and at start-up, as certificate copies)."""
    from app.certificates.viewing import viewing_folder

    row = _application(hall_id)
    for material in row.materials or []:
        for file in material.get("files") or []:
            if file["sha256"] != digest:
                continue
            if not store.blobs.has(digest):
                raise PrereviewError([FieldError("file", f"文件 {file['name']} 尚未下载")])
            suffix = MEDIA_SUFFIXES.get(file.get("media_type"), "")
            target = viewing_folder(store.home) / (
                f"{row.hall_id}-{material['material_id']}-{digest[:8]}{suffix}")
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(store.blobs.read(digest))
            return target
    raise PrereviewError([FieldError("file", f"申请 {hall_id} 没有这个文件")])


# --- the decision -----------------------------------------------------------------


@dataclass
class DecisionResult:
    hall_id: str
    decision: str
    state: str
    case_number: str | None = None
    case_state: str | None = None
    missing: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"id": self.hall_id, "decision": self.decision, "state": self.state,
                "state_label": STATE_LABELS[self.state], "case_number": self.case_number,
                "case_state": self.case_state, "missing": self.missing,
                "delivery": QUEUED}


def _check_request(row, item, action, reason, basis, missing_ids) -> list[dict]:
    errors: list[FieldError] = []
    if action not in ACTIONS:
        errors.append(FieldError("decision", f"预审决定应为 {'/'.join(ACTIONS)} 之一"))
    if row.state != PENDING:
        errors.append(FieldError("id", f"申请 {row.hall_id} 第 {row.round} 轮已作出预审决定"
                                       f"（{STATE_LABELS[row.state]}），每轮只能决定一次"))
    if action in ("return", "reject") and not reason.strip():
        errors.append(FieldError("reason", "退回补正和不予受理须填写理由（申请人可见）"))
    if action == "reject" and not basis.strip():
        errors.append(FieldError("basis", "不予受理须填写法律依据"))
    missing: list[dict] = []
    if action == "return":
        names = {m.get("id"): m.get("name") for m in (item or {}).get("materials") or []}
        names.update({m["material_id"]: m["name"] for m in row.materials or []
                      if m["material_id"] not in names})
        if not missing_ids:
            errors.append(FieldError("missing", "退回补正须一次性列明全部需补正的材料"))
        for material_id in dict.fromkeys(missing_ids):
            if material_id not in names:
                errors.append(FieldError("missing", f"事项材料清单中没有材料 {material_id}"))
            else:
                missing.append({"material_id": material_id, "name": names[material_id]})
    if action in ("pass", "return") and item is None:
        errors.append(FieldError("task_code", "本机事项目录中没有该事项，请先同步事项目录"))
    if errors:
        raise PrereviewError(errors)
    return missing


def decide(store, settings, hall_id: str, action: str, reason: str = "", basis: str = "",
           missing_ids: list[str] = (), intake=None, now: dt.datetime | None = None
           ) -> DecisionResult:
    """Take the pre-review decision on the current round and queue it for the hall.

    Call off the GUI thread: passing commits a case (PDF checks, the writer).
    """
    row = _application(hall_id)
    item = _catalog_item(row)
    missing = _check_request(row, item, action, reason, basis, list(missing_ids))
    case_number = case_state = None
    if action == "pass":
        result = _commit_case(store, settings, row, item, intake)
        case_number, case_state = result.case_number, result.state
    decided_at = (now or utcnow()).replace(microsecond=0)
    clerk = settings.clerk_name
    fields = dict(decision_id=str(uuidlib.uuid4()), round=row.round, decision=action,
                  reason=reason.strip(), basis=basis.strip(), missing=missing,
                  case_number=case_number, decided_by=clerk, decided_at=decided_at)
    # Signed by the station when the clerk decides (app.decision_signing); outside
    # the writer unit, which the signature's ~30 ms of arithmetic would hold up.
    signature = sign_decision(station_signing_key(store, settings), row.hall_id,
                              wire_decision(PrereviewDecision(**fields)))

    def record() -> None:
        current = PrereviewApplication.get_by_id(row.id)
        if current.state != PENDING or current.round != row.round:
            raise PrereviewError([FieldError("id", f"申请 {hall_id} 已有预审决定")])
        entry = PrereviewDecision.create(
            application=current, **fields, signature=signature,
            dept_name=current.dept_name, state=QUEUED, next_attempt_at=utcnow(),
        )
        # Never queue what the hall would refuse (contracts/prereview_decision.v1.json).
        contracts.check("prereview_decision", wire_decision(entry))
        # The decision and its audit row commit together (no personal data in it).
        audit.append_in_unit(station_key(settings.region_code, settings.station_code), clerk,
                             audit.PREREVIEW_DECISION, hall_id, audit.OK,
                             {"decision": action, "round": current.round,
                              "case_number": case_number})
        PrereviewApplication.update(
            state=ACTIONS[action], case_number=case_number,
            decision={"decision": action, "reason": entry.reason, "basis": entry.basis,
                      "missing": missing, "case_number": case_number, "decided_by": clerk,
                      "decided_at": decided_at.replace(tzinfo=dt.UTC).isoformat()},
        ).where(PrereviewApplication.id == current.id).execute()

    try:
        store.writer.call(record)
    except contracts.ContractViolation as exc:
        raise PrereviewError([FieldError(field, f"预审决定不符合接口约定：{message}")
                              for field, message in exc.problems]) from exc
    return DecisionResult(hall_id, action, ACTIONS[action], case_number, case_state, missing)


def _commit_case(store, settings, row, item, intake):
    """预审通过: the application becomes a case through the window's own commit."""
    from app.applicants import ApplicantInfo, PersonInfo
    from app.intake import Decision, DraftState, IntakeError, IntakeService
    from app.intake.validation import ACCEPT, RECEIVE

    intake = intake or IntakeService(store, settings)
    draft = DraftState.from_catalog_item(item)
    # One case per round whatever happens: a retried pass finds the case it made.
    draft.uuid = round_case_uuid(row.hall_id, row.round)
    draft.channel = "online"
    draft.received_at = local_time(row.submitted_at, station_zone(settings)).isoformat()
    data = row.applicant or {}
    legal_rep = data.get("legal_rep")
    draft.applicant = ApplicantInfo(
        kind=data.get("kind") or "person", name=data.get("name") or "",
        id_type=data.get("id_type") or "111", id_number=data.get("id_number") or "",
        phone=data.get("phone") or "", address=data.get("address") or "",
        legal_rep=PersonInfo(**{k: legal_rep.get(k) or "" for k in
                                ("name", "id_type", "id_number", "phone")})
        if legal_rep else None,
    )
    if row.agent:
        draft.agent = PersonInfo(**{k: row.agent.get(k) or "" for k in
                                    ("name", "id_type", "id_number", "phone")})
    draft.contact_phone = row.contact_phone
    errors = _attach_files(store, settings, draft, row)
    if errors:
        raise PrereviewError(errors)
    _fill_from_library(store, settings, draft)
    # 全程网办: an item that needs no visit is accepted at once; otherwise the
    # applicant brings the originals and the window accepts then.
    action = ACCEPT if int(item.get("visits") or 0) == 0 else RECEIVE
    try:
        return intake.commit(draft, Decision(action=action))
    except IntakeError as exc:
        raise PrereviewError(list(exc.errors)) from exc


def _fill_from_library(store, settings, draft) -> None:
    """Never ask for what the certificate library has (免提交), as at the window:
    a needed material with a certificate type that the applicant did not upload
    is looked up (用证事由 the item, recorded with the case) and satisfied by a
    verified certificate of the person it is about; otherwise it stays missing."""
    from app.certificates.materials import auto_satisfy
    from app.certificates.service import CertificateService, default_purpose, holder_type_for
    from app.intake.draft import MISSING

    if not any(entry.needed and entry.cert_type_code and entry.received_form == MISSING
               for entry in draft.materials):
        return
    people = [draft.applicant, draft.agent, draft.applicant.legal_rep]
    holders = dict.fromkeys((person.id_number, person.id_type) for person in people
                            if person is not None and person.id_number)
    service = CertificateService(store, settings)
    try:
        results = [service.lookup(holder, holder_type_for(id_type),
                                  default_purpose(draft.item_name), case_uuid=draft.uuid)
                   for holder, id_type in holders]
    finally:
        service.close()
    auto_satisfy(draft, results)


def _attach_files(store, settings, draft, row) -> list[FieldError]:
    from app.intake.draft import CONDITIONAL, ELECTRONIC, SCANNED
    from app.scanning.file_import import FileImporter
    from app.scanning.pages import store_page
    from app.scanning.validation import FileRefused

    errors: list[FieldError] = []
    by_id = {entry.material_id: entry for entry in draft.materials}
    for material in row.materials or []:
        entry = by_id.get(material["material_id"])
        files = material.get("files") or []
        if entry is None or not files:
            continue
        absent = [f["name"] for f in files if not store.blobs.has(f["sha256"])]
        if absent:
            errors.append(FieldError(f"materials[{entry.material_id}]",
                                     f"「{entry.name}」的文件尚未下载：{'、'.join(absent)}"))
            continue
        if entry.requirement == CONDITIONAL:
            entry.condition_applies = True
        if len(files) == 1 and files[0].get("media_type") == "application/pdf":
            # One PDF is kept byte for byte, so an electronic signature stays valid.
            entry.received_form = ELECTRONIC
            entry.file_digest, entry.file_size = files[0]["sha256"], files[0]["size"]
            entry.file_name = files[0]["name"]
            signature = _signature(store, settings, files[0]["sha256"])
            if signature["signed"]:
                entry.signature_status = signature["status"]
                entry.signature_detail = signature["message"]
            continue
        pages = []
        for file in files:
            try:
                # A file of its own for the importer (the stored one may be encrypted).
                with store.blobs.plaintext_copy(file["sha256"],
                                                Path(file.get("name") or "").suffix) as path:
                    pages += [store_page(store.blobs, page).to_json()
                              for page in FileImporter().read(path)]
            except FileRefused as refusal:
                errors.append(FieldError(f"materials[{entry.material_id}]",
                                         f"「{entry.name}」{file['name']}：{refusal}"))
        entry.received_form, entry.pages = SCANNED, pages
    return errors


def decisions_waiting() -> dict[str, int]:
    """Decisions not yet acknowledged by the hall, by delivery state."""
    counts = {QUEUED: 0, PARKED: 0, ACKNOWLEDGED: 0}
    for state, in PrereviewDecision.select(PrereviewDecision.state).tuples():
        counts[state] = counts.get(state, 0) + 1
    return counts
