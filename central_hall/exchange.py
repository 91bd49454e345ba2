"""Export of cases and their process events in the national exchange naming.

The district hall passes what its stations reported on to the city's platform
under the exchange standard (GB/T 39046-2020 基础数据: 办件信息 and 办件过程信息).
Fields carry upper-case exchange names — the family of the catalog's
``TASK_CODE``/``CATALOG_CODE`` — with their Chinese data-item names listed in
the file's ``fields``; every instant is ``YYYYMMDDhhmmss`` in Beijing time.

Each case is checked against the core data items (DESIGN.md "Required data
for the hall"); ``completeness`` gives the 完整率 the seed measures (records
meeting every core item / records exported) and names what each incomplete
record lacks.

Incremental: the cursor ``x<r>.<u>`` is the last case revision (``r``) and the
last status update (``u``) exported.  ``--since`` a cursor exports the cases
changed after it (in their current state) and the events after it; the file
ends with the cursor to pass next time.  The hall holds no payments or
evaluations (no route takes them), so none are exported.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

from central_hall.storage import HallDatabase

EXCHANGE_FORMAT = "onewindow-exchange/1"
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
_CURSOR = re.compile(r"^x(\d+)\.(\d+)$")

# Exchange name → GB/T 39046 data item (办件信息).
CASE_FIELDS = {
    "PROJECT_NO": "办件编号",
    "TASK_CODE": "事项实施编码",
    "CATALOG_CODE": "事项基本编码",
    "TASK_HANDLE_ITEM": "业务办理项编码",
    "TASK_NAME": "事项名称",
    "TASK_VERSION": "事项版本",
    "PROJECT_TYPE": "办件类型",
    "APPLY_TYPE": "申请方式（办理形式）",
    "APPLICANT_TYPE": "申请人类型",
    "APPLICANT_NAME": "申请人名称",
    "APPLICANT_PAPER_TYPE": "申请人证件类型",
    "APPLICANT_PAPER_CODE": "申请人证件号码",
    "APPLICANT_PHONE": "联系电话",
    "LEGAL_MAN": "法定代表人",
    "AGENT_NAME": "代理人姓名",
    "AGENT_PAPER_TYPE": "代理人证件类型",
    "AGENT_PAPER_CODE": "代理人证件号码",
    "DEPT_NAME": "受理部门",
    "DEPT_CODE": "受理部门统一社会信用代码",
    "ACCEPT_STATION": "受理工位",
    "HANDLE_USER_NAME": "受理人员",
    "APPLY_DATE": "申请时间",
    "ACCEPT_DATE": "受理时间",
    "PROMISE_DATE": "承诺办结时间",
    "FINISH_DATE": "办结（决定）时间",
    "PROJECT_STATE": "办件状态",
    "REJECT_REASON": "不予受理理由",
    "REJECT_BASIS": "不予受理法律依据",
    "MATERIALS": "收取材料",
    "HALL_RECEIVE_DATE": "大厅收件时间",
    "UPDATE_DATE": "最近更新时间",
}
MATERIAL_FIELDS = {
    "MATERIAL_NAME": "材料名称",
    "RECEIVE_TYPE": "收取方式",
    "MATERIAL_NUM": "收取份数",
    "FILE_DIGEST": "电子文件摘要（SHA-256）",
}
# 办件过程信息
EVENT_FIELDS = {
    "EVENT_ID": "过程记录标识",
    "PROJECT_NO": "办件编号",
    "NODE_CODE": "环节代码",
    "NODE_NAME": "环节名称",
    "HANDLE_TIME": "办理时间",
    "HANDLE_USER_NAME": "办理人员",
    "HANDLE_STATION": "办理工位",
    "HANDLE_OPINION": "办理意见",
    "RECORD_TIME": "大厅记录时间",
}
CORE_ITEMS = (
    "PROJECT_NO", "TASK_CODE", "CATALOG_CODE", "TASK_NAME", "TASK_VERSION", "PROJECT_TYPE",
    "APPLY_TYPE", "APPLICANT_TYPE", "APPLICANT_NAME", "APPLICANT_PAPER_TYPE",
    "APPLICANT_PAPER_CODE", "APPLICANT_PHONE", "DEPT_NAME", "DEPT_CODE", "HANDLE_USER_NAME",
    "APPLY_DATE",
)
# 服务对象 (A.4): the workstation records a person or an organisation.
APPLICANT_TYPES = {"person": "1", "organisation": "2"}
NODE_NAMES = {
    "receive": "收件", "accept": "受理", "notify": "一次性告知（补正）", "reject": "不予受理",
    "conclude": "办结", "received": "大厅收件", "in_process": "办理中", "concluded": "办结",
    "delivered": "送达", "rejected": "不予受理",
}
ACCEPTED_STATES = ("accepted", "in_process", "concluded", "delivered")


class ExchangeError(ValueError):
    pass


def exchange_time(value) -> str | None:
    """ISO 8601 (with offset; a naive value is taken as Beijing time, as the
    stations wrote before they recorded offsets) → ``YYYYMMDDhhmmss`` Beijing time.
    A date alone (a promised date) is the end of that day."""
    if value in (None, ""):
        return None
    text = str(value)
    try:
        if len(text) == 10:
            moment = datetime.combine(date.fromisoformat(text), time(23, 59, 59), BEIJING)
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BEIJING)
    return moment.astimezone(BEIJING).strftime("%Y%m%d%H%M%S")


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def case_record(row) -> dict:
    manifest = json.loads(row["manifest_json"])
    applicant = manifest.get("applicant") or {}
    agent = manifest.get("agent") or {}
    decision = manifest.get("decision") or {}
    legal_rep = applicant.get("legal_rep")
    if isinstance(legal_rep, dict):
        legal_rep = legal_rep.get("name")
    state = manifest.get("state")
    return {
        "PROJECT_NO": row["number"],
        "TASK_CODE": _text(manifest.get("task_code")),
        "CATALOG_CODE": _text(manifest.get("catalog_code")),
        "TASK_HANDLE_ITEM": _text(manifest.get("handle_item_code")),
        "TASK_NAME": _text(manifest.get("item_name")),
        "TASK_VERSION": _text(manifest.get("item_version")),
        "PROJECT_TYPE": _text(manifest.get("project_type")),
        "APPLY_TYPE": _text(manifest.get("channel")),
        "APPLICANT_TYPE": APPLICANT_TYPES.get(applicant.get("kind")),
        "APPLICANT_NAME": _text(applicant.get("name")),
        "APPLICANT_PAPER_TYPE": _text(applicant.get("id_type")),
        "APPLICANT_PAPER_CODE": _text(applicant.get("id_number")),
        "APPLICANT_PHONE": _text(manifest.get("contact_phone") or applicant.get("phone")),
        "LEGAL_MAN": _text(legal_rep),
        "AGENT_NAME": _text(agent.get("name")),
        "AGENT_PAPER_TYPE": _text(agent.get("id_type")),
        "AGENT_PAPER_CODE": _text(agent.get("id_number")),
        "DEPT_NAME": _text(manifest.get("dept_name")),
        "DEPT_CODE": _text(manifest.get("dept_code")),
        "ACCEPT_STATION": row["station"],
        "HANDLE_USER_NAME": _text(manifest.get("clerk")),
        "APPLY_DATE": exchange_time(manifest.get("apply_time")),
        "ACCEPT_DATE": exchange_time(manifest.get("accept_time")),
        "PROMISE_DATE": exchange_time(manifest.get("promised_date")),
        "FINISH_DATE": exchange_time(manifest.get("decided_at")),
        "PROJECT_STATE": _text(state),
        "REJECT_REASON": _text(decision.get("reason")),
        "REJECT_BASIS": _text(decision.get("basis")),
        "MATERIALS": [
            {"MATERIAL_NAME": _text(m.get("name")), "RECEIVE_TYPE": _text(m.get("received_form")),
             "MATERIAL_NUM": m.get("count"), "FILE_DIGEST": _text(m.get("digest"))}
            for m in manifest.get("materials") or [] if isinstance(m, dict)
        ],
        "HALL_RECEIVE_DATE": exchange_time(row["first_committed_at"]),
        "UPDATE_DATE": exchange_time(row["committed_at"]),
    }


def missing_core_items(record: dict) -> list[str]:
    """The core data items ``record`` lacks, by exchange name (empty = complete)."""
    missing = [name for name in CORE_ITEMS if record.get(name) in (None, "")]
    state = record.get("PROJECT_STATE")
    if state in ACCEPTED_STATES:
        if not record.get("ACCEPT_DATE"):
            missing.append("ACCEPT_DATE")
        if record.get("PROJECT_TYPE") == "2" and not record.get("PROMISE_DATE"):
            missing.append("PROMISE_DATE")  # 承诺件: the date promised to the applicant
    if state == "rejected":
        missing += [n for n in ("REJECT_REASON", "REJECT_BASIS") if not record.get(n)]
    if record.get("AGENT_NAME") or record.get("AGENT_PAPER_CODE"):
        missing += [n for n in ("AGENT_NAME", "AGENT_PAPER_TYPE", "AGENT_PAPER_CODE")
                    if not record.get(n)]
    materials = record.get("MATERIALS") or []
    if not materials:
        missing.append("MATERIALS")
    for index, material in enumerate(materials):
        for name in ("MATERIAL_NAME", "RECEIVE_TYPE"):
            if not material.get(name):
                missing.append(f"MATERIALS[{index}].{name}")
    return missing


def parse_cursor(cursor: str | None) -> tuple[int, int]:
    if not cursor:
        return 0, 0
    match = _CURSOR.match(cursor.strip())
    if not match:
        raise ExchangeError(f"cursor must look like x<revision>.<update> (got {cursor!r})")
    return int(match.group(1)), int(match.group(2))


def _revision_event(row) -> dict:
    manifest = json.loads(row["manifest_json"])
    event = row["event"]
    when = {"receive": manifest.get("apply_time"), "accept": manifest.get("accept_time")}.get(
        event) or manifest.get("decided_at") or row["committed_at"]
    decision = manifest.get("decision") or {}
    opinion = "；".join(p for p in (decision.get("reason"), decision.get("basis")) if p)
    return {
        "EVENT_ID": f"r{row['rowid']}",
        "PROJECT_NO": row["number"],
        "NODE_CODE": event,
        "NODE_NAME": NODE_NAMES.get(event, event),
        "HANDLE_TIME": exchange_time(when),
        "HANDLE_USER_NAME": _text(manifest.get("clerk")),
        "HANDLE_STATION": row["station"],
        "HANDLE_OPINION": opinion or None,
        "RECORD_TIME": exchange_time(row["committed_at"]),
    }


def _status_event(row) -> dict:
    return {
        "EVENT_ID": f"u{row['seq']}",
        "PROJECT_NO": row["number"],
        "NODE_CODE": row["status"],
        "NODE_NAME": NODE_NAMES.get(row["status"], row["status"]),
        "HANDLE_TIME": exchange_time(row["at"]),
        "HANDLE_USER_NAME": None,
        "HANDLE_STATION": row["station"],
        "HANDLE_OPINION": _text(row["detail"]),
        "RECORD_TIME": exchange_time(row["at"]),
    }


def export_since(db: HallDatabase, since: str | None, station: str | None = None) -> dict:
    """The exchange document of everything after ``since`` (None: everything)."""
    after_revision, after_update = parse_cursor(since)
    station_clause = " AND c.station = ?" if station else ""
    station_args = (station,) if station else ()
    with db.reading() as conn:
        last_revision = conn.execute(
            "SELECT COALESCE(MAX(rowid), 0) FROM case_revisions").fetchone()[0]
        last_update = conn.execute(
            "SELECT COALESCE(MAX(seq), 0) FROM status_updates").fetchone()[0]
        cases = conn.execute(
            "SELECT c.* FROM cases c WHERE c.uuid IN (SELECT uuid FROM case_revisions "
            f"WHERE rowid > ? AND rowid <= ?){station_clause} ORDER BY c.number",
            (after_revision, last_revision, *station_args),
        ).fetchall()
        revisions = conn.execute(
            "SELECT r.rowid, r.event, r.manifest_json, r.committed_at, c.number, c.station "
            "FROM case_revisions r JOIN cases c ON c.uuid = r.uuid "
            f"WHERE r.rowid > ? AND r.rowid <= ?{station_clause} ORDER BY r.rowid",
            (after_revision, last_revision, *station_args),
        ).fetchall()
        updates = conn.execute(
            "SELECT seq, number, station, status, detail, at FROM status_updates c "
            f"WHERE seq > ? AND seq <= ?{station_clause} ORDER BY seq",
            (after_update, last_update, *station_args),
        ).fetchall()
    records = [case_record(row) for row in cases]
    incomplete = []
    for record in records:
        missing = missing_core_items(record)
        if missing:
            incomplete.append({"PROJECT_NO": record["PROJECT_NO"], "missing": missing})
    events = [_revision_event(r) for r in revisions] + [_status_event(r) for r in updates]
    events.sort(key=lambda e: (e["RECORD_TIME"] or "", e["EVENT_ID"]))
    total = len(records)
    return {
        "format": EXCHANGE_FORMAT,
        "standard": "GB/T 39046-2020",
        "generated_at": datetime.now(UTC).astimezone(BEIJING).strftime("%Y%m%d%H%M%S"),
        "since": since or "",
        "cursor": f"x{max(last_revision, after_revision)}.{max(last_update, after_update)}",
        "station": station,
        "fields": {"cases": CASE_FIELDS, "materials": MATERIAL_FIELDS, "events": EVENT_FIELDS,
                   "core_items": list(CORE_ITEMS)},
        "cases": records,
        "events": events,
        "completeness": {
            "records": total,
            "complete": total - len(incomplete),
            # 完整率: records meeting every core data item / records exported.
            "rate": round((total - len(incomplete)) / total, 4) if total else 1.0,
            "incomplete": incomplete,
        },
    }


def write_export(document: dict, out: Path) -> None:
    """Write the file atomically: a half-written export is never picked up."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(document, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, out)
