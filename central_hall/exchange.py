"""Export of cases, their process events, fee payments and service evaluations in
the national exchange naming, for the city's platform.

The district hall passes on what its stations reported (GB/T 39046-2020 基础数据:
办件信息, 办件过程信息, 收费信息, 评价信息).  Element names are those of a provincial
exchange that implements it (the 浙江政务服务网 办件数据交换 tables: ``PROJID``,
``SERVICECODE``, ``APPLYNAME``, ``RECEIVETIME``, ``ACCEPT_TIME``, …); where no source
could be found the name is ours, in the same style.  docs/exchange.md lists every
element with its data item and where the name comes from.  Every instant is
``YYYYMMDDhhmmss`` in Beijing time.

Each record is checked against the core data items of its kind (DESIGN.md
"Required data for the hall"; DOMAIN.md for payments and evaluations);
``completeness`` gives per kind the records, the complete ones, the rate and, per
incomplete record, the items it lacks and why.  The cases' rate is the seed's
完整率 (records meeting every core data item / records exported).

Incremental: the cursor ``x<r>.<u>.<p>.<e>`` holds the last case revision, status
update, payment and evaluation exported.  ``--since`` a cursor exports the cases
changed after it (in their current state), and the events, payments and
evaluations recorded after it.  Everything is read in one snapshot, and every one
of those four sequences commits in the order it is numbered (``lock_sequence``,
also with several PostgreSQL workers), so a record written during an export is
either in it or after its cursor: never skipped, never exported twice.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

from central_hall.storage import HallDatabase

EXCHANGE_FORMAT = "onewindow-exchange/2"
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
# x<revision>.<update>[.<payment>.<evaluation>]: the two-part cursor of exports
# made before payments and evaluations were exported is still taken.
_CURSOR = re.compile(r"^x(\d+)\.(\d+)(?:\.(\d+)\.(\d+))?$")

# Exchange element → GB/T 39046 data item (办件信息, with 受理 and 办结).
CASE_FIELDS = {
    "PROJID": "办件编号（申报号）",
    "SERVICECODE": "事项实施编码",
    "SERVICECODE_ID": "事项基本编码",
    "SERVICE_HANDLE_CODE": "业务办理项编码",
    "SERVICENAME": "事项名称",
    "SERVICEVERSION": "事项版本号",
    "INFOTYPE": "办件类型（1 即办件, 2 承诺件）",
    "APPLYFROM": "申报来源（办理形式 1 窗口, 2 网上, 4 快递）",
    "APPLY_TYPE": "申请人类型（服务对象 A.4: 1 自然人, 2 企业法人）",
    "APPLYNAME": "申请人名称",
    "APPLY_CARDTYPE": "申请人证件类型",
    "APPLY_CARDNUMBER": "申请人证件号码",
    "TELPHONE": "联系电话",
    "LEGALMAN": "法定代表人",
    "CONTACTMAN": "代理人姓名",
    "CONTACTMAN_CARDTYPE": "代理人证件类型",
    "CONTACTMAN_CARDNUMBER": "代理人证件号码",
    "DEPTNAME": "受理部门名称",
    "SS_ORGCODE": "受理部门（实施机构）统一社会信用代码",
    "AREACODE": "受理地行政区划代码",
    "BELONGSYSTEM": "受理工位（报送系统）",
    "RECEIVE_NAME": "收件人员",
    "RECEIVETIME": "申请（收件）时间",
    "ACCEPT_MAN": "受理人员",
    "ACCEPT_TIME": "受理时间",
    "PROMISE_ETIME": "承诺办结时间",
    "HANDLESTART": "办件状态",
    "TRANSACT_TIME": "办结（决定）时间",
    "TRANSACT_RESULT": "办理结果",
    "TRANSACT_DESCRIBE": "办理结果描述（不予受理理由）",
    "TRANSACT_BASIS": "不予受理法律依据",
    "MATERIALS": "收取材料",
    "CREATE_TIME": "大厅收到时间",
    "UPDATE_TIME": "最近更新时间",
    "DATAVERSION": "版本号（大厅收到的第几次报送）",
}
MATERIAL_FIELDS = {
    "ATTRID": "材料标识",
    "ATTRNAME": "材料名称",
    "TAKETYPE": "收取方式",
    "AMOUNT": "收取数量",
    "FILE_SHA256": "电子文件摘要（SHA-256）",
}
# 办件过程信息 (环节)
EVENT_FIELDS = {
    "UNID": "过程记录标识",
    "PROJID": "办件编号",
    "ACTION": "业务动作（环节代码）",
    "NODE_NAME": "办理环节名称",
    "END_TIME": "环节办理时间",
    "NAME": "办理人员",
    "BELONGSYSTEM": "办理工位",
    "OPINION": "办理意见",
    "CREATE_TIME": "大厅记录时间",
}
# 收费信息 (DOMAIN.md "Fees": the GB/T 39046 payment data)
PAYMENT_FIELDS = {
    "UNID": "缴费确认标识",
    "PROJID": "办件编号",
    "PAYMENT_NO": "缴款单号（缴款码）",
    "CHARGE_DEPT": "收费单位",
    "CHARGE_USER": "收费人员",
    "CHARGE_AMOUNT": "收费金额（元，两位小数）",
    "CHARGE_TIME": "收费（缴款）时间",
    "PAYER": "缴款人",
    "PAY_CHANNEL": "缴费渠道",
    "AREACODE": "行政区划代码",
    "BELONGSYSTEM": "开具缴款通知书的工位",
    "CREATE_TIME": "大厅收到时间",
}
# 评价信息 (好差评; DOMAIN.md "Service evaluation")
EVALUATION_FIELDS = {
    "UNID": "评价标识",
    "PROJID": "办件编号",
    "EVAL_NODE": "评价环节（受理 / 办结）",
    "EVAL_ROUND": "评价次数（1 首次评价, 2 追加评价）",
    "EVAL_LEVEL": "评价等级代码（GB/T 39046 A.8: 1 非常满意 … 5 非常不满意）",
    "EVAL_LEVEL_NAME": "评价等级",
    "EVAL_CHANNEL": "评价渠道",
    "EVAL_CONTENT": "评价内容（差评须有）",
    "RATER_NAME": "评价人（申请人）",
    "WINDOW_USER": "窗口人员（在场时）",
    "EVAL_TIME": "评价时间",
    "AREACODE": "行政区划代码",
    "BELONGSYSTEM": "办件工位",
    "CREATE_TIME": "大厅收到时间",
}
CASE_CORE_ITEMS = (
    "PROJID", "SERVICECODE", "SERVICECODE_ID", "SERVICENAME", "SERVICEVERSION", "INFOTYPE",
    "APPLYFROM", "APPLY_TYPE", "APPLYNAME", "APPLY_CARDTYPE", "APPLY_CARDNUMBER",
    "TELPHONE", "DEPTNAME", "SS_ORGCODE", "RECEIVE_NAME", "RECEIVETIME",
)
PAYMENT_CORE_ITEMS = ("PROJID", "PAYMENT_NO", "CHARGE_DEPT", "CHARGE_USER", "CHARGE_AMOUNT",
                      "CHARGE_TIME", "PAYER")
EVALUATION_CORE_ITEMS = ("PROJID", "EVAL_NODE", "EVAL_ROUND", "EVAL_LEVEL", "EVAL_CHANNEL",
                         "RATER_NAME", "EVAL_TIME", "AREACODE")
# Items no station reports to the hall: a record lacks them for this reason, not
# because a clerk left them out.
NOT_REPORTED = {
    "payments": {
        name: "该缴款码的缴款通知书（办件、收费单位、收费人员、缴款人）尚未由工位报送大厅；"
              "非税平台的缴费确认只有缴款码、金额、时间和渠道"
        for name in ("PROJID", "CHARGE_DEPT", "CHARGE_USER", "PAYER")
    },
}
# 服务对象 (A.4): the workstation records a person or an organisation.
APPLICANT_TYPES = {"person": "1", "organisation": "2"}
# 办理形式: window 1, online 2 (电脑端), mail 4 (快递).
CHANNELS = {"window": "1", "online": "2", "mail": "4"}
TAKE_TYPES = {"original": "原件", "copy": "复印件", "electronic": "电子文件", "scanned": "扫描件",
              "ecert": "电子证照", "missing": "未提交", "deficiency": "容缺",
              "not_applicable": "不适用"}
RESULTS = {"rejected": "不予受理", "concluded": "办结", "delivered": "办结（已送达）"}
NODE_NAMES = {
    "receive": "收件", "accept": "受理", "notify": "一次性告知（补正）", "reject": "不予受理",
    "conclude": "办结", "received": "大厅收件", "in_process": "办理中", "concluded": "办结",
    "delivered": "送达", "rejected": "不予受理",
}
EVAL_NODES = {"decision": "受理", "conclusion": "办结"}
EVAL_CHANNELS = {"window": "政务大厅评价器", "qr": "二维码", "sms": "短信"}
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
    clerk = _text(manifest.get("clerk"))
    station = row["station"]
    return {
        "PROJID": row["number"],
        "SERVICECODE": _text(manifest.get("task_code")),
        "SERVICECODE_ID": _text(manifest.get("catalog_code")),
        "SERVICE_HANDLE_CODE": _text(manifest.get("handle_item_code")),
        "SERVICENAME": _text(manifest.get("item_name")),
        "SERVICEVERSION": _text(manifest.get("item_version")),
        "INFOTYPE": _text(manifest.get("project_type")),
        "APPLYFROM": CHANNELS.get(manifest.get("channel")),
        "APPLY_TYPE": APPLICANT_TYPES.get(applicant.get("kind")),
        "APPLYNAME": _text(applicant.get("name")),
        "APPLY_CARDTYPE": _text(applicant.get("id_type")),
        "APPLY_CARDNUMBER": _text(applicant.get("id_number")),
        "TELPHONE": _text(manifest.get("contact_phone") or applicant.get("phone")),
        "LEGALMAN": _text(legal_rep),
        "CONTACTMAN": _text(agent.get("name")),
        "CONTACTMAN_CARDTYPE": _text(agent.get("id_type")),
        "CONTACTMAN_CARDNUMBER": _text(agent.get("id_number")),
        "DEPTNAME": _text(manifest.get("dept_name")),
        "SS_ORGCODE": _text(manifest.get("dept_code")),
        "AREACODE": station[:6],
        "BELONGSYSTEM": station,
        "RECEIVE_NAME": clerk,
        "RECEIVETIME": exchange_time(manifest.get("apply_time")),
        "ACCEPT_MAN": clerk if state in ACCEPTED_STATES else None,
        "ACCEPT_TIME": exchange_time(manifest.get("accept_time")),
        "PROMISE_ETIME": exchange_time(manifest.get("promised_date")),
        "HANDLESTART": _text(state),
        "TRANSACT_TIME": exchange_time(manifest.get("decided_at"))
        if state in RESULTS else None,
        "TRANSACT_RESULT": RESULTS.get(state),
        "TRANSACT_DESCRIBE": _text(decision.get("reason")),
        "TRANSACT_BASIS": _text(decision.get("basis")),
        "MATERIALS": [
            {"ATTRID": _text(m.get("material_id")), "ATTRNAME": _text(m.get("name")),
             "TAKETYPE": TAKE_TYPES.get(m.get("received_form")), "AMOUNT": m.get("count"),
             "FILE_SHA256": _text(m.get("digest"))}
            for m in manifest.get("materials") or [] if isinstance(m, dict)
        ],
        "CREATE_TIME": exchange_time(row["first_committed_at"]),
        "UPDATE_TIME": exchange_time(row["committed_at"]),
        "DATAVERSION": row["revision"],
    }


def _blank(value) -> bool:
    return value is None or value == ""


def missing_core_items(record: dict) -> list[str]:
    """The core data items a case ``record`` lacks, by exchange name (empty = complete)."""
    missing = [name for name in CASE_CORE_ITEMS if _blank(record.get(name))]
    state = record.get("HANDLESTART")
    if state in ACCEPTED_STATES:
        if not record.get("ACCEPT_TIME"):
            missing.append("ACCEPT_TIME")
        if record.get("INFOTYPE") == "2" and not record.get("PROMISE_ETIME"):
            missing.append("PROMISE_ETIME")  # 承诺件: the date promised to the applicant
    if state == "rejected":
        missing += [n for n in ("TRANSACT_DESCRIBE", "TRANSACT_BASIS") if not record.get(n)]
    if record.get("CONTACTMAN") or record.get("CONTACTMAN_CARDNUMBER"):
        missing += [n for n in ("CONTACTMAN", "CONTACTMAN_CARDTYPE", "CONTACTMAN_CARDNUMBER")
                    if not record.get(n)]
    materials = record.get("MATERIALS") or []
    if not materials:
        missing.append("MATERIALS")
    for index, material in enumerate(materials):
        for name in ("ATTRNAME", "TAKETYPE"):
            if not material.get(name):
                missing.append(f"MATERIALS[{index}].{name}")
    return missing


def missing_payment_items(record: dict) -> list[str]:
    return [name for name in PAYMENT_CORE_ITEMS if _blank(record.get(name))]


def missing_evaluation_items(record: dict) -> list[str]:
    missing = [name for name in EVALUATION_CORE_ITEMS if _blank(record.get(name))]
    level = record.get("EVAL_LEVEL")
    if isinstance(level, int) and level >= 4 and not record.get("EVAL_CONTENT"):
        missing.append("EVAL_CONTENT")  # a bad rating says why (DOMAIN.md)
    return missing


def parse_cursor(cursor: str | None) -> tuple[int, int, int, int]:
    if not cursor:
        return 0, 0, 0, 0
    match = _CURSOR.match(cursor.strip())
    if not match:
        raise ExchangeError("cursor must look like x<revision>.<update>.<payment>.<evaluation> "
                            f"(got {cursor!r})")
    return tuple(int(part or 0) for part in match.groups())  # type: ignore[return-value]


def _revision_event(row) -> dict:
    manifest = json.loads(row["manifest_json"])
    event = row["event"]
    when = {"receive": manifest.get("apply_time"), "accept": manifest.get("accept_time")}.get(
        event) or manifest.get("decided_at") or row["committed_at"]
    decision = manifest.get("decision") or {}
    opinion = "；".join(p for p in (decision.get("reason"), decision.get("basis")) if p)
    return {
        "UNID": f"r{row['seq']}",
        "PROJID": row["number"],
        "ACTION": event,
        "NODE_NAME": NODE_NAMES.get(event, event),
        "END_TIME": exchange_time(when),
        "NAME": _text(manifest.get("clerk")),
        "BELONGSYSTEM": row["station"],
        "OPINION": opinion or None,
        "CREATE_TIME": exchange_time(row["committed_at"]),
    }


def _status_event(row) -> dict:
    return {
        "UNID": f"u{row['seq']}",
        "PROJID": row["number"],
        "ACTION": row["status"],
        "NODE_NAME": NODE_NAMES.get(row["status"], row["status"]),
        "END_TIME": exchange_time(row["at"]),
        "NAME": None,
        "BELONGSYSTEM": row["station"],
        "OPINION": _text(row["detail"]),
        "CREATE_TIME": exchange_time(row["at"]),
    }


def payment_record(row) -> dict:
    """The non-tax platform's confirmation joined with the fee notice the station sent
    (``notice_json``: case, payee, clerk, payer; None while the notice is not here)."""
    confirmation = json.loads(row["record_json"])
    notice = json.loads(row["notice_json"]) if row["notice_json"] else {}
    station = row["station"]
    return {
        "UNID": confirmation["confirmation_id"],
        "PROJID": _text(notice.get("case_number")),
        "PAYMENT_NO": confirmation["payment_code"],
        "CHARGE_DEPT": _text(notice.get("payee")),
        "CHARGE_USER": _text(notice.get("clerk")),
        "CHARGE_AMOUNT": confirmation["amount"],
        "CHARGE_TIME": exchange_time(confirmation["paid_at"]),
        "PAYER": _text(notice.get("payer")),
        "PAY_CHANNEL": _text(confirmation.get("channel")),
        "AREACODE": station[:6],
        "BELONGSYSTEM": station,
        "CREATE_TIME": exchange_time(row["received_at"]),
    }


def _applicant_name(manifest_json: str | None) -> str | None:
    if not manifest_json:
        return None
    return _text((json.loads(manifest_json).get("applicant") or {}).get("name"))


def evaluation_record(row) -> dict:
    rating = json.loads(row["record_json"])
    station = row["station"]
    return {
        "UNID": rating["uuid"],
        "PROJID": rating["case_number"],
        "EVAL_NODE": EVAL_NODES.get(rating.get("point")),
        "EVAL_ROUND": rating.get("round"),
        "EVAL_LEVEL": rating.get("level_code"),
        "EVAL_LEVEL_NAME": _text(rating.get("level")),
        "EVAL_CHANNEL": EVAL_CHANNELS.get(rating.get("channel")),
        "EVAL_CONTENT": _text(rating.get("comment")),
        # The applicant rates (at the window's evaluator, by QR or SMS); the clerk
        # signed in at the counter is recorded beside, never as the rater.
        "RATER_NAME": _applicant_name(row["manifest_json"]),
        "WINDOW_USER": _text(rating.get("rated_by")),
        "EVAL_TIME": exchange_time(rating.get("rated_at")),
        "AREACODE": station[:6],
        "BELONGSYSTEM": station,
        "CREATE_TIME": exchange_time(row["received_at"]),
    }


def _completeness(records: list[dict], missing_of, kind: str) -> dict:
    reasons = NOT_REPORTED.get(kind, {})
    incomplete = []
    for record in records:
        missing = missing_of(record)
        if missing:
            entry = {"PROJID": record.get("PROJID"), "missing": missing}
            if kind != "cases":
                entry["UNID"] = record["UNID"]
            why = {name: reasons[name] for name in missing if name in reasons}
            if why:
                entry["why"] = why
            incomplete.append(entry)
    total = len(records)
    return {
        "records": total,
        "complete": total - len(incomplete),
        "rate": round((total - len(incomplete)) / total, 4) if total else 1.0,
        "incomplete": incomplete,
    }


def export_since(db: HallDatabase, since: str | None, station: str | None = None) -> dict:
    """The exchange document of everything after ``since`` (None: everything)."""
    after = parse_cursor(since)
    station_clause = " AND c.station = ?" if station else ""
    station_args = (station,) if station else ()
    with db.snapshot() as conn:
        last = (
            conn.execute("SELECT COALESCE(MAX(seq), 0) FROM case_revisions").fetchone()[0],
            conn.execute("SELECT COALESCE(MAX(seq), 0) FROM status_updates").fetchone()[0],
            conn.execute("SELECT COALESCE(MAX(seq), 0) FROM payments").fetchone()[0],
            conn.execute("SELECT COALESCE(MAX(seq), 0) FROM evaluations").fetchone()[0],
        )
        cases = conn.execute(
            "SELECT c.* FROM cases c WHERE c.uuid IN (SELECT uuid FROM case_revisions "
            f"WHERE seq > ? AND seq <= ?){station_clause} ORDER BY c.number",
            (after[0], last[0], *station_args),
        ).fetchall()
        revisions = conn.execute(
            "SELECT r.seq, r.event, r.manifest_json, r.committed_at, c.number, c.station "
            "FROM case_revisions r JOIN cases c ON c.uuid = r.uuid "
            f"WHERE r.seq > ? AND r.seq <= ?{station_clause} ORDER BY r.seq",
            (after[0], last[0], *station_args),
        ).fetchall()
        updates = conn.execute(
            "SELECT seq, number, station, status, detail, at FROM status_updates c "
            f"WHERE seq > ? AND seq <= ?{station_clause} ORDER BY seq",
            (after[1], last[1], *station_args),
        ).fetchall()
        payments = conn.execute(
            "SELECT c.seq, c.station, c.record_json, c.received_at, "
            "n.record_json AS notice_json FROM payments c "
            "LEFT JOIN fee_notices n ON n.payment_code = c.payment_code "
            f"WHERE c.seq > ? AND c.seq <= ?{station_clause} ORDER BY c.seq",
            (after[2], last[2], *station_args),
        ).fetchall()
        evaluations = conn.execute(
            "SELECT e.seq, e.station, e.record_json, e.received_at, k.manifest_json "
            "FROM evaluations e LEFT JOIN cases k ON k.number = e.number "
            f"WHERE e.seq > ? AND e.seq <= ?{' AND e.station = ?' if station else ''} "
            "ORDER BY e.seq",
            (after[3], last[3], *station_args),
        ).fetchall()
    records = [case_record(row) for row in cases]
    events = [_revision_event(r) for r in revisions] + [_status_event(r) for r in updates]
    events.sort(key=lambda e: (e["CREATE_TIME"] or "", e["UNID"]))
    payment_records = [payment_record(row) for row in payments]
    evaluation_records = [evaluation_record(row) for row in evaluations]
    cursor = ".".join(str(max(done, new)) for done, new in zip(after, last, strict=True))
    case_completeness = _completeness(records, missing_core_items, "cases")
    return {
        "format": EXCHANGE_FORMAT,
        "standard": "GB/T 39046-2020",
        "generated_at": datetime.now(UTC).astimezone(BEIJING).strftime("%Y%m%d%H%M%S"),
        "since": since or "",
        "cursor": f"x{cursor}",
        "station": station,
        "fields": {"cases": CASE_FIELDS, "materials": MATERIAL_FIELDS, "events": EVENT_FIELDS,
                   "payments": PAYMENT_FIELDS, "evaluations": EVALUATION_FIELDS,
                   "core_items": {"cases": list(CASE_CORE_ITEMS),
                                  "payments": list(PAYMENT_CORE_ITEMS),
                                  "evaluations": list(EVALUATION_CORE_ITEMS)}},
        "cases": records,
        "events": events,
        "payments": payment_records,
        "evaluations": evaluation_records,
        # The cases' figures at the top: the seed's 完整率 is about 办件 records.
        "completeness": {
            **case_completeness,
            "payments": _completeness(payment_records, missing_payment_items, "payments"),
            "evaluations": _completeness(evaluation_records, missing_evaluation_items,
                                         "evaluations"),
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
