"""The sync in the main window: one call, :func:`install_sync`, adds the "Đồng bộ" menu and the
status-bar widgets and returns the running :class:`SyncController`.

Status bar: the state (online, offline, syncing...), "Chưa gửi: N" (with the changes the server
refused, when there are any), the last successful sync, and during a sync that takes longer
than half a second a progress bar with counts and a "Dừng" button.
"""

from __future__ import annotations

import logging
import math

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
)

from desktop.settings import Settings
from desktop.store import Store
from desktop.sync.admin import ADMIN_ROLES
from desktop.sync.session import SyncSession
from desktop.ui import sync_controller as sc
from desktop.ui.held_dialog import HeldDialog
from desktop.ui.join_dialog import JoinDialog
from desktop.ui.sign_in_dialog import SignInDialog
from desktop.ui.sync_controller import SyncController
from desktop.ui.sync_labels import when_text
from desktop.ui.tasks import IO, tasks

log = logging.getLogger(__name__)
PROGRESS_DELAY_MS = 500

STATE_STYLE = {
    sc.SIGNED_OUT: "color: #555555;",
    sc.OFFLINE: "color: #8a5300;",
    sc.SYNCING: "color: #1a56db;",
    sc.UP_TO_DATE: "color: #1b7f3b;",
    sc.NOT_ALL_SENT: "color: #8a5300;",
    sc.JOIN_NEEDED: "color: #8a5300;",
    sc.ERROR: "color: #b00020;",
    sc.CANCELLED: "color: #555555;",
}


def state_text(state: str) -> str:
    return {
        sc.SIGNED_OUT: QCoreApplication.translate("SyncPanel", "Chưa đăng nhập"),
        sc.OFFLINE: QCoreApplication.translate("SyncPanel", "Ngoại tuyến"),
        sc.SYNCING: QCoreApplication.translate("SyncPanel", "Đang đồng bộ…"),
        sc.UP_TO_DATE: QCoreApplication.translate("SyncPanel", "Đã đồng bộ"),
        sc.NOT_ALL_SENT: QCoreApplication.translate("SyncPanel", "Đồng bộ chưa trọn"),
        sc.JOIN_NEEDED: QCoreApplication.translate("SyncPanel", "Cần ghép ấp với máy chủ"),
        sc.ERROR: QCoreApplication.translate("SyncPanel", "Lỗi đồng bộ"),
        sc.CANCELLED: QCoreApplication.translate("SyncPanel", "Đã dừng đồng bộ"),
    }.get(state, state)


