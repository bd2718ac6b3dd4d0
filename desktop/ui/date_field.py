"""A date field that takes a date the way people type it, and shows it the way lists do.

Typed: ``21/03/1985``, ``21/3/85``, ``21-3-1985``, ``1985-03-21``, or a year alone where the field
allows one (a birth date); read by gocua.dates (one rule for the app, the importer and the
command line). Shown: ``dd/mm/yyyy`` once the field is left. A date that cannot be read turns
the field red with the reason in its tooltip, and :meth:`DateField.value` raises the
:class:`~gocua.validation.ValidationFailed` that names the field, so the dialog shows it like any
other error. A small button opens a calendar for those who prefer to pick.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from gocua.dates import date_text, parse_date_vn
from gocua.resources import resource_path
from gocua.validation import FieldError, ValidationFailed

ERROR_STYLE = "QLineEdit { border: 1px solid #b00020; }"


class DateEdit(QLineEdit):
    """The text part: parses on leaving, keeps the value as ``YYYY-MM-DD`` (or ``YYYY``)."""

    changed = Signal()

    def __init__(
        self,
        value: str | None = None,
        parent: QWidget | None = None,
        *,
        field: str = "date",
        allow_year: bool = False,
        ahead: bool = False,
        today: dt.date | None = None,
    ):
        super().__init__(parent)
        self.field = field
        self.allow_year = allow_year
        self.ahead = ahead
        self.today = today
        if allow_year:
            self.setPlaceholderText(self.tr("ngày/tháng/năm (21/03/1985) hoặc năm (1985)"))
        else:
            self.setPlaceholderText(self.tr("ngày/tháng/năm, ví dụ 21/03/2027"))
        self.set_value(value)
        self.editingFinished.connect(self._tidy)

    def set_value(self, value: str | dt.date | None) -> None:
        if isinstance(value, dt.date):
            value = value.isoformat()
        self.setText(date_text(value) if value else "")
        self._mark(None)

    def value(self) -> str | None:
        """``YYYY-MM-DD`` (or ``YYYY``), None when empty; ValidationFailed naming the field."""
        text = self.text().strip()
        if not text:
            return None
        try:
            value = parse_date_vn(text, today=self.today, field=self.field, ahead=self.ahead)
        except FieldError as error:
            raise ValidationFailed([error]) from None
        if len(value) == 4 and not self.allow_year:
            message = self.tr("Cần đủ ngày, tháng và năm (ví dụ 21/03/2027)")
            raise ValidationFailed(
                [FieldError(self.field, "invalid_value", "needs a full date", message)]
            )
        return value

    def _tidy(self) -> None:
        """On leaving the field: show what was understood, or why nothing was."""
        try:
            value = self.value()
        except ValidationFailed as failed:
            self._mark(failed.errors[0].message_vi)
            return
        if value is not None:
            self.setText(date_text(value))
        self._mark(None)
        self.changed.emit()

    def _mark(self, problem: str | None) -> None:
        self.setStyleSheet(ERROR_STYLE if problem else "")
        self.setToolTip(problem or "")


class DateField(QWidget):
    """:class:`DateEdit` and a calendar button beside it."""

    def __init__(self, value: str | None = None, parent: QWidget | None = None, **options):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.edit = DateEdit(value, self, **options)
        self.button = QToolButton(self)
        # A drawn icon: the calendar emoji was an empty box where no emoji font is installed.
        icon = QIcon(str(resource_path("icons", "calendar.svg")))
        if icon.isNull():
            self.button.setText("…")
        else:
            self.button.setIcon(icon)
        self.button.setToolTip(self.tr("Chọn ngày trên lịch"))
        self.button.setAutoRaise(True)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.clicked.connect(self._picked)
        menu = QMenu(self.button)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        menu.aboutToShow.connect(self._show_current)
        self.button.setMenu(menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)

    def value(self) -> str | None:
        return self.edit.value()

    def set_value(self, value: str | dt.date | None) -> None:
        self.edit.set_value(value)

    def _show_current(self) -> None:
        try:
            value = self.edit.value()
        except ValidationFailed:
            value = None
        if value and len(value) == 10:
            self.calendar.setSelectedDate(QDate.fromString(value, "yyyy-MM-dd"))

    def _picked(self, day: QDate) -> None:
        self.edit.set_value(day.toPython())
        self.button.menu().hide()
        self.edit.setFocus()
        self.edit.changed.emit()
