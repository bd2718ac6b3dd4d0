"""The date field as people use it: a date typed the Vietnamese way, or picked on the calendar
its button opens; the button draws its own icon (no emoji font needed)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt

from desktop.ui.date_field import DateField
from tests.desktop.ui.conftest import type_text

pytestmark = pytest.mark.gui


def test_typed_or_picked_on_the_calendar(qtbot):
    field = DateField(ahead=True, today=dt.date(2026, 12, 6))
    qtbot.addWidget(field)
    field.show()
    button = field.button
    assert not button.icon().isNull() and button.text() == ""
    picture = button.icon().pixmap(16, 16).toImage()
    colours = {picture.pixelColor(x, y).name() for x in range(16) for y in range(16)}
    assert len(colours) > 3  # drawn, not blank
    type_text(field.edit, "24/12/2026")
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)
    assert field.value() == "2026-12-24"
    field.button.menu().aboutToShow.emit()  # what opening the menu does first
    assert field.calendar.selectedDate() == QDate(2026, 12, 24)
    with qtbot.waitSignal(field.edit.changed):
        field.calendar.clicked.emit(QDate(2027, 1, 5))
    assert field.value() == "2027-01-05" and field.edit.text() == "05/01/2027"
