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
# QTranslator keeps pointing into the bytes it was loaded from; keep them alive.
_catalogue_bytes: dict[str, bytes] = {}


def _load_into_memory(translator: QTranslator, path: Path) -> bool:
    """Load a .qm from a copy in memory, not by mapping the file.

    ``QTranslator.load(filename)`` mmaps the file: rewriting it while the
    program runs (``make translations``, an update) would crash the program
    with SIGBUS on the next lookup.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return False
    _catalogue_bytes[str(path)] = data
    return translator.load(data, str(path.parent))


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
    found = _load_into_memory(ours, I18N_DIR / f"onewindow_{language}.qm")
    if found:
        app.installTranslator(ours)
        _installed.append(ours)
    # Qt's own words (file dialogs' "Look in:", standard buttons, context menus).
    qt_own = QTranslator(app)
    for folder in qt_translation_dirs():
        if _load_into_memory(qt_own, folder / f"qtbase_{language}.qm"):
            app.installTranslator(qt_own)
            _installed.append(qt_own)
            break
    return found


def qt_translation_dirs() -> list[Path]:
    """Where Qt's own catalogues may be: Qt's configured path, else beside the
    PySide6 package (a bundle or a wheel whose qt.conf points elsewhere)."""
    import PySide6

    package = Path(PySide6.__file__).resolve().parent
    return [
        Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        package / "Qt" / "translations",
        package / "translations",
    ]
