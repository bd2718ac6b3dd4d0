"""Application-wide error handling: a readable dialog, a rotating log file, the window stays.

:func:`user_message` is the one function that turns an error into what the user reads.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
import time
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.profiles import log_dir
from desktop.store.database import StoreError
from gocua.validation import ValidationFailed

log = logging.getLogger("gocua")
LOG_NAME = "gocua.log"
REPEAT_SECONDS = 60.0  # the same error is shown again after this long


def _t(text: str) -> str:
    return QCoreApplication.translate("Errors", text)


def setup_logging(folder: Path | None = None) -> Path:
    """Log to ``gocua.log`` in the user's log folder (1 MB x 5 files)."""
    folder = folder or log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "gocua", False)]:
        root.removeHandler(old)
        old.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.gocua = True
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def user_message(exc: BaseException) -> str:
    if isinstance(exc, ValidationFailed):
        return "\n".join(e.message_vi for e in exc.errors)
    if isinstance(exc, StoreError):
        return str(exc)
    if isinstance(exc, PermissionError):
        return QCoreApplication.translate(
            "Errors", "Không có quyền ghi vào thư mục dữ liệu. Hãy kiểm tra quyền của thư mục."
        )
    if isinstance(exc, OSError):
        return QCoreApplication.translate("Errors", "Lỗi đọc/ghi tệp: %s") % exc
    return QCoreApplication.translate(
        "Errors",
        "Đã xảy ra lỗi không mong muốn. Dữ liệu đã lưu vẫn an toàn; bạn có thể tiếp tục làm việc.",
    )


class _Relay(QObject):
    raised = Signal(object, object, str)


class ErrorHandler(QObject):
    """Installed as ``sys.excepthook`` and ``threading.excepthook``."""

    def __init__(self, log_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.log_path = log_path
        self.shown = 0
        self.last: BaseException | None = None
        self.quiet = False  # tests: log and count, no modal dialog
        self.suppressed = 0  # logged, not shown: a dialog was open, or shown a moment ago
        self._dialog_open = False
        self._shown_at: dict[str, float] = {}
        self._relay = _Relay()
        self._relay.raised.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        sys.excepthook = self.hook
        threading.excepthook = lambda args: self.hook(
            args.exc_type, args.exc_value, args.exc_traceback
        )

    def hook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("unexpected error:\n%s", text)
        self._relay.raised.emit(exc_type, exc, text)

    def _show(self, _exc_type, exc, text: str) -> None:
        self.shown += 1
        self.last = exc
        if self.quiet or QApplication.instance() is None:
            return
        # An error raised while painting comes again at every repaint, and the dialog's own
        # event loop repaints: one dialog at a time, the same error once a minute (all logged).
        key, now = f"{type(exc).__name__}: {exc}", time.monotonic()
        if self._dialog_open or now - self._shown_at.get(key, -REPEAT_SECONDS) < REPEAT_SECONDS:
            self.suppressed += 1
            return
        self._shown_at[key] = now
        self._dialog_open = True
        try:
            self._dialog(exc, text)
        finally:
            self._dialog_open = False

    def _dialog(self, exc: BaseException, text: str) -> None:
        box = QMessageBox(QApplication.activeWindow())
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(QCoreApplication.translate("Errors", "Gõ Cửa: có lỗi"))
        box.setText(user_message(exc))
        box.setInformativeText(
            QCoreApplication.translate("Errors", "Chi tiết đã được ghi vào tệp nhật ký:\n%s")
            % self.log_path
        )
        box.setDetailedText(text)
        box.exec()
