"""Catalog readiness per department (issue 16, part 2), from a catalog imported the
way a station imports one: the demo catalog plus two street-office items."""

from __future__ import annotations

import copy
import json

import pytest

from app.catalog.importer import import_catalog_document
from app.catalog.quality import check_catalog_quality
from app.reports.catalog_readiness import (
    NO_STAR,
    catalog_readiness,
    supervisor_catalog_readiness,
)
from app.staff import PermissionRefused, StaffIdentity
from tests.support.intake import demo_catalog_document

STREET = "11350205MB0000001F"  # 海沧街道办事处 (行使层级 5)


def street_items(document) -> list[dict]:
    """Two items of a street office: one at four stars, one with no star level."""
    template = next(item for item in document["items"] if item["name"] == "临时救助")
    items = []
    for n, star in ((1, 4), (2, None)):
        item = copy.deepcopy(template)
        item.update(dept_code=STREET, dept_name="厦门市海沧区海沧街道办事处", use_level="5",
                    catalog_code=f"00010500{n}000", name=f"街道便民事项{n}")
        item["task_code"] = STREET + "5" + item["catalog_code"]
        if star is None:
            del item["star_level"]
        else:
            item["star_level"] = star
        items.append(item)
    return items


@pytest.fixture
def readiness_catalog(store):
    document = demo_catalog_document()
    document["items"] += street_items(document)
    import_catalog_document(document, store)
    return store


def test_rates_against_targets_per_department(readiness_catalog):
    lines = {line.dept_name: line for line in catalog_readiness(readiness_catalog)}
    market = lines["厦门市海沧区市场监督管理局"]
    assert market.items == 5  # each 食品经营许可 办理项 is an item of its own
    assert market.by_star == {"4": 3, "5": 2}
    assert (market.three_star_rate, market.four_star_rate) == (1.0, 1.0)
    assert market.meets_targets and not market.street_office

    civil = lines["厦门市海沧区民政局"]
    assert civil.by_star == {"3": 1, "4": 2, "5": 1}
    assert civil.four_star_rate == pytest.approx(0.75) and civil.meets_targets
    # By the deepest online depth: only 老年人优待证 reaches 电子证照反馈 (code 7).
    assert civil.by_depth == {"网上办理结果信息反馈": 3, "电子证照反馈": 1}

    education = lines["厦门市海沧区教育局"]
    assert (education.three_star_rate, education.four_star_rate) == (1.0, 0.0)
    assert not education.meets_targets

    street = lines["厦门市海沧区海沧街道办事处"]
    assert street.street_office and street.targets == (0.9, 0.6)
    assert street.by_star == {"4": 1, NO_STAR: 1}
    assert (street.three_star_rate, street.four_star_rate) == (0.5, 0.5)
    assert not street.meets_targets
    missing = {entry["name"]: entry["problems"] for entry in street.items_missing_fields}
    assert "缺少星级" in missing["街道便民事项2"]


def test_missing_fields_are_the_quality_checks(readiness_catalog):
    lines = catalog_readiness(readiness_catalog)
    listed = sorted((entry["task_code"], entry["handle_item_code"] or "")
                    for line in lines for entry in line.items_missing_fields)
    quality = sorted((issue.task_code, issue.handle_item_code or "")
                     for issue in check_catalog_quality(readiness_catalog))
    assert listed == quality and listed


def test_clerk_refused_and_cli_json(readiness_catalog, cli_login, capsys):
    from app.cli import main

    clerk = StaffIdentity("clerk01", "王窗口", "clerk", "350205001")
    with pytest.raises(PermissionRefused, match="无权查看目录完备情况"):
        supervisor_catalog_readiness(clerk, readiness_catalog)
    readiness_catalog.close()  # the CLI opens the station's store itself
    assert cli_login() == 0
    capsys.readouterr()
    assert main(["report", "catalog", "--json"]) == 1
    assert "无权" in capsys.readouterr().err
    assert cli_login("supervisor") == 0
    capsys.readouterr()
    assert main(["report", "catalog", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    lines = {line["dept_code"]: line for line in data["departments"]}
    assert lines[STREET]["three_star_target"] == 0.9
    assert lines[STREET]["three_star_rate"] == 0.5 and lines[STREET]["meets_targets"] is False
    assert main(["report", "catalog"]) == 0
    assert "厦门市海沧区海沧街道办事处" in capsys.readouterr().out
