"""Catalog readiness per department (plan tasks 6–7): the 网上办理率 a department is
judged by, from the cached catalog.

Fujian's star levels as the plan uses them: 三星 = can be applied for online,
四星 = the whole process online with at most one visit.  The targets: every item at
three stars or more (100 %), and 60 % at four stars or more; a street office
(行使层级 5, 乡镇（街道）级) is held to 90 % and 60 %.  Each 办理项 counts as an item
of its own, as the online hall lists it.  An item without a star level counts as
below three stars (and is listed by the quality check as missing it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from app.catalog.code_tables import code_meaning
from app.catalog.item_key import display_name
from app.catalog.quality import item_problems
from app.catalog.repository import iter_items

DISTRICT_TARGETS = (1.0, 0.6)  # ≥ 三星, ≥ 四星
STREET_TARGETS = (0.9, 0.6)
STREET_LEVEL = "5"  # 行使层级: 乡镇（街道）级
NO_STAR = "未标星级"
NO_DEPTH = "未标办理深度"


@dataclass
class DepartmentReadiness:
    dept_code: str
    dept_name: str
    street_office: bool
    items: int = 0
    by_star: dict[str, int] = field(default_factory=dict)  # "3" → items; NO_STAR
    by_depth: dict[str, int] = field(default_factory=dict)  # deepest online depth's meaning
    three_star_or_more: int = 0
    four_star_or_more: int = 0
    items_missing_fields: list[dict] = field(default_factory=list)  # name, codes, problems

    @property
    def targets(self) -> tuple[float, float]:
        return STREET_TARGETS if self.street_office else DISTRICT_TARGETS

    @property
    def three_star_rate(self) -> float | None:
        return self.three_star_or_more / self.items if self.items else None

    @property
    def four_star_rate(self) -> float | None:
        return self.four_star_or_more / self.items if self.items else None

    @property
    def meets_targets(self) -> bool:
        three, four = self.targets
        return (self.items > 0 and self.three_star_rate >= three - 1e-9
                and self.four_star_rate >= four - 1e-9)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["three_star_rate"], data["four_star_rate"] = self.three_star_rate, self.four_star_rate
        data["three_star_target"], data["four_star_target"] = self.targets
        data["meets_targets"] = self.meets_targets
        return data


def _star(item: dict) -> int | None:
    try:
        return int(item.get("star_level"))
    except (TypeError, ValueError):
        return None


def _deepest(item: dict) -> str:
    codes = [int(code) for code in item.get("online_depth") or () if str(code).isdigit()]
    if not codes:
        return NO_DEPTH
    return code_meaning("online_depth", max(codes)) or str(max(codes))


def catalog_readiness(target=None) -> list[DepartmentReadiness]:
    """Every department of the cached catalog, most items first."""
    departments: dict[str, DepartmentReadiness] = {}
    for item in iter_items(target):
        code = item.get("dept_code") or ""
        line = departments.get(code)
        if line is None:
            line = departments[code] = DepartmentReadiness(
                code, item.get("dept_name") or code or "（未注明部门）",
                str(item.get("use_level")) == STREET_LEVEL)
        line.items += 1
        star = _star(item)
        star_key = str(star) if star is not None else NO_STAR
        line.by_star[star_key] = line.by_star.get(star_key, 0) + 1
        depth = _deepest(item)
        line.by_depth[depth] = line.by_depth.get(depth, 0) + 1
        line.three_star_or_more += int(star is not None and star >= 3)
        line.four_star_or_more += int(star is not None and star >= 4)
        problems = item_problems(item)
        if problems:
            line.items_missing_fields.append({
                "task_code": item.get("task_code"),
                "handle_item_code": item.get("handle_item_code") or None,
                "name": display_name(item), "problems": problems})
    return sorted(departments.values(), key=lambda line: (-line.items, line.dept_code))


def supervisor_catalog_readiness(identity, target=None) -> list[DepartmentReadiness]:
    """``catalog_readiness`` for supervisors and administrators only."""
    from app.staff import SUPERVISORS, require_role

    require_role(identity, SUPERVISORS, "查看目录完备情况")
    return catalog_readiness(target)
