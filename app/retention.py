"""Retention of personal data: the hall is the record, not the counter PC.

PIPL art. 19 asks for the shortest retention the purpose needs.  A case's
personal data — applicant and agent names, ID numbers, phones, addresses,
legal representative, the scanned pages and assembled PDFs of its materials,
the documents printed for it, e-certificate references, drafts — leaves this
workstation ``retention_days`` (default 90) after the hall acknowledged its
last decision, once the case is concluded or rejected here, or concluded at the
hall (the status lane's ``hall_status`` concluded / result_ready / delivered,
counted from that status too).  Never before:

- every outbox entry of the case is acknowledged (nothing queued, uploading,
  sent-but-unconfirmed or parked — a case acknowledged and then reopened by a
  补正 has a new entry that is not), and likewise its ratings (好差评) and
  pre-review decisions;
- the hall holds it byte-identical: the last acknowledged manifest is of the
  case's present state, and every file digest the case refers to is among the
  attachments the hall acknowledged.

What stays: number, item, dates, state, department, clerk, channel, deadline,
the decision's reason and basis, the events, the outbox rows with the hall's
acknowledgement (their manifests with the personal fields blanked), the
acknowledged digests (``Case.archived_digests``) — so the summaries
(app.reports) count exactly as before.  Blobs nobody refers to any more go with
the existing sweep (local_store.blob_sweep).

The purge runs in bounded batches, each one writer unit (selection and purge
in the same transaction, so a case changed meanwhile is re-checked), with one
audit row per batch naming the cases.  A process killed mid-purge leaves each
case whole or purged: a batch commits entirely or not at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field

from app.settings import Settings, save_settings
from local_store.models import (
    Applicant,
    Case,
    CaseFee,
    CaseMaterial,
    CasePage,
    CertificateCache,
    Draft,
    Evaluation,
    OutboxEntry,
    PrereviewApplication,
    PrereviewDecision,
    PrintLog,
    utcnow,
)

ARCHIVED_LABEL = "已归档至网上办事大厅"
FINAL_STATES = ("concluded", "rejected")
# A case accepted here and concluded at the hall (the status lane says so in
# hall_status; its local state stays as the window left it) is finished too.
HALL_FINISHED = ("concluded", "result_ready", "delivered")
BATCH_SIZE = 200
HOUSEKEEPING_ACCOUNT = "system/housekeeping"
AUDIT_EVENT = "retention_purge"
FETCH_AUDIT_EVENT = "archive_fetch"  # personal data shown again, from the hall
ACKNOWLEDGED = "acknowledged"
# A rating or pre-review decision the hall has not confirmed yet.
UNCONFIRMED_SYNC_STATES = ("queued", "parked")

# Reasons a concluded or rejected case, old enough, is still kept whole.
HELD_UNSENT = "unsent"  # an outbox entry / rating / decision not acknowledged
HELD_NOT_HELD_BY_HALL = "hall_copy_differs"  # acknowledged manifest ≠ the case now
HELD_REASONS = {
    HELD_UNSENT: "有未送达或未确认的数据",
    HELD_NOT_HELD_BY_HALL: "大厅确认的内容与本机不一致",
}


class RetentionError(Exception):
    """A bad retention setting; the message is for the administrator."""


# --- settings ------------------------------------------------------------------


def change_retention(store, identity, settings: Settings, *, days: int | None = None,
                     enabled: bool | None = None) -> Settings:
    """The administrator's change of the policy: saved and audited, or refused."""
    from app.staff import ADMINISTRATORS, audit, require_role

    require_role(identity, ADMINISTRATORS, "修改个人信息保留期限")
    if days is not None and not 0 <= days <= 3650:
        raise RetentionError(f"保留天数应在 0–3650 之间：{days} / days out of range")
    before = {"enabled": settings.retention_enabled, "days": settings.retention_days}
    changed = dataclasses.replace(
        settings,
        retention_days=settings.retention_days if days is None else days,
        retention_enabled=settings.retention_enabled if enabled is None else enabled,
    )
    save_settings(changed, store.home)
    audit.append(store, identity.station, identity.account, audit.SETTINGS_CHANGE,
                 "retention", audit.OK,
                 {"before": before,
                  "after": {"enabled": changed.retention_enabled,
                            "days": changed.retention_days}})
    settings.retention_days = changed.retention_days
    settings.retention_enabled = changed.retention_enabled
    return settings


