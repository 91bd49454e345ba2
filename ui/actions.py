"""Every main-window action in one place, with its shortcuts.

Areas and the window connect handlers by key (``actions["focus_search"]``);
shortcuts are declared here once so the clerk's keyboard map is readable.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class ActionSpec:
    key: str
    text: str  # English source; translated in the "Actions" context
    shortcuts: tuple[str, ...] = ()
    tip: str = ""


ACTION_SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "focus_search",
        QT_TRANSLATE_NOOP("Actions", "Search catalog"),
        ("Ctrl+F", "F3"),
        QT_TRANSLATE_NOOP("Actions", "Jump to the catalog search box"),
    ),
    ActionSpec(
        "new_intake",
        QT_TRANSLATE_NOOP("Actions", "New intake"),
        ("Ctrl+N",),
        QT_TRANSLATE_NOOP("Actions", "Start an intake for the item shown"),
    ),
    ActionSpec(
        "sync_now",
        QT_TRANSLATE_NOOP("Actions", "Sync now"),
        ("F5",),
        QT_TRANSLATE_NOOP("Actions", "Refresh the catalog and send queued cases now"),
    ),
    ActionSpec(
        "catalog_quality",
        QT_TRANSLATE_NOOP("Actions", "Catalog quality…"),
        ("Ctrl+Shift+Q",),
        QT_TRANSLATE_NOOP("Actions", "Items that miss required standard fields"),
    ),
    ActionSpec("next_area", QT_TRANSLATE_NOOP("Actions", "Next area"), ("Ctrl+Tab",)),
    ActionSpec("previous_area", QT_TRANSLATE_NOOP("Actions", "Previous area"), ("Ctrl+Shift+Tab",)),
    ActionSpec("quit", QT_TRANSLATE_NOOP("Actions", "Quit"), ("Ctrl+Q",)),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Actions", text)


def create_actions(window: QWidget) -> dict[str, QAction]:
    """Build the QActions, owned by and active anywhere inside ``window``."""
    actions: dict[str, QAction] = {}
    for spec in ACTION_SPECS:
        action = QAction(_tr(spec.text), window)
        action.setObjectName(spec.key)
        action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if spec.tip:
            action.setToolTip(_tr(spec.tip))
            action.setStatusTip(_tr(spec.tip))
        window.addAction(action)
        actions[spec.key] = action
    return actions


def shortcut_hint(action: QAction) -> str:
    """'Ctrl+N' as the user's platform writes it; for button labels."""
    sequences = action.shortcuts()
    return sequences[0].toString(QKeySequence.SequenceFormat.NativeText) if sequences else ""
