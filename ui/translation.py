"""Qt Linguist translations: English source strings, Simplified Chinese shipped.

``ui/i18n/onewindow_zh_CN.ts`` is edited with Qt Linguist and compiled to
``.qm`` by ``make translations`` (pyside6-lupdate + pyside6-lrelease).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

I18N_DIR = Path(__file__).resolve().parent / "i18n"
DEFAULT_LANGUAGE = "zh_CN"
ENGLISH = "en"

_installed: list[QTranslator] = []


def install_translator(app: QCoreApplication, language: str = DEFAULT_LANGUAGE) -> bool:
    """Install our catalogue and Qt's own for ``language``; English needs none.

    Returns False when a translation was asked for but is missing (the UI then
    falls back to the English source strings rather than failing).
    """
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language == ENGLISH:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return True
    QLocale.setDefault(QLocale(language))
    ours = QTranslator(app)
    found = ours.load(f"onewindow_{language}", str(I18N_DIR))
    if found:
        app.installTranslator(ours)
        _installed.append(ours)
    qt_own = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_own.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    return found
