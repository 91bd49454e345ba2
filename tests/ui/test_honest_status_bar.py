"""The status bar never says all is well when it is not (issue 17, item 3)."""

from __future__ import annotations

import pytest

from local_store.models import OutboxEntry
from sync import outbox
from tests.support.producers import create_case
from ui.background import wait_for_background
from ui.sync_view import ALARM_COLOUR, OK_COLOUR

# Timing is not the subject here: background work runs at once (tests/support/ui.py).
pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("synchronous_pool")]

KEYRING_PROBLEM = (
    "Cases cannot be sent to the hall yet: no secure keyring is available on this "
    "computer (keyring.errors.NoKeyringError); install and unlock one, then restart"
)


def test_reachable_hall_without_sign_in_is_not_online(main_window, qtbot, artifacts):
    status = main_window.status
    status.set_online(True)
    assert status.connectivity_label.text() == "在线"
    status.set_sign_in_problem(KEYRING_PROBLEM)
    label = status.connectivity_label
    assert label.text() != "在线" and "未登录" in label.text()
    assert "#1a7f37" not in label.styleSheet()
    assert label.toolTip() == KEYRING_PROBLEM  # the whole reason, never cut off
    main_window.resize(1366, 768)
    qtbot.waitUntil(lambda: label.width() >= label.sizeHint().width())
    sync_label = main_window.findChild(type(label), "syncStatus")
    # Side by side, not on top of each other.
    left, right = sorted((label, sync_label), key=lambda w: w.geometry().x())
    assert left.geometry().right() < right.geometry().left()
    main_window.grab().save(str(artifacts / "status_bar_not_signed_in_1366.png"))
    status.set_sign_in_problem("")
    assert label.text() == "在线"


def test_parked_cases_are_never_shown_in_green(store, workstation, qtbot, chinese_ui):
    from ui.sync_view import SyncStatusWidget

    case = create_case(store)
    entry = OutboxEntry.get(OutboxEntry.case == case)
    store.writer.call(outbox.park, entry.id, "大厅拒绝了请求（HTTP 422）")
    widget = SyncStatusWidget(workstation)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.summary is not None)
    assert widget.summary.level == "ok"  # young: the age alone would be green
    assert "搁置 1" in widget.text() and "全部办件已上报" not in widget.text()
    assert ALARM_COLOUR in widget.styleSheet() and OK_COLOUR not in widget.styleSheet()
    widget.shutdown()
    wait_for_background()
