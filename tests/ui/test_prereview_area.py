"""网上预审 area: the queue from the real hall, sorted by due date with the
countdown, due-today and overdue marked, the count in the status bar; an
application opened, returned with the materials to supply."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication

from app.prereview import due_rule
from local_store.models import PrereviewApplication, PrereviewDecision
from sync.lanes import LaneTimings, SyncLanes
from tests.support.applications import (
    HEALTH_PERMIT,
    SECOND_PERSON_ID,
    SOLE_TRADER,
    application_record,
    submit,
)
from tests.support.sync_trials import sign_in_token
from ui.prereview.queue_model import COLUMN_DUE, COLUMN_ID, DUE_TODAY_COLOUR, OVERDUE_COLOUR

THIRD_PERSON_ID = "350205198001010016"
TODAY = dt.date(2026, 11, 24)  # a Tuesday


@pytest.fixture
def pulled(hall, store, intake_catalog, tmp_path):
    """Three applications on the hall, pulled by the station's lane."""
    ids = {}
    for name, record, at in (
        ("today", application_record("a", HEALTH_PERMIT), "2026-11-20T16:30:00+08:00"),
        ("overdue", application_record("b", SOLE_TRADER, id_number=SECOND_PERSON_ID),
         "2026-11-18T10:00:00+08:00"),
        ("later", application_record("c", HEALTH_PERMIT, name="阿依古丽·买买提",
                                     id_number=THIRD_PERSON_ID), "2026-11-23T09:00:00+08:00"),
    ):
        [result] = submit(hall, tmp_path / name, [record], at=at)
        ids[name] = result["id"]
    from app.settings import Settings

    lanes = SyncLanes(store, hall.url, timeout_s=15, timings=LaneTimings(),
                      token_source=lambda: sign_in_token(hall),
                      prereview_due=due_rule(Settings()))
    lanes.lanes["prereview"].run_once()
    lanes.stop()
    assert PrereviewApplication.select().count() == 3
    return ids


@pytest.mark.gui
def test_queue_by_due_date_then_return_for_completion(pulled, main_window, qtbot, artifacts):
    status = main_window.findChild(object, "prereviewStatus")
    status.today = TODAY
    status.refresh()
    qtbot.waitUntil(lambda: "超期 1 件" in status.text(), timeout=10_000)
    assert "网上预审 3 件" in status.text() and "今日到期 1 件" in status.text()

    area = main_window.show_area("prereview")
    area.today = TODAY
    area.refresh()
    qtbot.waitUntil(lambda: area.model.rowCount() == 3 and area.current is not None,
                    timeout=10_000)
    model = area.model
    ids = [model.index(row, COLUMN_ID).data() for row in range(3)]
    assert ids == [pulled["overdue"], pulled["today"], pulled["later"]]
    due = [model.index(row, COLUMN_DUE).data() for row in range(3)]
    assert due == ["2026-11-20 · 已超期 2 个工作日", "2026-11-24 · 今日到期",
                   "2026-11-25 · 剩 1 个工作日"]
    background = Qt.ItemDataRole.BackgroundRole
    assert model.index(0, COLUMN_DUE).data(background).color() == OVERDUE_COLOUR
    assert model.index(1, COLUMN_DUE).data(background).color() == DUE_TODAY_COLOUR
    assert model.index(2, COLUMN_DUE).data(background) is None
    assert "3 件网上申请待预审" in area.summary.text()
    main_window.grab().save(str(artifacts / "prereview_queue.png"))

    # Open the application due today: applicant (masked), materials with files, checks.
    area.table.selectRow(1)
    qtbot.waitUntil(lambda: area.current and area.current["id"] == pulled["today"],
                    timeout=10_000)
    page = area.detail.toPlainText()
    assert "公共场所卫生许可" in page and "350205**" in page and "199003" not in page
    assert "✓ 申请人证件号码" in page and "已全部下载到本机" in page

    # A file opens in the desktop's viewer from a private viewing copy.
    opened = []
    area.open_url = opened.append
    file = area.current["materials"][0]["files"][0]
    area.open_file(QUrl(f"material:{file['sha256']}"))
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=10_000)
    copy = Path(opened[0].toLocalFile())
    assert copy.suffix == ".pdf" and copy.read_bytes().startswith(b"%PDF-")
    assert copy.parent.name == "viewing" and oct(copy.stat().st_mode & 0o777) == "0o600"

    # Return without saying what: refused, nothing typed is lost.
    area.reason.setPlainText("检测报告已过期，请上传一年内的报告")
    area.return_button.click()
    qtbot.waitUntil(lambda: "一次性列明" in area.message.text(), timeout=10_000)
    assert area.reason.toPlainText() == "检测报告已过期，请上传一年内的报告"
    assert area.return_button.isEnabled()
    for row in range(area.missing.count()):
        if area.missing.item(row).data(Qt.ItemDataRole.UserRole) == "M03":
            area.missing.item(row).setCheckState(Qt.CheckState.Checked)
    area.return_button.click()
    qtbot.waitUntil(lambda: "已排队上报大厅" in area.message.text(), timeout=10_000)
    decision = PrereviewDecision.get()
    assert (decision.decision, decision.missing[0]["material_id"]) == ("return", "M03")
    qtbot.waitUntil(lambda: area.model.rowCount() == 2, timeout=10_000)
    # The next application opens by itself.
    qtbot.waitUntil(lambda: area.current and area.current["id"] == pulled["overdue"],
                    timeout=10_000)
    QApplication.processEvents()  # let the new page lay out before the picture
    main_window.grab().save(str(artifacts / "prereview_returned.png"))
    status.refresh()
    qtbot.waitUntil(lambda: "网上预审 2 件" in status.text(), timeout=10_000)
    area.shutdown()
    assert not copy.exists()  # viewing copies go when the area closes