# --- what is due ---------------------------------------------------------------


def _cutoff(settings: Settings, now: dt.datetime | None) -> dt.datetime:
    return (now or utcnow()) - dt.timedelta(days=settings.retention_days)


def _candidates(cutoff: dt.datetime, after_id: int, limit: int,
                among: list[int] | None = None) -> list[int]:
    """Finished cases (concluded or rejected here, or concluded at the hall), not
    purged, whose last acknowledgement and last hall status are before ``cutoff``
    — ids above ``after_id`` (and in ``among`` if given), ascending.  Whether all
    their entries are acknowledged is ``_held_back``'s question."""
    stored_cutoff = OutboxEntry.acknowledged_at.db_value(cutoff)
    finals, finished = _in(FINAL_STATES), _in(HALL_FINISHED)
    only = f"AND c.id IN {_in(among)}" if among else ""
    sql = f"""
        SELECT c.id FROM "case" c
        WHERE c.purged_at IS NULL AND c.id > ? {only}
          AND (c.state IN {finals} OR c.hall_status IN {finished})
          AND (c.hall_status_at IS NULL OR c.hall_status_at <= ?)
          AND (SELECT MAX(o.acknowledged_at) FROM outbox_entry o
               WHERE o.case_id = c.id) <= ?
        ORDER BY c.id LIMIT ?"""
    rows = Case._meta.database.execute_sql(
        sql, (after_id, *(among or ()), *FINAL_STATES, *HALL_FINISHED, stored_cutoff,
              stored_cutoff, limit))
    return [case_id for (case_id,) in rows]


def _table(model) -> str:
    return f'"{model._meta.table_name}"'


def _run(sql: str, params=()) -> list[tuple]:
    return list(Case._meta.database.execute_sql(sql, params))


def _in(ids) -> str:
    """``(?, ?, …)`` for ``ids`` (a batch is at most a few hundred)."""
    return "(" + ", ".join("?" for _ in ids) + ")"


# Statements are written in SQL, set-based over a batch: building them through
# the ORM per case cost more than everything SQLite did (bench_retention).


def _held_back(ids: list[int]) -> dict[int, str]:
    """Why each case of ``ids`` must stay whole (absent = it may be purged)."""
    case, outbox, rating, decision, material = (
        _table(Case), _table(OutboxEntry), _table(Evaluation), _table(PrereviewDecision),
        _table(CaseMaterial))
    marks = _in(ids)
    held: dict[int, str] = {}
    unconfirmed = (*UNCONFIRMED_SYNC_STATES,)
    unsent = _run(f"SELECT DISTINCT case_id FROM {outbox} WHERE case_id IN {marks} "
                  f"AND state != ?", (*ids, ACKNOWLEDGED))
    unsent += _run(f"SELECT DISTINCT case_id FROM {rating} WHERE case_id IN {marks} "
                   f"AND sync_state IN (?, ?)", (*ids, *unconfirmed))
    unsent += _run(f"SELECT DISTINCT c.id FROM {case} c JOIN {decision} d "
                   f"ON d.case_number = c.number WHERE c.id IN {marks} AND d.state IN (?, ?)",
                   (*ids, *unconfirmed))
    for (case_id,) in unsent:
        held[case_id] = HELD_UNSENT
    # The hall must hold the case as it is: its last acknowledged manifest is of
    # the present state, and every file the case names was acknowledged.
    differs = _run(
        f"SELECT c.id FROM {case} c JOIN {outbox} o ON o.id = "
        f"(SELECT MAX(id) FROM {outbox} WHERE case_id = c.id) "
        f"WHERE c.id IN {marks} AND json_extract(o.manifest, '$.state') IS NOT c.state", ids)
    differs += _run(
        f"SELECT DISTINCT m.case_id FROM {material} m WHERE m.case_id IN {marks} "
        f"AND m.blob_digest IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {outbox} o, "
        f"json_each(o.manifest, '$.attachments') a WHERE o.case_id = m.case_id "
        f"AND json_extract(a.value, '$.sha256') = m.blob_digest)", ids)
    for (case_id,) in differs:
        held.setdefault(case_id, HELD_NOT_HELD_BY_HALL)
    return held


