"""One household: address, the persons x items grid, household-level items, members, visits."""

from __future__ import annotations

import datetime as dt
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.services import ItemChange, Services
from desktop.store.queries import HouseholdPage, PersonRow, VisitRow
from desktop.ui import labels
from desktop.ui.errors import user_message
from desktop.ui.models import ItemGridModel, RowsModel, household_subject, person_subjects
from desktop.ui.tasks import WRITE, tasks
from desktop.ui.widgets import ERROR_STYLE, EmptyHint, StateGridView, rows_view
from gocua.catalogue import Catalogue
from gocua.dates import date_text, time_text
from gocua.validation import ValidationFailed


def _mask_cccd(cccd: str | None) -> str:
    return f"••••••••{cccd[-4:]}" if cccd else ""


def _visit_items(visit: VisitRow, names: dict[str, str], catalogue: Catalogue) -> str:
    parts = []
    for item in visit.items or []:
        who = names.get(item.get("subject_id", ""), "")
        code = item.get("item_code", "")
        name = labels.item_short(catalogue.item(code)) if catalogue.has_item(code) else code
        parts.append(f"{who}: {name} {labels.state_short(item.get('state', '')).lower()}")
    return "; ".join(parts)


def _met(visit: VisitRow, names: dict[str, str]) -> str:
    """Who was met, by name (a person since moved out or deleted: not named)."""
    return ", ".join(names[i] for i in visit.met_ids if i in names)


