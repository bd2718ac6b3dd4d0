"""Encrypted profiles in the window: unlock with the passphrase, set one for a new profile or for
converting a clear one.

The store is opened (or the key checked) off the GUI thread: a large profile's migration or
conversion never freezes the window. A wrong passphrase gives a clear message, the field
selected for the next try, and after the free tries the :class:`UnlockThrottle` delay (the
button counts down; an Enter pressed meanwhile runs the try when it ends), never a crash. The
passphrase is kept only as long as the open takes; it is never logged or saved.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.store import Store
from desktop.store.encryption import UnlockThrottle, WrongPassphrase, check_key, is_encrypted
from desktop.ui.buttons import make_primary
from desktop.ui.errors import user_message
from desktop.ui.tasks import READ, WRITE, Task, tasks

log = logging.getLogger(__name__)
MIN_PASSPHRASE = 8
ERROR_STYLE = "color: #b00020;"
NOTICE_STYLE = "color: #8a5300;"
COUNTDOWN_TICK_MS = 100  # the countdown ends on time (a throttle's delay need not be whole)

# One throttle per profile file: closing and reopening the dialog does not reset the delay.
_throttles: dict[str, UnlockThrottle] = {}


def throttle_for(path: Path) -> UnlockThrottle:
    key = str(Path(path).resolve())
    if key not in _throttles:
        _throttles[key] = UnlockThrottle(sleep=lambda _seconds: None)  # the dialog counts down
    return _throttles[key]


class UnlockDialog(QDialog):
    """Asks the profile's passphrase. ``mode="open"`` opens the store (:attr:`store`);
    ``mode="verify"`` only checks the key (after an idle lock, with the store still open)."""

    def __init__(
        self,
        path: Path | str,
        parent: QWidget | None = None,
        *,
        mode: str = "open",
        profile_name: str = "",
        opener: Callable[[Path, str], Any] | None = None,
    ):
        super().__init__(parent)
        self.path = Path(path)
        self.mode = mode
        self.store: Store | None = None
        self.busy = False
        self.throttle = throttle_for(self.path)
        self.opener = opener or (
            (lambda p, key: Store.open(p, passphrase=key))
            if mode == "open"
            else (lambda p, key: check_key(p, key))
        )
        self.setObjectName("unlock_dialog")
        self.setWindowTitle(self.tr("Mở khóa hồ sơ"))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        if mode == "verify":
            text = self.tr(
                "Hồ sơ “%1” đã được khóa vì lâu không dùng. Nhập mật khẩu hồ sơ để tiếp tục."
            )
        else:
            text = self.tr(
                "Hồ sơ “%1” được mã hóa để bảo vệ dữ liệu cá nhân của người dân. "
                "Nhập mật khẩu hồ sơ để mở."
            )
        intro = QLabel(text.replace("%1", profile_name or self.path.parent.name))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("&Mật khẩu hồ sơ:"), self.passphrase)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Room for the message and the countdown's hint: the dialog does not jump or clip.
        self.error.setMinimumHeight(self.error.fontMetrics().lineSpacing() * 3 + 4)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(
            self.tr("Mở khóa"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setObjectName("unlock")
        quit_text = self.tr("Thoát") if mode == "verify" else self.tr("Hủy")
        self.quit_button = self.buttons.addButton(quit_text, QDialogButtonBox.ButtonRole.RejectRole)
        self.quit_button.setObjectName("quit")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.give_up)
        layout.addWidget(self.buttons)
        make_primary(self, self.ok_button)  # Enter never lands on "Hủy"/"Thoát"

        self.countdown = QTimer(self)
        self.countdown.setInterval(COUNTDOWN_TICK_MS)
        self.countdown.timeout.connect(self._tick)
        self.pending = False  # Enter pressed during the countdown: the try runs when it ends
        self._reason = ""  # the message the countdown's hint follows
        self.check: Task | None = None  # the key check under way (or last run)
        if self.throttle.remaining() > 0:  # a delay still owed from an earlier dialog
            self._start_countdown(self.tr("Vui lòng chờ trước lần thử tiếp theo."))
        self.passphrase.setFocus()

    @property
    def remaining(self) -> int:
        """Whole seconds of the countdown still to run (0: none)."""
        return math.ceil(self.throttle.remaining()) if self.countdown.isActive() else 0

    def give_up(self) -> None:
        """The "Thoát"/"Hủy" button: the only way out of a lock."""
        if not self.busy:
            super().reject()

    def reject(self) -> None:
        # Esc or the title bar's close: harmless when opening, but on an idle lock a stray
        # Esc must not close the whole app; only the "Thoát" button does.
        if self.mode != "verify":
            self.give_up()

    def submit(self) -> None:
        """ "Mở khóa" or Enter. During the throttle's countdown the try is remembered and runs
        by itself when the countdown ends (the button and the message say so)."""
        if self.busy:
            return
        if self.countdown.isActive():
            self.pending = True
            self.error.setStyleSheet(NOTICE_STYLE)  # news, not a fault
            self.error.setText(
                self.tr("Đã nhận. Ứng dụng sẽ tự thử mật khẩu này khi hết thời gian chờ.")
            )
            self._show_countdown()
            return
        key = self.passphrase.text()
        if not key:
            self._show_error(self.tr("Vui lòng nhập mật khẩu hồ sơ."))
            self.passphrase.setFocus()
            return
        self.busy = True
        self.ok_button.setEnabled(False)
        self.passphrase.setEnabled(False)
        self.error.setStyleSheet("")
        self.error.setText(self.tr("Đang mở khóa…"))
        path, opener = self.path, self.opener
        self.check = tasks().run(
            lambda: opener(path, key), done=self._opened, failed=self._failed, owner=self, lane=READ
        )

    def _opened(self, result: Any) -> None:
        self.busy = False
        self.throttle.succeeded()
        self.passphrase.clear()
        if isinstance(result, Store):
            self.store = result
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.passphrase.setEnabled(True)
        self.passphrase.selectAll()  # typing replaces it; Enter tries it again
        self.passphrase.setFocus()
        if isinstance(exc, WrongPassphrase):
            self.throttle.failed()
            self._show_error(exc.message_vi)
            if self.throttle.remaining() > 0:
                self._start_countdown(exc.message_vi)
            return
        log.warning("profile could not be opened: %s", type(exc).__name__)
        self._show_error(getattr(exc, "message_vi", None) or user_message(exc))

    def _show_error(self, text: str) -> None:
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setText(text)

    def _start_countdown(self, reason: str) -> None:
        """OK stays enabled (so Enter reaches it) and counts down; see :meth:`submit`."""
        self.pending = False
        self._show_error(
            reason
            + "\n"
            + self.tr(
                "Có thể nhập mật khẩu và nhấn Enter ngay: ứng dụng sẽ tự thử khi hết giờ chờ."
            )
        )
        self._reason = reason
        self.countdown.start()
        self._show_countdown()

    def _tick(self) -> None:
        if self.throttle.remaining() > 0:
            self._show_countdown()
            return
        self.countdown.stop()
        self.ok_button.setText(self.tr("Mở khóa"))
        if self.pending:
            self.pending = False
            self.submit()
        else:
            self._show_error(self._reason)

    def _show_countdown(self) -> None:
        waiting = self.tr("Thử lại sau %1 giây")
        text = self.tr("Sẽ mở khóa sau %1 giây") if self.pending else waiting
        self.ok_button.setText(text.replace("%1", str(self.remaining)))


class SetPassphraseDialog(QDialog):
    """A new passphrase, typed twice (at least 8 characters). With ``path`` the profile is
    opened with it off the GUI thread: a new profile is created encrypted and a clear one is
    converted in place (an encrypted backup is kept); :attr:`store` is then the open store."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        path: Path | str | None = None,
        converting: bool = False,
        release: Callable[[], None] | None = None,
    ):
        super().__init__(parent)
        self.path = Path(path) if path is not None else None
        self.release = release  # closes the caller's open store once the user has confirmed
        self.released = False
        self.store: Store | None = None
        self.passphrase_value: str | None = None
        self.busy = False
        self.setObjectName("set_passphrase_dialog")
        self.setWindowTitle(self.tr("Đặt mật khẩu hồ sơ"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        if converting:
            text = self.tr(
                "Hồ sơ này chưa được mã hóa. Đặt mật khẩu để mã hóa toàn bộ dữ liệu trên máy; "
                "một bản sao lưu (đã mã hóa) được giữ lại."
            )
        else:
            text = self.tr(
                "Dữ liệu của hồ sơ được mã hóa bằng mật khẩu này, để máy bị mất "
                "cũng không lộ thông tin của người dân."
            )
        intro = QLabel(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        warning = QLabel(
            self.tr(
                "Hãy nhớ mật khẩu: nếu quên, không ai mở được dữ liệu chưa đồng bộ trên máy này."
            )
        )
        warning.setWordWrap(True)
        warning.setStyleSheet("color: #8a5300;")
        layout.addWidget(warning)
        form = QFormLayout()
        self.first = QLineEdit()
        self.first.setObjectName("first")
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.second = QLineEdit()
        self.second.setObjectName("second")
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("&Mật khẩu mới:"), self.first)
        form.addRow(self.tr("&Nhập lại:"), self.second)
        layout.addLayout(form)
        hint = QLabel(self.tr("Ít nhất %1 ký tự.").replace("%1", str(MIN_PASSPHRASE)))
        hint.setStyleSheet("color: #555555;")
        layout.addWidget(hint)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(
            self.tr("Mã hóa hồ sơ") if converting else self.tr("Đặt mật khẩu"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.ok_button.setObjectName("set")
        self.cancel_button = self.buttons.addButton(
            self.tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        make_primary(self, self.ok_button)
        self.first.setFocus()

    def reject(self) -> None:
        # Not while the file is being converted: the caller would reopen it under the work.
        if not self.busy:
            super().reject()

    def validate(self) -> str | None:
        first, second = self.first.text(), self.second.text()
        if len(first) < MIN_PASSPHRASE:
            return self.tr("Mật khẩu cần ít nhất %1 ký tự.").replace("%1", str(MIN_PASSPHRASE))
        if first != second:
            return self.tr("Hai lần nhập mật khẩu không khớp nhau.")
        return None

    def submit(self) -> None:
        if self.busy:
            return
        problem = self.validate()
        if problem:
            self.error.setText(problem)
            self.second.clear()
            (self.first if len(self.first.text()) < MIN_PASSPHRASE else self.second).setFocus()
            return
        key = self.first.text()
        if self.path is None:
            self.passphrase_value = key
            self.accept()
            return
        self.busy = True
        self.ok_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self.error.setStyleSheet("")
        self.error.setText(self.tr("Đang mã hóa hồ sơ… Vui lòng không tắt máy."))
        if self.release is not None and not self.released:
            self.release()  # a file being converted must have no other connection open
            self.released = True
        path = self.path
        tasks().run(
            lambda: Store.open(path, passphrase=key),
            done=self._opened,
            failed=self._failed,
            owner=self,
            lane=WRITE,
        )

    def _opened(self, store: Store) -> None:
        self.busy = False
        self.store = store
        self.first.clear()
        self.second.clear()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.cancel_button.setEnabled(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setText(getattr(exc, "message_vi", None) or user_message(exc))


def encrypt_profile(
    path: Path | str, parent: QWidget | None = None, release: Callable[[], None] | None = None
) -> Store | None:
    """Convert a clear profile to an encrypted one ("Đặt mật khẩu hồ sơ…").

    ``release`` is called on the GUI thread once the user has typed the passphrase twice and
    before the conversion starts: stop the sync and close the open store there. Returns the
    encrypted store to use from now on, or None when nothing changed and the caller's store
    (if ``release`` never ran) is still the one to use. If the conversion failed after the
    store was released and the user gave up, the profile is reopened as it was and returned.
    """
    path = Path(path)
    dialog = SetPassphraseDialog(parent, path=path, converting=True, release=release)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.store
        if dialog.released:
            return Store.open(path)  # encrypt_in_place keeps the original until its copy checks
        return None
    finally:
        dialog.deleteLater()


def open_profile_store(
    path: Path | str, parent: QWidget | None = None, profile_name: str = ""
) -> Store | None:
    """Open a profile for the window: through :class:`UnlockDialog` when it is encrypted.

    Returns None when the user gave up. A clear profile is opened directly (the caller may
    offer :class:`SetPassphraseDialog` with ``converting=True``).
    """
    path = Path(path)
    if not is_encrypted(path):
        return Store.open(path)
    dialog = UnlockDialog(path, parent, profile_name=profile_name)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.store
    finally:
        # Deleted by the event loop, not whenever Python collects it (mid-event: a crash).
        dialog.deleteLater()
