"""The first run, and "Tạo hồ sơ mới…": the volunteer's own profile, or the demo commune.

:class:`FirstRunDialog` asks. What follows runs off the GUI thread (desktop.ui.tasks), with a
progress dialog when it takes more than half a second: the demo commune's households written,
or a new profile's store made (its migrations) with the commune and hamlets typed, through
the service :func:`desktop.services.profile_setup.start_offline_profile`. The profile is
handed to ``opened(profile, store)`` once ready; nothing waits for it in a loop of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import profiles
from desktop.profile_lock import ProfileLock
from desktop.profiles import Profile
from desktop.services.profile_setup import start_offline_profile
from desktop.store import Store
from desktop.store.areas import offline_areas
from desktop.ui.buttons import make_primary
from desktop.ui.tasks import IO, Task, tasks

DEMO_HOUSEHOLDS = 2000
DEMO_PROFILE_NAME = "Dữ liệu mẫu"

Opened = Callable[[Profile, Store | None], None]
Failed = Callable[[BaseException], None]


def hamlet_areas(commune: str, hamlets: list[str]) -> list[dict]:
    """Local areas for a profile made before its first sync (ids the join will replace)."""
    return offline_areas(commune, hamlets)


class FirstRunDialog(QDialog):
    """ "Tạo hồ sơ" (a volunteer's own profile) or "Dùng thử với dữ liệu mẫu" (a demo commune).

    Enter in the name or the commune field, or anywhere once the hamlets box is left, creates
    the typed profile; in the hamlets box Enter starts the next hamlet's line and Ctrl+Enter
    creates. The demo is only ever chosen by its own button (click or Space)."""

    def __init__(self, parent: QWidget | None = None, first: bool = True):
        super().__init__(parent)
        self.choice: str | None = None
        self.setWindowTitle(self.tr("Chào mừng đến với Gõ Cửa") if first else self.tr("Hồ sơ mới"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Mỗi tình nguyện viên có một hồ sơ riêng trên máy này. Dữ liệu được lưu trên máy, "
                "dùng được cả khi không có mạng."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        name_label = QLabel(self.tr("&Tên của bạn (tên hồ sơ):"))
        layout.addWidget(name_label)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("Ví dụ: Chị Lan - ấp Bình Minh"))
        name_label.setBuddy(self.name)
        layout.addWidget(self.name)
        commune_label = QLabel(self.tr("Xã/phường:"))
        layout.addWidget(commune_label)
        self.commune = QLineEdit()
        commune_label.setBuddy(self.commune)
        layout.addWidget(self.commune)
        hamlets_label = QLabel(self.tr("Các ấp/thôn bạn phụ trách (mỗi dòng một ấp):"))
        layout.addWidget(hamlets_label)
        self.hamlets = QPlainTextEdit()
        self.hamlets.setTabChangesFocus(True)
        self.hamlets.setFixedHeight(90)
        hamlets_label.setBuddy(self.hamlets)
        layout.addWidget(self.hamlets)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.create_button = QPushButton(self.tr("Tạo hồ sơ"))
        self.demo_button = QPushButton(self.tr("Dùng thử với dữ liệu mẫu"))
        self.cancel_button = QPushButton(self.tr("Thoát") if first else self.tr("Hủy"))
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)
        layout.addLayout(buttons)
        make_primary(self, self.create_button)  # never the demo, never "Thoát"
        # Out of the hamlets box the focus goes to "Tạo hồ sơ", the next step of the form.
        for before, after in (
            (self.name, self.commune),
            (self.commune, self.hamlets),
            (self.hamlets, self.create_button),
            (self.create_button, self.cancel_button),
            (self.cancel_button, self.demo_button),
        ):
            self.setTabOrder(before, after)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self._create)
        self.create_button.clicked.connect(self._create)
        self.demo_button.clicked.connect(self._demo)
        self.cancel_button.clicked.connect(self.reject)
        self.name.setFocus()

    def _create(self) -> None:
        if not self.name.text().strip():
            self.error.setText(self.tr("Vui lòng nhập tên của bạn (tên hồ sơ)."))
            self.name.setFocus()
            return
        self.choice = "create"
        self.accept()

    def _demo(self) -> None:
        self.choice = "demo"
        self.accept()

    def typed(self) -> bool:
        return any(
            text.strip()
            for text in (self.name.text(), self.commune.text(), self.hamlets.toPlainText())
        )

    def keyPressEvent(self, event) -> None:  # noqa: N802
        # Esc would throw away what was typed (and on the first run quit the app): only the
        # "Thoát"/"Hủy" button does that once something is typed.
        if event.key() == Qt.Key.Key_Escape and self.typed():
            event.accept()
            return
        super().keyPressEvent(event)

    def hamlet_names(self) -> list[str]:
        return [line for line in self.hamlets.toPlainText().splitlines() if line.strip()]


def offer_passphrase(parent: QWidget | None, path: Path) -> Store | None:
    """A new profile is encrypted unless the volunteer insists (Decree 13/2023): returns the
    store created with the passphrase, or None when skipped after a clear warning."""
    from desktop.ui.unlock_dialog import SetPassphraseDialog

    while True:
        dialog = SetPassphraseDialog(parent, path=path)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.store
        finally:
            dialog.deleteLater()
        title = QApplication.translate("App", "Không đặt mật khẩu?")
        text = QApplication.translate(
            "App",
            "Không có mật khẩu, dữ liệu của người dân trong hồ sơ này KHÔNG được bảo vệ: ai "
            "dùng được máy này (hoặc lấy được ổ đĩa) cũng đọc được. Có thể đặt sau trong "
            "Tệp › Đặt mật khẩu hồ sơ…",
        )
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
        box.setObjectName("skip_passphrase")
        skip = box.addButton(
            QApplication.translate("App", "Bỏ qua, không mã hóa"),
            QMessageBox.ButtonRole.DestructiveRole,
        )
        back = box.addButton(
            QApplication.translate("App", "Đặt mật khẩu"), QMessageBox.ButtonRole.AcceptRole
        )
        box.setDefaultButton(back)
        box.exec()
        if box.clickedButton() is skip:
            return None


def create_demo(
    parent: QWidget | None, opened: Opened, failed: Failed, households: int | None = None
) -> Task | None:
    """The demo commune's profile, made once (opened at once when it exists)."""
    from desktop.demo_profile import create_demo_profile

    households = households or DEMO_HOUSEHOLDS
    existing = profiles.get_profile(profiles.slugify(DEMO_PROFILE_NAME))
    if existing is not None and existing.db_path.exists():
        opened(existing, None)
        return None
    profile = existing or profiles.create_profile(DEMO_PROFILE_NAME)
    label = QApplication.translate("App", "Đang tạo xã mẫu (%n hộ)…", "", households)

    def work() -> Profile:
        # Locked while it is written: another copy starting meanwhile is told, not handed half
        # a database (ProfileInUse if another copy is writing it).
        with ProfileLock(profile.db_path, profile.name):
            create_demo_profile(profile.db_path, households, seed=1)
        return profile

    return tasks().run(
        work,
        done=lambda made: opened(made, None),
        failed=failed,
        owner=parent,
        lane=IO,
        progress=label,
        name="demo profile",
    )


def create_own(
    dialog: FirstRunDialog, opened: Opened, failed: Failed, encrypt: bool = False
) -> Task:
    """The new profile: its store (encrypted if a passphrase is set) and typed hamlets."""
    parent = dialog.parentWidget()
    profile = profiles.create_profile(dialog.name.text())
    store = offer_passphrase(parent, profile.db_path) if encrypt else None
    commune, names = dialog.commune.text(), dialog.hamlet_names()

    def work() -> Store:
        made = store or Store.open(profile.db_path)
        try:
            if names:
                start_offline_profile(made, commune, names)
        except BaseException:
            made.close()
            raise
        return made

    return tasks().run(
        work,
        done=lambda made: opened(profile, made),
        failed=failed,
        owner=parent,
        lane=IO,
        progress=QApplication.translate("App", "Đang tạo hồ sơ…"),
        name="new profile",
    )


def choose_new_profile(
    parent: QWidget | None, first: bool, opened: Opened, failed: Failed, encrypt: bool = False
) -> bool:
    """Ask for a new profile; False if the user left. Otherwise it is made off the GUI thread
    and ``opened(profile, store)`` follows (with its store when already open, so a new
    passphrase is not asked again at once), or ``failed(exception)``."""
    dialog = FirstRunDialog(parent, first=first)
    if not dialog.exec():
        return False
    if dialog.choice == "demo":
        create_demo(parent, opened, failed)
    else:
        create_own(dialog, opened, failed, encrypt=encrypt)
    return True
