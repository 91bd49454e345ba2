"""What the idle lock puts over the application: a cover on every window.

Hiding the main window's areas is not enough: a print preview, a certificate
look-up, a message box or the shortcuts list is a window of its own and would
stay on screen with an applicant's name and ID number while the counter is
unattended.  Hiding those windows is not an option either: hiding a dialog
that runs ``exec()`` ends its event loop as if it had been cancelled (a print
preview would report "cancelled"), and a closed dialog loses what was typed.

So each top-level window of the application gets an opaque child ``LockCover``
filling it, on top of everything in it; input to the covered windows is
blocked by the sign-in dialog, which is application-modal while locked.
Windows that open while the lock is on (a message from a background job) are
covered as they appear, pop-ups (menus, completer lists) and tool tips are
closed.  Unlocking removes the covers: every window is exactly as it was,
scroll positions, typed text, focus and a running ``exec()`` included.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QLabel, QToolTip, QVBoxLayout, QWidget


class LockCover(QWidget):
    """An opaque panel over the whole of one window, following its size."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lockCover { background: #30343b; } "
                           "#lockCover QLabel { color: #f0f0f0; font-size: 16px; }")
        label = QLabel(self.tr("Locked: sign in again to go on."), self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        # Covering is visual only; the sign-in dialog being application-modal
        # is what keeps keys and clicks away from the covered window.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.show()
        self.raise_()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.parentWidget():
            if event.type() == QEvent.Type.Resize:
                self.setGeometry(watched.rect())
            elif event.type() == QEvent.Type.ChildAdded:
                self.raise_()  # anything added later still goes under the cover
        return False


class LockScreen(QObject):
    """Covers every window of the application while the lock is on."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._covers: dict[int, LockCover] = {}
        self._spared: QWidget | None = None
        self.active = False

    def cover_all(self, spare: QWidget | None = None) -> None:
        """Cover every visible window except ``spare`` (the sign-in dialog)."""
        self._spared = spare
        self.active = True
        QToolTip.hideText()
        popup = QApplication.activePopupWidget()
        while popup is not None:  # a menu or completer list may show names too
            popup.close()
            following = QApplication.activePopupWidget()
            popup = None if following is popup else following
        for window in QApplication.topLevelWidgets():
            self._cover(window)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def spare(self, window: QWidget) -> None:
        """The sign-in dialog opened after the covers: leave it (and only it) bare."""
        self._spared = window
        cover = self._covers.pop(id(window), None)
        if cover is not None:
            cover.deleteLater()

    def uncover_all(self) -> None:
        self.active = False
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for cover in self._covers.values():
            parent = cover.parentWidget()
            if parent is not None:
                parent.removeEventFilter(cover)
            cover.hide()
            cover.deleteLater()
        self._covers.clear()
        self._spared = None

    def covered_windows(self) -> list[QWidget]:
        return [cover.parentWidget() for cover in self._covers.values()
                if cover.parentWidget() is not None]

    def _cover(self, window: QWidget) -> None:
        if (window is self._spared or not window.isVisible() or id(window) in self._covers
                or isinstance(window, LockCover)):
            return
        kind = window.windowType()
        if kind in (Qt.WindowType.ToolTip, Qt.WindowType.Popup):
            window.close()
            return
        key = id(window)
        cover = LockCover(window)
        self._covers[key] = cover
        # A window closed for good while locked takes its cover along.
        cover.destroyed.connect(lambda _obj=None: self._forget(key, cover))

    def _forget(self, key: int, cover: LockCover) -> None:
        if self._covers.get(key) is cover:  # not a newer lock's cover of the same window
            del self._covers[key]

    def eventFilter(self, watched, event) -> bool:
        # A window that appears while locked (a background job's message) is covered too.
        if (self.active and event.type() == QEvent.Type.Show and isinstance(watched, QWidget)
                and watched.isWindow()):
            self._cover(watched)
        return False