class SyncStatusWidget(QWidget):
    """The status-bar part of the sync: state, unsent, last sync, progress with cancel."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("sync_status")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)

        self.progress_label = QLabel()
        self.progress_label.setObjectName("sync_progress_label")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("sync_progress")
        self.progress_bar.setFixedWidth(140)
        self.progress_bar.setMaximumHeight(16)
        self.progress_bar.setTextVisible(False)
        self.cancel_button = QPushButton(self.tr("Dừng"))
        self.cancel_button.setObjectName("sync_cancel")
        self.cancel_button.setToolTip(self.tr("Dừng đồng bộ; lần sau sẽ tiếp tục từ chỗ đã dừng"))
        self.cancel_button.clicked.connect(controller.cancel)
        self.state_label = QLabel()
        self.state_label.setObjectName("sync_state")
        self.unsent_label = QLabel()
        self.unsent_label.setObjectName("sync_unsent")
        self.unsent_label.setToolTip(self.tr("Thay đổi đã lưu trên máy, chưa gửi lên máy chủ"))
        # "Chưa gửi được: N": rows held or refused, a link to the list of them.
        self.rejected_label = QLabel()
        self.rejected_label.setObjectName("sync_rejected")
        self.rejected_label.setTextFormat(Qt.TextFormat.RichText)
        self.rejected_label.linkActivated.connect(lambda _: self.show_rejected())
        self.last_label = QLabel()
        self.last_label.setObjectName("sync_last")
        for widget in (
            self.progress_label,
            self.progress_bar,
            self.cancel_button,
            self.state_label,
            self.unsent_label,
            self.rejected_label,
            self.last_label,
        ):
            layout.addWidget(widget)
        self._set_progress_visible(False)
        self.rejected_label.hide()

        self.progress_timer = QTimer(self)  # the bar shows only for what takes > 0.5 s
        self.progress_timer.setSingleShot(True)
        self.progress_timer.setInterval(PROGRESS_DELAY_MS)
        self.progress_timer.timeout.connect(lambda: self._set_progress_visible(True))

        controller.state_changed.connect(self.show_state)
        controller.progress.connect(self.show_progress)
        controller.unsent_changed.connect(self.show_unsent)
        controller.last_sync_changed.connect(self.show_last_sync)
        self.show_state(controller.state, controller.message)
        counts = controller.counts
        self.show_unsent(counts.unsent, counts.held, counts.rejected)
        self.show_last_sync(controller.counts.last_sync_at or "")

    def _set_progress_visible(self, visible: bool) -> None:
        for widget in (self.progress_label, self.progress_bar, self.cancel_button):
            widget.setVisible(visible)

    def show_state(self, state: str, message: str) -> None:
        self.state_label.setText("● " + state_text(state))
        self.state_label.setStyleSheet(STATE_STYLE.get(state, ""))
        self.state_label.setToolTip(message)
        self.state_label.setAccessibleDescription(message)
        window = self.window()
        if state in (sc.ERROR, sc.CANCELLED) and message and isinstance(window, QMainWindow):
            window.statusBar().showMessage(message, 10_000)  # readable without hovering
        if state == sc.SYNCING:
            self.progress_bar.setRange(0, 0)
            self.progress_label.setText(self.tr("Đang kết nối…"))
            self.cancel_button.setEnabled(True)
            self.progress_timer.start()
        else:
            self.progress_timer.stop()
            self._set_progress_visible(False)

    def show_progress(self, phase: str, done: int, total: int) -> None:
        if phase == "push":
            self.progress_bar.setRange(0, max(total, 1))
            self.progress_bar.setValue(done)
            text = (
                self.tr("Đang gửi: %1/%2")
                .replace("%1", f"{done:,}")
                .replace("%2", f"{total:,}")
                .replace(",", ".")
            )
        else:
            if total > 0:
                self.progress_bar.setRange(0, total)
                self.progress_bar.setValue(done)
            else:
                self.progress_bar.setRange(0, 0)
            text = self.tr("Đang nhận: %1 bản ghi").replace("%1", f"{done:,}".replace(",", "."))
        # The engine's estimate, from the rows a second it measures on this link.
        left = self.time_left_text(getattr(self.controller.session, "seconds_left", None))
        self.progress_label.setText(f"{text} · {left}" if left else text)

    def time_left_text(self, seconds: float | None) -> str:
        if seconds is None:
            return ""
        if seconds < 60:
            return self.tr("còn chưa đến 1 phút")
        return self.tr("còn khoảng %1 phút").replace("%1", str(math.ceil(seconds / 60)))

    def show_unsent(self, unsent: int, held: int, rejected: int) -> None:
        self.unsent_label.setText(self.tr("Chưa gửi: %1").replace("%1", str(unsent)))
        waiting = held + rejected
        self.rejected_label.setVisible(waiting > 0)
        if waiting:
            colour = "#b00020" if rejected else "#8a5300"
            self.rejected_label.setText(
                f'<a href="#held" style="color: {colour};">'
                + self.tr("Chưa gửi được: %1").replace("%1", str(waiting))
                + "</a>"
            )
            self.rejected_label.setToolTip(
                self.tr(
                    "%1 bản ghi đang được giữ trên máy để gửi lại, %2 bản ghi cần sửa. Bấm để xem."
                )
                .replace("%1", str(held))
                .replace("%2", str(rejected))
            )

    def show_last_sync(self, iso: str) -> None:
        text = when_text(iso) if iso else self.tr("chưa lần nào")
        self.last_label.setText(self.tr("Đồng bộ lần cuối: %1").replace("%1", text))
        self.last_label.setToolTip(iso)

    def show_rejected(self) -> HeldDialog:
        return self.controller.menu.open_rejected()


class SyncMenu(QObject):
    """The "Đồng bộ" menu and its dialogs, wired to one controller."""

    def __init__(self, window: QMainWindow, controller: SyncController):
        super().__init__(window)
        self.window = window
        self.controller = controller
        self.sign_in_dialog: SignInDialog | None = None
        self.conflicts_panel = None
        self.held_dialog: HeldDialog | None = None
        self.join_dialog: JoinDialog | None = None
        self.menu = QMenu(self.tr("Đồng &bộ"), window)
        self.menu.setObjectName("sync_menu")
        self.act_sync = self._action(
            self.tr("Đồng bộ &ngay"), "Ctrl+S", controller.sync_now, "sync_now"
        )
        self.act_cancel = self._action(
            self.tr("&Dừng đồng bộ"), None, controller.cancel, "sync_cancel"
        )
        self.menu.addSeparator()
        self.act_sign_in = self._action(
            self.tr("Đăng nhập &máy chủ…"), None, self.open_sign_in, "sign_in"
        )
        self.act_sign_out = self._action(
            self.tr("Đăng &xuất"), None, self.confirm_sign_out, "sign_out"
        )
        self.menu.addSeparator()
        self.act_rejected = self._action(
            self.tr("Bản ghi &chưa gửi được…"), None, self.open_rejected, "rejected"
        )
        self.act_join = self._action(
            self.tr("&Ghép ấp với máy chủ…"), None, self.offer_join, "join"
        )
        self.act_join.setToolTip(
            self.tr("Ghép các ấp/thôn tạo khi chưa có mạng với ấp trên máy chủ")
        )
        self.act_conflicts = self._action(
            self.tr("Xung độ&t…"), None, self.open_conflicts, "conflicts"
        )
        self.act_conflicts.setToolTip(self.tr("Các giá trị bị sửa cùng lúc, để tổ trưởng chọn"))
        self.act_conflicts.setVisible(controller.is_leader)
        self.admin_window = None
        self.act_admin = self._action(
            self.tr("&Quản trị xã…"), None, self.open_admin, "commune_admin"
        )
        self.act_admin.setToolTip(
            self.tr("Ấp/thôn, người dùng và nhật ký thay đổi của xã, trên máy chủ")
        )
        self.act_admin.setVisible(controller.role in ADMIN_ROLES)

        bar = window.menuBar()
        menus = [a for a in bar.actions() if a.menu() is not None]
        if menus:  # before the last menu (Help, by convention)
            bar.insertMenu(menus[-1], self.menu)
        else:
            bar.addMenu(self.menu)

        controller.state_changed.connect(self._state_changed)
        controller.role_changed.connect(self._role_changed)
        controller.unsent_changed.connect(lambda *_: self._counts_changed())
        controller.sign_in_required.connect(self._ask_sign_in)
        controller.join_required.connect(self.open_join)
        self._pending_reason = ""
        self._ask_timer = QTimer(self)  # waits while the window is hidden (an idle lock)
        self._ask_timer.setInterval(1_000)
        self._ask_timer.timeout.connect(lambda: self._ask_sign_in(self._pending_reason))
        self._state_changed(controller.state, controller.message)
        self._counts_changed()

    def _action(self, text: str, shortcut: str | None, slot, name: str) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _=False: slot())
        self.menu.addAction(action)
        self.window.addAction(action)
        return action

    def _role_changed(self, role: str) -> None:
        self.act_conflicts.setVisible(role in sc.LEADER_ROLES)
        # Volunteers never see the administration: the server would refuse them anyway.
        self.act_admin.setVisible(role in ADMIN_ROLES)

    def _state_changed(self, state: str, _message: str) -> None:
        signed_in = state != sc.SIGNED_OUT
        self.act_sync.setEnabled(state != sc.SYNCING and signed_in)
        self.act_cancel.setEnabled(state == sc.SYNCING)
        self.act_sign_out.setEnabled(signed_in and state != sc.SYNCING)
        self._counts_changed()

    def _counts_changed(self) -> None:
        counts, state = self.controller.counts, self.controller.state
        self.act_rejected.setEnabled(counts.waiting > 0)
        joinable = counts.unmatched > 0 or state == sc.JOIN_NEEDED
        self.act_join.setEnabled(joinable and state not in (sc.SIGNED_OUT, sc.SYNCING))

    def _ask_sign_in(self, reason: str) -> None:
        """The token expired: ask again, but not over a locked (hidden) window."""
        if not self.window.isVisible():
            self._pending_reason = reason
            self._ask_timer.start()
            return
        self._ask_timer.stop()
        self.open_sign_in(reason)

    def open_sign_in(self, reason: str = "") -> SignInDialog:
        """Non-modal: the window keeps working while the dialog is open."""
        if self.sign_in_dialog is not None and self.sign_in_dialog.isVisible():
            self.sign_in_dialog.raise_()
            return self.sign_in_dialog
        settings = getattr(self.window, "settings", None)  # the app's, on a MainWindow
        dialog = SignInDialog(
            self.controller.session,
            self.window,
            reason=reason,
            settings=settings if isinstance(settings, Settings) else None,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.controller.signed_in(dialog.result_info.role if dialog.result_info else "")
        )
        dialog.destroyed.connect(lambda _=None: setattr(self, "sign_in_dialog", None))
        self.sign_in_dialog = dialog
        dialog.show()
        return dialog

    def confirm_sign_out(self) -> None:
        unsent = self.controller.counts.unsent
        if unsent:
            answer = QMessageBox.question(
                self.window,
                self.tr("Đăng xuất"),
                self.tr(
                    "Còn %1 thay đổi chưa gửi. Chúng vẫn được giữ trên máy và sẽ được gửi "
                    "khi bạn đăng nhập lại. Đăng xuất?"
                ).replace("%1", str(unsent)),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.controller.sign_out()

    def open_rejected(self) -> HeldDialog:
        """The rows the server does not have: held (sent again by themselves) or refused."""
        if self.held_dialog is not None and self.held_dialog.isVisible():
            self.held_dialog.raise_()
            self.held_dialog.refresh()
            return self.held_dialog
        dialog = HeldDialog(
            self.controller.store,
            self.window,
            open_household=getattr(self.window, "open_household", None),
            join=self.offer_join,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _=None: setattr(self, "held_dialog", None))
        self.held_dialog = dialog
        dialog.show()
        return dialog

    def offer_join(self) -> None:
        """Ask the server what a join would do now (off the GUI thread), then show it."""
        session = self.controller.session
        tasks().run(
            session.plan_join, done=self._plan_ready, failed=self._plan_failed, owner=self, lane=IO
        )

    def _plan_ready(self, plan) -> None:
        if plan is None or not plan.hamlets:
            QMessageBox.information(
                self.window,
                self.tr("Ghép ấp"),
                self.tr("Mọi ấp/thôn của hồ sơ đã được ghép với máy chủ."),
            )
            return
        self.open_join(plan)

    def _plan_failed(self, exc: BaseException) -> None:
        QMessageBox.warning(
            self.window, self.tr("Ghép ấp"), getattr(exc, "message_vi", None) or str(exc)
        )

    def open_join(self, plan) -> JoinDialog:
        if self.join_dialog is not None and self.join_dialog.isVisible():
            self.join_dialog.raise_()
            return self.join_dialog
        dialog = JoinDialog(self.controller.session, plan, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.joined.connect(lambda _result: self._joined())
        dialog.destroyed.connect(lambda _=None: setattr(self, "join_dialog", None))
        self.join_dialog = dialog
        dialog.show()
        return dialog

    def _joined(self) -> None:
        self.controller.refresh_counts()
        refresh = getattr(self.window, "refresh_all", None)
        if callable(refresh):
            refresh()  # hamlet names and ids changed
        self.controller.sync_soon()

    def open_conflicts(self):
        from desktop.ui.conflicts_panel import ConflictsPanel

        if self.conflicts_panel is not None and self.conflicts_panel.isVisible():
            self.conflicts_panel.raise_()
            self.conflicts_panel.refresh()
            return self.conflicts_panel
        panel = ConflictsPanel(self.controller, self.window)
        panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        panel.destroyed.connect(lambda _=None: setattr(self, "conflicts_panel", None))
        self.conflicts_panel = panel
        panel.show()
        return panel

    def open_admin(self):
        """The commune's administration window: one at a time, kept open while working."""
        from desktop.ui.admin_window import AdminWindow

        if self.controller.role not in ADMIN_ROLES:
            return None
        if self.admin_window is not None and self.admin_window.isVisible():
            self.admin_window.raise_()
            self.admin_window.activateWindow()
            return self.admin_window
        window = AdminWindow(self.controller, self.window)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda _=None: setattr(self, "admin_window", None))
        self.admin_window = window
        window.show()
        return window


