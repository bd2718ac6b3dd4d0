"""The "Hộ gia đình" tab: search | household list | household page, and the actions on the
household shown (its details, a person added, edited, moved or deleted, a visit logged).

Every read (the list, its rows, the page) and every write runs off the GUI thread through
desktop.ui.tasks; a newer read of the same kind replaces an older one still running.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from functools import partial

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.services import Services
from desktop.settings import Settings
from desktop.store import queries
from desktop.ui.dialogs import HouseholdDialog, MovePersonDialog, PersonDialog
from desktop.ui.errors import user_message
from desktop.ui.household_page import HouseholdPageWidget
from desktop.ui.models import ID_ROLE, HouseholdListModel
from desktop.ui.tasks import WRITE, tasks
from desktop.ui.visit_dialog import VisitDialog
from desktop.ui.widgets import EmptyHint, rows_view

log = logging.getLogger(__name__)


def list_view(view: QTableView) -> None:
    """The look of the window's lists: whole rows, one at a time, read-only, compact."""
    rows_view(view)
    view.verticalHeader().setDefaultSectionSize(24)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)
    # Column widths from the first rows only: thousands of follow-ups stay cheap.
    view.horizontalHeader().setResizeContentsPrecision(100)


class HouseholdsTab(QSplitter):
    """Search and list on the left, the household page on the right."""

    list_shown = Signal()  # a list (hamlet or search results) is shown
    page_shown = Signal(object)  # HouseholdPage | None
    written = Signal(str)  # household id, after any write from this tab
    message = Signal(str, int)  # a line for the status bar, and for how long (ms)

    def __init__(self, services: Services, settings: Settings, today: dt.date):
        super().__init__(Qt.Orientation.Horizontal)
        self.services = services
        self.store = services.store
        self.settings = settings
        self.today = today
        self.hamlet_id: str | None = None
        self.search_text = ""
        self.page: queries.HouseholdPage | None = None
        self.last_page_ms = 0.0  # selection to page shown, for tests and the benchmark
        self.list_reads = 0  # lists read (hamlet or search), for tests
        self.closed = False
        self._list_task = None
        self._page_task = None
        self._open_after_list: str | None = None
        self._pending_household: str | None = None
        self._page_asked = 0.0

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
            partial(self.store.query, queries.household_rows),
            [self.tr("Địa chỉ"), self.tr("Chủ hộ"), self.tr("Người")],
            self,
            fetch=self._fetch_rows,
        )
        self.households = QTableView()
        self.households.setObjectName("households")
        self.households.setModel(self.list_model)
        list_view(self.households)
        header = self.households.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 135)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(2, 56)
        self.page_timer = QTimer(self)
        self.page_timer.setSingleShot(True)
        self.page_timer.setInterval(0)
        self.page_timer.timeout.connect(self._show_pending)
        self.households.selectionModel().currentRowChanged.connect(self._household_changed)
        self.households.activated.connect(lambda _: self.page_widget.grid.setFocus())
        self.empty_hint = EmptyHint(self.households)
        self.list_status = QLabel()
        self.list_status.setObjectName("list_status")
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.search)
        middle_layout.addWidget(self.households, 1)
        middle_layout.addWidget(self.list_status)

        self.page_widget = HouseholdPageWidget(services)
        self.page_widget.today = today
        self.page_widget.changed.connect(self.household_written)
        self.page_widget.visit_requested.connect(self.log_visit)
        self.page_widget.add_person_requested.connect(self.add_person)
        self.page_widget.edit_person_requested.connect(self.edit_person)
        self.page_widget.move_person_requested.connect(self.move_person)
        self.page_widget.delete_person_requested.connect(self.delete_person)
        self.page_widget.show_page(None)

        self.addWidget(middle)
        self.addWidget(self.page_widget)
        self.setStretchFactor(0, 2)
        self.setStretchFactor(1, 5)
        self.setSizes([400, 740])

    # -- reading --------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A list or a page is being read (or its rows are on their way)."""
        running = [t for t in (self._list_task, self._page_task) if t is not None and t.running]
        return bool(running) or self.list_model.waiting

    @property
    def list_busy(self) -> bool:
        return self._list_task is not None and self._list_task.running

    def _fetch_rows(self, load, deliver) -> None:
        tasks().run(load, done=deliver, failed=self._read_failed, owner=self, name="rows")

    def reload_list(self) -> None:
        """Household ids of the hamlet, or the search's results (the newest request wins)."""
        if self.closed:
            return
        text = self.search.text().strip()
        limit = self.settings.get("search_limit")
        self.list_status.setText(self.tr("Đang tìm…") if text else self.tr("Đang tải…"))
        self.list_reads += 1
        self._list_task = tasks().run(
            partial(self.store.query, queries.household_list, text, self.hamlet_id, limit),
            done=self._list_loaded,
            failed=self._read_failed,
            owner=self,
            key="list",
        )

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
        text, ids, matched = result
        keep = self._open_after_list or (self.page.id if self.page else None)
        opening, self._open_after_list = self._open_after_list, None
        self.list_model.headers[1] = self.tr("Người tìm thấy") if text else self.tr("Chủ hộ")
        self.list_model.set_ids(ids, matched)
        if text:
            self.list_status.setText(self.tr("Tìm thấy %n hộ", "", len(ids)))
        else:
            self.list_status.setText(self.tr("%n hộ", "", len(ids)))
        self._show_empty_hint(text, bool(ids))
        row = self.list_model.row_of(keep) if keep else -1
        if row < 0 and ids and not opening:
            row = 0
        if row >= 0:
            self.select_row(row)
        elif opening:
            self.show_household(opening)
        else:
            self.show_household(None)
        self.list_shown.emit()

    def _show_empty_hint(self, text: str, any_rows: bool) -> None:
        """A new profile's first screen says how to begin; a search that found nothing says so."""
        if any_rows:
            self.empty_hint.hide()
        elif text:
            self.empty_hint.show_text(
                self.tr("Không tìm thấy hộ nào khớp “%1”.").replace("%1", text)
            )
        else:
            self.empty_hint.show_text(
                self.tr(
                    "Chưa có hộ nào.\n\nThêm từng hộ:\nHộ → Thêm hộ mới (Ctrl+N)\n\n"
                    "hoặc nhập danh sách đang có:\nTệp → Nhập từ bảng tính (Ctrl+I)"
                )
            )

    def select_row(self, row: int) -> None:
        self.households.selectionModel().setCurrentIndex(
            self.list_model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _household_changed(self, current, _previous=None) -> None:
        # Shown from the event loop: the list paints first, and holding an arrow key reads
        # only the household the cursor stops on.
        self._pending_household = current.data(ID_ROLE) if current.isValid() else None
        self.page_timer.start()

    def _show_pending(self) -> None:
        if not self.closed:
            self.show_household(self._pending_household)

    def show_household(self, household_id: str | None) -> None:
        """Read the household's page off the GUI thread and show it (the newest wins)."""
        self._page_asked = time.perf_counter()
        if not household_id:
            self._page_task = None
            self._page_loaded(None)
            return
        self._page_task = tasks().run(
            partial(self.store.query, queries.household_page, household_id),
            done=self._page_loaded,
            failed=self._read_failed,
            owner=self,
            key="page",
        )

    def _page_loaded(self, page: queries.HouseholdPage | None) -> None:
        self.page = page
        self.page_widget.show_page(page)
        self.last_page_ms = (time.perf_counter() - self._page_asked) * 1000
        self.page_shown.emit(page)

    def open_household(self, household_id: str | None) -> None:
        """Show a household (from the follow-up lists) in this tab's list and page."""
        if not household_id:
            return
        row = self.list_model.row_of(household_id)
        if row < 0:
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.show_household(household_id)
            return
        self.select_row(row)
        self.page_timer.stop()
        self.show_household(household_id)

    def after_new_household(self, household_id: str) -> None:
        """A household was added: the list read again without the search, then opened."""
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._open_after_list = household_id
        self.reload_list()

    def refresh(self) -> None:
        """Everything read again (new rows from a sync, a merge, an import)."""
        self.list_model.invalidate()
        self.show_household(self.page.id if self.page else None)

    def _read_failed(self, exc: BaseException) -> None:
        self.list_status.setText(self.tr("Không đọc được dữ liệu (chi tiết trong nhật ký)"))
        log.error("background read failed: %r", exc, exc_info=exc)

    # -- writing --------------------------------------------------------------------------

    def household_written(self, household_id: str) -> None:
        """After any write: the row and the page read again; the window updates the rest."""
        self.list_model.invalidate(household_id)
        self.show_household(household_id)
        self.written.emit(household_id)

    def _write(self, work, household_id: str) -> None:
        """A write of this tab on the write lane; the household is read again after it."""
        tasks().run(
            work,
            done=lambda _result: self.household_written(household_id),
            failed=self._write_failed,
            owner=self,
            lane=WRITE,
            progress=self.tr("Đang lưu…"),
        )

    def _write_failed(self, exc: BaseException) -> None:
        QMessageBox.warning(self, self.tr("Không lưu được"), user_message(exc))

    def new_household(self, hamlets: list[queries.HamletRow]) -> str | None:
        if not hamlets:
            QMessageBox.information(
                self,
                self.tr("Chưa có ấp"),
                self.tr(
                    "Hồ sơ này chưa có danh sách ấp/thôn. Hãy đồng bộ với máy chủ hoặc tạo hồ sơ mới "
                    "kèm danh sách ấp."
                ),
            )
            return None
        dialog = HouseholdDialog(self.services, hamlets, self.hamlet_id, parent=self)
        if dialog.exec() and dialog.household_id:
            return dialog.household_id
        return None

    def edit_household(self, hamlets: list[queries.HamletRow]) -> None:
        if self.page is None:
            return
        dialog = HouseholdDialog(self.services, hamlets, page=self.page, parent=self)
        if dialog.exec():
            self.household_written(self.page.id)

    def set_status(self, status: str) -> None:
        if self.page is None or self.page.status == status:
            return
        household_id, services = self.page.id, self.services
        self._write(lambda: services.set_household_status(household_id, status), household_id)

    def add_person(self) -> None:
        if self.page is None:
            return
        relation = None if self.page.persons else "head"
        dialog = PersonDialog(
            self.services, self.page.id, relation=relation, parent=self, head=self.head_name()
        )
        if dialog.exec():
            self.household_written(self.page.id)

    def head_name(self, other_than=None) -> str | None:
        """The name of the household's head (not ``other_than``), for the second-head question."""
        if self.page is None:
            return None
        heads = [p for p in self.page.persons if p.relation == "head" and p is not other_than]
        return heads[0].full_name if heads else None

    def _person(self, person_id: str):
        if self.page is None:
            return None
        return next((p for p in self.page.persons if p.id == person_id), None)

    def edit_person(self, person_id: str) -> None:
        person = self._person(person_id)
        if person is None:
            return
        dialog = PersonDialog(
            self.services, self.page.id, person=person, parent=self, head=self.head_name(person)
        )
        if dialog.exec():
            self.household_written(self.page.id)

    def move_person(self, person_id: str) -> None:
        person = self._person(person_id)
        if person is None:
            return
        dialog = MovePersonDialog(self.services, person, parent=self)
        if dialog.exec():
            self.list_model.invalidate()
            self.household_written(self.page.id)

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
            services = self.services
            self._write(lambda: services.delete_person(person_id), self.page.id)

    def visit_dialog(self) -> VisitDialog | None:
        if self.page is None:
            return None
        return VisitDialog(self.services, self.page, today=self.today, parent=self)

    def log_visit(self) -> None:
        dialog = self.visit_dialog()
        if dialog is not None and dialog.exec():
            self.household_written(dialog.page.id)
            self.message.emit(self.tr("Đã lưu lần thăm"), 4000)
