"""Installing the translation: Vietnamese is the source language, English from gocua_en.qm."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from gocua.resources import resource_path

_installed: list[QTranslator] = []


def install(language: str) -> bool:
    """Install ``language``'s translators (replacing earlier ones); True when one loaded."""
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
    if language == "vi":
        return True
    ours = QTranslator(app)
    path = resource_path("i18n", f"gocua_{language}.qm")
    if path.is_file() and ours.load(str(path)):
        app.installTranslator(ours)
        _installed.append(ours)
        return True
    return False