def _acknowledged_digests(ids: list[int]) -> dict[int, list[str]]:
    rows = _run(f"SELECT DISTINCT o.case_id, json_extract(a.value, '$.sha256') "
                f"FROM {_table(OutboxEntry)} o, json_each(o.manifest, '$.attachments') a "
                f"WHERE o.case_id IN {_in(ids)}", ids)
    digests: dict[int, list[str]] = {case_id: [] for case_id in ids}
    for case_id, digest in rows:
        digests[case_id].append(digest)
    return {case_id: sorted(found) for case_id, found in digests.items()}


def _files_of(ids: list[int]) -> set[str]:
    """The blobs the cases refer to (materials' PDFs and pages): a dry run's estimate."""
    marks = _in(ids)
    material, page = _table(CaseMaterial), _table(CasePage)
    rows = _run(f"SELECT blob_digest FROM {material} WHERE case_id IN {marks} "
                f"AND blob_digest IS NOT NULL UNION SELECT p.blob_digest FROM {page} p "
                f"JOIN {material} m ON p.material_id = m.id WHERE m.case_id IN {marks}",
                (*ids, *ids))
    return {digest for (digest,) in rows}


# --- the purge -----------------------------------------------------------------


# The manifest as acknowledged, without the person and without file digests
# (those stay in case.archived_digests, out of the blob sweep's sight).
_REDACT_MANIFEST = """
    UPDATE {outbox} SET manifest = json_set(manifest,
        '$.applicant', json_object('kind', json_extract(manifest, '$.applicant.kind')),
        '$.agent', NULL,
        '$.contact_phone', '',
        '$.attachments', json('[]'),
        '$.materials', (SELECT json_group_array(json(json_set(m.value, '$.digest', NULL)))
                        FROM json_each(manifest, '$.materials') m))
    WHERE case_id IN {marks}"""


def _purge(ids: list[int], now: dt.datetime) -> None:
    """Remove the personal data of the cases ``ids`` (inside the batch's writer unit)."""
    marks = _in(ids)
    case, material = _table(Case), _table(CaseMaterial)
    numbers = f"(SELECT number FROM {case} WHERE id IN {marks})"
    archived = _acknowledged_digests(ids)
    applicants = {applicant_id for (applicant_id,) in _run(
        f"SELECT DISTINCT applicant_id FROM {case} WHERE id IN {marks} "
        f"AND applicant_id IS NOT NULL", ids)}
    _run(_REDACT_MANIFEST.format(outbox=_table(OutboxEntry), marks=marks), ids)
    _run(f"DELETE FROM {_table(CasePage)} WHERE material_id IN "
         f"(SELECT id FROM {material} WHERE case_id IN {marks})", ids)
    _run(f"UPDATE {material} SET blob_digest = NULL, cert_ref = NULL, signature_detail = '', "
         f"note = '' WHERE case_id IN {marks}", ids)
    _run(f"UPDATE {_table(PrintLog)} SET blob_digest = '' WHERE case_id IN {marks}", ids)
    _run(f"DELETE FROM {_table(CertificateCache)} WHERE case_uuid IN "
         f"(SELECT uuid FROM {case} WHERE id IN {marks})", ids)
    _run(f"DELETE FROM {_table(Draft)} WHERE case_number IN {numbers}", ids)
    _run(f"UPDATE {_table(CaseFee)} SET payer = '' WHERE case_id IN {marks}", ids)
    _run(f"UPDATE {_table(PrereviewApplication)} SET applicant = "
         f"json_object('kind', json_extract(applicant, '$.kind')), agent = NULL, "
         f"contact_phone = '', materials = '[]' WHERE case_number IN {numbers}", ids)
    purged_at = Case.purged_at.db_value(now)
    for case_id in ids:
        _run(f"UPDATE {case} SET applicant_id = NULL, applicant_snapshot = "
             f"json_object('kind', json_extract(applicant_snapshot, '$.kind')), agent = NULL, "
             f"contact_phone = '', purged_at = ?, archived_digests = ? WHERE id = ?",
             (purged_at, json.dumps(archived[case_id]), case_id))
    if applicants:
        # The applicant register row goes with the last case that still needs it.
        _run(f"DELETE FROM {_table(Applicant)} WHERE id IN {_in(applicants)} AND NOT EXISTS "
             f"(SELECT 1 FROM {case} c WHERE c.applicant_id = {_table(Applicant)}.id)",
             tuple(applicants))


