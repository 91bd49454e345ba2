"""The console's key-slot tab (issue 12, item 5): the administrator sees whose
password opens the station, revokes a slot after a confirmation, and reissues
the recovery key after typing the password again (shown once); a clerk gets the
service's refusal, not data.  Staff signed in through the real hall first."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from app.embedded_hall import DEMO_ADMIN, DEMO_PASSWORD, DEMO_USER
from app.security import keys
from app.security.keys import KeySlots, NoSlot, RecoveryKeyWrong
from app.settings import Settings
from app.staff import StaffIdentity
from app.staff.signin import SignInService
from tests.support.station_keys import TEST_KDF_SETTINGS
from tests.ui.test_console_area import CLERK, open_console
from tests.ui.test_sign_in_window import gui_session, sign_in_through  # noqa: F401 - fixture

pytestmark = pytest.mark.gui

ADMIN = StaffIdentity(DEMO_ADMIN, DEMO_ADMIN, "administrator", "350205001")


@pytest.fixture
def staffed(store, shared_hall, memory_keyring) -> str:
    """The administrator (the station's first sign-in, which made the keys) and the
    demo clerk signed in through the hall; returns the first recovery key."""
    first = SignInService(store, Settings(**TEST_KDF_SETTINGS), hall_url=shared_hall.url)
    first.sign_in(DEMO_ADMIN, DEMO_PASSWORD)
    SignInService(store, Settings(**TEST_KDF_SETTINGS), hall_url=shared_hall.url).sign_in(
        DEMO_USER, DEMO_PASSWORD)
    return first.recovery_code


def show_key_slots(console, qtbot):
    tab = console.key_slots
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        console.tabs.setCurrentWidget(tab)
    return tab


def rows(tab) -> dict[str, list[str]]:
    return {tab.table.item(row, 0).text(): [tab.table.item(row, c).text() for c in range(6)]
            for row in range(tab.table.rowCount())}


def test_the_administrator_revokes_a_slot_and_reissues_the_recovery_key(
        staffed, store, main_window, qtbot, artifacts):
    old_code = staffed
    console = open_console(main_window, qtbot, ADMIN)
    main_window.resize(1366, 768)
    tab = show_key_slots(console, qtbot)
    shown = rows(tab)
    assert set(shown) == {DEMO_ADMIN, DEMO_USER}
    assert shown[DEMO_USER][2:4] == ["窗口人员", "可解锁本工位"]
    assert "2 个账户可用密码解锁本工位" in tab.message.text()
    assert "恢复密钥签发于" in tab.recovery.text()
    assert not tab.revoke_button.isEnabled()  # nothing selected yet
    main_window.grab().save(str(artifacts / "console_key_slots.png"))

    tab.table.selectRow(list(shown).index(DEMO_USER))
    assert tab.revoke_button.isEnabled()
    box = tab.ask_to_revoke()
    assert "clerk01" in box.text() and "不能再解锁" in box.text()
    box.grab().save(str(artifacts / "console_key_slots_confirm.png"))
    box.button(QMessageBox.StandardButton.Cancel).click()  # changed their mind: nothing
    assert "slot" in KeySlots.load(store.home).staff(DEMO_USER)

    box = tab.ask_to_revoke()
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        box.findChild(type(tab.revoke_button), "keySlotsConfirm").click()
    assert "已撤销 clerk01 的密钥槽" in tab.message.text()
    assert "已撤销" in rows(tab)[DEMO_USER][3] and DEMO_ADMIN in rows(tab)[DEMO_USER][3]
    with pytest.raises(NoSlot):
        KeySlots.load(store.home).unwrap_staff(DEMO_USER, DEMO_PASSWORD)
    main_window.grab().save(str(artifacts / "console_key_slots_revoked.png"))

    # Own slot: refused by the service, the message on screen.
    tab.table.selectRow(list(rows(tab)).index(DEMO_ADMIN))
    with qtbot.waitSignal(tab.revoked, timeout=10_000):
        tab.revoke(DEMO_ADMIN)
    assert "不能撤销自己的密钥槽" in tab.message.text()

    dialog = tab.ask_to_reissue()
    dialog.password.setText("not-the-password")
    with qtbot.waitSignal(tab.reissued, timeout=10_000):
        dialog.confirm.click()
    assert "用户名或密码错误" in dialog.refusal.text() and dialog.password.text() == ""
    assert KeySlots.load(store.home).unwrap_recovery(old_code) == keys.station_keys()
    dialog.password.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(tab.reissued, timeout=10_000):
        dialog.confirm.click()
    new_code = dialog.code.text()
    groups = new_code.replace("\n", "-").split("-")
    assert dialog.code.isVisible() and len(groups) == 8 and new_code != old_code
    assert all(len(group) == 6 and group.isdigit() for group in groups)
    # The whole key is on screen: each line fits the label, the label fits the dialog.
    widest = max(dialog.code.fontMetrics().horizontalAdvance(line)
                 for line in new_code.splitlines())
    assert widest <= dialog.code.width()
    assert dialog.code.geometry().right() < dialog.width()
    assert "只显示这一次" in dialog.heading.text()
    dialog.grab().save(str(artifacts / "console_recovery_key_new.png"))
    slots = KeySlots.load(store.home)
    with pytest.raises(RecoveryKeyWrong):
        slots.unwrap_recovery(old_code)
    assert slots.unwrap_recovery(new_code) == keys.station_keys()
    dialog.findChild(type(tab.revoke_button), "recoveryKeyDone").click()
    assert not dialog.isVisible()


def test_a_clerk_gets_the_refusal_not_the_slots(staffed, store, main_window, qtbot):
    console = open_console(main_window, qtbot, CLERK)
    tab = show_key_slots(console, qtbot)
    assert "无权查看工位密钥槽" in tab.message.text() and tab.table.rowCount() == 0
    with qtbot.waitSignal(tab.revoked, timeout=10_000):  # pressed anyway: the service says no
        tab.revoke(DEMO_ADMIN)
    assert "无权撤销工作人员密钥槽" in tab.message.text()
    dialog = tab.ask_to_reissue()
    dialog.password.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(tab.reissued, timeout=10_000):
        dialog.confirm.click()
    assert "无权重新签发恢复密钥" in dialog.refusal.text()
    assert KeySlots.load(store.home).unwrap_recovery(staffed) == keys.station_keys()
    dialog.close()


def test_the_tab_does_not_clip_stretched_strings(staffed, store, pseudo_locale, qtbot,
                                                 artifacts):
    from types import SimpleNamespace

    from tests.ui.test_pseudo_locale import clipped
    from ui.main_window import MainWindow
    from ui.workstation import Workstation

    workstation = Workstation(store, Settings())
    workstation.staff_session = SimpleNamespace(identity=ADMIN)
    window = MainWindow(workstation)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    console = window.tabs.show_area("console")
    with qtbot.waitSignal(console.loaded, timeout=10_000):
        console.refresh()
    tab = show_key_slots(console, qtbot)
    tab.table.selectRow(0)
    qtbot.waitUntil(lambda: not clipped(window), timeout=2_000)
    window.grab().save(str(artifacts / "console_key_slots_pseudo.png"))
    window.close()


def test_a_clerk_revoked_while_signed_in_at_a_window_needs_the_hall_at_the_unlock(
        gui_session, qtbot, shared_hall):  # noqa: F811
    """``onewindow user revoke`` from another process while the clerk works at the
    window: the window's session ends; at the lock the clerk's password opens
    nothing offline, the hall (still accepting the account) gives a fresh slot, and
    the window works under a new session."""
    from app.staff.key_slots import revoke_staff_slot
    from local_store.models import StaffSession

    settings = Settings(hall_url=shared_hall.url, **TEST_KDF_SETTINGS)
    gui = gui_session(settings)
    sign_in_through(gui.sign_in_dialog, qtbot, DEMO_USER, DEMO_PASSWORD)
    qtbot.waitUntil(lambda: not gui.staff.locked, timeout=30_000)
    store = gui.workstation.store
    admin = SignInService(store, settings, hall_url=shared_hall.url).sign_in(DEMO_ADMIN,
                                                                             DEMO_PASSWORD)
    qtbot.waitUntil(lambda: StaffSession.select().where(
        StaffSession.account == DEMO_USER).count() == 1, timeout=10_000)
    revoke_staff_slot(store, settings, admin, DEMO_USER)
    assert StaffSession.get(StaffSession.account == DEMO_USER).end_reason == "revoked"

    gui.staff.lock()
    unlock = gui.sign_in_dialog
    sign_in_through(unlock, qtbot, DEMO_USER, DEMO_PASSWORD)
    qtbot.waitUntil(lambda: not gui.staff.locked or unlock.message.text() not in (
        "", "正在登录…"), timeout=30_000)
    assert not gui.staff.locked, unlock.message.text()
    assert "slot" in KeySlots.load(store.home).staff(DEMO_USER)  # given again by the hall
    sessions = list(StaffSession.select().where(StaffSession.account == DEMO_USER)
                    .order_by(StaffSession.id))
    assert [(s.end_reason, s.ended_at is None) for s in sessions] == [("revoked", False),
                                                                      ("", True)]
