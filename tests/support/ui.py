"""Fixtures for UI tests: the Chinese translation, a workstation, a main window."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def chinese_ui(qapp):
    """The product's default language, as the clerk sees it."""
    from ui.translation import ENGLISH, install_translator

    assert install_translator(qapp, "zh_CN"), "ui/i18n/onewindow_zh_CN.qm is missing"
    yield qapp
    install_translator(qapp, ENGLISH)


@pytest.fixture
def synchronous_pool(qapp):
    """Background work runs at once on the GUI thread (ui.background.SynchronousPool):
    for tests where timing is not the subject, which then wait on conditions only."""
    from ui.background import run_synchronously, wait_for_background

    wait_for_background()  # nothing of an earlier test still on a real pool
    run_synchronously()
    yield
    run_synchronously(False)


@pytest.fixture
def workstation(store, qapp):
    from app.settings import Settings
    from ui.workstation import Workstation

    return Workstation(store, Settings())


@pytest.fixture
def main_window(workstation, qtbot, chinese_ui):
    """The main window as the clerk sees it, in Chinese, closed after the test."""
    from ui.background import wait_for_background
    from ui.main_window import MainWindow

    window = MainWindow(workstation)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    wait_for_background()


DEMO_CATALOG = Path(__file__).resolve().parents[2] / "app" / "data" / "demo_catalog.json"


@pytest.fixture
def demo_catalog(store):
    """The bundled demo catalog imported into this test's store."""
    from app.catalog.importer import import_catalog_file

    return import_catalog_file(DEMO_CATALOG, store)


@pytest.fixture
def pseudo_locale(qapp):
    """Every UI string stretched by half (as German or Russian would be), so
    layouts that clip longer translations fail a test instead of a user."""
    from PySide6.QtCore import QTranslator

    from ui.translation import ENGLISH, install_translator

    class Stretching(QTranslator):
        def translate(self, context, source, disambiguation=None, n=-1):
            if not source:
                return source
            return f"{source} {'x' * (len(source) // 2)}"

    install_translator(qapp, ENGLISH)
    stretching = Stretching(qapp)
    qapp.installTranslator(stretching)
    yield stretching
    qapp.removeTranslator(stretching)