def _material_digests(case: Case) -> list[str]:
    return [digest for (digest,) in CaseMaterial.select(CaseMaterial.blob_digest)
            .where((CaseMaterial.case == case) & CaseMaterial.blob_digest.is_null(False))
            .tuples()]


# --- runs ------------------------------------------------------------------------


@dataclass
class RetentionReport:
    dry_run: bool
    enabled: bool
    days: int
    cutoff: str
    purged_by_state: dict[str, int] = field(default_factory=dict)
    held_back: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    bytes_freed: int = 0  # by the blob sweep after the purge (0 on a dry run)
    bytes_held_by_due_cases: int = 0  # dry run: the blobs of the cases that would go
    blobs_removed: int = 0
    purged_numbers: list[str] = field(default_factory=list)

    @property
    def purged(self) -> int:
        return sum(self.purged_by_state.values())

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "enabled": self.enabled,
            "retention_days": self.days,
            "cutoff": self.cutoff,
            "purged": self.purged,
            "purged_by_state": dict(self.purged_by_state),
            "held_back": dict(self.held_back),
            "batches": self.batches,
            "bytes_freed": self.bytes_freed,
            "bytes_held_by_due_cases": self.bytes_held_by_due_cases,
            "blobs_removed": self.blobs_removed,
        }

    def summary(self) -> str:
        verb = "可归档" if self.dry_run else "已归档"
        held = sum(self.held_back.values())
        return (f"{verb} {self.purged} 件（" + "、".join(
            f"{state} {n}" for state, n in sorted(self.purged_by_state.items())) +
            f"），暂不清除 {held} 件")


@dataclass
class _Batch:
    last_id: int
    purged: dict[str, int]
    held: dict[str, int]
    numbers: list[str]
    digests: list[str]  # dry run: the files the cases would give up
    audit_head: tuple[int, str] | None  # the audit row written with the batch


def _batch(found: list[int], cutoff: dt.datetime, now: dt.datetime, dry_run: bool,
           account: str, station: str) -> _Batch:
    """One writer unit: purge the cases ``found`` by the scan (or only count them),
    checked again here, since a case may have moved on between scan and unit."""
    from app.staff import audit

    ids = _candidates(cutoff, 0, len(found), among=found)
    purged: dict[str, int] = {}
    held: dict[str, int] = {}
    numbers: list[str] = []
    reasons = _held_back(ids)
    due: list[int] = []
    for case_id, number, state in _run(
            f"SELECT id, number, state FROM {_table(Case)} WHERE id IN {_in(ids)} ORDER BY id",
            ids):
        reason = reasons.get(case_id)
        if reason is not None:
            held[reason] = held.get(reason, 0) + 1
            continue
        purged[state] = purged.get(state, 0) + 1
        numbers.append(number)
        due.append(case_id)
    digests: list[str] = []
    if due and dry_run:
        digests = sorted(_files_of(due))
    elif due:
        _purge(due, now)
    head = None
    if numbers and not dry_run:
        row = audit.append_in_unit(station, account, AUDIT_EVENT, f"{len(numbers)} cases",
                                   audit.OK, {"cases": numbers, "by_state": purged})
        head = (row.id, row.row_hash)
    return _Batch(found[-1], purged, held, numbers, digests, head)


