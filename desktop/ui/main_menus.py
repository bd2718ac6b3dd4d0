"""The main window's menus (Tệp, Hộ, Xem, Ngôn ngữ, Trợ giúp) and their help texts; each
action is the window's (its shortcut works anywhere in it) and calls one of its slots."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMessageBox

from desktop.profiles import Profile
from desktop.ui import labels
from gocua import __version__

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


class MainMenus(QObject):
    """Built once for a window; the actions the window enables or hides are set on it
    (``act_new``, ``act_edit``, ``act_person``, ``act_visit``, ``act_duplicates``,
    ``act_encrypt``)."""

    def __init__(self, window: MainWindow, profiles: list[Profile]):
        super().__init__(window)
        self.window = window
        self._build(profiles)

    def _action(self, menu, text: str, shortcut: str | None, slot, name: str) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        self.window.addAction(action)
        return action

    def _build(self, profiles: list[Profile]) -> None:
        w = self.window
        bar = w.menuBar()
        file_menu = bar.addMenu(self.tr("&Tệp"))
        switch = file_menu.addMenu(self.tr("Đổi &hồ sơ"))
        for profile in profiles:
            action = switch.addAction(profile.name)
            action.setCheckable(True)
            action.setChecked(w.profile is not None and profile.slug == w.profile.slug)
            action.triggered.connect(lambda _=False, s=profile.slug: w.profile_requested.emit(s))
        switch.addSeparator()
        new_profile = switch.addAction(self.tr("Tạo hồ sơ mới…"))
        new_profile.triggered.connect(lambda: w.profile_requested.emit(""))
        # Shown by the app for a clear profile when encryption is available.
        w.act_encrypt = self._action(
            file_menu,
            self.tr("Đặt &mật khẩu hồ sơ…"),
            None,
            w.encrypt_requested.emit,
            "encrypt_profile",
        )
        w.act_encrypt.setVisible(False)
        file_menu.addSeparator()
        self._action(
            file_menu, self.tr("&Nhập từ bảng tính…"), "Ctrl+I", w.import_spreadsheet, "import"
        )
        self._action(
            file_menu,
            self.tr("&Xuất báo cáo…"),
            None,
            lambda: w.tabs.setCurrentWidget(w.dashboard_tab),
            "export",
        )
        file_menu.addSeparator()
        self._action(file_menu, self.tr("&Thoát"), "Ctrl+Q", w.close, "quit")

        household = bar.addMenu(self.tr("&Hộ"))
        w.act_new = self._action(
            household, self.tr("Thêm &hộ mới…"), "Ctrl+N", w.new_household, "new_household"
        )
        w.act_edit = self._action(
            household,
            self.tr("&Sửa thông tin hộ…"),
            "Ctrl+E",
            w.edit_household,
            "edit_household",
        )
        w.act_person = self._action(
            household, self.tr("Thêm &người vào hộ…"), "Ctrl+Shift+N", w.add_person, "add_person"
        )
        w.act_visit = self._action(
            household, self.tr("&Ghi lần thăm…"), "Ctrl+L", w.log_visit, "log_visit"
        )
        household.addSeparator()
        w.status_actions["moved"] = self._action(
            household,
            self.tr("Đánh dấu hộ đã &chuyển đi"),
            None,
            lambda: w.set_status("moved"),
            "mark_moved",
        )
        w.status_actions["gone"] = self._action(
            household,
            self.tr("Đánh dấu hộ &không còn"),
            None,
            lambda: w.set_status("gone"),
            "mark_gone",
        )
        w.status_actions["active"] = self._action(
            household,
            self.tr("Đánh dấu hộ đang ở"),
            None,
            lambda: w.set_status("active"),
            "mark_active",
        )
        household.addSeparator()
        w.act_duplicates = self._action(
            household,
            self.tr("Hộ và người có thể &trùng…"),
            None,
            w.open_duplicates,
            "duplicates",
        )
        w.act_duplicates.setToolTip(
            self.tr("Hộ hoặc người được nhập hai lần trên hai máy, để tổ trưởng gộp lại")
        )
        w.act_duplicates.setVisible(w.is_leader)

        view = bar.addMenu(self.tr("&Xem"))
        self._action(view, self.tr("&Tìm kiếm"), "Ctrl+F", w.focus_search, "find")
        self._action(
            view,
            self.tr("&Hộ gia đình"),
            "Ctrl+1",
            lambda: w.tabs.setCurrentIndex(0),
            "tab_households",
        )
        self._action(
            view,
            self.tr("&Cần quay lại"),
            "Ctrl+2",
            lambda: w.tabs.setCurrentIndex(1),
            "tab_follow_ups",
        )
        self._action(view, self.tr("&Danh sách ấp"), "Ctrl+0", w.hamlets.setFocus, "hamlets")
        self._action(view, self.tr("&Làm mới"), "F5", w.refresh_all, "refresh")

        language = bar.addMenu(self.tr("&Ngôn ngữ"))
        group = QActionGroup(w)
        current = w.settings.get("language")
        for code, name in (("vi", "Tiếng Việt"), ("en", "English")):
            action = language.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == current)
            group.addAction(action)
            action.triggered.connect(lambda _=False, c=code: w.language_requested.emit(c))

        help_menu = bar.addMenu(self.tr("Trợ &giúp"))
        self._action(help_menu, self.tr("&Phím tắt"), "F1", self.show_keys, "keys")
        about = help_menu.addAction(self.tr("&Giới thiệu"))
        about.triggered.connect(self.about)

    def show_keys(self) -> None:
        states = "".join(
            f"<tr><td><b>{key}</b></td><td>{labels.state_name(state)}</td></tr>"
            for key, state in labels.STATE_KEYS.items()
        )
        rows = [
            ("Ctrl+F", self.tr("Tìm hộ (gõ không dấu cũng được); ↓ hoặc Enter: vào danh sách")),
            ("↑ ↓", self.tr("Chọn hộ trong danh sách; Enter: vào bảng hỗ trợ")),
            ("Ctrl+L", self.tr("Ghi lần thăm của hộ đang chọn")),
            ("Ctrl+N", self.tr("Thêm hộ mới")),
            ("Ctrl+Shift+N", self.tr("Thêm người vào hộ")),
            ("Ctrl+E", self.tr("Sửa thông tin hộ")),
            ("Ctrl+1 / Ctrl+2", self.tr("Hộ gia đình / Cần quay lại")),
            ("Ctrl+Enter", self.tr("Lưu lần thăm")),
            ("Alt+K / Alt+H / Alt+G", self.tr("Kết quả / Hẹn lại / Ghi chú (trong lần thăm)")),
            ("Del", self.tr("Bỏ thay đổi ở ô đang chọn (trong lần thăm)")),
        ]
        table = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows)
        text = (
            f"<table cellspacing=4>{table}</table><p>"
            + self.tr("Trong bảng hỗ trợ, gõ số để đổi trạng thái ô đang chọn:")
            + f"</p><table cellspacing=4>{states}</table>"
        )
        QMessageBox.information(self.window, self.tr("Phím tắt"), text)

    def about(self) -> None:
        QMessageBox.about(
            self.window,
            self.tr("Giới thiệu Gõ Cửa"),
            self.tr(
                "Gõ Cửa %s: sổ tay của Tổ công nghệ số cộng đồng.\n"
                "Đi từng ngõ, gõ từng nhà, hướng dẫn từng người."
            )
            % __version__,
        )
