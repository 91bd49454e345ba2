"""F7 with the library out of reach marks no material received (issue 17, item 4).

An organisation with a well-formed USCC on an item that asks for 营业执照:
the look-up fails (no hall), so the licence stays 未收 in the checklist and
the decision step lists it as missing.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.support.intake import VALID_AGENT_ID, VALID_USCC
from tests.ui.test_intake_keyboard import focused, open_intake_for, type_into_focus

# Timing is not the subject here: background work runs at once (tests/support/ui.py).
pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("synchronous_pool")]

CTRL = Qt.KeyboardModifier.ControlModifier


def test_failed_look_up_leaves_the_business_licence_missing(
    demo_catalog, main_window, qtbot, artifacts
):
    from ui.cert_lookup import CertificateLookupDialog

    area = open_intake_for(qtbot, main_window, "spjy", "食品经营许可（新办）")
    view = area.intake
    form = view.applicant_form
    form.kind_box.setCurrentIndex(form.kind_box.findData("organisation"))
    form.name.setFocus()
    type_into_focus(qtbot, "厦门海沧示例餐饮有限公司")
    form.uscc.number.setFocus()
    type_into_focus(qtbot, VALID_USCC)
    form.legal_rep_name.setFocus()
    type_into_focus(qtbot, "李四")
    form.legal_rep_id.number.setFocus()
    type_into_focus(qtbot, VALID_AGENT_ID)
    form.phone.setFocus()
    type_into_focus(qtbot, "13800138000")
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)  # → materials
    assert view.pages.currentWidget() is view.materials_page

    qtbot.keyClick(focused(), Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: view.findChild(CertificateLookupDialog) is not None)
    dialog = view.findChild(CertificateLookupDialog)
    # No hall configured: the look-up ends on its offline path.
    qtbot.waitUntil(lambda: dialog.panel.lookup_button.isEnabled(), timeout=15_000)
    dialog.close()

    licence = view.draft.material("M02")
    assert licence.name == "营业执照"
    assert licence.received_form == "missing" and licence.cert_ref is None
    row = [e.material_id for e in view.materials_page.model.entries()].index("M02")
    assert view.materials_page.model.entry_at(row).received_form == "missing"
    main_window.grab().save(str(artifacts / "unverified_licence_stays_missing.png"))

    view.next_step()  # → decision
    assert view.pages.currentWidget() is view.decision_panel
    assert "营业执照" in view.decision_panel.missing_label.text()
