"""Catalog quality: items that miss standard fields (plan tasks 1–2).

The district must publish every item with conditions, materials (with blank
forms), process, time limits, fees, legal basis and where/when/how to apply.
This lists, per item, what is missing or inconsistent, so the catalog office
can fix it at the source.  A missing field never blocks intake; it is
reported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.catalog.code_tables import cert_type_name, code_meaning
from app.catalog.item_key import display_name, handle_code_of
from app.catalog.repository import iter_items

# (field, label): text and lists must be non-empty; numbers and limits present.
STANDARD_FIELDS = [
    ("accept_condition", "受理条件"),
    ("legal_limit", "法定办结时限"),
    ("promise_limit", "承诺办结时限"),
    ("project_type", "办件类型"),
    ("materials", "申请材料"),
    ("process", "办理环节"),
    ("fees", "收费项目（免费填空列表）"),
    ("by_law", "设定依据"),
    ("transact_addr", "办理地点"),
    ("transact_time", "办理时间"),
    ("link_way", "咨询方式"),
    ("supervise_way", "监督投诉方式"),
    ("visits", "到办事现场次数"),
    ("star_level", "星级"),
    ("auth_level", "认证级别"),
    ("server_type", "服务对象"),
    ("online_depth", "网上办理深度"),
]
# Fields that may legitimately be empty lists (free of charge).
EMPTY_LIST_ALLOWED = {"fees"}
FORM_WORDS = ("申请书", "申请表", "登记表", "审批表", "声明书", "承诺书", "委托书")


@dataclass
class QualityIssue:
    task_code: str
    name: str  # the 办理项's own name when it has one
    dept_name: str
    problems: list[str] = field(default_factory=list)
    handle_item_code: str | None = None


def item_problems(item: dict[str, Any]) -> list[str]:
    """What one item lacks, in Chinese, most important first."""
    problems = []
    for name, label in STANDARD_FIELDS:
        value = item.get(name)
        if value is None or (isinstance(value, str) and not value.strip()) or (
                isinstance(value, list) and not value and name not in EMPTY_LIST_ALLOWED):
            problems.append(f"缺少{label}")
    expected = "".join(str(item.get(name, "")) for name in ("dept_code", "use_level",
                                                           "catalog_code"))
    if item.get("task_code") != expected:
        problems.append("实施编码与“实施主体编码 + 行使层级 + 基本编码”不一致")
    for table, name in (("task_type", "task_type"), ("use_level", "use_level"),
                        ("project_type", "project_type")):
        code = item.get(name)
        if code is not None and code_meaning(table, code) is None:
            problems.append(f"{name} 代码 “{code}” 不在代码表中")
    for table, name in (("server_type", "server_type"), ("online_depth", "online_depth")):
        for code in item.get(name) or ():
            if code_meaning(table, code) is None:
                problems.append(f"{name} 代码 “{code}” 不在代码表中")
    for material in item.get("materials") or ():
        title = material.get("name", "?")
        if any(word in title for word in FORM_WORDS) and not material.get("blank_form"):
            problems.append(f"材料“{title}”缺少空白表格")
        if material.get("required") == "conditional" and not material.get("condition"):
            problems.append(f"材料“{title}”为视情形提交，但未写明情形")
        code = material.get("cert_type_code")
        if code and cert_type_name(code) is None:
            problems.append(f"材料“{title}”的电子证照类型 “{code}” 未知")
    return problems


def check_catalog_quality(target: Any = None) -> list[QualityIssue]:
    """Every cached item (each 办理项 on its own) with at least one problem, in key order."""
    issues = []
    for item in iter_items(target):
        problems = item_problems(item)
        if problems:
            issues.append(QualityIssue(item["task_code"], display_name(item),
                                       item.get("dept_name", ""), problems,
                                       handle_code_of(item.get("handle_item_code"))))
    return issues
