"""Installing the translation: Vietnamese is the source language, English from gocua_en.qm."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from gocua.resources import resource_path

_installed: list[QTranslator] = []
_language = ["vi"]  # the language whose translation is installed


def current_language() -> str:
    """'vi' or 'en': Vietnamese unless an English translation was installed."""
    return _language[0]


def install(language: str, folder: Path | None = None) -> bool:
    """Install ``language``'s translators (replacing earlier ones); True when one loaded.

    ``folder`` holds ``gocua_<language>.qm`` (default: resources/i18n, built by the Makefile).
    """
    app = QCoreApplication.instance()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    qt = QTranslator(app)
    if qt.load(
        QLocale(language),
        "qtbase",
        "_",
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
    ):
        app.installTranslator(qt)
        _installed.append(qt)
    _language[0] = "vi"
    if language == "vi":
        return True
    ours = QTranslator(app)
    name = f"gocua_{language}.qm"
    path = folder / name if folder is not None else resource_path("i18n", name)
    if path.is_file() and ours.load(str(path)):
        app.installTranslator(ours)
        _installed.append(ours)
        _language[0] = language
        return True
    return False
