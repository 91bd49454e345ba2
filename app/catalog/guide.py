"""An item's service guide (办事指南) as plain text lines, for the CLI and logs."""

from __future__ import annotations

from app.catalog.code_tables import cert_type_name, code_meaning

REQUIRED_LABELS = {True: "必要", False: "非必要", "conditional": "视情形提交"}


def describe_limit(limit: dict | None) -> str:
    if not limit:
        return "未规定"
    if limit.get("value") == 0:
        return "即办"
    unit = code_meaning("limit_unit", limit.get("unit")) or limit.get("unit", "")
    return f"{limit.get('value')} 个{unit}"


def _codes(table: str, codes) -> str:
    return "、".join(code_meaning(table, code) or str(code) for code in codes or ()) or "—"


def material_line(number: int, material: dict) -> str:
    required = REQUIRED_LABELS.get(material.get("required"), "?")
    if material.get("required") == "conditional" and material.get("condition"):
        required += f"（{material['condition']}）"
    parts = [f"{number}. {material.get('name')} [{required}]",
             f"原件 {material.get('originals', 0)} 份、复印件 {material.get('copies', 0)} 份",
             code_meaning("material_form", material.get("form", "paper")) or "",
             code_meaning("material_source", material.get("source", "applicant")) or ""]
    cert = cert_type_name(material.get("cert_type_code"))
    if cert:
        parts.append(f"可用电子证照：{cert}（{material['cert_type_code']}）")
    if material.get("accepts_signed_electronic"):
        parts.append("接受电子签名材料")
    if material.get("blank_form"):
        parts.append(f"空白表格：{material['blank_form']}")
    if material.get("note"):
        parts.append(material["note"])
    return "；".join(part for part in parts if part)


def guide_lines(item: dict) -> list[str]:
    state = code_meaning("item_state", item.get("state", "active")) or item.get("state")
    fees = item.get("fees")
    fee_text = "不收费" if fees == [] else "；".join(
        f"{fee.get('name')}：{fee.get('standard', '')}" for fee in fees or ()) or "未注明"
    handle_name = item.get("handle_item_name")
    lines = [
        f"{item.get('name')}（{state}）",
        *([f"办理项：{handle_name}"] if handle_name else []),
        f"实施编码：{item.get('task_code')}    基本编码：{item.get('catalog_code')}"
        + (f"    办理项编码：{item['handle_item_code']}" if item.get("handle_item_code") else ""),
        f"实施主体：{item.get('dept_name')}（{item.get('dept_code')}）",
        f"事项类型：{code_meaning('task_type', item.get('task_type')) or item.get('task_type')}"
        f"    行使层级：{code_meaning('use_level', item.get('use_level')) or item.get('use_level')}"
        f"    事项版本：{item.get('version')}",
        f"办件类型：{code_meaning('project_type', item.get('project_type')) or '未注明'}"
        f"    法定时限：{describe_limit(item.get('legal_limit'))}"
        f"    承诺时限：{describe_limit(item.get('promise_limit'))}",
        f"星级：{item.get('star_level', '—')}    到现场次数：{item.get('visits', '—')}"
        f"    认证级别：{item.get('auth_level', '—')}",
        f"服务对象：{_codes('server_type', item.get('server_type'))}",
        f"网上办理深度：{_codes('online_depth', item.get('online_depth'))}",
        f"受理条件：{item.get('accept_condition') or '未注明'}",
        "申请材料：",
        *(f"  {material_line(number, m)}"
          for number, m in enumerate(item.get("materials") or (), start=1)),
        "办理环节：" + (" → ".join(
            f"{step.get('name')}（{describe_limit(step.get('limit'))}）"
            for step in item.get("process") or ()) or "未注明"),
        f"收费：{fee_text}",
        f"设定依据：{item.get('by_law') or '未注明'}",
        f"办理地点：{item.get('transact_addr') or '未注明'}",
        f"办理时间：{item.get('transact_time') or '未注明'}",
        f"咨询方式：{item.get('link_way') or '未注明'}",
        f"监督投诉：{item.get('supervise_way') or '未注明'}",
    ]
    return lines
