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
        "import_catalog",
        QT_TRANSLATE_NOOP("Actions", "Import catalog file…"),
        (),
        QT_TRANSLATE_NOOP("Actions", "A catalog export from a USB stick, when the hall "
                                     "cannot be reached"),
    ),
    ActionSpec(
        "catalog_quality",
        QT_TRANSLATE_NOOP("Actions", "Catalog quality…"),
        ("Ctrl+Shift+Q",),
        QT_TRANSLATE_NOOP("Actions", "Items that miss required standard fields"),
    ),
    ActionSpec(
        "shortcut_list",
        QT_TRANSLATE_NOOP("Actions", "Keyboard shortcuts"),
        ("F1",),
        QT_TRANSLATE_NOOP("Actions", "Every key of the workstation on one page"),
    ),
    # Alt+1…5 in tab order, not Ctrl: Ctrl+1…4 choose the decision on the
    # intake's decision step.
    ActionSpec("area_1", QT_TRANSLATE_NOOP("Actions", "Intake area"), ("Alt+1",)),
    ActionSpec("area_2", QT_TRANSLATE_NOOP("Actions", "Cases area"), ("Alt+2",)),
    ActionSpec("area_3", QT_TRANSLATE_NOOP("Actions", "E-certificates area"), ("Alt+3",)),
    ActionSpec("area_4", QT_TRANSLATE_NOOP("Actions", "Sync area"), ("Alt+4",)),
    ActionSpec("area_5", QT_TRANSLATE_NOOP("Actions", "Online pre-review area"), ("Alt+5",)),
    ActionSpec("next_area", QT_TRANSLATE_NOOP("Actions", "Next area"), ("Ctrl+Tab",)),
    ActionSpec("previous_area", QT_TRANSLATE_NOOP("Actions", "Previous area"), ("Ctrl+Shift+Tab",)),
    ActionSpec("quit", QT_TRANSLATE_NOOP("Actions", "Quit"), ("Ctrl+Q",)),
)


EVERYWHERE = QT_TRANSLATE_NOOP("Actions", "Everywhere")
# Keys that belong to one screen (QShortcuts and key handlers there), listed
# here so that the F1 page shows the clerk's whole keyboard map in one place.
# (keys, what they do, where)
SCREEN_KEYS: tuple[tuple[str, str, str], ...] = (
    ("↑ ↓ / Enter", QT_TRANSLATE_NOOP("Actions", "Choose an item / open its guide, start"),
     QT_TRANSLATE_NOOP("Actions", "Catalog search")),
    ("Enter", QT_TRANSLATE_NOOP("Actions", "Next field; in the last field, next step"),
     QT_TRANSLATE_NOOP("Actions", "Applicant")),
    ("1 … 8", QT_TRANSLATE_NOOP("Actions", "How the material was received, then the next one"),
     QT_TRANSLATE_NOOP("Actions", "Materials")),
    ("F9", QT_TRANSLATE_NOOP("Actions", "Scan a page into the current material"),
     QT_TRANSLATE_NOOP("Actions", "Materials")),
    ("Ctrl+E", QT_TRANSLATE_NOOP("Actions", "Attach an electronic file"),
     QT_TRANSLATE_NOOP("Actions", "Materials")),
    ("F7", QT_TRANSLATE_NOOP("Actions", "Look up the applicant's e-certificates"),
     QT_TRANSLATE_NOOP("Actions", "Applicant, materials")),
    ("F7", QT_TRANSLATE_NOOP("Actions", "Look up the applicant's e-certificates"),
     QT_TRANSLATE_NOOP("Actions", "Online pre-review")),
    ("Ctrl+1 … 4", QT_TRANSLATE_NOOP("Actions", "Accept, completion notice, reject, conclude"),
     QT_TRANSLATE_NOOP("Actions", "Decision")),
    ("Ctrl+Enter", QT_TRANSLATE_NOOP("Actions", "Next step; on the decision step, commit"),
     QT_TRANSLATE_NOOP("Actions", "Intake")),
    ("Alt+←", QT_TRANSLATE_NOOP("Actions", "Previous step"),
     QT_TRANSLATE_NOOP("Actions", "Intake")),
    ("Ctrl+P", QT_TRANSLATE_NOOP("Actions", "Print the main notice (Ctrl+Shift+P the next)"),
     QT_TRANSLATE_NOOP("Actions", "Result")),
    ("Enter", QT_TRANSLATE_NOOP("Actions", "Next applicant"),
     QT_TRANSLATE_NOOP("Actions", "Result")),
    ("Ctrl+R", QT_TRANSLATE_NOOP("Actions", "Resume an unfinished intake"),
     QT_TRANSLATE_NOOP("Actions", "Catalog search")),
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


def shortcut_rows(actions: dict[str, QAction]) -> list[tuple[str, str, str]]:
    """(keys, what, where) for the F1 page: window actions first, then each screen's."""
    everywhere = _tr(EVERYWHERE)
    rows = [
        (", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in a.shortcuts()),
         a.text(), everywhere)
        for a in actions.values() if a.shortcuts()
    ]
    rows += [(keys, _tr(what), _tr(where)) for keys, what, where in SCREEN_KEYS]
    return rows
