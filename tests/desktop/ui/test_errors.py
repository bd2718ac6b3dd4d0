"""The error dialog: a list whose cell raises at every repaint shows one dialog, not a storm,
and every occurrence is in the log."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QTableView

from desktop.ui.errors import ErrorHandler, setup_logging
from desktop.ui.models import RecordsModel

pytestmark = pytest.mark.gui


class _Broken(RecordsModel):
    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            raise KeyError("cột hỏng")
        return None


def _open_dialogs() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def test_an_error_at_every_repaint_is_one_dialog_and_all_in_the_log(qtbot, tmp_path, monkeypatch):
    log_path = setup_logging(tmp_path / "logs")
    handler = ErrorHandler(log_path)
    monkeypatch.setattr(sys, "excepthook", handler.hook)
    shown: list[str] = []

    def answer_dialogs() -> None:  # the user reads each dialog and presses OK
        for box in _open_dialogs():
            shown.append(box.text())
            box.done(0)

    closer = QTimer()
    closer.timeout.connect(answer_dialogs)
    closer.start(100)
    model = _Broken(["Tên"])
    model.set_rows([{"name": "An"}, {"name": "Bình"}])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    # Repaints from the event loop, as in the app (a repaint called from Python would raise
    # back into its caller instead): each asks both cells.
    repaint = QTimer()
    repaint.timeout.connect(view.viewport().update)
    repaint.start(30)
    QTimer.singleShot(0, view.show)
    qtbot.waitUntil(lambda: handler.shown >= 10 and bool(shown), timeout=5_000)
    repaint.stop()
    qtbot.waitUntil(lambda: not _open_dialogs(), timeout=5_000)
    closer.stop()
    assert len(shown) == 1, shown
    assert getattr(handler, "suppressed", 0) == handler.shown - 1
    assert "cột hỏng" in log_path.read_text(encoding="utf-8")
    # Another error is shown at once; the same one again only after a minute.
    monkeypatch.setattr(handler, "_dialog", lambda exc, text: shown.append(str(exc)))
    handler._show(RuntimeError, RuntimeError("lỗi khác"), "")
    handler._show(KeyError, KeyError("cột hỏng"), "")
    assert shown[1:] == ["lỗi khác"]
