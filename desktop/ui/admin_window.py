"""The "Quản trị xã" window: a commune's hamlets, users and audit, managed on the server.

Opened from the "Đồng bộ" menu by a commune admin (a leader sees the hamlets tab and may add a
hamlet: the only administration the server allows a leader). Non-modal and one at a time.
Every request runs off the GUI thread (desktop.ui.background); after a change the lists are
read again and a sync follows soon, so this laptop learns of new hamlets and users from hello
and of moved households from its pull. Refusals read as Vietnamese sentences
(desktop.ui.admin_labels), never as the server's words alone.
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProxyStyle,
    QPushButton,
    QStyle,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.sync import errors
from desktop.sync.admin import ADMIN_ROLES, COMMUNE_ADMIN, AdminApi, Snapshot
from desktop.ui.admin_dialogs import (
    ConfirmDialog,
    HamletNameDialog,
    MergeDialog,
    PasswordDialog,
    SplitDialog,
    UserDialog,
)
from desktop.ui.admin_labels import VIETNAM, Directory, error_text, quoted
from desktop.ui.admin_models import AuditModel, HamletsModel, UsersModel
from desktop.ui.buttons import make_primary
from desktop.ui.tasks import IO, tasks
from desktop.ui.widgets import rows_view

log = logging.getLogger(__name__)
ERROR_STYLE = "color: #b00020;"
DONE_STYLE = "color: #1b7f3b;"


def _table(model, name: str, stretch: int) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    rows_view(view)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.setStyleSheet("QTableView::item { padding: 2px 8px; }")
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


class _TabStyle(QProxyStyle):
    """Tabs whose labels keep Vietnamese marks: Fusion draws an unselected tab two pixels
    lower and clips its label, which cut the circumflex and hook off "Ấp/thôn"."""

    def pixelMetric(self, metric, option=None, widget=None) -> int:
        if metric == QStyle.PixelMetric.PM_TabBarTabShiftVertical:
            return 0
        value = super().pixelMetric(metric, option, widget)
        if metric == QStyle.PixelMetric.PM_TabBarTabVSpace:
            return value + 4
        return value


class AdminWindow(QDialog):
    """Non-modal: the official keeps working in the main window while it is open."""

    def __init__(self, controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.api = AdminApi(controller.session)
        self.role = controller.role
        self.snapshot: Snapshot | None = None
        self.names = Directory()
        self.loading = False
        self.reload = False  # a change finished during a load: read again after it
        self.loads = 0  # finished loads (tests wait on it)
        self.dialog: QDialog | None = None  # the open sub-dialog, if any
        self.pending_select: tuple[str, str] | None = None
        self.setWindowTitle(self.tr("Quản trị xã"))
        self.setObjectName("admin_window")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(1100, 650)

        layout = QVBoxLayout(self)
        self.heading = QLabel(self.tr("Đang tải…"))
        self.heading.setObjectName("heading")
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        layout.addWidget(self.heading)
        self.role_note = QLabel()
        self.role_note.setObjectName("role_note")
        self.role_note.setWordWrap(True)
        layout.addWidget(self.role_note)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        tab_style = _TabStyle()
        tab_style.setParent(self.tabs)  # a style set on a widget is not owned by it
        self.tabs.tabBar().setStyle(tab_style)
        layout.addWidget(self.tabs, 1)
        self._build_hamlets_tab()
        self._build_users_tab()
        self._build_audit_tab()

        bottom = QHBoxLayout()
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bottom.addWidget(self.status, 1)
        self.refresh_button = QPushButton(self.tr("&Làm mới"))
        self.refresh_button.setObjectName("refresh")
        self.refresh_button.setToolTip(self.tr("Đọc lại danh sách từ máy chủ (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        close = QPushButton(self.tr("Đóng"))
        close.setObjectName("close")
        close.clicked.connect(self.close)
        bottom.addWidget(self.refresh_button)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh)
        QShortcut(QKeySequence("F5"), self, self.refresh)
        # Enter presses nothing here: in a list it opens the row (rename, edit), and every
        # action that changes the server has its own button and dialog.
        make_primary(self, None)

        controller.role_changed.connect(self.apply_role)
        # A load that failed (offline, signed out) is tried again after the next good sync.
        self.failed_load = False
        controller.finished.connect(self._synced)  # bound: gone with the window
        self.apply_role(self.role)
        self.update_buttons()
        self.refresh()

    # -- building -------------------------------------------------------------------------

    def _side(self, buttons: list[QPushButton]) -> QVBoxLayout:
        column = QVBoxLayout()
        for button in buttons:
            column.addWidget(button)
        column.addStretch(1)
        return column

    def _button(self, text: str, name: str, slot, tip: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _=False: slot())
        if tip:
            button.setToolTip(tip)
        return button

    def _build_hamlets_tab(self) -> None:
        self.hamlets_model = HamletsModel(self)
        self.hamlets_view = _table(self.hamlets_model, "hamlets", 0)
        self.add_hamlet_button = self._button(
            self.tr("&Thêm ấp…"), "add_hamlet", self.add_hamlet, self.tr("Thêm một ấp/thôn mới")
        )
        self.rename_button = self._button(self.tr("Đổi tê&n…"), "rename", self.rename_hamlet)
        self.merge_button = self._button(
            self.tr("&Gộp vào…"),
            "merge",
            self.merge_hamlet,
            self.tr("Chuyển mọi hộ của ấp này sang một ấp khác rồi ngừng dùng nó"),
        )
        self.split_button = self._button(
            self.tr("Tác&h…"),
            "split",
            self.split_hamlet,
            self.tr("Tạo ấp mới từ một phần các hộ của ấp này"),
        )
        self.retire_button = self._button(
            self.tr("Ngừng &dùng…"),
            "retire",
            self.retire_hamlet,
            self.tr("Chỉ được khi ấp không còn hộ nào"),
        )
        self.hamlet_actions = [
            self.rename_button,
            self.merge_button,
            self.split_button,
            self.retire_button,
        ]
        page = QWidget()
        outer = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(self.hamlets_view, 1)
        row.addLayout(self._side([self.add_hamlet_button, *self.hamlet_actions]))
        outer.addLayout(row, 1)
        hint = QLabel(
            self.tr(
                "Ấp đã gộp hoặc ngừng dùng hiện màu xám: không còn hộ nào, nhưng báo cáo của các "
                "kỳ trước vẫn ghi tên chúng."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555555;")
        outer.addWidget(hint)
        self.hamlets_page = page
        self.tabs.addTab(page, self.tr("Ấp/thôn"))
        self.hamlets_view.selectionModel().currentRowChanged.connect(
            lambda *_: self.update_buttons()
        )
        self.hamlets_view.activated.connect(lambda _index: self.rename_hamlet())

    def _build_users_tab(self) -> None:
        self.users_model = UsersModel(self)
        self.users_view = _table(self.users_model, "users", 1)
        self.add_user_button = self._button(self.tr("Thêm người &dùng…"), "add_user", self.add_user)
        self.edit_user_button = self._button(
            self.tr("&Sửa…"), "edit_user", self.edit_user, self.tr("Họ tên, vai trò, ấp phụ trách")
        )
        self.toggle_button = self._button(self.tr("&Khóa tài khoản…"), "toggle", self.toggle_user)
        metrics = self.toggle_button.fontMetrics()
        widest = max(
            metrics.horizontalAdvance(text.replace("&", ""))
            for text in (self.tr("&Khóa tài khoản…"), self.tr("&Mở khóa tài khoản…"))
        )
        self.toggle_button.setMinimumWidth(widest + 24)  # its text changes with the row
        self.reset_button = self._button(
            self.tr("Đặt lại mật khẩ&u…"), "reset_password", self.reset_password
        )
        page = QWidget()
        row = QHBoxLayout(page)
        row.addWidget(self.users_view, 1)
        row.addLayout(
            self._side(
                [self.add_user_button, self.edit_user_button, self.toggle_button, self.reset_button]
            )
        )
        self.users_page = page
        self.tabs.addTab(page, self.tr("Người dùng"))
        self.users_view.selectionModel().currentRowChanged.connect(lambda *_: self.update_buttons())
        self.users_view.activated.connect(lambda _index: self.edit_user())

    def _build_audit_tab(self) -> None:
        self.audit_model = AuditModel(self)
        self.audit_view = _table(self.audit_model, "audit", 4)
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(self.audit_view, 1)
        note = QLabel(
            self.tr(
                "Các thay đổi gần nhất về ấp và người dùng của xã, mới nhất ở trên; giờ Việt Nam."
            )
        )
        note.setStyleSheet("color: #555555;")
        column.addWidget(note)
        self.audit_page = page
        self.tabs.addTab(page, self.tr("Nhật ký"))

    # -- role -----------------------------------------------------------------------------

    @property
    def is_admin(self) -> bool:
        return self.role == COMMUNE_ADMIN

    def apply_role(self, role: str) -> None:
        """An admin sees everything; a leader the hamlets and "Thêm ấp"; anyone else nothing
        (the window closes: a role taken away while it was open)."""
        self.role = role
        if role not in ADMIN_ROLES:
            self.close()
            return
        admin = self.is_admin
        self.tabs.setTabVisible(self.tabs.indexOf(self.users_page), admin)
        self.tabs.setTabVisible(self.tabs.indexOf(self.audit_page), admin)
        for button in self.hamlet_actions:
            button.setVisible(admin)
        self.role_note.setVisible(not admin)
        self.role_note.setText(
            ""
            if admin
            else self.tr(
                "Tổ trưởng xem được danh sách ấp và thêm ấp mới. Đổi tên, gộp, tách ấp và quản "
                "lý người dùng do quản trị xã làm."
            )
        )
        self.update_buttons()

    # -- loading --------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.loading:
            self.reload = True
            return
        self.loading = True
        self.refresh_button.setEnabled(False)
        if not self.status.text():
            self.show_status(self.tr("Đang tải danh sách từ máy chủ…"))
        api, full = self.api, self.is_admin
        tasks().run(
            lambda: api.snapshot(full),
            done=self._loaded,
            failed=self._load_failed,
            owner=self,
            key="snapshot",
            lane=IO,
        )

    def _loaded(self, snapshot: Snapshot) -> None:
        self.loading = False
        self.failed_load = False
        self.refresh_button.setEnabled(True)
        self.snapshot = snapshot
        self.names = Directory.of(snapshot.hamlets, snapshot.users)
        selected = self.pending_select
        self.pending_select = None
        keep_hamlet = self._current_id(self.hamlets_view, self.hamlets_model)
        keep_user = self._current_id(self.users_view, self.users_model)
        self.hamlets_model.set_items(snapshot.hamlets, self.names)
        self.users_model.self_id = snapshot.self_id
        self.users_model.set_items(snapshot.users, self.names)
        self.audit_model.set_items(snapshot.audit, self.names)
        if selected and selected[0] == "hamlet":
            keep_hamlet = selected[1]
        if selected and selected[0] == "user":
            keep_user = selected[1]
        self._select(self.hamlets_view, self.hamlets_model, keep_hamlet)
        self._select(self.users_view, self.users_model, keep_user)
        live = len(self.hamlets_model.live())
        self.heading.setText(
            self.tr("%1: %2 ấp/thôn đang dùng, %3 người dùng")
            .replace("%1", snapshot.commune.get("name", ""))
            .replace("%2", str(live))
            .replace("%3", str(len(snapshot.users)))
            if self.is_admin
            else self.tr("%1: %2 ấp/thôn đang dùng")
            .replace("%1", snapshot.commune.get("name", ""))
            .replace("%2", str(live))
        )
        if self.status.property("kind") != "done":
            self.show_status(
                self.tr("Đã cập nhật lúc %1.").replace(
                    "%1", dt.datetime.now(VIETNAM).strftime("%H:%M")
                )
            )
        self.loads += 1
        self.update_buttons()
        if self.reload:
            self.reload = False
            self.refresh()

    def _synced(self, _report) -> None:
        if self.failed_load:
            self.refresh()

    def _load_failed(self, exc: BaseException) -> None:
        self.loading = False
        self.failed_load = True
        self.reload = False
        self.refresh_button.setEnabled(True)
        self.show_status(self.error_text(exc), error=True)
        self.loads += 1
        self.request_failed(exc)

    def _current_id(self, view: QTableView, model) -> str | None:
        item = model.row_at(view.currentIndex().row())
        return item["id"] if item else None

    def _select(self, view: QTableView, model, item_id: str | None) -> None:
        row = model.row_of(item_id) if item_id else -1
        if row < 0 and model.rowCount():
            row = 0
        if row >= 0:
            view.selectionModel().setCurrentIndex(
                model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    # -- after a request --------------------------------------------------------------------

    def changed(self, message: str, select: tuple[str, str] | None = None) -> None:
        """A change went through: say so, read the lists again, and sync soon (hello brings
        new hamlets and users, the pull moved households)."""
        self.show_status(message, done=True)
        self.pending_select = select
        self.refresh()
        self.controller.sync_soon()

    def request_failed(self, exc: BaseException) -> None:
        if isinstance(exc, errors.Unauthorized):
            self.controller.sign_in_required.emit(errors.Unauthorized.message_vi)
        elif isinstance(exc, errors.Refused) and exc.code in ("hamlet_retired", "not_found"):
            self.refresh()  # someone else changed it: show what is there now

    def error_text(self, exc: BaseException, hamlet: str = "") -> str:
        return error_text(exc, self.names, hamlet)

    def show_status(self, text: str, error: bool = False, done: bool = False) -> None:
        self.status.setProperty("kind", "error" if error else "done" if done else "")
        self.status.setStyleSheet(ERROR_STYLE if error else DONE_STYLE if done else "")
        self.status.setText(text)

    def commune_name(self) -> str:
        return self.snapshot.commune.get("name", "") if self.snapshot else self.tr("xã")

    def self_id(self) -> str | None:
        return self.snapshot.self_id if self.snapshot else None

    # -- selection ------------------------------------------------------------------------

    def current_hamlet(self) -> dict | None:
        return self.hamlets_model.row_at(self.hamlets_view.currentIndex().row())

    def current_user(self) -> dict | None:
        return self.users_model.row_at(self.users_view.currentIndex().row())

    def update_buttons(self) -> None:
        hamlet = self.current_hamlet()
        live = hamlet is not None and not hamlet["retired"]
        others = [h for h in self.hamlets_model.live() if hamlet is None or h["id"] != hamlet["id"]]
        self.add_hamlet_button.setEnabled(self.snapshot is not None)
        self.rename_button.setEnabled(hamlet is not None)
        self.merge_button.setEnabled(live and bool(others))
        self.split_button.setEnabled(live)
        self.retire_button.setEnabled(live)
        user = self.current_user()
        is_self = user is not None and user["id"] == self.self_id()
        self.add_user_button.setEnabled(self.snapshot is not None)
        self.edit_user_button.setEnabled(user is not None)
        self.reset_button.setEnabled(user is not None)
        self.toggle_button.setEnabled(user is not None and not is_self)
        self.toggle_button.setToolTip(
            self.tr("Bạn không thể khóa tài khoản của chính mình.") if is_self else ""
        )
        active = user is None or user["active"]
        self.toggle_button.setText(
            self.tr("&Khóa tài khoản…") if active else self.tr("&Mở khóa tài khoản…")
        )

    # -- opening the dialogs --------------------------------------------------------------

    def _open(self, dialog: QDialog) -> QDialog:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return self.dialog
        self.dialog = dialog
        dialog.destroyed.connect(lambda _=None: self._dialog_gone(dialog))
        dialog.show()
        return dialog

    def _dialog_gone(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _busy_elsewhere(self) -> bool:
        return self.dialog is not None and self.dialog.isVisible()

    def add_hamlet(self) -> QDialog | None:
        if self.snapshot is None or self._busy_elsewhere():
            return None
        return self._open(HamletNameDialog(self))

    def rename_hamlet(self) -> QDialog | None:
        hamlet = self.current_hamlet()
        if not self.is_admin or hamlet is None or self._busy_elsewhere():
            return None
        return self._open(HamletNameDialog(self, hamlet))

    def merge_hamlet(self) -> QDialog | None:
        hamlet = self.current_hamlet()
        if not self.is_admin or hamlet is None or hamlet["retired"] or self._busy_elsewhere():
            return None
        targets = [h for h in self.hamlets_model.live() if h["id"] != hamlet["id"]]
        return self._open(MergeDialog(self, hamlet, targets))

    def split_hamlet(self) -> QDialog | None:
        hamlet = self.current_hamlet()
        if not self.is_admin or hamlet is None or hamlet["retired"] or self._busy_elsewhere():
            return None
        return self._open(SplitDialog(self, hamlet))

    def retire_hamlet(self) -> QDialog | None:
        hamlet = self.current_hamlet()
        if not self.is_admin or hamlet is None or hamlet["retired"] or self._busy_elsewhere():
            return None
        name = quoted(hamlet["name"])
        text = self.tr(
            "Ngừng dùng %1? Ấp sẽ không còn để chọn khi ghi hộ mới, nhưng báo cáo của các kỳ "
            "trước vẫn ghi tên %1. Chỉ ngừng dùng được ấp không còn hộ nào và không phải ấp duy "
            "nhất của một tình nguyện viên."
        ).replace("%1", name)
        api, hamlet_id = self.api, hamlet["id"]
        return self._open(
            ConfirmDialog(
                self,
                self.tr("Ngừng dùng ấp/thôn"),
                text,
                self.tr("&Ngừng dùng"),
                lambda: api.retire_hamlet(hamlet_id),
                lambda _answer: self.changed(
                    self.tr("Đã ngừng dùng %1.").replace("%1", name), ("hamlet", hamlet_id)
                ),
                hamlet=hamlet["name"],
            )
        )

    def live_hamlets(self) -> list[dict]:
        return self.hamlets_model.live()

    def add_user(self) -> QDialog | None:
        if not self.is_admin or self.snapshot is None or self._busy_elsewhere():
            return None
        return self._open(UserDialog(self, None, self.live_hamlets()))

    def edit_user(self) -> QDialog | None:
        user = self.current_user()
        if not self.is_admin or user is None or self._busy_elsewhere():
            return None
        return self._open(UserDialog(self, user, self.live_hamlets()))

    def toggle_user(self) -> QDialog | None:
        user = self.current_user()
        if not self.is_admin or user is None or self._busy_elsewhere():
            return None
        if user["id"] == self.self_id():
            return None
        name, user_id, api = user["display_name"], user["id"], self.api
        if user["active"]:
            title, ok = self.tr("Khóa tài khoản"), self.tr("&Khóa tài khoản")
            text = self.tr(
                "Khóa tài khoản %1 (%2)? %1 bị đăng xuất ngay trên mọi máy và không đăng nhập "
                "được nữa cho đến khi được mở khóa. Những gì %1 đã ghi mà chưa gửi vẫn nằm trên "
                "máy của họ, và sẽ gửi được khi tài khoản được mở lại."
            )
            done = self.tr("Đã khóa tài khoản %1: %1 đã bị đăng xuất trên mọi máy.")
        else:
            title, ok = self.tr("Mở khóa tài khoản"), self.tr("&Mở khóa")
            text = self.tr(
                "Mở khóa tài khoản %1 (%2)? %1 đăng nhập lại được bằng mật khẩu đang có."
            )
            done = self.tr("Đã mở khóa tài khoản %1.")
        active = not user["active"]
        return self._open(
            ConfirmDialog(
                self,
                title,
                text.replace("%1", name).replace("%2", user["username"]),
                ok,
                lambda: api.update_user(user_id, {"active": active}),
                lambda _answer: self.changed(done.replace("%1", name), ("user", user_id)),
            )
        )

    def reset_password(self) -> QDialog | None:
        user = self.current_user()
        if not self.is_admin or user is None or self._busy_elsewhere():
            return None
        name, user_id, api = user["display_name"], user["id"], self.api
        text = (
            self.tr(
                "Đặt lại mật khẩu của %1 (%2)? Mật khẩu cũ hết hiệu lực ngay và %1 bị đăng xuất "
                "trên mọi máy. Mật khẩu mới chỉ hiện một lần."
            )
            .replace("%1", name)
            .replace("%2", user["username"])
        )

        def done(password: str) -> None:
            self.changed(
                self.tr("Đã đặt lại mật khẩu của %1.").replace("%1", name), ("user", user_id)
            )
            self.show_password(user, password, reset=True)

        return self._open(
            ConfirmDialog(
                self,
                self.tr("Đặt lại mật khẩu"),
                text,
                self.tr("Đặt &lại mật khẩu"),
                lambda: api.reset_password(user_id),
                done,
            )
        )

    def show_password(self, user: dict, password: str, reset: bool) -> PasswordDialog:
        """Shown once, after the dialog that asked for it has closed."""
        if self.dialog is not None:
            self.dialog.hide()  # it is closing (accepted): make room now
            self.dialog = None
        return self._open(PasswordDialog(self, user, password, reset))

    def keyPressEvent(self, event) -> None:
        """Enter presses no button here. A list passes on the Enter that opened a row's
        dialog; QDialog would then press the first default button among its children, the
        new dialog's own "Đổi tên" or "Lưu", with nothing typed yet."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    # -- closing --------------------------------------------------------------------------

    def reject(self) -> None:
        """Esc closes the window, unless a dialog of it is still open on top (a password
        not yet confirmed must not vanish with its window)."""
        if self._busy_elsewhere():
            self.dialog.raise_()
            return
        super().reject()

    def closeEvent(self, event) -> None:
        if self._busy_elsewhere():
            event.ignore()
            self.dialog.raise_()
            return
        super().closeEvent(event)
