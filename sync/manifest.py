"""The case manifest sent to the hall, and the core-data completeness check.

``build_manifest`` turns a local case (its applicant snapshot and materials)
into the JSON body of ``PUT /cases/{uuid}`` (contracts/case_manifest.v1.json, docs/hall_api.md).
``missing_core_fields`` names, in Chinese, every core-data field the plan
requires for reporting (DESIGN.md "Required data for the hall") that the
manifest lacks, so an incomplete case is refused before it is queued and the
clerk is told exactly what to fill in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from local_store.instants import to_wire
from local_store.models import Case, CaseMaterial

EVENTS = ("receive", "notify", "accept", "reject", "conclude")

# Materials taken in as a file carry a digest the hall must receive.
FILE_FORMS = frozenset({"electronic", "scanned"})
# Forms that mean "nothing was handed over" (no count, no digest expected).
NOT_RECEIVED_FORMS = frozenset({"missing", "deficiency", "not_applicable"})

# Top-level manifest field → its Chinese name, in the order a clerk reads them.
CORE_FIELDS: list[tuple[str, str]] = [
    ("number", "办件编号"),
    ("task_code", "事项实施编码"),
    ("catalog_code", "事项基本编码"),
    ("item_name", "事项名称"),
    ("item_version", "事项版本"),
    ("project_type", "办件类型"),
    ("channel", "申请方式"),
    ("dept_name", "受理部门"),
    ("dept_code", "受理部门统一社会信用代码"),
    ("station", "受理工位"),
    ("clerk", "受理人员"),
    ("apply_time", "申请时间"),
]
APPLICANT_FIELDS: list[tuple[str, str]] = [
    ("name", "申请人名称"),
    ("kind", "申请人类型"),
    ("id_type", "申请人证件类型"),
    ("id_number", "申请人证件号码"),
]
AGENT_FIELDS: list[tuple[str, str]] = [
    ("name", "代理人姓名"),
    ("id_type", "代理人证件类型"),
    ("id_number", "代理人证件号码"),
]


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    """Instants as ISO 8601 with the station's offset (``2026-11-20T09:00:00+08:00``);
    calendar dates (the promised date) as ``YYYY-MM-DD``."""
    if isinstance(value, dt.datetime):
        return to_wire(value)
    return value.isoformat() if value is not None else None


def material_count(material: CaseMaterial) -> int:
    """Pieces received: paper originals and copies; a file counts as one."""
    paper = (material.originals or 0) + (material.copies or 0)
    if paper:
        return paper
    if material.received_form in FILE_FORMS or material.received_form == "ecert":
        return 1
    return 0


def build_manifest(case: Case, event: str) -> dict[str, Any]:
    """The hall manifest for ``case`` at decision ``event``."""
    if event not in EVENTS:
        raise ValueError(f"unknown case event {event!r}; expected one of {EVENTS}")
    snapshot = case.applicant_snapshot or {}
    materials = list(
        CaseMaterial.select().where(CaseMaterial.case == case).order_by(CaseMaterial.id)
    )
    manifest_materials = []
    attachments: dict[str, int] = {}
    for material in materials:
        manifest_materials.append(
            {
                "material_id": material.material_id,
                "name": material.name,
                "received_form": material.received_form,
                "count": material_count(material),
                "digest": material.blob_digest,
                "size": material.blob_size if material.blob_digest else 0,
            }
        )
        if material.blob_digest:
            attachments[material.blob_digest] = material.blob_size
    agent = case.agent or None
    return {
        "uuid": case.uuid,
        "number": case.number,
        "event": event,
        "state": case.state,
        "task_code": case.task_code,
        "catalog_code": case.catalog_code,
        # The item is (task_code, handle_item_code): null for an item without 办理项.
        "handle_item_code": case.handle_item_code or None,
        "handle_item_name": case.handle_item_name or None,
        "item_name": case.item_name,
        "item_version": case.item_version,
        "project_type": case.project_type,
        "channel": case.channel,
        "dept_name": case.dept_name,
        "dept_code": case.dept_code,
        "station": case.station,
        "clerk": case.clerk,
        "apply_time": _iso(case.received_at),
        "accept_time": _iso(case.accepted_at),
        "promised_date": _iso(case.deadline),
        "decided_at": _iso(case.decided_at),
        "decision": {"reason": case.decision_reason or "", "basis": case.decision_basis or ""},
        "applicant": {
            "kind": snapshot.get("kind"),
            "name": snapshot.get("name"),
            "id_type": snapshot.get("id_type"),
            "id_number": snapshot.get("id_number"),
            "phone": snapshot.get("phone") or "",
            "legal_rep": snapshot.get("legal_rep"),
        },
        "agent": (
            {
                "name": agent.get("name"),
                "id_type": agent.get("id_type"),
                "id_number": agent.get("id_number"),
            }
            if agent
            else None
        ),
        "contact_phone": case.contact_phone or snapshot.get("phone") or "",
        "materials": manifest_materials,
        "attachments": [{"sha256": d, "size": s} for d, s in sorted(attachments.items())],
    }


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def missing_core_fields(manifest: dict[str, Any]) -> list[str]:
    """Chinese names of the core-data fields the manifest lacks (empty = complete)."""
    missing = [label for key, label in CORE_FIELDS if _blank(manifest.get(key))]
    applicant = manifest.get("applicant") or {}
    missing += [label for key, label in APPLICANT_FIELDS if _blank(applicant.get(key))]
    agent = manifest.get("agent")
    if agent:
        missing += [label for key, label in AGENT_FIELDS if _blank(agent.get(key))]
    if _blank(manifest.get("contact_phone")):
        missing.append("联系电话")

    event = manifest.get("event")
    if event in ("accept", "conclude"):
        if _blank(manifest.get("accept_time")):
            missing.append("受理时间")
        # A promised case (承诺件) must carry the date promised to the applicant.
        if manifest.get("project_type") == "2" and _blank(manifest.get("promised_date")):
            missing.append("承诺办结日期")
    if event == "reject":
        decision = manifest.get("decision") or {}
        if _blank(decision.get("reason")):
            missing.append("不予受理理由")
        if _blank(decision.get("basis")):
            missing.append("不予受理法律依据")

    materials = manifest.get("materials") or []
    if not materials:
        missing.append("收取材料")
    for material in materials:
        name = material.get("name") or material.get("material_id") or "?"
        form = material.get("received_form")
        if _blank(material.get("name")):
            missing.append(f"材料「{name}」的名称")
        if _blank(form):
            missing.append(f"材料「{name}」的收取方式")
            continue
        if form in NOT_RECEIVED_FORMS:
            continue
        if not material.get("count"):
            missing.append(f"材料「{name}」的份数")
        if form in FILE_FORMS and _blank(material.get("digest")):
            missing.append(f"材料「{name}」的文件摘要")
    return missing
