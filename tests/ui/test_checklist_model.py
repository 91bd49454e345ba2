"""Material checklist model on a real draft from the demo catalog (no window)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.catalog.repository import get_item
from app.intake import DraftState
from ui.intake.checklist_model import (
    COLUMN_COUNTS,
    COLUMN_PAGES,
    COLUMN_RECEIVED,
    COLUMN_REQUIREMENT,
    COLUMN_STATUS,
    ChecklistModel,
)

GTGSH = "11350205003037124P4000109001000"


def _model(demo_catalog) -> tuple[ChecklistModel, DraftState]:
    draft = DraftState.from_catalog_item(get_item(GTGSH))
    model = ChecklistModel()
    model.set_materials(draft.materials)
    return model, draft


def test_checklist_comes_from_the_catalog_with_conditions(demo_catalog, chinese_ui):
    model, draft = _model(demo_catalog)
    assert model.rowCount() == len(draft.materials) == 5
    assert model.data(model.index(0, COLUMN_REQUIREMENT)) == "必要"
    assert model.data(model.index(3, COLUMN_REQUIREMENT)).startswith("情形：委托代理人办理")
    assert model.data(model.index(0, COLUMN_STATUS)) == "缺少"
    assert model.data(model.index(3, COLUMN_STATUS)) == "无需提交"
    assert model.counts() == {"needed": 3, "received": 0, "missing": 3}
    assert model.headerData(COLUMN_RECEIVED, Qt.Orientation.Horizontal) == "收取形式"


def test_recording_forms_edits_the_draft_itself(demo_catalog, chinese_ui):
    model, draft = _model(demo_catalog)
    model.set_received_form(0, "original")
    assert draft.materials[0].received_form == "original" and draft.materials[0].originals == 1
    model.set_received_form(1, "copy")
    model.set_counts(1, 0, 2)
    assert model.data(model.index(1, COLUMN_COUNTS)) == "0 / 2"
    model.set_received_form(2, "deficiency")
    assert model.data(model.index(2, COLUMN_STATUS)) == "容缺后补"
    assert model.counts() == {"needed": 3, "received": 2, "missing": 0}

    # An agent comes: the conditional materials now apply and are missing.
    model.set_condition_applies(3, True)
    assert draft.materials[3].needed and draft.materials[3].received_form == "missing"
    assert "（适用）" in model.data(model.index(3, COLUMN_REQUIREMENT))
    assert model.counts()["missing"] == 1
    model.set_condition_applies(3, False)
    assert draft.materials[3].received_form == "not_applicable"

    draft.materials[2].pages = [{"digest": "0" * 64, "kind": "image", "rotation": 0}] * 3
    model.set_received_form(2, "scanned")
    assert model.data(model.index(2, COLUMN_PAGES)) == "3 页"
