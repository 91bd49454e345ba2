"""Table model of e-certificate look-up results (``app.certificates``).

Every column says plainly what the clerk needs to decide whether the
certificate may stand in for a paper material: status and verification in
words, the reasons in the tooltip, unusable rows greyed out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from ui.row_list_model import RowListModel

# What decides "can it replace paper?" comes first; the long identifier last.
COLUMN_NAME = 0
COLUMN_STATUS = 1
COLUMN_VERIFIED = 2
COLUMN_VALIDITY = 3
COLUMN_NUMBER = 4
COLUMN_ISSUER = 5
COLUMN_ISSUE_DATE = 6
COLUMN_IDENTIFIER = 7
COLUMN_COUNT = 8

CERTIFICATE_ROLE = Qt.ItemDataRole.UserRole + 1
DISPLAY = Qt.ItemDataRole.DisplayRole

_CONTEXT = "CertificateTableModel"
_HEADERS = {
    COLUMN_NAME: QT_TRANSLATE_NOOP("CertificateTableModel", "Certificate"),
    COLUMN_NUMBER: QT_TRANSLATE_NOOP("CertificateTableModel", "Number"),
    COLUMN_IDENTIFIER: QT_TRANSLATE_NOOP("CertificateTableModel", "Identifier"),
    COLUMN_ISSUER: QT_TRANSLATE_NOOP("CertificateTableModel", "Issuer"),
    COLUMN_ISSUE_DATE: QT_TRANSLATE_NOOP("CertificateTableModel", "Issued"),
    COLUMN_VALIDITY: QT_TRANSLATE_NOOP("CertificateTableModel", "Validity"),
    COLUMN_STATUS: QT_TRANSLATE_NOOP("CertificateTableModel", "Status"),
    COLUMN_VERIFIED: QT_TRANSLATE_NOOP("CertificateTableModel", "Verified"),
}
_STATUSES = {
    "valid": QT_TRANSLATE_NOOP("CertificateTableModel", "Valid"),
    "expired": QT_TRANSLATE_NOOP("CertificateTableModel", "Expired"),
    "revoked": QT_TRANSLATE_NOOP("CertificateTableModel", "Revoked"),
    "not_yet_valid": QT_TRANSLATE_NOOP("CertificateTableModel", "Not yet valid"),
}
NOT_OWN = QT_TRANSLATE_NOOP("CertificateTableModel", " · not the applicant's")
CACHED = QT_TRANSLATE_NOOP("CertificateTableModel", " · cached")
VERIFIED = QT_TRANSLATE_NOOP("CertificateTableModel", "✓ Verified")
NOT_VERIFIED = QT_TRANSLATE_NOOP("CertificateTableModel", "✗ Not verified")
LONG_TERM = QT_TRANSLATE_NOOP("CertificateTableModel", "long-term")
PERIOD = QT_TRANSLATE_NOOP("CertificateTableModel", "%1 to %2")
USABLE = QT_TRANSLATE_NOOP("CertificateTableModel", "Can be used instead of paper")
_UNUSABLE = QColor("#9a3412")


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def status_text(cert) -> str:
    text = _tr(_STATUSES.get(cert.status, cert.status))
    if not cert.holder_matches:
        text += _tr(NOT_OWN)
    if cert.cached_at is not None:
        text += _tr(CACHED)
    return text


def verified_text(cert) -> str:
    return _tr(VERIFIED) if cert.verified else _tr(NOT_VERIFIED)


def validity_text(cert) -> str:
    start = cert.valid_from.isoformat() if cert.valid_from else "—"
    end = cert.valid_until.isoformat() if cert.valid_until else _tr(LONG_TERM)
    return _tr(PERIOD).replace("%1", start).replace("%2", end)


class CertificateTableModel(RowListModel):
    column_count = COLUMN_COUNT

    def set_certificates(self, certs: Sequence) -> None:
        self.set_rows(certs)

    def certificate_at(self, row: int):
        return self.row_at(row)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY) -> Any:
        cert = self.row_for(index)
        if cert is None:
            return None
        if role == CERTIFICATE_ROLE:
            return cert
        if role == Qt.ItemDataRole.ToolTipRole:
            problems = cert.problems()
            return "\n".join(problems) if problems else _tr(USABLE)
        if role == Qt.ItemDataRole.ForegroundRole:
            # Colour only the cell that says why the certificate cannot be used.
            bad_status = cert.status != "valid" or not cert.holder_matches
            if (index.column() == COLUMN_STATUS and bad_status) or (
                index.column() == COLUMN_VERIFIED and not cert.verified
            ):
                return QBrush(_UNUSABLE)
            return None
        if role == DISPLAY:
            return self._display(cert, index.column())
        return None

    @staticmethod
    def _display(cert, column: int) -> str | None:
        if column == COLUMN_NAME:
            return cert.name
        if column == COLUMN_NUMBER:
            return cert.number
        if column == COLUMN_IDENTIFIER:
            return cert.identifier
        if column == COLUMN_ISSUER:
            return cert.issuer
        if column == COLUMN_ISSUE_DATE:
            return cert.issue_date.isoformat() if cert.issue_date else ""
        if column == COLUMN_VALIDITY:
            return validity_text(cert)
        if column == COLUMN_STATUS:
            return status_text(cert)
        if column == COLUMN_VERIFIED:
            return verified_text(cert)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            return _tr(_HEADERS.get(section, ""))
        return None
