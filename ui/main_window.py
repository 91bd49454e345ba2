"""The workstation's main window: a tab per area, actions, status bar.

Areas are listed in ``AREAS``; a helper adding an area adds ONE line there.
An area is a QWidget class taking ``(workstation, parent)``, built the first
time its tab is shown (``ui.area_tabs``); it may offer ``focus_search()``,
``new_intake()`` and ``shutdown()``, which the window calls when the matching
action fires or the window closes.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from ui.actions import create_actions
from ui.area_tabs import Area, AreaTabs, load_class
from ui.status_bar import WorkstationStatusBar
from ui.workstation import Workstation

# One line per area, in tab order.  Only areas that exist are listed.
AREAS: list[Area] = [
    Area("intake", QT_TRANSLATE_NOOP("MainWindow", "Intake"), "ui.intake.area:IntakeArea"),
    Area("cases", QT_TRANSLATE_NOOP("MainWindow", "Cases"), "ui.cases_view:CasesView"),
    Area(
        "certificates",
        QT_TRANSLATE_NOOP("MainWindow", "E-certificates"),
        "ui.cert_lookup:CertificateLookupArea",
    ),
    Area("sync", QT_TRANSLATE_NOOP("MainWindow", "Sync"), "ui.sync_view:SyncView"),
    Area("prereview", QT_TRANSLATE_NOOP("MainWindow", "Online pre-review"),
         "ui.prereview.area:PrereviewArea"),
    # The supervisor's console: its services refuse a clerk (app.reports).
    Area("console", QT_TRANSLATE_NOOP("MainWindow", "Console"), "ui.console.area:ConsoleArea"),
]

# Widgets other concerns put in the status bar ("package.module:ClassName",
# constructed with (workstation, parent)).
STATUS_WIDGETS: list[str] = ["ui.sync_view:SyncStatusWidget",
                             "ui.prereview.status:PrereviewStatusWidget"]


# The window's size on a screen with room to spare; on a smaller one (1366×768,
# the commonest office screen) it opens maximised so that the status bar and
# the bottom buttons stay on screen.
DEFAULT_SIZE = (1280, 800)


class MainWindow(QMainWindow):
    closing = Signal()

    def __init__(self, workstation: Workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self.workstation = workstation
        settings = workstation.settings
        self.setWindowTitle(
            self.tr("OneWindow — %1 · %2")
            .replace("%1", settings.centre_name)
            .replace("%2", settings.window_name)
        )
        self.resize(*DEFAULT_SIZE)

        self._shown_once = False
        self._catalog_import = None
        self.actions_by_key = create_actions(self)
        self.tabs = AreaTabs(AREAS, workstation, self)
        # The tab bar never takes the cursor (Alt+1…4 and Ctrl+Tab change areas):
        # the first Tab from the search box goes to the results, not to the tabs.
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # key → area widget; looking one up builds it (see ui.area_tabs).
        self.areas = self.tabs
        self.setCentralWidget(self.tabs)

        self.status = WorkstationStatusBar(workstation, self)
        self.setStatusBar(self.status)
        for path in STATUS_WIDGETS:
            self.status.add_status_widget(load_class(path)(workstation, self.status))

        self._build_menu()
        self._connect_actions()

    def _build_menu(self) -> None:
        actions = self.actions_by_key
        work = self.menuBar().addMenu(self.tr("&Work"))
        for key in ("focus_search", "new_intake", "sync_now"):
            work.addAction(actions[key])
        work.addSeparator()
        work.addAction(actions["quit"])
        catalog = self.menuBar().addMenu(self.tr("&Catalog"))
        catalog.addAction(actions["import_catalog"])
        catalog.addAction(actions["catalog_quality"])
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(actions["shortcut_list"])

    def _connect_actions(self) -> None:
        actions = self.actions_by_key
        actions["focus_search"].triggered.connect(lambda: self._dispatch("focus_search"))
        actions["new_intake"].triggered.connect(lambda: self._dispatch("new_intake"))
        actions["sync_now"].triggered.connect(self.workstation.sync_requested)
        actions["catalog_quality"].triggered.connect(self.show_catalog_quality)
        actions["import_catalog"].triggered.connect(
            lambda: self.catalog_file_import().choose_and_import())
        for number, area in enumerate(AREAS, 1):
            action = actions.get(f"area_{number}")
            if action is not None:
                action.triggered.connect(lambda _checked=False, key=area.key: self.go_to_area(key))
        actions["shortcut_list"].triggered.connect(self.show_shortcuts)
        actions["next_area"].triggered.connect(lambda: self._step_area(1))
        actions["previous_area"].triggered.connect(lambda: self._step_area(-1))
        actions["quit"].triggered.connect(self.close)
        # 补正: the case continues in the intake area, whichever area asked.
        self.workstation.continue_case_requested.connect(lambda _number: self.show_area("intake"))

    def _dispatch(self, method: str) -> None:
        """Run an action on the current area if it handles it, else on the first that does."""
        for widget in (self.tabs.current_area(), *self.tabs.built()):
            handler = getattr(widget, method, None)
            if handler is not None:
                self.show_area(widget.objectName().removeprefix("area_"))
                handler()
                return

    def _step_area(self, step: int) -> None:
        count = self.tabs.count()
        if count:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % count)

    def show_fitted(self) -> None:
        """Show the window within the screen's available area (taskbar excluded)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else None
        frame = self.frameGeometry().size() - self.geometry().size()
        width, height = DEFAULT_SIZE
        if available is None or (
            width + frame.width() <= available.width()
            and height + frame.height() <= available.height()
        ):
            self.show()
            return
        self.resize(min(width, available.width()), min(height, available.height()))
        self.showMaximized()

    def go_to_area(self, key: str) -> None:
        """Alt+1…5: show the area and put the cursor where work goes on — an intake
        in progress, else the area's search box."""
        area = self.show_area(key)
        focus = (getattr(area, "focus_work", None) or getattr(area, "focus_search", None)
                 or area.setFocus)
        focus()

    def show_shortcuts(self):
        from ui.actions import shortcut_rows
        from ui.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(shortcut_rows(self.actions_by_key), self)
        dialog.open()
        return dialog

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            # Work starts by typing an item's name: the cursor waits in the search box.
            self.go_to_area(self.tabs.keys()[0])

    def show_area(self, key: str) -> QWidget:
        return self.tabs.show_area(key)

    def show_catalog_quality(self):
        from ui.catalog.quality_dialog import CatalogQualityDialog

        dialog = CatalogQualityDialog(self.workstation, self)
        dialog.item_chosen.connect(self._open_catalog_item)
        dialog.open()
        return dialog

    def catalog_file_import(self):
        """The one catalog-file import of this window (its confirmation, its result)."""
        if self._catalog_import is None:
            from ui.catalog.file_import import CatalogFileImport

            self._catalog_import = CatalogFileImport(self.workstation, self)
            self._catalog_import.finished.connect(self._catalog_imported)
        return self._catalog_import

    def _catalog_imported(self, ok: bool, message: str) -> None:
        if ok:
            self.statusBar().showMessage(message, 15_000)
            return
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Import catalog file"), message,
                          QMessageBox.StandardButton.Ok, self)
        box.open()

    def _open_catalog_item(self, item_key) -> None:
        intake = self.show_area("intake")
        intake.focus_search()
        intake.browser.open_item(item_key)

    def set_online(self, online: bool | None) -> None:
        self.status.set_online(online)

    def closeEvent(self, event: QCloseEvent) -> None:
        for widget in self.tabs.built():
            shutdown = getattr(widget, "shutdown", None)
            if shutdown is not None:
                shutdown()
        self.closing.emit()
        super().closeEvent(event)
