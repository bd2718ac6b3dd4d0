"""Logging a visit from the keyboard alone.

Focus starts in the grid of what each eligible person still lacks (the open cells are marked);
arrows move, a digit sets the state done in this visit (the legend is shown), Delete takes it
back, Alt+K the outcome, Alt+G the note, Alt+H the follow-up date, Ctrl+Enter saves. Saving is
one ``Services.log_visit`` call: the visit and every item change in one transaction.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop.services import Services
from desktop.store.queries import HouseholdPage
from desktop.ui import labels
from desktop.ui.buttons import make_primary
from desktop.ui.date_field import DateField
from desktop.ui.errors import user_message
from desktop.ui.models import ItemGridModel, household_subject, person_subjects
from desktop.ui.tasks import WRITE, tasks
from desktop.ui.widgets import ERROR_STYLE, StateGridView
from gocua.states import VISIT_OUTCOMES
from gocua.validation import ValidationFailed


class VisitDialog(QDialog):
    def __init__(
        self,
        services: Services,
        page: HouseholdPage,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.services = services
        self.page = page
        self.today = today or dt.date.today()
        self.visit_id: str | None = None
        self.saving = False  # the visit is being written
        catalogue = services.catalogue
        self.setWindowTitle(self.tr("Ghi lần thăm: %s") % page.address)
        self.resize(940, 520)
        layout = QVBoxLayout(self)

        top = QGridLayout()
        self.outcome = QComboBox()
        for outcome in VISIT_OUTCOMES:
            self.outcome.addItem(labels.outcome_name(outcome), outcome)
        outcome_label = QLabel(self.tr("&Kết quả:"))
        outcome_label.setBuddy(self.outcome)
        top.addWidget(outcome_label, 0, 0)
        top.addWidget(self.outcome, 0, 1)
        self.follow_up_check = QCheckBox(self.tr("&Hẹn quay lại ngày:"))
        self.follow_up = DateField(
            self.today + dt.timedelta(days=7), field="follow_up_on", ahead=True, today=self.today
        )
        self.follow_up.setEnabled(False)
        self.follow_up_check.toggled.connect(self.follow_up.setEnabled)
        top.addWidget(self.follow_up_check, 0, 2)
        top.addWidget(self.follow_up, 0, 3)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Ví dụ: hẹn tối thứ Bảy, cần mang CCCD gắn chip"))
        note_label = QLabel(self.tr("&Ghi chú:"))
        note_label.setBuddy(self.note)
        top.addWidget(note_label, 1, 0)
        top.addWidget(self.note, 1, 1, 1, 3)
        self.met_box = QWidget()
        met_layout = QHBoxLayout(self.met_box)
        met_layout.setContentsMargins(0, 0, 0, 0)
        self.met: list[QCheckBox] = []
        for person in page.persons:
            box = QCheckBox(person.full_name)
            box.setProperty("person_id", person.id)
            self.met.append(box)
            met_layout.addWidget(box)
        met_layout.addStretch(1)
        met_label = QLabel(self.tr("Đã gặp:"))
        top.addWidget(met_label, 2, 0)
        top.addWidget(self.met_box, 2, 1, 1, 3)
        top.setColumnStretch(1, 1)
        top.setColumnStretch(3, 1)
        layout.addLayout(top)

        ref_year = self.today.year
        person_items = catalogue.person_items()
        open_count = len(page.open_items(catalogue, ref_year))
        self.summary = QLabel(
            self.tr(
                "Còn thiếu %n hạng mục. Chọn ô, bấm số để ghi việc đã làm trong lần thăm này.",
                "",
                open_count,
            )
        )
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.grid = StateGridView()
        self.grid.setObjectName("visit_grid")
        self.grid_model = ItemGridModel(
            page,
            person_subjects(page, person_items, ref_year),
            person_items,
            draft=True,
            parent=self,
        )
        self.grid.setModel(self.grid_model)
        layout.addWidget(self.grid, 1)
        self.household_grid = StateGridView()
        self.household_grid.setObjectName("visit_household_grid")
        household_items = catalogue.household_items()
        self.household_model = ItemGridModel(
            page,
            household_subject(page, household_items, self.tr("Cả hộ")),
            household_items,
            draft=True,
            parent=self,
        )
        self.household_grid.setModel(self.household_model)
        names = {r.code: labels.reason_name(r) for r in catalogue.reasons}
        for grid, model in (
            (self.grid, self.grid_model),
            (self.household_grid, self.household_model),
        ):
            grid.reasons = catalogue.reasons
            model.reason_names = names
        self.household_grid.setFixedHeight(
            self.household_grid.horizontalHeader().sizeHint().height() + 34
        )
        layout.addWidget(self.household_grid)
        legend = "   ".join(
            f"<b>{key}</b> {labels.state_name(state)}" for key, state in labels.STATE_KEYS.items()
        )
        self.legend = QLabel(
            legend
            + "   <b>Del</b> "
            + self.tr("bỏ thay đổi")
            + "   <b>Ctrl+Enter</b> "
            + self.tr("lưu")
        )
        self.legend.setWordWrap(True)
        layout.addWidget(self.legend)
        self.error = QLabel()
        self.error.setObjectName("error_general")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

        bottom = QHBoxLayout()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(
            self.tr("&Lưu lần thăm (Ctrl+Enter)")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Hủy"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        make_primary(self, self.buttons.button(QDialogButtonBox.StandardButton.Save))
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.save)

        self.setTabOrder(self.grid, self.household_grid)
        self.setTabOrder(self.household_grid, self.outcome)
        self.setTabOrder(self.outcome, self.follow_up_check)
        self.setTabOrder(self.follow_up_check, self.follow_up)
        self.setTabOrder(self.follow_up, self.note)
        previous = self.note
        for box in self.met:
            self.setTabOrder(previous, box)
            previous = box
        self._focus_first_open()

    def _focus_first_open(self) -> None:
        self.grid.setCurrentIndex(self.grid_model.index(0, 0))
        self.grid.setFocus()

    def changes(self):
        return self.grid_model.changes() + self.household_model.changes()

    def met_ids(self) -> list[str]:
        """The persons met (the visit's ``met_ids``: their own field, not text in the note)."""
        return [box.property("person_id") for box in self.met if box.isChecked()]

    def follow_up_date(self) -> str | None:
        """``YYYY-MM-DD``; ValidationFailed naming the field when the date cannot be read."""
        if not self.follow_up_check.isChecked():
            return None
        return self.follow_up.value()

    def is_empty(self) -> bool:
        """A "met" visit that records nothing: no item, nobody met, no note, no follow-up."""
        return (
            self.outcome.currentData() == "met"
            and not self.changes()
            and not self.met_ids()
            and not self.note.text().strip()
            and not self.follow_up_check.isChecked()
        )

    def confirm_empty(self) -> bool:
        """Ask before logging a visit with nothing in it (the default answer is No)."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Lần thăm chưa có nội dung"),
            self.tr(
                "Lần thăm này chưa ghi gì: không hạng mục nào, chưa chọn người đã gặp, không "
                "ghi chú, không hẹn lại. Vẫn lưu?"
            ),
            parent=self,
        )
        box.setObjectName("empty_visit")
        save = box.addButton(self.tr("Vẫn lưu"), QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton(self.tr("Quay lại ghi tiếp"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.exec()
        return box.clickedButton() is save

    def save(self) -> None:
        """Write the visit on the task manager's write lane; the dialog closes once it is
        written (Ctrl+Enter again meanwhile does nothing)."""
        if self.saving:
            return
        self.error.hide()
        if self.is_empty() and not self.confirm_empty():
            self.grid.setFocus()
            return
        try:  # a date that cannot be read is said at once, before anything is written
            follow_up_on = self.follow_up_date()
        except ValidationFailed as failed:
            self._failed(failed)
            return
        self.saving = True
        self.buttons.setEnabled(False)
        tasks().run(
            partial(
                self.services.log_visit,
                self.page.id,
                self.outcome.currentData(),
                items=self.changes(),
                note=self.note.text().strip(),
                follow_up_on=follow_up_on,
                met_ids=self.met_ids(),
            ),
            done=self._saved,
            failed=self._failed,
            owner=self,
            lane=WRITE,
            progress=self.tr("Đang lưu…"),
        )

    def _saved(self, visit_id: str) -> None:
        self.saving = False
        self.buttons.setEnabled(True)
        self.visit_id = visit_id
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationFailed):
            self.error.setText("\n".join(e.message(labels.language()) for e in exc.errors))
        else:
            self.error.setText(user_message(exc))
        self.error.show()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.save()
                return
            # Enter alone in the grid must not save half a visit by accident.
            if self.focusWidget() in (self.grid, self.household_grid):
                return
        super().keyPressEvent(event)