def run_retention(store, settings: Settings, *, now: dt.datetime | None = None,
                  dry_run: bool = False, account: str = HOUSEKEEPING_ACCOUNT,
                  batch_size: int = BATCH_SIZE, sweep_blobs: bool = True,
                  sweep_grace: dt.timedelta | None = None) -> RetentionReport:
    """Purge every due case in batches of ``batch_size`` (one transaction each)."""
    from app.numbering import station_key
    from app.staff import audit

    now = now or utcnow()
    cutoff = _cutoff(settings, now)
    report = RetentionReport(dry_run, settings.retention_enabled, settings.retention_days,
                             cutoff.isoformat(timespec="seconds") + "Z")
    if not settings.retention_enabled:
        return report
    station = station_key(settings.region_code, settings.station_code)
    after_id = 0
    due_digests: set[str] = set()
    while True:
        # The scan reads the whole case table over a run (~0.25 s at 100 k cases)
        # and so runs on this thread; the writer is held only for each batch.
        found = _candidates(cutoff, after_id, batch_size)
        if not found:
            break
        args = (found, cutoff, now, dry_run, account, station)
        if dry_run:  # reads only: no need to queue behind the writer
            with store.case_db.atomic():
                batch = _batch(*args)
        else:
            batch = store.writer.call(_batch, *args)
        after_id = batch.last_id
        report.batches += 1
        for state, count in batch.purged.items():
            report.purged_by_state[state] = report.purged_by_state.get(state, 0) + count
        for reason, count in batch.held.items():
            report.held_back[reason] = report.held_back.get(reason, 0) + count
        report.purged_numbers += batch.numbers
        due_digests.update(batch.digests)
        if batch.audit_head is not None:
            audit.write_head(store.home, *batch.audit_head)
    if report.purged and not dry_run:
        # The old page images (names, ID numbers) live on in the WAL until it is
        # checkpointed and truncated; secure_delete (local_store.db) zeroed them
        # in the pages themselves.  Busy readers only postpone this to SQLite's
        # next checkpoint.
        store.case_db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    if dry_run:
        report.bytes_held_by_due_cases = sum(
            store.blobs.size(digest) for digest in due_digests if store.blobs.has(digest))
    elif report.purged and sweep_blobs:
        from local_store.blob_sweep import DEFAULT_GRACE, sweep_unreferenced_blobs

        swept = sweep_unreferenced_blobs(
            store, DEFAULT_GRACE if sweep_grace is None else sweep_grace)
        report.bytes_freed = swept.freed_bytes
        report.blobs_removed = swept.removed
    return report


