"""How many non-text keys a typical intake takes, from the search box to the
next applicant (issue 17, item 9: 18 for a person, 30 for an organisation
before).  Text typed into fields is not counted; every other key press is."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.support.intake import VALID_AGENT_ID, VALID_USCC
from tests.ui.test_intake_keyboard import focused, type_into_focus

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier


class Keys:
    def __init__(self, qtbot):
        self.qtbot = qtbot
        self.count = 0

    def press(self, key, modifier=Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
        for _ in range(times):
            self.qtbot.keyClick(focused(), key, modifier)
            self.count += 1


def start_from_search(qtbot, main_window, keys: Keys, query: str, name: str):
    workstation = main_window.workstation
    with qtbot.waitSignal(workstation.catalog_index_ready, timeout=10_000):
        workstation.load_catalog_index()
    area = main_window.areas["intake"]
    assert focused() is area.browser.search_box  # where the window opens
    type_into_focus(qtbot, query)
    hits = area.browser.hits
    names = [hits.hit_at(r).display_name for r in range(hits.rowCount())]
    keys.press(Qt.Key.Key_Down, times=names.index(name) + 1)
    keys.press(Qt.Key.Key_Return)  # the guide
    qtbot.waitUntil(lambda: focused() is area.browser.start_button)
    keys.press(Qt.Key.Key_Return)  # start the intake
    qtbot.waitUntil(lambda: area.stack.currentWidget() is area.intake)
    assert focused() is area.intake.applicant_form.name
    return area


def finish(qtbot, area, keys: Keys, needed: int) -> None:
    view = area.intake
    page = view.materials_page
    assert view.pages.currentWidget() is page and focused() is page.table
    keys.press(Qt.Key.Key_1, times=needed)  # each an original, moving down by itself
    assert page.model.counts()["missing"] == 0
    keys.press(Qt.Key.Key_Return, CTRL)  # → decision, 受理 preselected
    # The pages are looked for on disk off the GUI thread first: no key, a wait.
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.decision_panel)
    assert view.decision_panel.action() == "accept"
    with qtbot.waitSignal(view.committed, timeout=15_000):
        keys.press(Qt.Key.Key_Return, CTRL)
    keys.press(Qt.Key.Key_Return)  # next applicant
    qtbot.waitUntil(lambda: focused() is area.browser.search_box)


def test_keys_for_a_person(demo_catalog, main_window, qtbot, capsys):
    keys = Keys(qtbot)
    area = start_from_search(qtbot, main_window, keys, "gtgsh", "个体工商户设立登记")
    type_into_focus(qtbot, "张三")
    keys.press(Qt.Key.Key_Return)
    assert focused() is area.intake.applicant_form.person_id.number
    type_into_focus(qtbot, "350205199001011232")
    keys.press(Qt.Key.Key_Return)
    type_into_focus(qtbot, "13800138000")
    keys.press(Qt.Key.Key_Return, CTRL)
    finish(qtbot, area, keys, needed=3)
    with capsys.disabled():
        print(f"\nnon-text keys, person (+1 for Ctrl+P to print): {keys.count}")
    assert keys.count <= 12


def test_keys_for_an_organisation(demo_catalog, main_window, qtbot, capsys):
    keys = Keys(qtbot)
    area = start_from_search(qtbot, main_window, keys, "spjy", "食品经营许可（新办）")
    form = area.intake.applicant_form
    # The applicant type is the one choice: Shift+Tab from the name, then Down.
    keys.press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is form.kind_box
    keys.press(Qt.Key.Key_Down)
    assert form.kind() == "organisation"
    keys.press(Qt.Key.Key_Return)
    assert focused() is form.name
    for text in ("厦门海沧示例餐饮有限公司", VALID_USCC, "李四", VALID_AGENT_ID):
        type_into_focus(qtbot, text)
        keys.press(Qt.Key.Key_Return)
    assert focused() is form.phone
    type_into_focus(qtbot, "13800138000")
    keys.press(Qt.Key.Key_Return, CTRL)
    finish(qtbot, area, keys, needed=6)
    with capsys.disabled():
        print(f"\nnon-text keys, organisation (+1 for Ctrl+P to print): {keys.count}")
    assert keys.count <= 20


def test_area_keys_and_the_shortcut_list(main_window, qtbot, artifacts):
    from ui.shortcuts_dialog import ShortcutsDialog

    assert focused() is main_window.areas["intake"].browser.search_box
    qtbot.keyClick(focused(), Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    cases = main_window.areas["cases"]
    assert main_window.tabs.current_area() is cases and focused() is cases.search_box
    qtbot.keyClick(focused(), Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert focused() is main_window.areas["intake"].browser.search_box
    qtbot.keyClick(focused(), Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: main_window.findChild(ShortcutsDialog) is not None)
    dialog = main_window.findChild(ShortcutsDialog)
    text = dialog.text.toPlainText()
    for words in ("搜索事项", "任何位置", "Alt+2", "为当前材料扫描一页", "F9", "Ctrl+Enter", "F1"):
        assert words in text
    dialog.grab().save(str(artifacts / "shortcut_list_f1.png"))
    dialog.close()


def test_alt_1_returns_to_the_intake_in_progress(demo_catalog, main_window, qtbot):
    from tests.ui.test_intake_keyboard import open_intake_for

    area = open_intake_for(qtbot, main_window, "gtgsh", "个体工商户设立登记")
    type_into_focus(qtbot, "张三")
    qtbot.keyClick(focused(), Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert main_window.tabs.current_key() == "cases"
    qtbot.keyClick(focused(), Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert area.stack.currentWidget() is area.intake
    assert focused() is area.intake.applicant_form.name
    assert area.intake.applicant_form.name.text() == "张三"


@pytest.fixture
def started_window(home, qtbot, chinese_ui, memory_keyring):
    """The whole start-up (GuiSession), on its sign-in dialog."""
    from ui.application import GuiSession

    sessions = []

    def start(settings):
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


def test_after_signing_in_the_cursor_is_in_the_search_box(started_window, shared_hall, qtbot):
    from app.embedded_hall import DEMO_PASSWORD, DEMO_USER
    from app.settings import Settings
    from tests.ui.test_sign_in_window import sign_in_through

    gui = started_window(Settings(hall_url=shared_hall.url))
    sign_in_through(gui.sign_in_dialog, qtbot, DEMO_USER, DEMO_PASSWORD)
    qtbot.waitUntil(lambda: not gui.staff.locked, timeout=30_000)
    search = gui.window.areas["intake"].browser.search_box
    # The window's own focus (offscreen, no window manager activates it again
    # after the dialog closes; on a desktop this is where the keys go).
    qtbot.waitUntil(lambda: gui.window.focusWidget() is search, timeout=5_000)
