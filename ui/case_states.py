"""Case states (local_store Case.state) in the clerk's words."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_STATE_NAMES = {
    "draft": QT_TRANSLATE_NOOP("CaseStates", "draft"),
    "received": QT_TRANSLATE_NOOP("CaseStates", "received"),
    "accepted": QT_TRANSLATE_NOOP("CaseStates", "accepted"),
    "in_process": QT_TRANSLATE_NOOP("CaseStates", "in process"),
    "needs_completion": QT_TRANSLATE_NOOP("CaseStates", "completion notice"),
    "rejected": QT_TRANSLATE_NOOP("CaseStates", "rejected"),
    "concluded": QT_TRANSLATE_NOOP("CaseStates", "concluded"),
    "delivered": QT_TRANSLATE_NOOP("CaseStates", "delivered"),
}


def state_name(state: str) -> str:
    source = _STATE_NAMES.get(state)
    return QCoreApplication.translate("CaseStates", source) if source else state
