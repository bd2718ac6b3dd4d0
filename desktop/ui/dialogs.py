"""Adding and editing households and persons, with the service's messages under each field.

"Lưu" writes through the services on the task manager's write lane (desktop.ui.tasks): the form
stays open, its buttons off, until the write is done (a progress dialog after half a second
when it waits behind a sync's page), then closes; a refusal shows under its field.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.services import Services
from desktop.store.queries import HamletRow, HouseholdPage, PersonRow, move_targets
from desktop.ui import labels
from desktop.ui.buttons import make_primary
from desktop.ui.date_field import DateEdit
from desktop.ui.errors import user_message
from desktop.ui.tasks import WRITE, tasks
from desktop.ui.widgets import FormErrors
from gocua.protocol import check_fields
from gocua.states import HOUSEHOLD_STATUSES, PERSON_STATUSES, RELATIONS
from gocua.validation import FieldError, ValidationFailed


def _combo(options: list[tuple[Any, str]], current: Any = None) -> QComboBox:
    combo = QComboBox()
    for value, text in options:
        combo.addItem(text, value)
    index = combo.findData(current)
    combo.setCurrentIndex(max(index, 0))
    return combo


def _blank(text: str) -> str | None:
    text = text.strip()
    return text or None


class _FormDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        layout.addLayout(self.form)
        self.general_error = QLabel()
        self.general_error.setObjectName("error_general")
        layout.addWidget(self.general_error)
        self.errors = FormErrors(self.form, self.general_error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Lưu"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Hủy"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        make_primary(self, self.buttons.button(QDialogButtonBox.StandardButton.Save))
        self.saving = False

    def save(self) -> None:
        if self.saving:
            return
        self.errors.clear()
        if not self.confirmed():
            return
        try:
            work = self.commit()
        except ValidationFailed as failed:  # a field the form itself could not read (a date)
            self._failed(failed)
            return
        if work is None:  # nothing changed
            self.accept()
            return
        self._set_saving(True)
        tasks().run(
            work,
            done=self._saved,
            failed=self._failed,
            owner=self,
            lane=WRITE,
            progress=self.tr("Đang lưu…"),
        )

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        self.buttons.setEnabled(not saving)

    def _saved(self, result: Any) -> None:
        self._set_saving(False)
        self.committed(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_saving(False)
        if not isinstance(exc, ValidationFailed):
            self.general_error.setText(user_message(exc))
            return
        self.errors.show(exc, labels.language())
        self.adjustSize()
        for error in exc.errors:
            widget = getattr(self, error.field.rsplit(".", 1)[-1], None)
            if isinstance(widget, QWidget):
                widget.setFocus()
                break

    def confirmed(self) -> bool:
        """Asked before anything is written; False keeps the dialog open as it is."""
        return True

    def commit(self) -> Callable[[], Any] | None:  # pragma: no cover - overridden
        """The service call that saves the form (run on the write lane), or None: nothing to
        save."""
        raise NotImplementedError

    def committed(self, result: Any) -> None:
        """After the write, on the GUI thread, with what the service returned."""


class HouseholdDialog(_FormDialog):
    """A new household in a hamlet, or the address, phone, note and status of one."""

    def __init__(
        self,
        services: Services,
        hamlets: list[HamletRow],
        hamlet_id: str | None = None,
        page: HouseholdPage | None = None,
        parent: QWidget | None = None,
    ):
        title = self.tr("Sửa thông tin hộ") if page else self.tr("Thêm hộ gia đình")
        super().__init__(title, parent)
        self.services = services
        self.page = page
        self.household_id: str | None = page.id if page else None
        self.hamlet_id = _combo(
            [(h.id, h.name) for h in hamlets], page.hamlet_id if page else hamlet_id
        )
        self.address = QLineEdit(page.address if page else "")
        self.address.setPlaceholderText(self.tr("Số nhà, đường/hẻm, tổ"))
        self.phone = QLineEdit((page.phone or "") if page else "")
        self.phone.setPlaceholderText("09xx xxx xxx")
        self.note = QLineEdit(page.note if page else "")
        self.errors.add("hamlet_id", self.hamlet_id, self.tr("Ấp/&thôn"))
        self.errors.add("address", self.address, self.tr("Đị&a chỉ"))
        self.errors.add("phone", self.phone, self.tr("Số điện t&hoại"))
        self.errors.add("note", self.note, self.tr("&Ghi chú"))
        self.status = _combo(
            [(s, labels.household_status_name(s)) for s in HOUSEHOLD_STATUSES],
            page.status if page else "active",
        )
        if page:
            self.errors.add("status", self.status, self.tr("&Tình trạng"))
        self.address.setFocus()

    def values(self) -> dict[str, Any]:
        return {
            "hamlet_id": self.hamlet_id.currentData(),
            "address": self.address.text(),
            "phone": _blank(self.phone.text()),
            "note": self.note.text().strip(),
        }

    def commit(self) -> Callable[[], Any] | None:
        values = self.values()
        if self.page is None:
            return partial(self.services.register_household, **values)
        values["status"] = self.status.currentData()
        current = {
            "hamlet_id": self.page.hamlet_id,
            "address": self.page.address,
            "phone": self.page.phone,
            "note": self.page.note,
            "status": self.page.status,
        }
        changes = {k: v for k, v in values.items() if current.get(k) != v}
        if not changes:
            return None
        return partial(self.services.update_household, self.page.id, **changes)

    def committed(self, result: Any) -> None:
        if self.page is None:
            self.household_id = result


class PersonDialog(_FormDialog):
    """A new member of a household, or the details of one."""

    def __init__(
        self,
        services: Services,
        household_id: str,
        person: PersonRow | None = None,
        relation: str | None = None,
        parent: QWidget | None = None,
        *,
        head: str | None = None,
    ):
        title = self.tr("Sửa thông tin người") if person else self.tr("Thêm người vào hộ")
        super().__init__(title, parent)
        self.services = services
        self.household_id = household_id
        self.head = head  # the name of the household's head, when it is someone else
        self.person = person
        self.person_id: str | None = person.id if person else None
        p = person
        self.full_name = QLineEdit(p.full_name if p else "")
        self.full_name.setPlaceholderText(self.tr("Ví dụ: Nguyễn Văn Đức"))
        self.birth_date = DateEdit(p.birth_date if p else None, field="birth_date", allow_year=True)
        self.sex = _combo(
            [(None, ""), ("m", labels.sex_name("m")), ("f", labels.sex_name("f"))],
            p.sex if p else None,
        )
        self.relation = _combo(
            [(None, "")] + [(r, labels.relation_name(r)) for r in RELATIONS],
            p.relation if p else relation,
        )
        self.cccd = QLineEdit((p.cccd or "") if p else "")
        self.cccd.setPlaceholderText(self.tr("12 chữ số (không bắt buộc)"))
        self.phone = QLineEdit((p.phone or "") if p else "")
        self.has_smartphone = _combo(
            [(None, self.tr("Chưa rõ")), (True, self.tr("Có")), (False, self.tr("Không"))],
            p.has_smartphone if p else None,
        )
        self.status = _combo(
            [(s, labels.person_status_name(s)) for s in PERSON_STATUSES],
            p.status if p else "present",
        )
        self.note = QPlainTextEdit(p.note if p else "")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(60)
        self.errors.add("full_name", self.full_name, self.tr("&Họ và tên"))
        self.errors.add("birth_date", self.birth_date, self.tr("&Ngày sinh"))
        self.errors.add("sex", self.sex, self.tr("&Giới tính"))
        self.errors.add("relation", self.relation, self.tr("&Quan hệ với chủ hộ"))
        self.errors.add("cccd", self.cccd, self.tr("Số &CCCD"))
        self.errors.add("phone", self.phone, self.tr("Số điện t&hoại"))
        self.errors.add("has_smartphone", self.has_smartphone, self.tr("Điện thoại thông &minh"))
        self.errors.add("status", self.status, self.tr("&Tình trạng"))
        self.errors.add("note", self.note, self.tr("Gh&i chú"))
        self.full_name.setFocus()

    def confirmed(self) -> bool:
        """A second "Chủ hộ" is asked about (the default answer is No): lists copied from the
        police's often repeat the word on a member's row by mistake."""
        becomes_head = self.relation.currentData() == "head" and (
            self.person is None or self.person.relation != "head"
        )
        if not becomes_head or not self.head:
            return True
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Hộ đã có chủ hộ"),
            self.tr("Hộ này đã có chủ hộ là %s. Vẫn ghi người này cũng là chủ hộ?") % self.head,
            parent=self,
        )
        box.setObjectName("second_head")
        keep = box.addButton(self.tr("Vẫn ghi là chủ hộ"), QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton(self.tr("Chọn quan hệ khác"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.exec()
        if box.clickedButton() is keep:
            return True
        self.relation.setFocus()
        return False

    def values(self) -> dict[str, Any]:
        try:
            birth_date = self.birth_date.value()
        except ValidationFailed as failed:
            # The date is not understood: say so together with every other field's problem.
            others = {**self._values(None), "household_id": self.household_id}
            _, more = check_fields(
                "persons", self.person_id or "new", others, catalogue=self.services.catalogue
            )
            raise ValidationFailed([*failed.errors, *more]) from None
        return self._values(birth_date)

    def _values(self, birth_date: str | None) -> dict[str, Any]:
        return {
            "full_name": self.full_name.text(),
            "birth_date": birth_date,
            "sex": self.sex.currentData(),
            "relation": self.relation.currentData(),
            "cccd": _blank(self.cccd.text()),
            "phone": _blank(self.phone.text()),
            "has_smartphone": self.has_smartphone.currentData(),
            "status": self.status.currentData(),
            "note": self.note.toPlainText().strip(),
        }

    def commit(self) -> Callable[[], Any] | None:
        values = self.values()
        if self.person is None:
            values = {k: v for k, v in values.items() if v is not None}
            return partial(self.services.add_person, self.household_id, **values)
        current = {k: getattr(self.person, k) for k in values}
        changes = {k: v for k, v in values.items() if current[k] != v}
        if not changes:
            return None
        return partial(self.services.update_person, self.person.id, **changes)

    def committed(self, result: Any) -> None:
        if self.person is None:
            self.person_id = result


class MovePersonDialog(QDialog):
    """Find the household a person moves to (same search as the main window) and move them.

    Each keystroke starts a search off the GUI thread; the newest one's results are shown (an
    answer for "ng" arriving after the one for "nguyen" is dropped)."""

    def __init__(self, services: Services, person: PersonRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.person = person
        self.setWindowTitle(self.tr("Chuyển %s sang hộ khác") % person.full_name)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Tìm hộ mới (tên, địa chỉ, số điện thoại):")))
        self.search = QLineEdit()
        layout.addWidget(self.search)
        self.results = QListWidget()
        layout.addWidget(self.results)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Chuyển"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Hủy"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        make_primary(self, buttons.button(QDialogButtonBox.StandardButton.Ok))
        self.buttons = buttons
        self.search.textChanged.connect(self.refresh)
        self.searching = None  # the search task under way
        self.shown_text: str | None = None  # the text whose results are listed
        self.saving = False

    def refresh(self, text: str) -> None:
        self.searching = tasks().run(
            partial(self.services.store.query, move_targets, text, 50),
            done=lambda found: self._found(text, found),
            owner=self,
            key="search",
        )

    def _found(self, text: str, found: list[tuple[str, str, str]]) -> None:
        self.shown_text = text
        self.results.clear()
        for hid, address, name in found:
            item = QListWidgetItem(f"{address} — {name}")
            item.setData(Qt.ItemDataRole.UserRole, hid)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def save(self) -> None:
        item = self.results.currentItem()
        if self.saving:
            return
        if item is None:
            self.error.setText(self.tr("Hãy chọn hộ cần chuyển đến"))
            return
        self.saving = True
        self.buttons.setEnabled(False)
        person_id, target = self.person.id, item.data(Qt.ItemDataRole.UserRole)
        tasks().run(
            partial(self.services.move_person, person_id, target),
            done=lambda _none: self._moved(),
            failed=self._failed,
            owner=self,
            lane=WRITE,
            progress=self.tr("Đang lưu…"),
        )

    def _moved(self) -> None:
        self.saving = False
        self.buttons.setEnabled(True)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationFailed):
            self.error.setText("\n".join(e.message(labels.language()) for e in exc.errors))
        else:
            self.error.setText(user_message(exc))


def describe_errors(failed: ValidationFailed) -> str:
    return "\n".join(FieldError.message(e, labels.language()) for e in failed.errors)
