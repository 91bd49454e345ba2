"""The window opens on the sign-in dialog, locks when idle without losing work,
and lets another clerk take over (issue 12).  Real hall over loopback."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.embedded_hall import DEMO_PASSWORD, DEMO_USER
from app.settings import Settings
from local_store.models import AuditEvent
from ui.application import GuiSession

pytestmark = pytest.mark.gui


@pytest.fixture
def gui_session(home, qtbot, chinese_ui, memory_keyring):
    sessions: list[GuiSession] = []

    def start(settings: Settings) -> GuiSession:
        gui = GuiSession(settings)
        sessions.append(gui)
        with qtbot.waitSignal(gui.ready, timeout=20_000):
            gui.start()
        return gui

    yield start
    for gui in sessions:
        if gui.window is not None:
            gui.window.close()
        gui.shutdown()


def sign_in_through(dialog, qtbot, account: str, password: str) -> None:
    dialog.account_edit.setText(account)
    dialog.password_edit.setText(password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)


def test_demo_window_opens_on_a_filled_sign_in_dialog(gui_session, qtbot, artifacts):
    gui = gui_session(Settings())  # no hall configured: `make run`'s demo
    dialog = gui.sign_in_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "工作人员登录"
    assert (dialog.account_edit.text(), dialog.password_edit.text()) == (DEMO_USER,
                                                                         DEMO_PASSWORD)
    assert not gui.window.centralWidget().isVisible()  # nothing shows before a sign-in
    dialog.grab().save(str(artifacts / "sign_in_dialog.png"))

    # The sign-in waits for the demo hall to come up, then asks it.
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not gui.staff.locked, timeout=60_000)
    assert gui.settings.clerk_name == DEMO_USER
    assert gui.window.centralWidget().isVisible()
    search = gui.window.areas["intake"].browser.search_box
    qtbot.waitUntil(lambda: gui.window.focusWidget() is search)  # where work starts
    label = gui.clerk_status.label.text()
    assert "clerk01" in label and "窗口人员" in label
    gui.window.resize(1366, 768)
    gui.window.grab().save(str(artifacts / "signed_in_window.png"))


def test_wrong_password_keeps_the_account_and_says_why(gui_session, qtbot, shared_hall):
    gui = gui_session(Settings(hall_url=shared_hall.url))
    dialog = gui.sign_in_dialog
    assert dialog.account_edit.text() == ""  # a real station: nothing filled in
    sign_in_through(dialog, qtbot, "supervisor", "wrong-password")
    qtbot.waitUntil(lambda: "用户名或密码错误" in dialog.message.text(), timeout=30_000)
    assert dialog.account_edit.text() == "supervisor" and dialog.password_edit.text() == ""
    assert gui.staff.locked and dialog.isVisible()


def test_idle_lock_keeps_the_work_and_another_clerk_takes_over(gui_session, qtbot,
                                                              shared_hall, artifacts):
    settings = Settings(hall_url=shared_hall.url, idle_lock_minutes=0.05,
                        idle_warning_seconds=1.0)
    gui = gui_session(settings)
    sign_in_through(gui.sign_in_dialog, qtbot, DEMO_USER, DEMO_PASSWORD)
    qtbot.waitUntil(lambda: not gui.staff.locked, timeout=30_000)
    search = gui.window.areas["intake"].browser.search_box
    qtbot.keyClicks(search, "gtgsh")  # typing counts as activity

    with qtbot.waitSignal(gui.staff.idle_warning, timeout=10_000):
        pass
    assert "秒后锁定" in gui.window.statusBar().currentMessage()
    with qtbot.waitSignal(gui.staff.locked_changed, timeout=10_000) as locked:
        pass
    assert locked.args == [True]
    assert not gui.window.centralWidget().isVisible()
    unlock = gui.sign_in_dialog
    assert unlock.account_edit.text() == DEMO_USER and "锁定" in unlock.heading.text()
    unlock.grab().save(str(artifacts / "idle_lock_dialog.png"))

    # Another clerk signs in at the lock: the window is theirs, the typing is still there.
    sign_in_through(unlock, qtbot, "supervisor", DEMO_PASSWORD)
    qtbot.waitUntil(lambda: not gui.staff.locked or "失败" in unlock.message.text()
                    or "错误" in unlock.message.text(), timeout=30_000)
    assert not gui.staff.locked, unlock.message.text()
    assert search.text() == "gtgsh"
    qtbot.waitUntil(lambda: gui.window.focusWidget() is search)  # back where it was
    assert gui.settings.clerk_name == "supervisor" and "supervisor" in gui.clerk_status.label.text()

    # Switching back by the button, without a lock, closes nothing either.
    switch = gui.open_sign_in("switch")
    sign_in_through(switch, qtbot, DEMO_USER, DEMO_PASSWORD)
    qtbot.waitUntil(lambda: gui.settings.clerk_name == DEMO_USER, timeout=30_000)
    assert search.text() == "gtgsh"

    def audited():
        return [(row.account, row.event) for row in AuditEvent.select().order_by(AuditEvent.id)]

    qtbot.waitUntil(lambda: ("clerk01", "idle_lock") in audited(), timeout=10_000)
    events = audited()
    assert ("supervisor", "clerk_switch") in events and ("clerk01", "clerk_switch") in events
    assert ("clerk01", "sign_out") in events and ("supervisor", "sign_out") in events


def test_a_locked_station_signs_in_before_its_encrypted_database_opens(
        home, qtbot, chinese_ui, memory_keyring, locked_station, artifacts):
    """`make run` after a restart: no key in memory.  The demo's filled-in sign-in
    comes first; its key slot (here: the station's first sign-in, confirmed by the
    demo hall, creating the keys) opens the database, then the window opens unlocked."""
    from app.security import keys
    from app.security.keys import KeySlots
    from local_store import db as dbmod

    gui = GuiSession(Settings())
    try:
        gui.start()
        # Whether the station is unlocked is found out off the GUI thread (a key agent).
        qtbot.waitUntil(lambda: getattr(gui, "sign_in_dialog", None) is not None)
        dialog = gui.sign_in_dialog
        assert gui.window is None and dialog.isVisible()  # nothing opened before the key
        assert (dialog.account_edit.text(), dialog.password_edit.text()) == (
            DEMO_USER, DEMO_PASSWORD)
        with qtbot.waitSignal(gui.ready, timeout=60_000):
            qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: gui.staff is not None and not gui.staff.locked, timeout=30_000)
        assert gui.staff.account == DEMO_USER and gui.settings.clerk_name == DEMO_USER
        assert keys.unlocked() and "slot" in KeySlots.load(home).staff(DEMO_USER)
        assert not dbmod.is_plaintext(home / "cases.sqlite")
        qtbot.waitUntil(lambda: getattr(gui, "recovery_box", None) is not None
                        and gui.recovery_box.isVisible(), timeout=10_000)
        assert gui.recovery_box.text().count("-") >= 7  # the recovery key, shown once
        gui.recovery_box.grab().save(str(artifacts / "recovery_key_box.png"))
    finally:
        if gui.window is not None:
            gui.window.close()
        gui.shutdown()
