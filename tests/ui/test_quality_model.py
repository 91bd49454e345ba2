"""Catalog quality view: the model over app.catalog.quality, no window needed."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from PySide6.QtCore import Qt

from app.catalog.importer import import_catalog_document
from app.catalog.quality import check_catalog_quality
from ui.catalog.quality_model import (
    COLUMN_NAME,
    COLUMN_PROBLEM_COUNT,
    COLUMN_PROBLEMS,
    TASK_CODE_ROLE,
    QualityIssuesModel,
)

DEMO = Path(__file__).resolve().parents[2] / "app" / "data" / "demo_catalog.json"


def test_items_missing_standard_fields_are_listed(store, chinese_ui):
    document = json.loads(DEMO.read_text(encoding="utf-8"))
    sloppy = copy.deepcopy(document["items"][0])
    sloppy["by_law"] = ""
    sloppy["transact_time"] = ""
    sloppy["version"] = sloppy.get("version", 1) + 1
    document["items"][0] = sloppy
    import_catalog_document(document, store)

    model = QualityIssuesModel()
    model.set_issues(check_catalog_quality(store))
    rows = {model.data(model.index(r, 0), TASK_CODE_ROLE): r for r in range(model.rowCount())}
    row = rows[sloppy["task_code"]]
    assert model.data(model.index(row, COLUMN_NAME)) == sloppy["name"]
    problems = model.data(model.index(row, COLUMN_PROBLEMS))
    assert "缺少设定依据" in problems and "缺少办理时间" in problems
    assert int(model.data(model.index(row, COLUMN_PROBLEM_COUNT))) >= 2
    assert model.headerData(COLUMN_PROBLEMS, Qt.Orientation.Horizontal) == "缺少的要素"
