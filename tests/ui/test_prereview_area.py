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
FOURTH_PERSON_ID = "350205198505050038"
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


@pytest.mark.gui
def test_f7_looks_up_the_applicants_certificates_as_at_intake(
        hall, store, intake_catalog, tmp_path, main_window, qtbot, memory_keyring, artifacts):
    """张三's certificates come from the hall's library while the clerk reviews his
    application; the look-up's purpose is in the audit, against the case a pass makes."""
    import json

    from app.certificates import pin_hall_public_key
    from app.prereview import round_case_uuid
    from local_store.models import AuditEvent, CertificateLookup
    from sync.credentials import sign_in
    from tests.support.hall import DEMO_PASSWORD, DEMO_STATION, DEMO_USER
    from ui.cert_lookup import CertificateLookupDialog

    zhang_san = "350205199001011232"
    [application] = submit(hall, tmp_path, [application_record(
        "f7-1", SOLE_TRADER, id_number=zhang_san, skip=("M02", "M03"))])
    settings = main_window.workstation.settings
    lanes = SyncLanes(store, hall.url, timeout_s=15, timings=LaneTimings(),
                      token_source=lambda: sign_in_token(hall),
                      prereview_due=due_rule(settings))
    lanes.lanes["prereview"].run_once()
    lanes.stop()
    settings.hall_url = hall.url
    main_window.workstation.hall_url = hall.url
    sign_in(hall.url, DEMO_STATION, DEMO_USER, DEMO_PASSWORD)
    pin_hall_public_key(settings, save=False)

    area = main_window.show_area("prereview")
    qtbot.waitUntil(lambda: area.current is not None, timeout=10_000)
    assert area.certificates_button.isEnabled()
    area.table.setFocus()
    qtbot.keyClick(area.table, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: area.findChild(CertificateLookupDialog) is not None,
                    timeout=10_000)
    dialog = area.findChild(CertificateLookupDialog)
    panel = dialog.panel
    assert panel.holder_edit.text() == zhang_san  # in full: the look-up needs it
    assert panel.purpose_edit.text().endswith("个体工商户设立登记")
    assert not panel.use_button.isVisible()  # a pass marks 免提交, not this dialog
    qtbot.waitUntil(lambda: panel.model.rowCount() >= 2, timeout=20_000)
    assert "查到 4 个证照" in panel.message_label.text()
    lookup = CertificateLookup.get()
    assert lookup.case_uuid == round_case_uuid(application["id"], 1)
    assert lookup.purpose == panel.purpose_edit.text() and lookup.outcome == "ok"
    [audited] = AuditEvent.select().where(AuditEvent.event == "cert_lookup")
    assert json.loads(audited.detail)["purpose"] == panel.purpose_edit.text()
    assert zhang_san not in audited.object  # masked
    dialog.grab().save(str(artifacts / "prereview_cert_lookup.png"))
    main_window.resize(1366, 768)
    QApplication.processEvents()
    main_window.grab().save(str(artifacts / "prereview_cert_lookup_window_1366.png"))
    dialog.close()


def test_the_station_day_turns_just_past_midnight():
    from zoneinfo import ZoneInfo

    from ui.prereview.queue_watch import NEW_DAY_MARGIN_MS, ms_until_next_day

    shanghai = ZoneInfo("Asia/Shanghai")
    assert ms_until_next_day(dt.datetime(2026, 11, 24, 23, 59, 30, tzinfo=shanghai)) \
        == 30_000 + NEW_DAY_MARGIN_MS
    assert ms_until_next_day(dt.datetime(2026, 11, 24, 0, 0, tzinfo=shanghai)) \
        == 86_400_000 + NEW_DAY_MARGIN_MS


@pytest.mark.gui
def test_the_count_follows_the_lanes_reports_not_a_timer(pulled, hall, store, workstation,
                                                         chinese_ui, qtbot, tmp_path):
    """The status-bar count re-reads when the pre-review lane reports a step (the
    sync child's pipe → ``sync_progressed``), never on an interval."""
    from PySide6.QtCore import QTimer

    from app.settings import Settings
    from ui.prereview.status import PrereviewStatusWidget

    status = PrereviewStatusWidget(workstation)
    qtbot.addWidget(status)
    qtbot.waitUntil(lambda: "网上预审 3 件" in status.text(), timeout=10_000)
    assert not [timer for timer in status.findChildren(QTimer)
                if timer.isActive() and not timer.isSingleShot()]
    submit(hall, tmp_path / "fourth",
           [application_record("d", HEALTH_PERMIT, name="李四", id_number=FOURTH_PERSON_ID)],
           at="2026-11-23T11:00:00+08:00")
    reports = []

    def report() -> None:  # what SyncService does with each report on the child's pipe
        reports.append(True)
        workstation.sync_progressed.emit()

    lanes = SyncLanes(store, hall.url, timeout_s=15, timings=LaneTimings(),
                      token_source=lambda: sign_in_token(hall),
                      prereview_due=due_rule(Settings()), on_change=report)
    lanes.lanes["prereview"].run_once()
    lanes.stop()
    # Working, idle, and between them the lane's steps: the page pulled, the files stored.
    assert len(reports) >= 4
    qtbot.waitUntil(lambda: "网上预审 4 件" in status.text(), timeout=10_000)
