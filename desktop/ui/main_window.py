"""The volunteer's main window: hamlets | household list with search | household page."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.profiles import Profile
from desktop.services import Services
from desktop.settings import Settings
from desktop.store import queries
from desktop.store.duplicates import count_duplicates
from desktop.store.identity import LEADER_ROLES, signed_in_role
from desktop.store.rows import pending_count
from desktop.store.state_keys import LAST_SYNC_AT
from desktop.ui import labels
from desktop.ui.dialogs import HouseholdDialog, MovePersonDialog, PersonDialog
from desktop.ui.household_page import HouseholdPageWidget
from desktop.ui.models import ID_ROLE, HamletModel, HouseholdListModel, RowsModel
from desktop.ui.visit_dialog import VisitDialog
from desktop.ui.workers import TaskRunner
from gocua import __version__
from gocua.dates import date_text, time_text

log = logging.getLogger(__name__)


class LazyTab(QWidget):
    """A tab page built the first time it is shown, so the leader's tabs (charts, reports) cost
    nothing at start-up. ``mark_stale`` after data changes: refreshed now if on screen, else
    when next shown."""

    def __init__(self, build: Callable[[], QWidget], refresh: Callable[[QWidget], None]):
        super().__init__()
        self._build, self._refresh = build, refresh
        self.content: QWidget | None = None
        self.stale = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.content is None:
            self.content = self._build()  # loads its own data when first shown
            self.layout().addWidget(self.content)
            self.stale = False
        elif self.stale:
            self.stale = False
            self._refresh(self.content)
        super().showEvent(event)

    def mark_stale(self) -> None:
        if self.content is None:
            return
        if self.isVisible():
            self._refresh(self.content)
        else:
            self.stale = True


class MainWindow(QMainWindow):
    language_requested = Signal(str)
    profile_requested = Signal(str)  # slug, or "" for a new profile
    encrypt_requested = Signal()  # "Đặt mật khẩu hồ sơ…": the app converts the open profile
    first_list_shown = Signal()  # once: the window is usable
    records_merged = Signal()  # a leader merged duplicates: the sync sends it soon

    def __init__(
        self,
        services: Services,
        settings: Settings,
        profile: Profile | None = None,
        profiles: list[Profile] | None = None,
        today: dt.date | None = None,
    ):
        super().__init__()
        self.services = services
        self.store = services.store
        self.settings = settings
        self.profile = profile
        self.today = today or dt.date.today()
        self.hamlet_id: str | None = None
        self.is_leader = False
        self.duplicates_count: int | None = None  # None: not counted yet (leaders only)
        self.duplicates_dialog = None
        self.search_text = ""
        self.page: queries.HouseholdPage | None = None
        self.last_page_ms = 0.0
        self.closed = False
        title = "Gõ Cửa"
        if profile is not None:
            title += f" — {profile.name}"
        self.setWindowTitle(title)
        self.setObjectName("main_window")

        # -- left: hamlets --------------------------------------------------------------------
        self.hamlet_model = HamletModel(
            [self.tr("Ấp / thôn"), self.tr("Số hộ"), self.tr("VNeID 2")],
            self.tr("Cả xã"),
            self,
        )
        self.hamlets = QTableView()
        self.hamlets.setObjectName("hamlets")
        self.hamlets.setModel(self.hamlet_model)
        self._list_view(self.hamlets)
        header = self.hamlets.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.hamlets.setToolTip(self.tr("Tỷ lệ người lớn có định danh điện tử mức 2"))
        self.hamlets.selectionModel().currentRowChanged.connect(self._hamlet_changed)

        # -- middle: search and household list ------------------------------------------------
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Tìm tên, địa chỉ, SĐT, số CCCD… (Ctrl+F)"))
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(settings.get("search_delay_ms"))
        self.search_timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _: self.search_timer.start())
        self.search.returnPressed.connect(self._search_enter)
        self.search.installEventFilter(self)
        self.list_model = HouseholdListModel(
            self._load_rows,
            [self.tr("Địa chỉ"), self.tr("Chủ hộ"), self.tr("Người")],
            self,
        )
        self.households = QTableView()
        self.households.setObjectName("households")
        self.households.setModel(self.list_model)
        self._list_view(self.households)
        header = self.households.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 135)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(2, 56)
        self._pending_household: str | None = None
        self.page_timer = QTimer(self)
        self.page_timer.setSingleShot(True)
        self.page_timer.setInterval(0)
        self.page_timer.timeout.connect(self._show_pending)
        self.households.selectionModel().currentRowChanged.connect(self._household_changed)
        self.households.activated.connect(lambda _: self.page_widget.grid.setFocus())
        self.list_status = QLabel()
        self.list_status.setObjectName("list_status")
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.search)
        middle_layout.addWidget(self.households, 1)
        middle_layout.addWidget(self.list_status)
        self.list_runner = TaskRunner(self)
        self.list_runner.finished.connect(self._list_loaded)
        self.list_runner.failed.connect(self._task_failed)

        # -- right: household page ------------------------------------------------------------
        self.page_widget = HouseholdPageWidget(services)
        self.page_widget.today = self.today
        self.page_widget.changed.connect(self._household_written)
        self.page_widget.visit_requested.connect(self.log_visit)
        self.page_widget.add_person_requested.connect(self.add_person)
        self.page_widget.edit_household_requested.connect(self.edit_household)
        self.page_widget.edit_person_requested.connect(self.edit_person)
        self.page_widget.move_person_requested.connect(self.move_person)
        self.page_widget.delete_person_requested.connect(self.delete_person)
        self.page_widget.show_page(None)

        self.inner = QSplitter(Qt.Orientation.Horizontal)
        self.inner.addWidget(middle)
        self.inner.addWidget(self.page_widget)
        self.inner.setStretchFactor(0, 2)
        self.inner.setStretchFactor(1, 5)
        self.inner.setSizes([400, 740])

        # -- follow-ups -----------------------------------------------------------------------
        self.follow_ups = QTableView()
        self.follow_ups.setObjectName("follow_ups")
        self.follow_model = RowsModel(
            [
                (self.tr("Hẹn ngày"), lambda r: date_text(r.follow_up_on)),
                (self.tr("Trễ (ngày)"), lambda r: r.overdue_days or self.tr("hôm nay")),
                (self.tr("Ấp"), lambda r: r.hamlet_name),
                (self.tr("Địa chỉ"), lambda r: r.address),
                (self.tr("Ghi chú lần trước"), lambda r: r.note),
            ],
            self,
        )
        self.follow_model.id_of = lambda r: r.household_id
        self.follow_ups.setModel(self.follow_model)
        self._list_view(self.follow_ups)
        self.follow_ups.horizontalHeader().setStretchLastSection(True)
        self.follow_ups.activated.connect(lambda i: self.open_household(i.data(ID_ROLE)))
        self.pending = QTableView()
        self.pending.setObjectName("pending")
        catalogue = services.catalogue
        self.pending_model = RowsModel(
            [
                (self.tr("Họ và tên"), lambda r: r.full_name),
                (
                    self.tr("Hạng mục"),
                    lambda r: (
                        labels.item_short(catalogue.item(r.item_code))
                        if catalogue.has_item(r.item_code)
                        else r.item_code
                    ),
                ),
                (self.tr("Chờ từ"), lambda r: date_text(r.since)),
                (self.tr("Số ngày"), lambda r: r.days),
                (
                    self.tr("Lý do"),
                    lambda r: (
                        labels.reason_name(catalogue.reason(r.reason))
                        if r.reason and catalogue.has_reason(r.reason)
                        else ""
                    ),
                ),
                (self.tr("Địa chỉ"), lambda r: r.address),
            ],
            self,
        )
        self.pending_model.id_of = lambda r: r.household_id
        self.pending.setModel(self.pending_model)
        self._list_view(self.pending)
        self.pending.horizontalHeader().setStretchLastSection(True)
        self.pending.activated.connect(lambda i: self.open_household(i.data(ID_ROLE)))
        self.pending_days = QSpinBox()
        self.pending_days.setRange(0, 365)
        self.pending_days.setValue(settings.get("pending_days"))
        self.pending_days.setSuffix(self.tr(" ngày"))
        self.pending_days.valueChanged.connect(self.refresh_follow_ups)
        follow_box = QWidget()
        follow_layout = QVBoxLayout(follow_box)
        self.follow_title = QLabel()
        follow_layout.addWidget(self.follow_title)
        follow_layout.addWidget(self.follow_ups, 3)
        pending_label = QLabel(self.tr("Hạng mục đang chờ (công an, ngân hàng…) lâu hơn:"))
        pending_label.setBuddy(self.pending_days)
        pending_row = QHBoxLayout()
        pending_row.addWidget(pending_label)
        pending_row.addWidget(self.pending_days)
        pending_row.addStretch(1)
        follow_layout.addLayout(pending_row)
        follow_layout.addWidget(self.pending, 2)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.addTab(self.inner, self.tr("Hộ gia đình"))
        self.tabs.addTab(follow_box, self.tr("Cần quay lại"))
        self.tabs.currentChanged.connect(lambda n: n == 1 and self.refresh_follow_ups())
        # The leader's tabs (desktop.ui.dashboard, targets, follow_up_list), built when opened.
        self.follow_list_tab = LazyTab(self._build_follow_list, lambda w: w.reload())
        self.dashboard_tab = LazyTab(self._build_dashboard, lambda w: w.refresh())
        self.targets_tab = LazyTab(
            self._build_targets, lambda w: w.model.load(w.period.currentText())
        )
        self.tabs.addTab(self.follow_list_tab, self.tr("Danh sách cần hỗ trợ"))
        self.tabs.addTab(self.dashboard_tab, self.tr("Độ phủ"))
        self.update_role()

        self.outer = QSplitter(Qt.Orientation.Horizontal)
        self.outer.setObjectName("outer")
        self.outer.addWidget(self.hamlets)
        self.outer.addWidget(self.tabs)
        self.outer.setStretchFactor(0, 0)
        self.outer.setStretchFactor(1, 1)
        self.outer.setSizes([205, 1160])
        self.setCentralWidget(self.outer)

        # -- status bar -----------------------------------------------------------------------
        self.online_label = QLabel()
        self.outbox_label = QLabel()
        self.outbox_label.setObjectName("outbox_label")
        self.sync_label = QLabel()
        self.statusBar().addPermanentWidget(self.online_label)
        self.statusBar().addPermanentWidget(self.outbox_label)
        self.statusBar().addPermanentWidget(self.sync_label)
        self.follow_runner = TaskRunner(self)
        self.follow_runner.finished.connect(self._follow_ups_loaded)
        self.follow_runner.failed.connect(self._task_failed)
        self.coverage_runner = TaskRunner(self)
        self.coverage_runner.finished.connect(self.hamlet_model.set_coverage)
        self.coverage_runner.failed.connect(self._task_failed)

        self.duplicates_runner = TaskRunner(self)
        self.duplicates_runner.finished.connect(self._duplicates_counted)
        self.duplicates_runner.failed.connect(
            lambda text: log.warning("counting duplicates failed: %s", text)
        )
        self.first_list_shown.connect(self.refresh_duplicates)

        self._build_menus(profiles or [])
        self._restore_state()
        self.refresh_hamlets()
        self.refresh_status()
        self.search.setFocus()  # type a name right away

    # -- construction helpers ------------------------------------------------------------------

    @staticmethod
    def _list_view(view: QTableView) -> None:
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(24)
        view.setWordWrap(False)
        view.setTabKeyNavigation(False)
        # Column widths from the first rows only: thousands of follow-ups stay cheap.
        view.horizontalHeader().setResizeContentsPrecision(100)

    def _build_follow_list(self) -> QWidget:
        from desktop.ui.follow_up_list import FollowUpListWidget

        return FollowUpListWidget(
            self.store, catalogue=self.services.catalogue, today=lambda: self.today
        )

    def _build_dashboard(self) -> QWidget:
        from desktop.ui.dashboard import CoverageDashboard

        return CoverageDashboard(
            self.store, self.services, catalogue=self.services.catalogue, today=lambda: self.today
        )

    def _build_targets(self) -> QWidget:
        from desktop.ui.targets import TargetsEditor

        editor = TargetsEditor(
            self.store, self.services, catalogue=self.services.catalogue, today=lambda: self.today
        )
        editor.model.changed.connect(self.dashboard_tab.mark_stale)
        return editor

    def update_role(self) -> None:
        """Targets are set, and duplicates merged, by leaders only: the tab and the "Hộ" menu's
        duplicates action follow the signed-in user's role."""
        with self.store.read() as conn:
            leader = signed_in_role(conn) in LEADER_ROLES
        self.is_leader = leader
        shown = self.tabs.indexOf(self.targets_tab) >= 0
        if leader and not shown:
            self.tabs.addTab(self.targets_tab, self.tr("Chỉ tiêu"))
        elif shown and not leader:
            self.tabs.removeTab(self.tabs.indexOf(self.targets_tab))
        action = getattr(self, "act_duplicates", None)  # None while the window is built
        if action is not None:
            action.setVisible(leader)

    def _action(self, menu, text: str, shortcut: str | None, slot, name: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        self.addAction(action)
        return action

    def _build_menus(self, profiles: list[Profile]) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&Tệp"))
        switch = file_menu.addMenu(self.tr("Đổi &hồ sơ"))
        for profile in profiles:
            action = switch.addAction(profile.name)
            action.setCheckable(True)
            action.setChecked(self.profile is not None and profile.slug == self.profile.slug)
            action.triggered.connect(lambda _=False, s=profile.slug: self.profile_requested.emit(s))
        switch.addSeparator()
        new_profile = switch.addAction(self.tr("Tạo hồ sơ mới…"))
        new_profile.triggered.connect(lambda: self.profile_requested.emit(""))
        # Shown by the app for a clear profile when encryption is available.
        self.act_encrypt = self._action(
            file_menu,
            self.tr("Đặt &mật khẩu hồ sơ…"),
            None,
            self.encrypt_requested.emit,
            "encrypt_profile",
        )
        self.act_encrypt.setVisible(False)
        file_menu.addSeparator()
        self._action(
            file_menu, self.tr("&Nhập từ bảng tính…"), "Ctrl+I", self.import_spreadsheet, "import"
        )
        self._action(
            file_menu,
            self.tr("&Xuất báo cáo…"),
            None,
            lambda: self.tabs.setCurrentWidget(self.dashboard_tab),
            "export",
        )
        file_menu.addSeparator()
        self._action(file_menu, self.tr("&Thoát"), "Ctrl+Q", self.close, "quit")

        household = bar.addMenu(self.tr("&Hộ"))
        self.act_new = self._action(
            household, self.tr("Thêm &hộ mới…"), "Ctrl+N", self.new_household, "new_household"
        )
        self.act_edit = self._action(
            household,
            self.tr("&Sửa thông tin hộ…"),
            "Ctrl+E",
            self.edit_household,
            "edit_household",
        )
        self.act_person = self._action(
            household, self.tr("Thêm &người vào hộ…"), "Ctrl+Shift+N", self.add_person, "add_person"
        )
        self.act_visit = self._action(
            household, self.tr("&Ghi lần thăm…"), "Ctrl+L", self.log_visit, "log_visit"
        )
        household.addSeparator()
        self._action(
            household,
            self.tr("Đánh dấu hộ đã &chuyển đi"),
            None,
            lambda: self.set_status("moved"),
            "mark_moved",
        )
        self._action(
            household,
            self.tr("Đánh dấu hộ &không còn"),
            None,
            lambda: self.set_status("gone"),
            "mark_gone",
        )
        self._action(
            household,
            self.tr("Đánh dấu hộ đang ở"),
            None,
            lambda: self.set_status("active"),
            "mark_active",
        )
        household.addSeparator()
        self.act_duplicates = self._action(
            household,
            self.tr("Hộ và người có thể &trùng…"),
            None,
            self.open_duplicates,
            "duplicates",
        )
        self.act_duplicates.setToolTip(
            self.tr("Hộ hoặc người được nhập hai lần trên hai máy, để tổ trưởng gộp lại")
        )
        self.act_duplicates.setVisible(self.is_leader)

        view = bar.addMenu(self.tr("&Xem"))
        self._action(view, self.tr("&Tìm kiếm"), "Ctrl+F", self.focus_search, "find")
        self._action(
            view,
            self.tr("&Hộ gia đình"),
            "Ctrl+1",
            lambda: self.tabs.setCurrentIndex(0),
            "tab_households",
        )
        self._action(
            view,
            self.tr("&Cần quay lại"),
            "Ctrl+2",
            lambda: self.tabs.setCurrentIndex(1),
            "tab_follow_ups",
        )
        self._action(view, self.tr("&Danh sách ấp"), "Ctrl+0", self.hamlets.setFocus, "hamlets")
        self._action(view, self.tr("&Làm mới"), "F5", self.refresh_all, "refresh")

        language = bar.addMenu(self.tr("&Ngôn ngữ"))
        group = QActionGroup(self)
        current = self.settings.get("language")
        for code, name in (("vi", "Tiếng Việt"), ("en", "English")):
            action = language.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == current)
            group.addAction(action)
            action.triggered.connect(lambda _=False, c=code: self.language_requested.emit(c))

        help_menu = bar.addMenu(self.tr("Trợ &giúp"))
        self._action(help_menu, self.tr("&Phím tắt"), "F1", self.show_keys, "keys")
        about = help_menu.addAction(self.tr("&Giới thiệu"))
        about.triggered.connect(self.about)

    # -- data loading --------------------------------------------------------------------------

    def _load_rows(self, ids: list[str]) -> dict[str, queries.HouseholdRow]:
        with self.store.read() as conn:
            return queries.household_rows(conn, ids)

    def refresh_hamlets(self) -> None:
        with self.store.read() as conn:
            hamlets = queries.hamlets(conn)
        keep = self.hamlet_id or self.settings.get("last_hamlet") or None
        self.hamlet_model.set_hamlets(hamlets)
        self.hamlets.resizeColumnToContents(1)
        row = self.hamlet_model.row_of(keep)
        self.hamlets.selectionModel().setCurrentIndex(
            self.hamlet_model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        if row == 0:
            self._hamlet_changed(self.hamlet_model.index(0, 0))
        # Coverage reads every person: started once the list is shown, so it never delays it.
        self._coverage_due = True

    def refresh_coverage(self) -> None:
        if self.closed:
            return
        store, catalogue, year = self.store, self.services.catalogue, self.today.year

        def work():
            with store.read() as conn:
                return queries.hamlet_coverage(conn, catalogue, year)

        self.coverage_runner.start(work)

    def _hamlet_changed(self, current, _previous=None) -> None:
        self.hamlet_id = self.hamlet_model.hamlet_id(current.row())
        self.reload_list()
        if self.tabs.currentIndex() == 1:
            self.refresh_follow_ups()

    def reload_list(self) -> None:
        """Household ids of the hamlet, or the search's results, read in the background."""
        if self.closed:
            return
        store, hamlet, text = self.store, self.hamlet_id, self.search.text().strip()
        limit = self.settings.get("search_limit")

        def work():
            with store.read() as conn:
                if text:
                    found = queries.search_households(conn, text, hamlet, limit)
                    return text, [h for h, _ in found], dict(found)
                return "", queries.household_ids(conn, hamlet), {}

        self.list_status.setText(self.tr("Đang tìm…") if text else self.tr("Đang tải…"))
        self.list_runner.start(work)

    def run_search(self) -> None:
        self.search_text = self.search.text().strip()
        self.reload_list()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
        ):
            self._search_enter()
            return True
        return super().eventFilter(watched, event)

    def _search_enter(self) -> None:
        if self.search_timer.isActive():
            self.search_timer.stop()
            self.run_search()
        self.households.setFocus()

    def _list_loaded(self, result) -> None:
        if getattr(self, "_coverage_due", False):
            self._coverage_due = False
            QTimer.singleShot(0, self.refresh_coverage)
            if not getattr(self, "_usable", False):
                self._usable = True
                QTimer.singleShot(0, self.first_list_shown.emit)
        text, ids, matched = result
        keep = self.page.id if self.page else None
        self.list_model.headers[1] = self.tr("Người tìm thấy") if text else self.tr("Chủ hộ")
        self.list_model.set_ids(ids, matched)
        if text:
            self.list_status.setText(self.tr("Tìm thấy %n hộ", "", len(ids)))
        else:
            self.list_status.setText(self.tr("%n hộ", "", len(ids)))
        row = self.list_model.row_of(keep) if keep else -1
        if row < 0 and ids:
            row = 0
        if row >= 0:
            self.households.selectionModel().setCurrentIndex(
                self.list_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        else:
            self.show_household(None)

    def _household_changed(self, current, _previous=None) -> None:
        # Shown from the event loop: the list paints first, and holding an arrow key reads
        # only the household the cursor stops on.
        self._pending_household = current.data(ID_ROLE) if current.isValid() else None
        self.page_timer.start()

    def _show_pending(self) -> None:
        if not self.closed:
            self.show_household(self._pending_household)

    def show_household(self, household_id: str | None) -> None:
        started = time.perf_counter()
        page = None
        if household_id:
            with self.store.read() as conn:
                page = queries.household_page(conn, household_id)
        self.page = page
        self.page_widget.show_page(page)
        self.last_page_ms = (time.perf_counter() - started) * 1000
        for action in (self.act_edit, self.act_person, self.act_visit):
            action.setEnabled(page is not None)

    def open_household(self, household_id: str | None) -> None:
        """Show a household from the follow-up lists in the household tab."""
        if not household_id:
            return
        self.tabs.setCurrentIndex(0)
        row = self.list_model.row_of(household_id)
        if row < 0:
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.show_household(household_id)
            return
        self.households.selectionModel().setCurrentIndex(
            self.list_model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.page_timer.stop()
        self.show_household(household_id)

    def refresh_follow_ups(self) -> None:
        """Both follow-up lists, read in the background (a commune has thousands)."""
        if self.closed:
            return
        days = self.pending_days.value()
        if days != self.settings.get("pending_days"):
            self.settings.set("pending_days", days)
        store, today, hamlet = self.store, self.today, self.hamlet_id

        def work():
            with store.read() as conn:
                return (
                    queries.follow_ups_due(conn, today, hamlet),
                    queries.pending_longer_than(conn, today, days, hamlet),
                )

        self.follow_title.setText(self.tr("Đang tải…"))
        self.follow_runner.start(work)

    def _follow_ups_loaded(self, result) -> None:
        due, pending = result
        self.follow_model.set_rows(due)
        self.pending_model.set_rows(pending)
        self.follow_ups.resizeColumnsToContents()
        self.pending.resizeColumnsToContents()
        self.follow_title.setText(
            self.tr("Hộ cần quay lại hôm nay hoặc đã trễ hẹn: %n", "", len(due))
        )

    def refresh_status(self) -> None:
        with self.store.read() as conn:
            count = pending_count(conn)
            last_sync = LAST_SYNC_AT.get(conn)
        self.online_label.setText("● " + self.tr("Ngoại tuyến"))
        self.online_label.setStyleSheet("color: #8a5300;")
        self.online_label.setToolTip(
            self.tr("Chưa kết nối máy chủ; mọi thay đổi được lưu trên máy.")
        )
        self.outbox_label.setText(self.tr("Chưa gửi: %n thay đổi", "", count))
        self.sync_label.setText(
            self.tr("Đồng bộ lần cuối: %s")
            % (time_text(last_sync) if last_sync else self.tr("chưa lần nào"))
        )

    def refresh_all(self) -> None:
        self.list_model.invalidate()
        self.refresh_hamlets()
        self.show_household(self.page.id if self.page else None)
        self.refresh_status()
        if self.tabs.currentIndex() == 1:
            self.refresh_follow_ups()
        self.update_role()  # a pull may bring this user's row (or a new role)
        self.refresh_duplicates()  # a pull may bring another laptop's copy of a household
        for tab in (self.follow_list_tab, self.dashboard_tab, self.targets_tab):
            tab.mark_stale()

    def refresh_duplicates(self) -> None:
        """Count the likely duplicates (leaders only, off the GUI thread): the "Hộ" menu
        shows the number, and the status bar says when new ones came."""
        if self.closed or not self.is_leader:
            return
        store = self.store

        def work():
            with store.read() as conn:
                return count_duplicates(conn)

        self.duplicates_runner.start(work)

    def _duplicates_counted(self, count: int) -> None:
        before, self.duplicates_count = self.duplicates_count, count
        if count:
            text = self.tr("Hộ và người có thể &trùng (%1)…").replace("%1", str(count))
        else:
            text = self.tr("Hộ và người có thể &trùng…")
        self.act_duplicates.setText(text)
        if count and count > (before or 0):
            self.statusBar().showMessage(
                self.tr("Có %1 cặp hộ hoặc người có thể trùng: xem menu Hộ.").replace(
                    "%1", str(count)
                ),
                10_000,
            )

    def open_duplicates(self):
        """The leader's window of likely duplicates (non-modal)."""
        if not self.is_leader:
            return None
        from desktop.ui.duplicates_dialog import DuplicatesDialog

        if self.duplicates_dialog is not None and self.duplicates_dialog.isVisible():
            self.duplicates_dialog.raise_()
            self.duplicates_dialog.activateWindow()
            self.duplicates_dialog.refresh()
            return self.duplicates_dialog
        dialog = DuplicatesDialog(self.services, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.merged.connect(self._after_merge)
        dialog.destroyed.connect(lambda _=None: setattr(self, "duplicates_dialog", None))
        self.duplicates_dialog = dialog
        dialog.show()
        return dialog

    def _after_merge(self, _result) -> None:
        self.refresh_all()
        self.records_merged.emit()

    def _household_written(self, household_id: str) -> None:
        """After any write: the row, the page, the counts and the outbox figure."""
        self.list_model.invalidate(household_id)
        self.show_household(household_id)
        self.refresh_status()
        self.refresh_coverage()
        for tab in (self.follow_list_tab, self.dashboard_tab):
            tab.mark_stale()

    def _task_failed(self, text: str) -> None:
        self.list_status.setText(self.tr("Không đọc được dữ liệu (chi tiết trong nhật ký)"))
        log.error("background read failed: %s", text)

    # -- actions -------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

    def new_household(self) -> None:
        if not self.hamlet_model.hamlets:
            QMessageBox.information(
                self,
                self.tr("Chưa có ấp"),
                self.tr(
                    "Hồ sơ này chưa có danh sách ấp/thôn. Hãy đồng bộ với máy chủ hoặc tạo hồ sơ mới "
                    "kèm danh sách ấp."
                ),
            )
            return
        dialog = HouseholdDialog(
            self.services, self.hamlet_model.hamlets, self.hamlet_id, parent=self
        )
        if dialog.exec() and dialog.household_id:
            self.after_new_household(dialog.household_id)

    def after_new_household(self, household_id: str) -> None:
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        with self.store.read() as conn:
            hamlets = queries.hamlets(conn)
        self.hamlet_model.set_hamlets(hamlets)
        with self.store.read() as conn:
            ids = queries.household_ids(conn, self.hamlet_id)
        self.list_model.set_ids(ids)
        self.open_household(household_id)
        self.refresh_status()

    def import_dialog(self):
        from desktop.ui.import_dialog import ImportDialog

        dialog = ImportDialog(
            self.store, self.services, self, hamlet_id=self.hamlet_id, today=lambda: self.today
        )
        dialog.imported.connect(lambda _outcome: self.refresh_all())
        return dialog

    def import_spreadsheet(self) -> None:
        dialog = self.import_dialog()
        dialog.exec()
        dialog.deleteLater()

    def edit_household(self) -> None:
        if self.page is None:
            return
        dialog = HouseholdDialog(
            self.services, self.hamlet_model.hamlets, page=self.page, parent=self
        )
        if dialog.exec():
            self._household_written(self.page.id)

    def set_status(self, status: str) -> None:
        if self.page is None or self.page.status == status:
            return
        self.services.set_household_status(self.page.id, status)
        self._household_written(self.page.id)

    def add_person(self) -> None:
        if self.page is None:
            return
        relation = None if self.page.persons else "head"
        dialog = PersonDialog(self.services, self.page.id, relation=relation, parent=self)
        if dialog.exec():
            self._household_written(self.page.id)

    def _person(self, person_id: str):
        if self.page is None:
            return None
        return next((p for p in self.page.persons if p.id == person_id), None)

    def edit_person(self, person_id: str) -> None:
        person = self._person(person_id)
        if person is None:
            return
        dialog = PersonDialog(self.services, self.page.id, person=person, parent=self)
        if dialog.exec():
            self._household_written(self.page.id)

    def move_person(self, person_id: str) -> None:
        person = self._person(person_id)
        if person is None:
            return
        dialog = MovePersonDialog(self.services, person, parent=self)
        if dialog.exec():
            self.list_model.invalidate()
            self._household_written(self.page.id)

    def delete_person(self, person_id: str) -> None:
        """Remove a person entered by mistake (moved or deceased people keep a status)."""
        person = self._person(person_id)
        if person is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Xóa người nhập nhầm"),
            self.tr(
                "Xóa %s khỏi hộ? Chỉ dùng khi nhập nhầm; người đã chuyển đi hoặc đã mất "
                "thì sửa tình trạng."
            )
            % person.full_name,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.services.delete_person(person_id)
            self._household_written(self.page.id)

    def visit_dialog(self) -> VisitDialog | None:
        if self.page is None:
            return None
        return VisitDialog(self.services, self.page, today=self.today, parent=self)

    def log_visit(self) -> None:
        dialog = self.visit_dialog()
        if dialog is not None and dialog.exec():
            self._household_written(self.page.id)
            self.statusBar().showMessage(self.tr("Đã lưu lần thăm"), 4000)

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
        QMessageBox.information(self, self.tr("Phím tắt"), text)

    def about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("Giới thiệu Gõ Cửa"),
            self.tr(
                "Gõ Cửa %s: sổ tay của Tổ công nghệ số cộng đồng.\n"
                "Đi từng ngõ, gõ từng nhà, hướng dẫn từng người."
            )
            % __version__,
        )

    # -- window state --------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.settings.get("window_geometry")
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode()))
        else:
            self.resize(1366, 740)
        state = self.settings.get("window_state")
        if state:
            self.restoreState(QByteArray.fromBase64(state.encode()))
        for key, splitter in (("splitter_state", self.outer), ("inner_splitter_state", self.inner)):
            saved = self.settings.get(key)
            if saved:
                splitter.restoreState(QByteArray.fromBase64(saved.encode()))

    def save_state(self) -> None:
        self.settings.set("window_geometry", bytes(self.saveGeometry().toBase64()).decode())
        self.settings.set("window_state", bytes(self.saveState().toBase64()).decode())
        self.settings.set("splitter_state", bytes(self.outer.saveState().toBase64()).decode())
        self.settings.set("inner_splitter_state", bytes(self.inner.saveState().toBase64()).decode())
        self.settings.set("last_hamlet", self.hamlet_id or "")
        self.settings.set("pending_days", self.pending_days.value())
        try:
            self.settings.save()
        except OSError:
            log.exception("could not save settings")

    def closeEvent(self, event) -> None:
        self.save_state()
        # No new background reads once closed: the profile's store may be closed next.
        self.closed = True
        for timer in (self.search_timer, self.page_timer):
            timer.stop()
        super().closeEvent(event)
