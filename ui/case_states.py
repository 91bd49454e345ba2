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


# A case number is 23 characters by default ({region 6}{station 3}{yyyymmdd}
# {sequence 5}{check 1}); a station may configure a longer pattern.
CASE_NUMBER_CHARS = 26


def fit_case_number_column(view, column: int) -> None:
    """Give a table's case-number column room for the whole number: a number
    cut to "3502050012…" cannot be read out to the applicant or typed in."""
    from PySide6.QtWidgets import QHeaderView

    header = view.horizontalHeader()
    width = view.fontMetrics().horizontalAdvance("0" * CASE_NUMBER_CHARS) + 16
    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
    header.resizeSection(column, width)
