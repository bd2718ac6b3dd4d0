"""Where the file dialogs open: the user's Documents folder (or home), then the folder last
used for that kind of file; never the program's working directory. The OS dialog itself is
replaced by a stand-in that records the folder it was given and answers like the user."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.ui import file_dialogs
from desktop.ui.file_dialogs import EXPORTS, IMPORTS, open_path, save_path, start_folder

pytestmark = pytest.mark.gui


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    monkeypatch.setattr(file_dialogs, "_last", {})
    return tmp_path


def test_documents_then_the_folder_last_used_for_that_kind(qtbot, home, monkeypatch):
    assert start_folder(EXPORTS) == home  # no Documents folder: home
    (home / "Documents").mkdir()
    assert start_folder(EXPORTS) == home / "Documents"
    asked: list[str] = []
    meetings = home / "Họp xã"
    meetings.mkdir()

    def save_dialog(parent, title, where, filters):
        asked.append(where)
        return str(meetings / Path(where).name), filters

    def open_dialog(parent, title, where, filters):
        asked.append(where)
        return "", filters  # cancelled

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_dialog)
    parent = QWidget()
    qtbot.addWidget(parent)
    assert save_path(parent, "Xuất", "bao-cao-2026.xlsx", "Excel (*.xlsx)") == str(
        meetings / "bao-cao-2026.xlsx"
    )
    assert asked[-1] == str(home / "Documents" / "bao-cao-2026.xlsx")
    save_path(parent, "Xuất", "bao-cao-2026.pdf", "PDF (*.pdf)")
    assert asked[-1] == str(meetings / "bao-cao-2026.pdf")  # where the last one went
    assert open_path(parent, "Chọn danh sách", "*") == ""
    assert asked[-1] == str(home / "Documents")  # reading lists: its own folder
    assert start_folder(IMPORTS) == home / "Documents"  # a cancel remembers nothing