def install_sync(
    window: QMainWindow,
    store: Store,
    session: SyncSession | None = None,
    *,
    interval_ms: int = 5 * 60_000,
    retry_base_ms: int = 15_000,
    attempts: int = 2,
    watch_network: bool = True,
    start: bool = True,
) -> SyncController:
    """Add the "Đồng bộ" menu and the status-bar widgets to ``window`` and start syncing.

    Returns the controller (a child of the window); ``controller.menu`` and
    ``controller.status_widget`` are its parts. The sync stops when the window is destroyed
    or the application quits.
    """
    controller = SyncController(
        store,
        session,
        window,
        interval_ms=interval_ms,
        retry_base_ms=retry_base_ms,
        attempts=attempts,
        watch_network=watch_network,
    )
    # The window's own placeholder sync labels (if it has them) are replaced by these.
    for name in ("online_label", "outbox_label", "sync_label"):
        placeholder = getattr(window, name, None)
        if isinstance(placeholder, QLabel):
            placeholder.hide()
    status = SyncStatusWidget(controller, window)
    window.statusBar().addPermanentWidget(status)
    controller.status_widget = status
    controller.menu = SyncMenu(window, controller)
    # Local writes change the unsent count: refresh it at once where the window says so.
    page = getattr(window, "page_widget", None)
    if page is not None and hasattr(page, "changed"):
        page.changed.connect(lambda *_: controller.refresh_counts())
    # A leader's merge of duplicates: counted at once and sent soon, so the other laptops
    # stop showing the two records (unless nobody is signed in: nothing to send it to).
    merged = getattr(window, "records_merged", None)
    if merged is not None:
        merged.connect(controller.refresh_counts)
        merged.connect(
            lambda: controller.sync_soon() if controller.state != sc.SIGNED_OUT else None
        )
    # New rows from the server: the window's lists and counts are redrawn.
    refresh = getattr(window, "refresh_all", None)
    if callable(refresh):
        controller.finished.connect(
            lambda report: refresh() if report.pulled or report.deleted or report.evicted else None
        )
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(controller.stop)
        app.aboutToQuit.connect(sc.stop_all_syncs)  # also rounds of windows already gone
    events = controller.stop_events  # a plain list: still usable while the window goes
    window.destroyed.connect(lambda *_: [event.set() for event in list(events)])
    if start:
        controller.start()
    return controller
