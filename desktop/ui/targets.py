"""Targets per area, indicator and period, set by team leaders (a tab or a dialog's content).

Rows: the commune, then its hamlets; columns: the indicators. A cell shows the area's own
target for the period in bold, or the one it inherits (from the commune, the year, or the
national default) in grey. Typing a number sets the area's own target through
``Services.set_target`` (so it syncs like any row); an empty cell leaves it inherited.

The grid is read, and each target written, off the GUI thread (desktop.ui.tasks): a typed
target shows at once and is taken back, with the reason, if the service refuses it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.reports.summary import areas_and_targets, vi_percent
from desktop.store import Store
from desktop.ui import labels
from desktop.ui.dashboard import period_choices
from desktop.ui.errors import user_message
from desktop.ui.tasks import WRITE, tasks
from gocua.catalogue import Catalogue, default_catalogue
from gocua.targets import resolve_target
from gocua.validation import FieldError, ValidationFailed, parse_period

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def parse_percent(text: str) -> float:
    """``"85"``, ``"85,5"``, ``"85.5 %"`` -> 85.5; a clear error otherwise."""
    cleaned = str(text).strip().rstrip("%").strip().replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValidationFailed(
            [
                FieldError(
                    "percent",
                    "invalid_value",
                    "must be a number",
                    "Chỉ tiêu phải là một số từ 0 đến 100",
                )
            ]
        ) from None
    return value


class TargetsModel(QAbstractTableModel):
    failed = Signal(object)  # ValidationFailed
    changed = Signal()
    loaded = Signal()

    def __init__(self, store: Store, services: Any, catalogue: Catalogue, parent=None):
        super().__init__(parent)
        self.store = store
        self.services = services
        self.catalogue = catalogue
        self.period = parse_period(str(dt.date.today().year))
        self.areas: list[tuple[str, str]] = []  # (id, name): the commune(s) first
        self._all_areas: dict[str, dict] = {}
        self._targets: dict[tuple[str, str, str], float] = {}
        self._task = None

    @property
    def busy(self) -> bool:
        return self._task is not None and self._task.running

    def load(self, period: str) -> None:
        """Show ``period``'s targets: the areas and targets are read off the GUI thread."""
        self.period = parse_period(period)
        self._task = tasks().run(
            partial(self.store.query, areas_and_targets),
            done=self._loaded,
            failed=self.failed.emit,
            owner=self,
            key="targets",
        )

    def reload(self) -> None:
        self.load(self.period.code)

    def _loaded(self, result: tuple[dict[str, dict], dict[tuple[str, str, str], float]]) -> None:
        self.beginResetModel()
        self._all_areas, self._targets = result
        communes = sorted(
            (a["name"], i) for i, a in self._all_areas.items() if a["kind"] == "commune"
        )
        hamlets = sorted(
            (a["name"], i) for i, a in self._all_areas.items() if a["kind"] == "hamlet"
        )
        self.areas = [(i, n) for n, i in communes] + [(i, n) for n, i in hamlets]
        self.endResetModel()
        self.loaded.emit()

    def own(self, area_id: str, code: str) -> float | None:
        return self._targets.get((area_id, code, self.period.code))

    def effective(self, area_id: str, code: str) -> float | None:
        indicator = self.catalogue.indicator(code)
        parent_of = {a: r["parent_id"] for a, r in self._all_areas.items()}
        return resolve_target(self._targets, parent_of, area_id, indicator, self.period)

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.areas)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.catalogue.indicators)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return labels.indicator_short(
                    self.catalogue, self.catalogue.indicators[section].code
                )
            return self.areas[section][1]
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return labels.indicator_name(self.catalogue.indicators[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        area_id = self.areas[index.row()][0]
        code = self.catalogue.indicators[index.column()].code
        own = self.own(area_id, code)
        if role == Qt.ItemDataRole.DisplayRole:
            value = own if own is not None else self.effective(area_id, code)
            return "" if value is None else vi_percent(value)
        if role == Qt.ItemDataRole.EditRole:
            return "" if own is None else vi_percent(own)
        if role == Qt.ItemDataRole.FontRole and own is not None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and own is None:
            return QBrush(QColor("#808080"))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if own is not None:
                return self.tr("Chỉ tiêu riêng của địa bàn cho kỳ này")
            return self.tr("Kế thừa (từ xã, từ cả năm hoặc mặc định quốc gia); gõ số để đặt riêng")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        if str(value).strip() == "":
            return False  # inherited stays inherited (a target row is never deleted here)
        area_id = self.areas[index.row()][0]
        code = self.catalogue.indicators[index.column()].code
        try:
            percent = parse_percent(value)
        except ValidationFailed as failed:
            self.failed.emit(failed)
            return False
        key = (area_id, code, self.period.code)
        before = self._targets.get(key)
        self._show_target(key, percent)
        tasks().run(
            partial(self.services.set_target, area_id, code, self.period.code, percent),
            done=lambda _id: self.changed.emit(),
            failed=lambda exc: self._refused(key, before, exc),
            owner=self,
            lane=WRITE,
        )
        return True

    def _show_target(self, key: tuple[str, str, str], percent: float | None) -> None:
        if percent is None:
            self._targets.pop(key, None)
        else:
            self._targets[key] = percent
        # A commune's target changes what its hamlets inherit: repaint everything.
        self.dataChanged.emit(
            self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
        )

    def _refused(self, key: tuple[str, str, str], before: float | None, exc: BaseException):
        self._show_target(key, before)  # what is saved, again
        self.failed.emit(exc)


class TargetsEditor(QWidget):
    """Choose a period, type targets into the grid."""

    def __init__(
        self,
        store: Store,
        services: Any,
        parent: QWidget | None = None,
        *,
        catalogue: Catalogue | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ):
        super().__init__(parent)
        self.catalogue = catalogue or default_catalogue()
        self.model = TargetsModel(store, services, self.catalogue, self)
        self.period = QComboBox()
        self.period.addItems(period_choices(today()))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.message = QLabel(
            self.tr(
                "Chữ đậm: chỉ tiêu riêng; chữ xám: kế thừa. Gõ số (0–100) "
                "để đặt; chỉ tiêu được đồng bộ như mọi dữ liệu."
            )
        )
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Kỳ:")))
        top.addWidget(self.period)
        top.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.period.currentTextChanged.connect(self.model.load)
        self.model.failed.connect(self._show_error)
        self.model.load(self.period.currentText())

    def _show_error(self, failed: BaseException) -> None:
        if isinstance(failed, ValidationFailed):
            text = "; ".join(e.message_vi for e in failed.errors)
        else:
            text = user_message(failed)
        self.message.setText("⚠ " + text)
        self.message.setStyleSheet("color: #b00020;")
