"""Signing in to the commune's server: address, username, password; the login runs off the GUI
thread. Where the laptop has no secure keyring the dialog says plainly that the sign-in lasts
only until the app closes.

The address and username are filled in: the profile's own once it has signed in, else the last
ones that signed in on this laptop (the app settings ``last_server_url``/``last_username``,
kept after each sign-in that worked). The focus starts in the first empty field."""

from __future__ import annotations

import logging
import math

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.settings import Settings
from desktop.sync import errors
from desktop.sync.session import SignInResult, SyncSession, normalize_server_url
from desktop.ui.buttons import make_primary
from desktop.ui.errors import user_message
from desktop.ui.tasks import IO, tasks

log = logging.getLogger(__name__)
ERROR_STYLE = "color: #b00020;"
NOTICE_STYLE = "color: #8a5300;"


class SignInDialog(QDialog):
    """``exec()`` returns Accepted once signed in; :attr:`result_info` holds the answer.
    ``settings``: the app's (the window's own instance, which it saves again later)."""

    def __init__(
        self,
        session: SyncSession,
        parent: QWidget | None = None,
        reason: str = "",
        settings: Settings | None = None,
    ):
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.result_info: SignInResult | None = None
        self.busy = False
        self._signing_in_as: tuple[str, str] = ("", "")
        server_url, username = session.server_url or "", session.username or ""
        if not server_url and settings is not None:  # a profile that never signed in
            server_url = settings.get("last_server_url")
            username = username or settings.get("last_username")
        self.setWindowTitle(self.tr("Đăng nhập máy chủ"))
        self.setObjectName("sign_in_dialog")
        self.setMinimumWidth(460)

        layout = QVBoxLayout(self)
        intro = QLabel(
            reason
            or self.tr(
                "Đăng nhập để gửi dữ liệu lên máy chủ của xã và nhận dữ liệu mới. "
                "Không có mạng vẫn làm việc được bình thường."
            )
        )
        intro.setObjectName("intro")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.server = QLineEdit(server_url)
        self.server.setObjectName("server")
        self.server.setPlaceholderText(self.tr("Ví dụ: https://gocua.xahoaphu.vn"))
        self.username = QLineEdit(username)
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Địa chỉ &máy chủ:"), self.server)
        form.addRow(self.tr("&Tên đăng nhập:"), self.username)
        form.addRow(self.tr("&Mật khẩu:"), self.password)
        layout.addLayout(form)

        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.error)
        # Shown under the message when the account's commune has another name than the one the
        # profile typed: communes merge and rename, and whether it is the same one is the
        # user's to say. On its own row: among the dialog's buttons its words were cut.
        self.same_commune_button = QPushButton(
            self.tr("Đúng xã của tôi (xã đã đổi tên hoặc sáp nhập)")
        )
        self.same_commune_button.setObjectName("same_commune")
        self.same_commune_button.setAutoDefault(False)
        self.same_commune_button.hide()
        self.same_commune_button.clicked.connect(self._same_commune)
        layout.addWidget(self.same_commune_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(
            self.tr("Đăng nhập"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setObjectName("sign_in")
        self.cancel_button = self.buttons.addButton(
            self.tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self._other_commune: str | None = None
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        make_primary(self, self.ok_button)  # the fields are disabled while busy: not "Hủy"
        self.done_mode = False

        for edit in (self.server, self.username, self.password):
            if not edit.text():
                edit.setFocus()
                break

    def submit(self) -> None:
        if self.done_mode:  # the "no keyring" notice was read
            self.accept()
            return
        if self.busy:
            return
        server, user, password = (
            self.server.text().strip(),
            self.username.text().strip(),
            self.password.text(),
        )
        for edit, value, text in (
            (self.server, server, self.tr("Vui lòng nhập địa chỉ máy chủ")),
            (self.username, user, self.tr("Vui lòng nhập tên đăng nhập")),
            (self.password, password, self.tr("Vui lòng nhập mật khẩu")),
        ):
            if not value:
                self._show_error(text)
                edit.setFocus()
                return
        self._signing_in_as = (normalize_server_url(server), user)
        self._set_busy(True)
        self.error.setStyleSheet(NOTICE_STYLE)
        self.error.setText(self.tr("Đang đăng nhập…"))
        session = self.session
        tasks().run(
            lambda: session.sign_in(server, user, password),
            done=self._signed_in,
            failed=self._sign_in_failed,
            owner=self,
            lane=IO,
        )

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (self.server, self.username, self.password, self.ok_button):
            widget.setEnabled(not busy)

    def _show_error(self, text: str) -> None:
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setText(text)

    def _signed_in(self, info: SignInResult) -> None:
        self._set_busy(False)
        self.password.clear()
        self.result_info = info
        self._remember()
        if info.token_saved:
            self.accept()
            return
        # No secure keyring here: say so plainly, and let the user close the dialog.
        self.done_mode = True
        self.error.setStyleSheet(NOTICE_STYLE)
        self.error.setText(
            self.tr(
                "Đã đăng nhập với tên %1. Máy này không có kho mật khẩu an toàn, nên ứng dụng "
                "không lưu phiên đăng nhập: lần sau mở ứng dụng, bạn sẽ phải đăng nhập lại."
            ).replace("%1", info.display_name)
        )
        self.ok_button.setText(self.tr("Đã hiểu"))
        self.ok_button.setEnabled(True)
        self.cancel_button.hide()
        for widget in (self.server, self.username, self.password):
            widget.setEnabled(False)
        self.ok_button.setFocus()

    def _remember(self) -> None:
        """The next profile's sign-in on this laptop starts from this server and username."""
        if self.settings is None:
            return
        server_url, username = self._signing_in_as
        self.settings.set("last_server_url", server_url)
        self.settings.set("last_username", username)
        try:
            self.settings.save()
        except OSError:
            log.exception("could not save the last sign-in's server")

    def _same_commune(self) -> None:
        """The user says the account's commune is the profile's: remember it, sign in again."""
        if self._other_commune is None or self.busy:
            return
        self.session.accept_commune(self._other_commune)
        self.same_commune_button.hide()
        self.submit()

    def _sign_in_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self._show_error(sign_in_message(exc))
        renamed = isinstance(exc, errors.WrongCommune) and exc.server_id is not None
        self._other_commune = exc.server_id if renamed else None
        self.same_commune_button.setVisible(renamed)
        # Taller for a message of three lines and the button: a window does not grow by itself
        # for wrapped text (the fields were squeezed flat).
        self.layout().activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))
        # Back in a field (the focus went to "Hủy" while they were disabled): Enter tries again.
        field = (
            self.server
            if isinstance(exc, errors.NetworkError | errors.ServerUnavailable)
            else self.password
        )
        field.selectAll()
        field.setFocus()

    def reject(self) -> None:
        if self.busy:  # the answer is on its way: the dialog waits for it (a few seconds)
            return
        if self.done_mode:  # signed in already: closing is accepting the notice
            self.accept()
            return
        super().reject()


def sign_in_message(exc: BaseException) -> str:
    """What the volunteer reads when a sign-in fails."""
    if isinstance(exc, errors.TooManyAttempts):
        if exc.retry_after:
            minutes = max(1, math.ceil(float(exc.retry_after) / 60))
            return QCoreApplication.translate(
                "SignInDialog", "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau khoảng %1 phút."
            ).replace("%1", str(minutes))
        return exc.message_vi
    if isinstance(exc, (errors.NotHttps, errors.BadCertificate)):
        return exc.message_vi
    if isinstance(exc, errors.NetworkError):
        return QCoreApplication.translate(
            "SignInDialog",
            "Không kết nối được máy chủ. Hãy kiểm tra địa chỉ máy chủ và kết nối mạng.",
        )
    if isinstance(exc, errors.ServerUnavailable):
        return QCoreApplication.translate(
            "SignInDialog", "Máy chủ đang bận hoặc đang bảo trì. Vui lòng thử lại sau ít phút."
        )
    if isinstance(exc, errors.SyncError):
        return exc.message_vi
    return user_message(exc)
