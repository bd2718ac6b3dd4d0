"""Where the app's file dialogs open: the folder last used for that kind of file in this run
of the app, else the user's Documents folder (else their home). A bare file name opened in the
program's working directory, which for the installed app is its own install folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

EXPORTS, IMPORTS = "exports", "imports"
_last: dict[str, Path] = {}


def start_folder(kind: str) -> Path:
    if kind in _last and _last[kind].is_dir():
        return _last[kind]
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def _remember(kind: str, path: str) -> str:
    if path:
        _last[kind] = Path(path).parent
    return path


def save_path(parent: QWidget, title: str, file_name: str, filters: str) -> str:
    """The path to write an export to ("" when cancelled), ``file_name`` suggested."""
    path, _ = QFileDialog.getSaveFileName(
        parent, title, str(start_folder(EXPORTS) / file_name), filters
    )
    return _remember(EXPORTS, path)


def open_path(parent: QWidget, title: str, filters: str) -> str:
    """The path of a file to read ("" when cancelled)."""
    path, _ = QFileDialog.getOpenFileName(parent, title, str(start_folder(IMPORTS)), filters)
    return _remember(IMPORTS, path)
