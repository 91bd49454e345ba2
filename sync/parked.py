"""A parked case is never a dead end: what was refused, what to do, and re-queueing.

An outbox entry is parked when the hall refuses it in a way retrying cannot
fix by itself (a 4xx such as ``invalid_manifest``) or when an attachment on
this workstation is damaged.  The clerk reads here *which field* the hall
refused and *what to do*; a person re-queues with the 重试 button or
``onewindow sync retry --parked``.

A refusal of the contract class (``invalid_manifest``, or a manifest this
workstation cannot make valid) is a defect of the program, never of the
clerk's entry: the release that fixes it re-queues those entries by itself
(``requeue_after_upgrade``, run when the sync service starts), rebuilding each
manifest from the case with the fixed code (``outbox.rebuild_manifest``).

Everything that writes here runs on the writer thread (``store.writer.call``).
"""

from __future__ import annotations

import contracts
from local_store.models import OutboxEntry, SyncCursor, utcnow
from sync import outbox
from sync.http import HALL_ERROR_MESSAGES
from sync.manifest import AGENT_FIELDS, APPLICANT_FIELDS, CORE_FIELDS

HALL_REFUSED = HALL_ERROR_MESSAGES["invalid_manifest"]
# Where the contract version the outbox was last checked against is kept.
CONTRACT_STAMP_LANE = "contracts"

_LABELS = {key: label for key, label in CORE_FIELDS}
_LABELS.update({f"applicant.{key}": label for key, label in APPLICANT_FIELDS})
_LABELS.update({f"agent.{key}": label for key, label in AGENT_FIELDS})
_LABELS.update({
    "applicant": "申请人", "applicant.phone": "申请人电话", "agent": "代理人",
    "applicant.legal_rep": "法定代表人", "contact_phone": "联系电话",
    "accept_time": "受理时间", "promised_date": "承诺办结日期", "decided_at": "决定时间",
    "decision.reason": "不予受理理由", "decision.basis": "不予受理法律依据",
    "materials": "收取材料", "attachments": "附件清单", "handle_item_code": "业务办理项编码",
    "event": "办件环节", "state": "办件状态", "uuid": "办件标识",
})


def field_label(path: str) -> str:
    """``applicant.legal_rep.name`` → ``法定代表人（applicant.legal_rep.name）``."""
    parts = path.split(".")
    for length in range(len(parts), 0, -1):
        label = _LABELS.get(".".join(parts[:length]).split("[")[0])
        if label:
            return f"{label}（{path}）"
    if path.startswith("materials["):
        return f"收取材料（{path}）"
    return path


def refused_field(last_error: str) -> str | None:
    """The field the hall named when it refused a manifest (None: not a contract refusal)."""
    if last_error.startswith(HALL_REFUSED):
        return last_error[len(HALL_REFUSED):].lstrip("：:").strip() or "?"
    if last_error.startswith(outbox.LOCAL_CONTRACT_REFUSAL):
        return last_error[len(outbox.LOCAL_CONTRACT_REFUSAL):].lstrip("：:").strip() or "?"
    return None


def is_contract_refusal(last_error: str) -> bool:
    return refused_field(last_error or "") is not None


def advice(last_error: str) -> str:
    """What the clerk should do about a parked entry, in plain Chinese."""
    last_error = last_error or ""
    field = refused_field(last_error)
    if field is not None:
        return (f"大厅拒收字段：{field_label(field)}。这是工作站与大厅接口约定不一致，"
                "不是您录入有误，已录入的内容都在。请升级工作站：新版本启动同步时会自动重新上报；"
                "已升级仍被拒收时请点“重试”，再不行请联系技术支持并告知该字段。")
    if last_error.startswith(HALL_ERROR_MESSAGES["number_conflict"]):
        return "请管理员核对该办件编号是否被另一办件占用，核对后点“重试”。"
    if last_error.startswith(HALL_ERROR_MESSAGES["idempotency_key_reused"]):
        return "请管理员在大厅核对该办件已收到的内容，核对后点“重试”。"
    if last_error.startswith(HALL_ERROR_MESSAGES["too_large"]):
        return "请压缩或拆分过大的附件后重新扫描，再点“重试”。"
    if "附件" in last_error:
        return "本机附件缺失或损坏：请在办件中重新扫描或附上该材料后点“重试”。"
    return "请检查原因后点“重试”；如仍被搁置，请联系技术支持。"


def headline(last_error: str) -> str:
    """One line for the queue's table: the refused field first, then what to do."""
    field = refused_field(last_error or "")
    if field is not None:
        return (f"大厅拒收 {field_label(field)}：非录入错误，系接口约定问题；"
                "升级后自动重报，或点“重试”")
    return f"{last_error}。{advice(last_error)}" if last_error else advice("")


def retry(entry_id: int) -> bool:
    """A person asked to try again.  A parked entry is rebuilt from its case first
    (the manifest frozen at enqueue may carry a defect this release fixed).
    Returns False when the entry is still parked (its rebuilt manifest is still
    refused by the contract; ``last_error`` says which field)."""
    entry = OutboxEntry.get_or_none(OutboxEntry.id == entry_id)
    if entry is None or entry.state == outbox.ACKNOWLEDGED:
        return False
    if entry.state != outbox.PARKED:
        outbox.retry_now(entry_id)
        return True
    return outbox.requeue_rebuilt(entry)


def retry_parked() -> tuple[int, int]:
    """``onewindow sync retry --parked``: (re-queued, still parked)."""
    ids = [row.id for row in OutboxEntry.select(OutboxEntry.id)
           .where(OutboxEntry.state == outbox.PARKED).order_by(OutboxEntry.id)]
    requeued = sum(1 for entry_id in ids if retry(entry_id))
    return requeued, len(ids) - requeued


def requeue_after_upgrade() -> int:
    """At the start of the sync service: once per contract version, re-queue every
    entry parked with a contract refusal and rebuild every waiting manifest the
    current contract refuses.  Returns how many entries were re-queued or rebuilt."""
    stamp = SyncCursor.get_or_none(SyncCursor.lane == CONTRACT_STAMP_LANE)
    if stamp is not None and stamp.cursor == str(contracts.CONTRACT_VERSION):
        return 0
    changed = 0
    waiting = (OutboxEntry.select()
               .where(OutboxEntry.state.in_(outbox.UNSENT_STATES)).order_by(OutboxEntry.id))
    for entry in waiting:
        if entry.state == outbox.PARKED:
            if is_contract_refusal(entry.last_error) and outbox.requeue_rebuilt(entry):
                changed += 1
        elif not contracts.is_valid("case_manifest", entry.manifest):
            # Queued under the old code and never accepted: it would only be refused.
            changed += outbox.rebuild_waiting(entry)
    SyncCursor.insert(lane=CONTRACT_STAMP_LANE, cursor=str(contracts.CONTRACT_VERSION),
                      updated_at=utcnow()).on_conflict(
        conflict_target=[SyncCursor.lane],
        update={SyncCursor.cursor: str(contracts.CONTRACT_VERSION),
                SyncCursor.updated_at: utcnow()},
    ).execute()
    return changed
