"""Catalog browser pieces without a window: hit model, item guide, status."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.catalog.repository import get_item
from app.catalog.search import CatalogIndex
from ui.catalog.hits_model import (
    COLUMN_CATALOG_CODE,
    COLUMN_MATCH,
    COLUMN_NAME,
    TASK_CODE_ROLE,
    CatalogHitsModel,
)
from ui.catalog.item_detail import describe_limit, item_detail_html, stars

GTGSH = "11350205003037124P4000109001000"


def test_hits_model_lists_search_results_with_named_columns(demo_catalog, chinese_ui):
    model = CatalogHitsModel()
    model.set_hits(CatalogIndex.load().search("gtgsh"))
    names = [model.data(model.index(row, COLUMN_NAME)) for row in range(model.rowCount())]
    assert "个体工商户设立登记" in names
    row = names.index("个体工商户设立登记")
    assert model.data(model.index(row, COLUMN_NAME), TASK_CODE_ROLE) == GTGSH
    assert model.data(model.index(row, COLUMN_CATALOG_CODE)) == GTGSH[-12:]
    assert model.data(model.index(row, COLUMN_MATCH)) == "拼音"
    assert model.headerData(COLUMN_NAME, Qt.Orientation.Horizontal) == "事项"
    assert model.hit_at(model.rowCount()) is None


def test_one_character_query_fills_the_model(demo_catalog):
    model = CatalogHitsModel()
    model.set_hits(CatalogIndex.load().search("证"))
    assert model.rowCount() >= 3


def test_item_guide_shows_every_standard_field(demo_catalog, chinese_ui):
    item = get_item(GTGSH)
    html = item_detail_html(item)
    for expected in (
        "个体工商户设立登记",
        item["dept_name"],
        "受理条件",
        "申请材料",
        "办理流程",
        "法定办结时限",
        "承诺办结时限",
        "个工作日",
        "星级",
        "认证级别",
        "到现场次数",
        "设定依据",
        "办理地点",
        "办理时间",
        "咨询方式",
        "监督投诉",
        "视情形提交",
        stars(item["star_level"]),
    ):
        assert expected in html, expected
    for material in item["materials"]:
        assert material["name"] in html
        if material.get("condition"):
            assert material["condition"] in html


def test_certificate_type_names_come_from_the_code_table(demo_catalog, chinese_ui):
    html = item_detail_html(get_item(GTGSH))
    assert "居民身份证" in html  # CT001 in app/data/cert_types.json
    assert "CT001" not in html


def test_limits_read_with_units(chinese_ui):
    assert describe_limit({"value": 20, "unit": "working_day"}) == "20 个工作日"
    assert describe_limit({"value": 30, "unit": "natural_day"}) == "30 个自然日"
    assert describe_limit(None) == "未规定"
    assert stars(3) == "★★★☆☆"


def test_inactive_item_is_flagged(chinese_ui):
    html = item_detail_html({"name": "旧事项", "state": "suspended", "materials": []})
    assert "该事项当前不可办理" in html
    assert "未列出申请材料" in html


def test_handle_items_are_listed_under_their_item(demo_catalog, chinese_ui):
    from app.catalog.item_key import ItemKey
    from ui.catalog.hits_model import ITEM_KEY_ROLE

    model = CatalogHitsModel()
    model.set_hits(CatalogIndex.load().search("食品经营"))
    names = [model.data(model.index(row, COLUMN_NAME)) for row in range(model.rowCount())]
    assert names == ["食品经营许可 › 新办", "食品经营许可 › 变更", "食品经营许可 › 延续",
                     "食品经营许可 › 注销"]
    key = model.data(model.index(1, COLUMN_NAME), ITEM_KEY_ROLE)
    assert isinstance(key, ItemKey) and key.handle_item_code.endswith("002")
    assert get_item(key)["handle_item_name"] == "食品经营许可（变更）"
    tooltip = model.data(model.index(1, COLUMN_NAME), Qt.ItemDataRole.ToolTipRole)
    assert "食品经营许可（变更）" in tooltip and key.handle_item_code in tooltip
    html = item_detail_html(get_item(key))
    assert "业务办理项" in html and "食品经营许可（变更）" in html and key.handle_item_code in html
