"""The volunteer's main window: hamlets | tabs (households, follow-ups, the leader's tabs).

The tabs are modules of their own: desktop.ui.households_tab (search, list, household page and
the actions on it), desktop.ui.follow_up_tab ("Cần quay lại"), desktop.ui.leader_tabs (the
follow-up list to print, the coverage dashboard, the targets). The window holds the hamlets,
the menus, the status bar and the window's state; every read it makes runs off the GUI thread
(desktop.ui.tasks) and a newer read of the same kind replaces an older one.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from PySide6.QtCore import QByteArray, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QTabWidget,
)

from desktop.profiles import Profile
from desktop.services import Services
from desktop.settings import Settings
from desktop.store import queries
from desktop.store.duplicates import count_duplicates
from desktop.store.identity import LEADER_ROLES, signed_in_role
from desktop.ui.follow_up_tab import FollowUpTab
from desktop.ui.households_tab import HouseholdsTab, list_view
from desktop.ui.leader_tabs import LeaderTabs
from desktop.ui.main_menus import MainMenus
from desktop.ui.models import HamletModel
from desktop.ui.tasks import tasks
from desktop.ui.visit_dialog import VisitDialog
from gocua.dates import time_text

log = logging.getLogger(__name__)
HOUSEHOLDS_TAB, FOLLOW_UPS_TAB = 0, 1


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
        self._closed = False
        self._usable = False
        self._coverage_due = False
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
        list_view(self.hamlets)
        header = self.hamlets.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.hamlets.setToolTip(self.tr("Tỷ lệ người lớn có định danh điện tử mức 2"))
        self.hamlets.selectionModel().currentRowChanged.connect(self._hamlet_changed)

        # -- the tabs -------------------------------------------------------------------------
        self.households_tab = HouseholdsTab(services, settings, self.today)
        self.households_tab.list_shown.connect(self._list_shown)
        self.households_tab.page_shown.connect(self._page_shown)
        self.households_tab.written.connect(self._household_written)
        self.households_tab.message.connect(self.statusBar().showMessage)
        self.follow_up_tab = FollowUpTab(services, settings, self.today)
        self.follow_up_tab.open_household.connect(self.open_household)
        self.follow_up_tab.pending_days.valueChanged.connect(self.refresh_follow_ups)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.addTab(self.households_tab, self.tr("Hộ gia đình"))
        self.tabs.addTab(self.follow_up_tab, self.tr("Cần quay lại"))
        self.tabs.currentChanged.connect(
            lambda n: n == FOLLOW_UPS_TAB and self.refresh_follow_ups()
        )
        self.leader_tabs = LeaderTabs(self.tabs, services, lambda: self.today)

        self.outer = QSplitter(Qt.Orientation.Horizontal)
        self.outer.setObjectName("outer")
        self.outer.addWidget(self.hamlets)
        self.outer.addWidget(self.tabs)
        self.outer.setCollapsible(0, False)
        self.hamlets.setMinimumWidth(170)  # "Ấp Long Thuận" and its figures, even at 1024 px
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
        self.first_list_shown.connect(self.refresh_duplicates)

        self.status_actions: dict[str, QAction] = {}  # a household's status -> "mark it so"
        self.menus = MainMenus(self, profiles or [])
        self._page_shown(None)  # no household open yet: nothing to edit, visit or mark
        self._restore_state()
        self.update_role()
        self.refresh_hamlets()
        self.refresh_status()
        self.search.setFocus()  # type a name right away

    # -- the tabs' parts, as the sync panel, the app, tests and benchmarks reach them ----------

    inner = property(lambda self: self.households_tab)
    search = property(lambda self: self.households_tab.search)
    search_timer = property(lambda self: self.households_tab.search_timer)
    households = property(lambda self: self.households_tab.households)
    list_model = property(lambda self: self.households_tab.list_model)
    list_status = property(lambda self: self.households_tab.list_status)
    page_widget = property(lambda self: self.households_tab.page_widget)
    page = property(lambda self: self.households_tab.page)
    last_page_ms = property(lambda self: self.households_tab.last_page_ms)
    follow_ups = property(lambda self: self.follow_up_tab.follow_ups)
    follow_model = property(lambda self: self.follow_up_tab.follow_model)
    follow_title = property(lambda self: self.follow_up_tab.follow_title)
    pending = property(lambda self: self.follow_up_tab.pending)
    pending_model = property(lambda self: self.follow_up_tab.pending_model)
    pending_days = property(lambda self: self.follow_up_tab.pending_days)
    follow_list_tab = property(lambda self: self.leader_tabs.follow_list_tab)
    dashboard_tab = property(lambda self: self.leader_tabs.dashboard_tab)
    targets_tab = property(lambda self: self.leader_tabs.targets_tab)

    @property
    def busy(self) -> bool:
        """Something of the window is being read (tests and tools wait for it)."""
        return self.households_tab.busy or self.follow_up_tab.busy

    @property
    def closed(self) -> bool:
        return self._closed

    @closed.setter
    def closed(self, value: bool) -> None:
        """Once closed, no new background reads: the profile's store may be closed next."""
        self._closed = value
        self.households_tab.closed = self.follow_up_tab.closed = value

    def open_household(self, household_id: str | None) -> None:
        """Show a household (from the follow-up lists, the held rows) in the household tab."""
        if household_id:
            self.tabs.setCurrentIndex(HOUSEHOLDS_TAB)
            self.households_tab.open_household(household_id)

    def show_household(self, household_id: str | None) -> None:
        self.households_tab.show_household(household_id)

    def visit_dialog(self) -> VisitDialog | None:
        return self.households_tab.visit_dialog()

    def log_visit(self) -> None:
        self.households_tab.log_visit()

    def delete_person(self, person_id: str) -> None:
        self.households_tab.delete_person(person_id)

    # -- construction helpers ------------------------------------------------------------------

    def update_role(self) -> None:
        """Targets are set, and duplicates merged, by leaders only: the tab and the "Hộ" menu's
        duplicates action follow the signed-in user's role (read off the GUI thread)."""
        tasks().run(
            partial(self.store.query, signed_in_role),
            done=self._role_read,
            owner=self,
            key="role",
        )

    def _role_read(self, role: str | None) -> None:
        leader = role in LEADER_ROLES
        became_leader = leader and not self.is_leader
        self.is_leader = leader
        self.leader_tabs.show_targets(leader)
        self.act_duplicates.setVisible(leader)
        if became_leader and self._usable:
            self.refresh_duplicates()

    # -- data loading --------------------------------------------------------------------------

    def refresh_hamlets(self) -> None:
        tasks().run(
            partial(self.store.query, queries.hamlets),
            done=self._hamlets_read,
            owner=self,
            key="hamlets",
        )

    def _hamlets_read(self, hamlets: list[queries.HamletRow]) -> None:
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
        catalogue, year = self.services.catalogue, self.today.year
        tasks().run(
            partial(self.store.query, queries.hamlet_coverage, catalogue, year),
            done=self.hamlet_model.set_coverage,
            owner=self,
            key="coverage",
        )

    def _hamlet_changed(self, current, _previous=None) -> None:
        self.hamlet_id = self.hamlet_model.hamlet_id(current.row())
        self.households_tab.hamlet_id = self.hamlet_id
        self.households_tab.reload_list()
        if self.tabs.currentIndex() == FOLLOW_UPS_TAB:
            self.refresh_follow_ups()

    def reload_list(self) -> None:
        self.households_tab.reload_list()

    def _list_shown(self) -> None:
        if self._coverage_due:
            self._coverage_due = False
            QTimer.singleShot(0, self.refresh_coverage)
            if not self._usable:
                self._usable = True
                QTimer.singleShot(0, self.first_list_shown.emit)

    def _page_shown(self, page) -> None:
        for action in (self.act_edit, self.act_person, self.act_visit):
            action.setEnabled(page is not None)
        for status, action in self.status_actions.items():  # never "mark it as it already is"
            action.setEnabled(page is not None and page.status != status)

    def refresh_follow_ups(self) -> None:
        """Both follow-up lists, read in the background (a commune has thousands)."""
        self.follow_up_tab.refresh(self.hamlet_id)

    def refresh_status(self) -> None:
        """The status bar of a window without the sync (the sync panel replaces it)."""
        tasks().run(
            partial(self.store.query, queries.local_status),
            done=self._status_read,
            owner=self,
            key="status",
        )

    def _status_read(self, status: queries.LocalStatus) -> None:
        self.online_label.setText("● " + self.tr("Ngoại tuyến"))
        self.online_label.setStyleSheet("color: #8a5300;")
        self.online_label.setToolTip(
            self.tr("Chưa kết nối máy chủ; mọi thay đổi được lưu trên máy.")
        )
        self.outbox_label.setText(self.tr("Chưa gửi: %n thay đổi", "", status.unsent))
        last_sync = status.last_sync_at
        self.sync_label.setText(
            self.tr("Đồng bộ lần cuối: %s")
            % (time_text(last_sync) if last_sync else self.tr("chưa lần nào"))
        )

    def refresh_all(self) -> None:
        self.households_tab.refresh()
        self.refresh_hamlets()
        self.refresh_status()
        if self.tabs.currentIndex() == FOLLOW_UPS_TAB:
            self.refresh_follow_ups()
        self.update_role()  # a pull may bring this user's row (or a new role)
        self.refresh_duplicates()  # a pull may bring another laptop's copy of a household
        self.leader_tabs.mark_stale()

    def refresh_duplicates(self) -> None:
        """Count the likely duplicates (leaders only, off the GUI thread): the "Hộ" menu
        shows the number, and the status bar says when new ones came."""
        if self.closed or not self.is_leader:
            return
        tasks().run(
            partial(self.store.query, count_duplicates),
            done=self._duplicates_counted,
            failed=lambda exc: log.warning("counting duplicates failed: %s", exc),
            owner=self,
            key="duplicates",
        )

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

    def _household_written(self, _household_id: str = "") -> None:
        """After any write of the household tab: the counts, coverage and leader's tabs."""
        self.refresh_status()
        self.refresh_coverage()
        self.leader_tabs.mark_stale(targets=False)

    # -- actions -------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(HOUSEHOLDS_TAB)
        self.search.setFocus()
        self.search.selectAll()

    def new_household(self) -> None:
        household_id = self.households_tab.new_household(self.hamlet_model.hamlets)
        if household_id:
            self.after_new_household(household_id)

    def after_new_household(self, household_id: str) -> None:
        self.tabs.setCurrentIndex(HOUSEHOLDS_TAB)
        self.households_tab.after_new_household(household_id)
        self.refresh_hamlets()
        self.refresh_status()

    def edit_household(self) -> None:
        self.households_tab.edit_household(self.hamlet_model.hamlets)

    def set_status(self, status: str) -> None:
        self.households_tab.set_status(status)

    def add_person(self) -> None:
        self.households_tab.add_person()

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
        for timer in (self.search_timer, self.households_tab.page_timer):
            timer.stop()
        super().closeEvent(event)