def retention_status(settings: Settings, now: dt.datetime | None = None) -> dict:
    """How many cases are whole, purged, due, and waiting for the hall (read only)."""
    from peewee import fn

    now = now or utcnow()
    cutoff = _cutoff(settings, now)
    purged = Case.select().where(Case.purged_at.is_null(False)).count()
    whole = Case.select().where(Case.purged_at.is_null()).count()
    finished = Case.state.in_(FINAL_STATES) | Case.hall_status.in_(HALL_FINISHED)
    final_whole = (Case.select(Case.state, fn.COUNT(Case.id).alias("n"))
                   .where(finished & Case.purged_at.is_null())
                   .group_by(Case.state))
    unacknowledged = (Case.select(fn.COUNT(fn.DISTINCT(Case.id))).join(OutboxEntry)
                      .where(finished & Case.purged_at.is_null()
                             & (OutboxEntry.state != ACKNOWLEDGED)).scalar())
    due = 0
    after_id = 0
    while True:
        ids = _candidates(cutoff, after_id, 1000)
        if not ids:
            break
        due += len(ids)
        after_id = ids[-1]
    last = Case.select(fn.MAX(Case.purged_at)).scalar()
    return {
        "enabled": settings.retention_enabled,
        "retention_days": settings.retention_days,
        "cutoff": cutoff.isoformat(timespec="seconds") + "Z",
        "cases_whole": whole,
        "cases_purged": purged,
        "concluded_or_rejected_whole": {row.state: row.n for row in final_whole},
        "final_with_unacknowledged_entries": unacknowledged or 0,
        "due_now": due if settings.retention_enabled else 0,
        "last_purge_at": (last.isoformat(timespec="seconds") + "Z"
                          if isinstance(last, dt.datetime) else last),
    }


# --- fetch-back ----------------------------------------------------------------


class FetchBackError(Exception):
    """The hall's copy could not be had; the message says why (Chinese first)."""


def fetch_from_hall(store, settings: Settings, number: str, identity,
                    mask: bool = True) -> dict:
    """A case as the hall holds it, read only: nothing is written back here.

    Used for a purged case (its personal data is at the hall only) but works
    for any case this station sent.  The look-up is audited, because it shows
    personal data again.  ``digests_match`` says whether the hall's attachments
    are the files this station archived (or, for a whole case, still holds).
    """
    from app.cases import _person
    from app.staff import audit
    from sync.archive import fetch_held_case
    from sync.credentials import CredentialError, load_token
    from sync.http import HallClient, HallFailure

    case = Case.get_or_none(Case.number == (number or "").strip().upper())
    if case is None:
        raise FetchBackError(f"找不到办件 {number} / no such case")
    url = settings.effective_hall_url
    if not url:
        raise FetchBackError("未配置大厅地址，请先运行 onewindow enroll / no hall configured")
    try:
        token = load_token(url)
    except CredentialError as exc:
        raise FetchBackError(str(exc)) from exc
    if token is None:
        raise FetchBackError("尚未登录网上办事大厅，请先登录 / not signed in at the hall")
    client = HallClient(url, ca_bundle=settings.ca_bundle, timeout_s=settings.http_timeout_s,
                        token=token.access_token)
    try:
        held = fetch_held_case(client, case.uuid)
    except HallFailure as failure:
        if failure.status == 404:
            raise FetchBackError(f"网上办事大厅没有办件 {case.number} 的记录（或不属于本工位）"
                                 " / the hall holds no such case for this station") from failure
        raise FetchBackError(f"无法从网上办事大厅调取办件：{failure.message}") from failure
    finally:
        client.close()
    manifest = held["manifest"]
    hall_digests = sorted({a["sha256"] for a in held.get("attachments") or []})
    if case.purged_at is not None:
        local_digests = sorted(json.loads(case.archived_digests or "[]"))
    else:
        local_digests = sorted(set(_material_digests(case)))
    audit.append(store, identity.station, identity.account, FETCH_AUDIT_EVENT, case.number,
                 audit.OK, {"revision": held.get("revision")})
    return {
        "number": case.number,
        "uuid": case.uuid,
        "from_hall": True,
        "archived": ARCHIVED_LABEL if case.purged_at is not None else None,
        "hall_revision": held.get("revision"),
        "hall_committed_at": held.get("committed_at"),
        "event": manifest.get("event"),
        "state": manifest.get("state"),
        "item_name": manifest.get("handle_item_name") or manifest.get("item_name"),
        "applicant": _person(manifest.get("applicant"), mask),
        "agent": _person(manifest.get("agent"), mask),
        "contact_phone": manifest.get("contact_phone"),
        "materials": manifest.get("materials") or [],
        "attachments": held.get("attachments") or [],
        "digests_match": hall_digests == local_digests,
    }