class HouseholdPageWidget(QWidget):
    """Shows a :class:`HouseholdPage`; grid changes go straight to ``Services.set_item_state``."""

    changed = Signal(str)  # household id, after any write
    visit_requested = Signal()
    add_person_requested = Signal()
    edit_household_requested = Signal()
    edit_person_requested = Signal(str)
    move_person_requested = Signal(str)
    delete_person_requested = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.page: HouseholdPage | None = None
        self._refused: tuple[str, str] | None = None  # (household, message) shown once read again
        self.today = dt.date.today()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("household_title")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.title.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.details)

        buttons = QHBoxLayout()
        self.visit_button = QPushButton(self.tr("Ghi lần thăm (Ctrl+L)"))
        self.visit_button.setObjectName("visit_button")
        self.visit_button.setStyleSheet("font-weight: bold;")
        self.add_person_button = QPushButton(self.tr("Thêm người (Ctrl+Shift+N)"))
        self.edit_button = QPushButton(self.tr("Sửa hộ (Ctrl+E)"))
        for button in (self.visit_button, self.add_person_button, self.edit_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.visit_button.clicked.connect(self.visit_requested)
        self.add_person_button.clicked.connect(self.add_person_requested)
        self.edit_button.clicked.connect(self.edit_household_requested)

        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        layout.addWidget(self.error)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        self.grid = StateGridView()
        self.grid.setObjectName("item_grid")
        self.grid.failed.connect(self._show_error)
        self.no_persons = EmptyHint(self.grid, padding=2)  # one row high when empty
        top_layout.addWidget(self.grid, 1)
        self.household_grid = StateGridView()
        self.household_grid.setObjectName("household_grid")
        self.household_grid.failed.connect(self._show_error)
        for grid in (self.grid, self.household_grid):
            grid.reasons = services.catalogue.reasons
        self.household_grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.household_grid.horizontalHeader().setDefaultSectionSize(110)
        top_layout.addWidget(self.household_grid)
        # Each key and its state's name stay together when the line wraps.
        legend = "  ".join(
            f"<span style='background:{labels.STATE_COLOURS[s]}'>&nbsp;{k}&nbsp;"
            + labels.state_name(s).replace(" ", "&nbsp;")
            + "&nbsp;</span>"
            for k, s in labels.STATE_KEYS.items()
        )
        self.legend = QLabel(self.tr("Bấm vào ô hoặc gõ số để đổi:") + " " + legend)
        self.legend.setWordWrap(True)
        top_layout.addWidget(self.legend)
        layout.addWidget(top)

        self.tabs = QTabWidget()
        self.members = QTableView()
        self.members.setObjectName("members")
        self.members_model = RowsModel(
            [
                (self.tr("Họ và tên"), lambda p: p.full_name),
                (self.tr("Ngày sinh"), lambda p: date_text(p.birth_date)),
                (self.tr("Giới tính"), lambda p: labels.sex_name(p.sex)),
                (self.tr("Quan hệ"), lambda p: labels.relation_name(p.relation)),
                (self.tr("CCCD"), lambda p: _mask_cccd(p.cccd)),
                (self.tr("Điện thoại"), lambda p: p.phone),
                (
                    self.tr("ĐT thông minh"),
                    lambda p: {True: self.tr("Có"), False: self.tr("Không")}.get(
                        p.has_smartphone, ""
                    ),
                ),
                (self.tr("Tình trạng"), lambda p: labels.person_status_name(p.status)),
            ],
            self,
        )
        self._setup_table(self.members, self.members_model)
        self.members.activated.connect(self._edit_person)
        members_box = QWidget()
        members_layout = QVBoxLayout(members_box)
        members_layout.setContentsMargins(0, 0, 0, 0)
        members_layout.addWidget(self.members)
        member_buttons = QHBoxLayout()
        self.edit_person_button = QPushButton(self.tr("Sửa người đang chọn"))
        self.move_person_button = QPushButton(self.tr("Chuyển sang hộ khác…"))
        self.edit_person_button.clicked.connect(self._edit_selected_person)
        self.move_person_button.clicked.connect(self._move_person)
        self.delete_person_button = QPushButton(self.tr("Xóa (nhập nhầm)…"))
        self.delete_person_button.clicked.connect(self._delete_person)
        member_buttons.addWidget(self.edit_person_button)
        member_buttons.addWidget(self.move_person_button)
        member_buttons.addWidget(self.delete_person_button)
        member_buttons.addStretch(1)
        members_layout.addLayout(member_buttons)
        self.members.selectionModel().selectionChanged.connect(self._person_selected)
        self.members_model.modelReset.connect(self._person_selected)
        self._person_selected()
        self.visits = QTableView()
        self.visits.setObjectName("visits")
        self.visits_model = RowsModel(
            [
                (self.tr("Ngày"), lambda v: time_text(v.visited_at)),
                (self.tr("Kết quả"), lambda v: labels.outcome_name(v.outcome)),
                (self.tr("Người thăm"), lambda v: v.volunteer),
                (self.tr("Hẹn lại"), lambda v: date_text(v.follow_up_on)),
                (self.tr("Đã gặp"), lambda v: _met(v, self._names())),
                (self.tr("Ghi chú"), lambda v: v.note),
                (self.tr("Đã làm"), lambda v: _visit_items(v, self._names(), services.catalogue)),
            ],
            self,
        )
        self._setup_table(self.visits, self.visits_model)
        self.tabs.addTab(self.visits, self.tr("Lịch sử thăm"))
        self.tabs.addTab(members_box, self.tr("Thành viên"))
        layout.addWidget(self.tabs, 1)
        self.setEnabled(False)

    @staticmethod
    def _setup_table(view: QTableView, model: RowsModel) -> None:
        view.setModel(model)
        rows_view(view)
        view.horizontalHeader().setStretchLastSection(True)
        view.setWordWrap(False)

    def _names(self) -> dict[str, str]:
        if self.page is None:
            return {}
        return {p.id: p.full_name for p in self.page.persons} | {self.page.id: self.tr("Hộ")}

    def _show_error(self, failed: ValidationFailed) -> None:
        self.error.setText("\n".join(e.message(labels.language()) for e in failed.errors))
        self.error.show()

    def _set_item(self, change: ItemChange) -> None:
        """A cell changed: the grid shows it at once, the service writes it on the write lane
        (in the order the cells were changed), then the page is read again."""
        if self.page is None:
            return
        self.error.hide()
        household_id = self.page.id
        tasks().run(
            partial(
                self.services.set_item_state,
                change.subject_type,
                change.subject_id,
                change.item_code,
                change.state,
                change.reason,
            ),
            done=lambda _result: self.changed.emit(household_id),
            failed=lambda exc: self._item_failed(exc, household_id),
            owner=self,
            lane=WRITE,
            progress=self.tr("Đang lưu…"),
        )

    def _item_failed(self, exc: BaseException, household_id: str) -> None:
        if isinstance(exc, ValidationFailed):
            text = "\n".join(e.message(labels.language()) for e in exc.errors)
        else:
            text = user_message(exc)
        self._refused = (household_id, text)
        self.changed.emit(household_id)  # read again: the grid shows what was saved

    def current_person(self) -> PersonRow | None:
        """The member selected in the list; None when nobody is (never a guess)."""
        rows = self.members.selectionModel().selectedRows()
        if self.page is None or not rows or rows[0].row() >= len(self.page.persons):
            return None
        return self.page.persons[rows[0].row()]

    def _person_selected(self, *_args) -> None:
        """The buttons that act on one member are enabled only while one is selected."""
        selected = self.current_person() is not None
        for button in (
            self.edit_person_button,
            self.move_person_button,
            self.delete_person_button,
        ):
            button.setEnabled(selected)

    def _edit_person(self, index) -> None:
        if self.page is not None and index.isValid():
            self.edit_person_requested.emit(self.page.persons[index.row()].id)

    def _edit_selected_person(self) -> None:
        person = self.current_person()
        if person is not None:
            self.edit_person_requested.emit(person.id)

    def _delete_person(self) -> None:
        person = self.current_person()
        if person is not None:
            self.delete_person_requested.emit(person.id)

    def _move_person(self) -> None:
        person = self.current_person()
        if person is not None:
            self.move_person_requested.emit(person.id)

    def show_page(self, page: HouseholdPage | None) -> None:
        same = page is not None and self.page is not None and self.page.id == page.id
        current = self.grid.currentIndex()
        self.page = page
        self.error.hide()
        refused, self._refused = self._refused, None
        if refused is not None and page is not None and refused[0] == page.id:
            self.error.setText(refused[1])  # a change the service refused: said after reading
            self.error.show()
        self.setEnabled(page is not None)
        if page is None:
            self.title.setText(self.tr("Chọn một hộ trong danh sách"))
            self.details.clear()
            for view in (self.grid, self.household_grid):
                model = view.model()
                view.setModel(None)
                if model is not None:
                    model.deleteLater()
            self.members_model.set_rows([])
            self.visits_model.set_rows([])
            self.no_persons.hide()
            return
        status = (
            "" if page.status == "active" else f" ({labels.household_status_name(page.status)})"
        )
        self.title.setText(page.address + status)
        bits = [page.hamlet_name, self.tr("%n người", "", len(page.persons))]
        if page.phone:
            bits.append(self.tr("ĐT %s") % page.phone)
        if page.note:
            bits.append(page.note)
        self.details.setText(" · ".join(bits))
        catalogue = self.services.catalogue
        person_items = catalogue.person_items()
        person_subjects_ = person_subjects(page, person_items, self.today.year)
        household_items = catalogue.household_items()
        house = household_subject(page, household_items, self.tr("Cả hộ"))
        if self.grid.model() is None:
            self.grid_model = ItemGridModel(
                page, person_subjects_, person_items, on_change=self._set_item, parent=self
            )
            self.grid.setModel(self.grid_model)
            self.household_model = ItemGridModel(
                page, house, household_items, on_change=self._set_item, parent=self
            )
            self.household_grid.setModel(self.household_model)
            header = self.household_grid.horizontalHeader().sizeHint().height()
            self.household_grid.setFixedHeight(header + 32)
        else:
            self.grid_model.reset(page, person_subjects_)
            self.household_model.reset(page, house)
        names = {r.code: labels.reason_name(r) for r in catalogue.reasons}
        self.grid_model.reason_names = self.household_model.reason_names = names
        rows = max(len(page.persons), 1) * self.grid.verticalHeader().defaultSectionSize()
        self.grid.setMaximumHeight(self.grid.horizontalHeader().sizeHint().height() + rows + 6)
        self.household_grid.verticalHeader().setMinimumWidth(
            self.grid.verticalHeader().sizeHint().width()
        )
        if same and current.isValid():
            self.grid.setCurrentIndex(self.grid_model.index(current.row(), current.column()))
        if page.persons:
            self.no_persons.hide()
        else:
            self.no_persons.show_text(self.tr("Chưa có ai trong hộ: Thêm người (Ctrl+Shift+N)"))
        self.members_model.set_rows(page.persons)
        self.members.resizeColumnsToContents()
        self.visits_model.set_rows(page.visits)
        self.visits.resizeColumnsToContents()
