"""Importing a commune's spreadsheet of households and persons (XLSX or CSV).

Choose the file; check (and correct) which column holds what; read the preview, where each
row shows its problems in Vietnamese; then "Nhập" writes exactly the valid rows in one
transaction through the services, or nothing at all. Reading, planning and writing run off the
GUI thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.reports.importer import (
    BLANK,
    ERROR,
    FIELD_LABELS,
    ImportFileError,
    ImportOutcome,
    ImportPlan,
    RawTable,
    RowResult,
    commit_plan,
    plan_import,
    read_table,
)
from desktop.store import Store
from desktop.ui.buttons import make_primary
from desktop.ui.workers import TaskRunner
from gocua.dates import date_text
from gocua.validation import ValidationFailed

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
PREVIEW_HEADINGS = (
    "Dòng",
    "Kết quả",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Địa chỉ",
    "Vấn đề",
)
ERROR_COLOUR, WARN_COLOUR, BLANK_COLOUR = "#FFC7CE", "#FFEB9C", "#EEEEEE"


class PreviewModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[RowResult] = []

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.beginResetModel()
        self.rows = [] if plan is None else [r for r in plan.rows if r.status != BLANK]
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(PREVIEW_HEADINGS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(PREVIEW_HEADINGS[section])
        return None

    def value(self, row: RowResult, column: int) -> str:
        person = row.person
        raw = row.values
        if column == 0:
            return str(row.line)
        if column == 1:
            return self.tr("Lỗi – bỏ qua") if row.status == ERROR else self.tr("Hợp lệ")
        if column == 2:
            return person.get("full_name") or _text(raw.get("full_name"))
        if column == 3:
            return date_text(person.get("birth_date")) or _text(raw.get("birth_date"))
        if column == 4:
            return {"m": "Nam", "f": "Nữ"}.get(person.get("sex") or "", _text(raw.get("sex")))
        if column == 5:
            return person.get("cccd") or _text(raw.get("cccd"))
        if column == 6:
            return row.address or _text(raw.get("address"))
        return row.problems()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.value(row, index.column())
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.status == ERROR:
                return QBrush(QColor(ERROR_COLOUR))
            if row.warnings:
                return QBrush(QColor(WARN_COLOUR))
        return None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class _Expected:
    """An error meant for the user, carried back from the worker as a value."""

    def __init__(self, message: str):
        self.message = message


def _guard(fn: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        try:
            return fn()
        except ImportFileError as exc:
            return _Expected(exc.message_vi)
        except ValidationFailed as exc:
            return _Expected("; ".join(e.message_vi for e in exc.errors))

    return run


class ImportDialog(QDialog):
    """``planned`` fires after every preview, ``imported(ImportOutcome)`` after a commit."""

    planned = Signal(object)
    imported = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        store: Store,
        services: Any,
        parent: QWidget | None = None,
        *,
        hamlet_id: str | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Nhập danh sách hộ từ Excel/CSV"))
        self.resize(1100, 700)
        self.store = store
        self.services = services
        self._today = today
        self.table: RawTable | None = None
        self.plan: ImportPlan | None = None
        self.outcome: ImportOutcome | None = None
        self._reader = TaskRunner(self)
        self._reader.finished.connect(self._read_done)
        self._reader.failed.connect(self._task_failed)
        self._planner = TaskRunner(self)
        self._planner.finished.connect(self._plan_done)
        self._planner.failed.connect(self._task_failed)
        self._writer = TaskRunner(self)
        self._writer.finished.connect(self._commit_done)
        self._writer.failed.connect(self._task_failed)

        self.choose = QPushButton(self.tr("Chọn tệp…"))
        self.path_label = QLabel(self.tr("Chưa chọn tệp (.xlsx hoặc .csv)"))
        self.hamlet = QComboBox()
        self.hamlet.addItem(self.tr("Theo cột Ấp/Thôn trong tệp"), None)
        with store.read() as conn:
            for area_id, name in conn.exec_driver_sql(
                "SELECT id, name FROM areas WHERE kind = 'hamlet' AND retired = 0 ORDER BY name"
            ):
                self.hamlet.addItem(name, area_id)
        if hamlet_id is not None:
            self.hamlet.setCurrentIndex(max(0, self.hamlet.findData(hamlet_id)))
        top = QHBoxLayout()
        top.addWidget(self.choose)
        top.addWidget(self.path_label, 1)
        top.addWidget(QLabel(self.tr("Ấp mặc định:")))
        top.addWidget(self.hamlet)

        self.mapping = QTableWidget(0, 3)
        self.mapping.setHorizontalHeaderLabels(
            [self.tr("Cột trong tệp"), self.tr("Ví dụ"), self.tr("Là thông tin")]
        )
        self.mapping.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.mapping.verticalHeader().hide()
        self.mapping.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._combos: dict[int, QComboBox] = {}

        self.preview_model = PreviewModel(self)
        self.preview = QTableView()
        self.preview.setModel(self.preview_model)
        self.preview.setWordWrap(True)
        self.preview.horizontalHeader().setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.preview.verticalHeader().hide()
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        split = QSplitter(Qt.Orientation.Vertical)
        mapping_box = QWidget()
        mapping_layout = QVBoxLayout(mapping_box)
        mapping_layout.setContentsMargins(0, 0, 0, 0)
        mapping_layout.addWidget(QLabel(self.tr("Cột nào là thông tin gì (sửa nếu đoán sai):")))
        mapping_layout.addWidget(self.mapping)
        split.addWidget(mapping_box)
        split.addWidget(self.preview)
        split.setStretchFactor(1, 3)

        self.buttons = QDialogButtonBox()
        self.commit_button = self.buttons.addButton(
            self.tr("Nhập các dòng hợp lệ"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.commit_button.setEnabled(False)
        close = self.buttons.addButton(self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        self.commit_button.clicked.connect(self.commit)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        make_primary(self, self.commit_button)  # Enter never "Đóng" (the file's plan is lost)
        self.choose.setAutoDefault(True)  # focused, Enter opens the file chooser as it says
        self.choose.clicked.connect(self.choose_file)
        self.hamlet.currentIndexChanged.connect(lambda _: self.replan())

    # -- steps ----------------------------------------------------------------------------------

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Chọn danh sách"), "", "Excel/CSV (*.xlsx *.csv);;*"
        )
        if path:
            self.load_file(path)

    def load_file(self, path: Path | str) -> None:
        """Read the file in the background, then plan with the guessed mapping."""
        self.path_label.setText(str(path))
        self.summary.setText(self.tr("Đang đọc tệp…"))
        self.commit_button.setEnabled(False)
        self._reader.start(_guard(lambda: read_table(path)))

    def _read_done(self, table: RawTable | _Expected) -> None:
        if isinstance(table, _Expected):
            return self._show_error(table.message)
        self.table = table
        self.plan = None
        self._plan(None)

    def _plan(self, mapping: dict[int, str | None] | None) -> None:
        table, hamlet, today = self.table, self.hamlet.currentData(), self._today()
        if table is None:
            return
        self.commit_button.setEnabled(False)

        def compute() -> ImportPlan:
            with self.store.read() as conn:
                return plan_import(conn, table, hamlet_id=hamlet, mapping=mapping, today=today)

        self._planner.start(_guard(compute))

    def replan(self) -> None:
        """Plan again with the mapping shown (after the user corrected a column)."""
        if self.table is None:
            return
        mapping = {col: combo.currentData() for col, combo in self._combos.items()}
        self._plan(mapping)

    def set_column(self, column: int, field: str | None) -> None:
        """Map a file column to a field (``None``: ignore it), as the combo box does."""
        combo = self._combos[column]
        combo.setCurrentIndex(combo.findData(field))

    def _plan_done(self, plan: ImportPlan | _Expected) -> None:
        if isinstance(plan, _Expected):
            return self._show_error(plan.message)
        self.plan = plan
        self._fill_mapping(plan)
        self.preview_model.set_plan(plan)
        text = plan.summary_vi()
        if plan.missing_fields:
            text += (
                " "
                + self.tr("Chưa có cột: ")
                + ", ".join(FIELD_LABELS[f] for f in plan.missing_fields)
            )
        self.summary.setText(text)
        self.summary.setStyleSheet("")
        self.commit_button.setEnabled(bool(plan.households))
        self.commit_button.setText(
            self.tr("Nhập %1 người (%2 hộ)")
            .replace("%1", str(plan.person_count))
            .replace("%2", str(len(plan.households)))
        )
        self.planned.emit(plan)

    def _fill_mapping(self, plan: ImportPlan) -> None:
        table = plan.table
        headings = table.headings
        sample = next(
            (cells for _, cells in table.data if any(c not in (None, "") for c in cells)), []
        )
        self.mapping.blockSignals(True)
        self.mapping.setRowCount(len(headings))
        self._combos = {}
        for col, heading in enumerate(headings):
            self.mapping.setItem(col, 0, QTableWidgetItem(heading or f"(cột {col + 1})"))
            example = sample[col] if col < len(sample) else ""
            self.mapping.setItem(col, 1, QTableWidgetItem(_text(example)))
            combo = QComboBox()
            combo.addItem(self.tr("— bỏ qua —"), None)
            for field, label in FIELD_LABELS.items():
                combo.addItem(label, field)
            combo.setCurrentIndex(max(0, combo.findData(plan.mapping.get(col))))
            combo.currentIndexChanged.connect(lambda _: self.replan())
            self.mapping.setCellWidget(col, 2, combo)
            self._combos[col] = combo
        self.mapping.blockSignals(False)

    def commit(self) -> None:
        plan = self.plan
        if plan is None or not plan.households:
            return
        self.commit_button.setEnabled(False)
        self.summary.setText(self.tr("Đang ghi…"))
        self._writer.start(_guard(lambda: commit_plan(self.services, plan)))

    def _commit_done(self, outcome: ImportOutcome | _Expected) -> None:
        if isinstance(outcome, _Expected):
            self.commit_button.setEnabled(True)
            return self._show_error(self.tr("Không nhập gì (đã hoàn tác): ") + outcome.message)
        self.outcome = outcome
        self.summary.setText(
            self.tr("Đã nhập %1 người trong %2 hộ; bỏ qua %3 dòng có lỗi.")
            .replace("%1", str(outcome.persons))
            .replace("%2", str(len(outcome.household_ids)))
            .replace("%3", str(len(outcome.skipped_rows)))
        )
        self.imported.emit(outcome)

    def _task_failed(self, text: str) -> None:
        last = text.strip().splitlines()[-1] if text.strip() else text
        self._show_error(self.tr("Lỗi không mong muốn: ") + last)

    def _show_error(self, message: str) -> None:
        self.summary.setText("⚠ " + message)
        self.summary.setStyleSheet("color: #b00020;")
        self.failed.emit(message)
