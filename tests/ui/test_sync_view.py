"""The sync area and status widget: queue model (headless), retry/park, thresholds."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, Qt

from local_store.models import OutboxEntry, utcnow
from sync import outbox
from sync.summary import queue_rows, queue_summary
from tests.support.producers import create_case
from ui.background import wait_for_background
from ui.sync_view import (
    ALARM_COLOUR,
    COLUMN_AGE,
    COLUMN_ATTEMPTS,
    COLUMN_COUNT,
    COLUMN_ERROR,
    COLUMN_EVENT,
    COLUMN_NUMBER,
    COLUMN_STATE,
    WARNING_COLOUR,
    SyncQueueModel,
    SyncStatusWidget,
    SyncView,
    describe_wait,
)

# Timing is not the subject here: background work runs at once (tests/support/ui.py).
pytestmark = pytest.mark.usefixtures("synchronous_pool")


def age_entry(entry_id: int, hours: float) -> None:
    OutboxEntry.update(enqueued_at=utcnow() - dt.timedelta(hours=hours)).where(
        OutboxEntry.id == entry_id
    ).execute()


def test_model_shows_queue_in_chinese_with_age_colours(store, chinese_ui):
    fresh = create_case(store)
    old = create_case(store, event="receive")
    older = create_case(store)
    ids = {c.id: OutboxEntry.get(OutboxEntry.case == c).id for c in (fresh, old, older)}
    age_entry(ids[old.id], 9)
    age_entry(ids[older.id], 13)
    store.writer.call(outbox.park, ids[older.id], "大厅拒绝了请求（HTTP 403）")

    model = SyncQueueModel(8, 12)
    model.set_rows(queue_rows())
    assert model.rowCount() == 3 and model.columnCount() == COLUMN_COUNT
    cell = lambda row, col, role=Qt.ItemDataRole.DisplayRole: model.data(  # noqa: E731
        model.index(row, col), role
    )
    # Oldest first.
    assert [cell(r, COLUMN_NUMBER) for r in range(3)] == [older.number, old.number, fresh.number]
    assert cell(0, COLUMN_STATE) == "已搁置" and cell(2, COLUMN_STATE) == "排队中"
    # A parked entry says why, then what to do about it.
    assert cell(0, COLUMN_ERROR).startswith("大厅拒绝了请求（HTTP 403）。")
    assert "重试" in cell(0, COLUMN_ERROR)
    assert cell(1, COLUMN_EVENT) == "收件" and cell(0, COLUMN_EVENT) == "受理"
    assert cell(0, COLUMN_AGE) == "13 小时 0 分"
    assert cell(2, COLUMN_ATTEMPTS) == 0
    foreground = Qt.ItemDataRole.ForegroundRole
    assert cell(0, COLUMN_AGE, foreground).name() == ALARM_COLOUR
    assert cell(1, COLUMN_AGE, foreground).name() == WARNING_COLOUR
    assert cell(2, COLUMN_AGE, foreground) is None
    assert model.headerData(COLUMN_ERROR, Qt.Orientation.Horizontal) == "最近错误"
    assert model.rowCount(model.index(0, 0)) == 0 and model.data(QModelIndex()) is None


def test_describe_wait(chinese_ui):
    assert describe_wait(None) == ""
    assert describe_wait(20) == "不到 1 分钟"
    assert describe_wait(5 * 60) == "5 分钟"
    assert describe_wait(2 * 3600 + 300) == "2 小时 5 分"


def test_summary_levels(store):
    case = create_case(store)
    entry = OutboxEntry.get(OutboxEntry.case == case)
    assert queue_summary(8, 12).level == "ok"
    age_entry(entry.id, 8.5)
    assert queue_summary(8, 12).level == "warning"
    age_entry(entry.id, 12.5)
    summary = queue_summary(8, 12)
    assert summary.level == "alarm" and summary.alarm and summary.oldest_unsent_age_s > 12 * 3600
    store.writer.call(outbox.mark_acknowledged, entry.id)
    summary = queue_summary(8, 12)
    assert summary.level == "ok" and summary.oldest_unsent_age_s is None
    assert summary.acknowledged == 1 and summary.unsent == 0


@pytest.mark.gui
def test_view_parks_and_retries_selected_entries(store, workstation, qtbot, chinese_ui):
    from sync.control import write_state
    from sync.lanes import LaneState

    cases = [create_case(store) for _ in range(2)]
    write_state(store.home, {"upload": LaneState("upload", "offline", "无法连接大厅")})
    requested = []
    workstation.sync_requested.connect(lambda: requested.append(True))
    view = SyncView(workstation)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    assert "待上报 2" in view.summary_label.text()
    assert view.lanes_label.text() == "办件上报：大厅不可达，稍后自动重试（无法连接大厅）"

    view.table.selectRow(0)
    qtbot.mouseClick(view.park_button, Qt.MouseButton.LeftButton)
    first = OutboxEntry.get(OutboxEntry.case == cases[0])
    qtbot.waitUntil(lambda: OutboxEntry.get_by_id(first.id).state == outbox.PARKED)
    # The stored reason is data (app.outbox_queue.parked_by), naming the clerk.
    clerk = workstation.settings.clerk_name
    assert OutboxEntry.get_by_id(first.id).last_error == f"由 {clerk} 人工搁置"
    qtbot.waitUntil(lambda: view.model.row_at(0).state == outbox.PARKED)
    assert "搁置 1" in view.summary_label.text()

    view.table.selectRow(0)
    qtbot.mouseClick(view.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: OutboxEntry.get_by_id(first.id).state == outbox.QUEUED)
    qtbot.mouseClick(view.sync_now_button, Qt.MouseButton.LeftButton)
    assert requested
    # What the sync service's lanes do reaches the view by event (its pipe), not a poll.
    store.writer.call(outbox.mark_acknowledged_many,
                      [OutboxEntry.get(OutboxEntry.case == c).id for c in cases])
    workstation.sync_progressed.emit()
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=3_000)
    # The lanes, too, come by event; the state file was for the first paint only.
    workstation.sync_lanes_changed.emit({"upload": dataclasses.asdict(LaneState("upload", "idle"))})
    assert view.lanes_label.text() == "办件上报：正常"
    write_state(store.home, {"upload": LaneState("upload", "offline", "无法连接大厅")})
    view.refresh()
    qtbot.waitUntil(lambda: not view._loading)
    assert view.lanes_label.text() == "办件上报：正常"
    view.shutdown()
    wait_for_background()


@pytest.mark.gui
def test_status_widget_turns_red_at_the_alarm(store, workstation, qtbot, chinese_ui):
    case = create_case(store)
    age_entry(OutboxEntry.get(OutboxEntry.case == case).id, 12.5)
    widget = SyncStatusWidget(workstation)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.summary is not None)
    assert widget.summary.level == "alarm"
    assert "待上报 1" in widget.text() and "12 小时 30 分" in widget.text()
    assert ALARM_COLOUR in widget.styleSheet()
    # The sync service acknowledges it (in its child process) and says so on its pipe:
    # the count follows the event, not a timer (the clock's is a minute).
    store.writer.call(outbox.mark_acknowledged, OutboxEntry.get(OutboxEntry.case == case).id)
    workstation.sync_progressed.emit()
    qtbot.waitUntil(lambda: widget.summary.unsent == 0, timeout=3_000)
    assert ALARM_COLOUR not in widget.styleSheet()
    widget.shutdown()
    wait_for_background()


def test_model_updates_in_place_and_keeps_rows_that_stay(store, chinese_ui):
    from PySide6.QtTest import QSignalSpy

    cases = [create_case(store) for _ in range(4)]
    ids = [OutboxEntry.get(OutboxEntry.case == c).id for c in cases]
    model = SyncQueueModel(8, 12)
    model.set_rows(queue_rows())
    resets = QSignalSpy(model.modelReset)
    removed = QSignalSpy(model.rowsRemoved)
    inserted = QSignalSpy(model.rowsInserted)
    store.writer.call(outbox.mark_acknowledged_many, [ids[0], ids[2]])
    store.writer.call(outbox.park, ids[3], "人工搁置")
    late = create_case(store)
    model.set_rows(queue_rows())
    assert resets.count() == 0 and removed.count() == 2 and inserted.count() == 1
    numbers = [model.data(model.index(r, COLUMN_NUMBER)) for r in range(model.rowCount())]
    assert numbers == [cases[1].number, cases[3].number, late.number]
    assert model.data(model.index(1, COLUMN_STATE)) == "已搁置"
