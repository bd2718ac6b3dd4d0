"""Importing a commune's household list (.xlsx, .xls, .ods, .csv) as it is kept.

Choose the file; the preview shows each sheet's rows with their fate (imported, repaired,
skipped, error) and what committing does with each person (new, changed, unchanged); repaired
rows are highlighted, text typed in an old TCVN3/VNI font is shown converted (the file's text in
the tooltip). Correct which column holds what, and say what the hamlets the profile lacks are
(an existing hamlet, or a new one while the profile is not joined to a server commune); then
the import button writes it all in one transaction, or nothing. Enter never imports: the button
is pressed by a click or Space. Reading, planning and writing run off the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.reports.importer import (
    CHANGED,
    CREATE,
    ERROR,
    FIELD_LABELS,
    NEW,
    REPAIRED,
    SKIPPED,
    UNCHANGED,
    ImportFileError,
    ImportOutcome,
    ImportPlan,
    RowResult,
    Workbook,
    commit_plan,
    plan_import,
    read_workbook,
)
from desktop.reports.importer.report import sheet_lines_vi
from desktop.store import Store
from desktop.store.areas import active_hamlets
from desktop.ui.buttons import make_primary
from desktop.ui.file_dialogs import open_path
from desktop.ui.tasks import READ, WRITE, tasks
from gocua.dates import date_text
from gocua.legacy_text import NAMES_VI
from gocua.validation import ValidationFailed

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
log = logging.getLogger(__name__)
PREVIEW_HEADINGS = (
    "Dòng",
    "Kết quả",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Quan hệ",
    "Số CCCD",
    "Hộ",
    "Ấp",
    "SĐT",
    "Ghi chú",
)
NOTES_COLUMN = len(PREVIEW_HEADINGS) - 1
# The field each preview column shows (for the converted-text and changed-field marks).
COLUMN_FIELDS = {
    2: "full_name",
    3: "birth_date",
    4: "sex",
    5: "relation",
    6: "cccd",
    7: "address",
    8: "hamlet",
    9: "phone",
}
ERROR_COLOUR, REPAIR_COLOUR, SKIP_COLOUR = "#FFC7CE", "#FFEB9C", "#F0F0F0"
CHANGED_COLOUR, LEGACY_COLOUR = "#DDEBF7", "#E2F0D9"


class PreviewModel(QAbstractTableModel):
    """The rows of one sheet (or of every sheet), as the plan left them."""

    FILTERS = ("all", "people", ERROR, REPAIRED, SKIPPED, NEW, CHANGED)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[RowResult] = []
        self.plan: ImportPlan | None = None

    def set_plan(self, plan: ImportPlan | None, sheet: str | None = None, show: str = "all"):
        self.beginResetModel()
        self.plan = plan
        rows = [] if plan is None else [r for r in plan.rows if sheet is None or r.sheet == sheet]
        if show == "people":
            rows = [r for r in rows if r.fate != SKIPPED]
        elif show in (ERROR, REPAIRED, SKIPPED):
            rows = [r for r in rows if r.fate == show]
        elif show in (NEW, CHANGED):
            rows = [r for r in rows if r.valid and r.change == show]
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(PREVIEW_HEADINGS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(PREVIEW_HEADINGS[section])
        return None

    def fate_text(self, row: RowResult) -> str:
        if row.fate == SKIPPED:
            return self.tr("Bỏ qua")
        if row.fate == ERROR:
            return self.tr("Lỗi – không nhập")
        change = {
            NEW: self.tr("mới"),
            CHANGED: self.tr("cập nhật"),
            UNCHANGED: self.tr("không đổi"),
        }.get(row.change or "", "")
        fate = self.tr("Đã sửa") if row.fate == REPAIRED else self.tr("Nhập")
        return f"{fate} – {change}" if change else fate

    def value(self, row: RowResult, column: int) -> str:
        person, raw = row.person, row.values
        if column == 0:
            return str(row.line)
        if column == 1:
            return self.fate_text(row)
        if column == NOTES_COLUMN:
            return row.problems()
        if row.fate == SKIPPED:
            return ""
        if column == 2:
            return person.get("full_name") or _text(raw.get("full_name"))
        if column == 3:
            return date_text(person.get("birth_date")) or _text(
                raw.get("birth_date") or raw.get("male") or raw.get("female")
            )
        if column == 4:
            return {"m": self.tr("Nam"), "f": self.tr("Nữ")}.get(person.get("sex") or "", "")
        if column == 5:
            word = _text(raw.get("relation"))
            return word or RELATION_VI.get(person.get("relation") or "", "")
        if column == 6:
            return person.get("cccd") or _text(raw.get("cccd"))
        household = row.household
        if column == 7:
            if household is None:
                return _text(raw.get("address"))
            if household.first_line != row.line:
                return self.tr("↳ hộ ở dòng %1").replace("%1", str(household.first_line))
            return household.address
        if column == 8:
            plan = self.plan
            if plan is None or household is None or household.first_line != row.line:
                return ""
            if household.hamlet_id in plan.hamlet_names:
                return plan.hamlet_names[household.hamlet_id]
            unknown = next(
                (h for h in plan.unknown_hamlets if h.key == household.unknown_key), None
            )
            if unknown is None:
                return _text(row.hamlet)
            if unknown.choice == CREATE:
                return unknown.name + self.tr(" (tạo mới)")
            return unknown.name + " (?)"
        if column == 9:
            return person.get("phone") or ""
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        field = COLUMN_FIELDS.get(column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.value(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = []
            if field in row.legacy:
                tips.append(self.tr("Trong tệp (bảng mã cũ): %1").replace("%1", row.legacy[field]))
            if field in row.changed_fields:
                tips.append(self.tr("Thay đổi so với dữ liệu đang có"))
            if column in (1, NOTES_COLUMN) and row.problems():
                tips.append(row.problems())
            return "\n".join(tips) or self.value(row, column) or None
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.fate == ERROR:
                return QBrush(QColor(ERROR_COLOUR))
            if row.fate == SKIPPED:
                return QBrush(QColor(SKIP_COLOUR))
            if field in row.legacy:
                return QBrush(QColor(LEGACY_COLOUR))
            if row.fate == REPAIRED:
                return QBrush(QColor(REPAIR_COLOUR))
            if row.change == CHANGED and field in row.changed_fields:
                return QBrush(QColor(CHANGED_COLOUR))
        if role == Qt.ItemDataRole.ForegroundRole and row.fate == SKIPPED:
            return QBrush(QColor("#707070"))
        if role == Qt.ItemDataRole.FontRole:
            head = row.household is not None and row.household.first_line == row.line
            changed = field in row.changed_fields
            if (head and column == 2) or changed:
                font = QFont()
                font.setBold(True)
                return font
        return None


RELATION_VI = {
    "head": "Chủ hộ",
    "spouse": "Vợ/chồng",
    "child": "Con",
    "parent": "Cha/mẹ",
    "grandchild": "Cháu",
    "other": "Khác",
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


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
        self.setWindowTitle(self.tr("Nhập danh sách hộ từ bảng tính"))
        self.resize(1100, 700)
        self.store = store
        self.services = services
        self._today = today
        self.book: Workbook | None = None
        self.plan: ImportPlan | None = None
        self.outcome: ImportOutcome | None = None
        self._mappings: dict[str, dict[int, str | None]] = {}
        self._hamlet_choices: dict[str, str] = {}

        self.choose = QPushButton(self.tr("Chọn tệp…"))
        self.path_label = QLabel(self.tr("Chưa chọn tệp (.xlsx, .xls, .ods hoặc .csv)"))
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hamlet = QComboBox()
        self.hamlet.addItem(self.tr("Theo tệp (cột Ấp, tên trang)"), None)
        # A few dozen names, read before the dialog shows: the choice must be there at once.
        self._hamlets: list[tuple[str, str]] = store.query(active_hamlets)
        for area_id, name in self._hamlets:
            self.hamlet.addItem(name, area_id)
        if hamlet_id is not None:
            self.hamlet.setCurrentIndex(max(0, self.hamlet.findData(hamlet_id)))
        top = QHBoxLayout()
        top.addWidget(self.choose)
        top.addWidget(self.path_label, 1)
        top.addWidget(QLabel(self.tr("Ấp cho hộ không ghi ấp:")))
        top.addWidget(self.hamlet)

        self.sheet = QComboBox()
        self.show_rows = QComboBox()
        for key, label in (
            ("all", self.tr("Mọi dòng")),
            ("people", self.tr("Dòng người")),
            (ERROR, self.tr("Dòng lỗi")),
            (REPAIRED, self.tr("Dòng đã sửa")),
            (SKIPPED, self.tr("Dòng bỏ qua")),
            (NEW, self.tr("Người mới")),
            (CHANGED, self.tr("Người cập nhật")),
        ):
            self.show_rows.addItem(label, key)
        sheet_bar = QHBoxLayout()
        sheet_bar.addWidget(QLabel(self.tr("Trang:")))
        sheet_bar.addWidget(self.sheet, 2)
        sheet_bar.addWidget(QLabel(self.tr("Xem:")))
        sheet_bar.addWidget(self.show_rows)
        self.counts = QLabel()
        sheet_bar.addWidget(self.counts, 3)

        self.mapping = QTableWidget(0, 3)
        self.mapping.setHorizontalHeaderLabels(
            [self.tr("Cột trong tệp"), self.tr("Ví dụ"), self.tr("Là thông tin")]
        )
        self.mapping.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.mapping.verticalHeader().hide()
        self.mapping.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._combos: dict[int, QComboBox] = {}
        self.hamlet_table = QTableWidget(0, 3)
        self.hamlet_table.setHorizontalHeaderLabels(
            [self.tr("Ấp ghi trong tệp"), self.tr("Số dòng"), self.tr("Là ấp")]
        )
        self.hamlet_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.hamlet_table.verticalHeader().hide()
        self.hamlet_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._hamlet_combos: dict[str, QComboBox] = {}
        self.hamlet_hint = QLabel()
        self.hamlet_hint.setWordWrap(True)
        hamlet_box = QWidget()
        hamlet_layout = QVBoxLayout(hamlet_box)
        hamlet_layout.setContentsMargins(0, 0, 0, 0)
        hamlet_layout.addWidget(self.hamlet_hint)
        hamlet_layout.addWidget(self.hamlet_table)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.mapping, self.tr("Cột nào là thông tin gì"))
        self.tabs.addTab(hamlet_box, self.tr("Ấp chưa có"))

        self.preview_model = PreviewModel(self)
        self.preview = QTableView()
        self.preview.setModel(self.preview_model)
        self.preview.setWordWrap(False)
        header = self.preview.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((44, 112, 150, 80, 52, 72, 104, 150, 96, 90, 230)):
            self.preview.setColumnWidth(column, width)
        # What is wrong with a row is read beside its result, on a 1024 px screen too; the
        # whole text of the row chosen is under the table (and in the tooltip).
        header.moveSection(NOTES_COLUMN, 2)
        self.preview.verticalHeader().hide()
        self.preview.verticalHeader().setDefaultSectionSize(22)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        swatch = '<span style="background:{};">&nbsp;&nbsp;&nbsp;</span> {}'
        self.legend = QLabel(
            " &nbsp; ".join(
                swatch.format(colour, text)
                for colour, text in (
                    (ERROR_COLOUR, self.tr("lỗi, không nhập")),
                    (REPAIR_COLOUR, self.tr("đã sửa, hãy xem lại")),
                    (LEGACY_COLOUR, self.tr("chữ bảng mã cũ đã chuyển")),
                    (CHANGED_COLOUR, self.tr("thông tin thay đổi")),
                    (SKIP_COLOUR, self.tr("bỏ qua")),
                )
            )
        )
        preview_box = QWidget()
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        self.row_detail = QLabel()
        self.row_detail.setWordWrap(True)
        self.row_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.selectionModel().currentRowChanged.connect(lambda *_: self._show_row())
        self.preview_model.modelReset.connect(self._show_row)
        preview_layout.addWidget(self.preview, 1)
        preview_layout.addWidget(self.row_detail)
        preview_layout.addWidget(self.legend)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tabs)
        split.addWidget(preview_box)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setSizes([170, 480])

        self.buttons = QDialogButtonBox()
        self.commit_button = self.buttons.addButton(
            self.tr("Nhập"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.commit_button.setEnabled(False)
        close = self.buttons.addButton(self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        self.commit_button.clicked.connect(self.commit)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(sheet_bar)
        layout.addWidget(split, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        # Enter presses no button: importing thousands of rows is a click (or Space) away,
        # never the side effect of Enter in a combo box; "Đóng" would lose the plan.
        make_primary(self, None)
        self.choose.setAutoDefault(True)  # focused, Enter opens the file chooser as it says
        self.choose.clicked.connect(self.choose_file)
        self.hamlet.currentIndexChanged.connect(lambda _: self.replan())
        self.sheet.currentIndexChanged.connect(lambda _: self._show_sheet())
        self.show_rows.currentIndexChanged.connect(lambda _: self._show_sheet())

    # -- steps ----------------------------------------------------------------------------------

    def choose_file(self) -> None:
        path = open_path(
            self, self.tr("Chọn danh sách"), self.tr("Bảng tính (*.xlsx *.xls *.ods *.csv);;*")
        )
        if path:
            self.load_file(path)

    def load_file(self, path: Path | str) -> None:
        """Read the file in the background, then plan with the guessed mapping."""
        self.path_label.setText(str(path))
        self.summary.setText(self.tr("Đang đọc tệp…"))
        self.summary.setStyleSheet("")
        self.commit_button.setEnabled(False)
        self._run(_guard(lambda: read_workbook(path)), self._read_done, "read")

    def _read_done(self, book: Workbook | _Expected) -> None:
        if isinstance(book, _Expected):
            return self._show_error(book.message)
        self.book = book
        self.plan = None
        self._mappings = {}
        self._hamlet_choices = {}
        self._plan()

    def _plan(self) -> None:
        book, hamlet, today = self.book, self.hamlet.currentData(), self._today()
        if book is None:
            return
        self.commit_button.setEnabled(False)
        mappings, choices = dict(self._mappings), dict(self._hamlet_choices)

        def compute() -> ImportPlan:
            return self.store.query(
                plan_import,
                book,
                hamlet_id=hamlet,
                mappings=mappings,
                hamlet_choices=choices,
                today=today,
            )

        self._run(_guard(compute), self._plan_done, "plan")

    def replan(self) -> None:
        """Plan again with the mapping and hamlet choices shown."""
        if self.book is None:
            return
        sheet = self.sheet.currentData()
        if sheet is not None and self._combos:
            self._mappings[sheet] = {c: combo.currentData() for c, combo in self._combos.items()}
        self._hamlet_choices = {
            key: combo.currentData()
            for key, combo in self._hamlet_combos.items()
            if combo.currentData() is not None
        }
        self._plan()

    def set_column(self, column: int, field: str | None) -> None:
        """Map a column of the sheet shown to a field (``None``: ignore it), as its combo does."""
        combo = self._combos[column]
        combo.setCurrentIndex(combo.findData(field))

    def set_hamlet_choice(self, key: str, choice: str | None) -> None:
        """What an unknown hamlet is: an existing hamlet's id, CREATE, or None (undecided)."""
        combo = self._hamlet_combos[key]
        combo.setCurrentIndex(combo.findData(choice))

    def show_sheet(self, name: str) -> None:
        self.sheet.setCurrentIndex(self.sheet.findData(name))

    def _plan_done(self, plan: ImportPlan | _Expected) -> None:
        if isinstance(plan, _Expected):
            return self._show_error(plan.message)
        self.plan = plan
        current = self.sheet.currentData()
        self.sheet.blockSignals(True)
        self.sheet.clear()
        for sheet in plan.sheets:
            people = [r for r in plan.rows if r.sheet == sheet.name and r.kind == "data"]
            if sheet.heading_line is None:
                label = self.tr("%1 (không có danh sách)").replace("%1", sheet.name)
            else:
                errors = sum(r.fate == ERROR for r in people)
                label = (
                    self.tr("%1 — %2 người, %3 lỗi")
                    .replace("%1", sheet.name)
                    .replace("%2", str(len(people)))
                    .replace("%3", str(errors))
                )
                if sheet.legacy and sheet.legacy.encoding:
                    label += " · " + NAMES_VI[sheet.legacy.encoding]
            self.sheet.addItem(label, sheet.name)
        listed = [s.name for s in plan.sheets if s.heading_line is not None]
        index = self.sheet.findData(current if current in listed else (listed or [None])[0])
        self.sheet.setCurrentIndex(max(0, index))
        self.sheet.blockSignals(False)
        self._fill_hamlets(plan)
        self._show_sheet()
        self._show_summary(plan)
        self.planned.emit(plan)

    def _show_sheet(self) -> None:
        plan = self.plan
        if plan is None:
            return
        name = self.sheet.currentData()
        self.preview_model.set_plan(plan, name, self.show_rows.currentData())
        sheet = next((s for s in plan.sheets if s.name == name), None)
        self._fill_mapping(sheet)
        rows = [r for r in plan.rows if r.sheet == name]
        self.counts.setText(
            self.tr("Trang này: %1 mới · %2 cập nhật · %3 không đổi · %4 đã sửa · %5 lỗi")
            .replace("%1", str(sum(r.valid and r.change == NEW for r in rows)))
            .replace("%2", str(sum(r.valid and r.change == CHANGED for r in rows)))
            .replace("%3", str(sum(r.valid and r.change == UNCHANGED for r in rows)))
            .replace("%4", str(sum(r.fate == REPAIRED for r in rows)))
            .replace("%5", str(sum(r.fate == ERROR for r in rows)))
        )

    def _show_summary(self, plan: ImportPlan) -> None:
        lines = [plan.summary_vi(), *sheet_lines_vi(plan)]
        shown = lines[:3] + (["…"] if len(lines) > 3 else [])
        self.summary.setText("\n".join(shown))
        self.summary.setToolTip("\n".join(lines))
        self.summary.setStyleSheet("")
        self.commit_button.setEnabled(plan.writes)
        new, changed = plan.count(NEW), plan.count(CHANGED)
        text = self.tr("Nhập %1 người mới (%2 hộ mới)")
        text = text.replace("%1", str(new)).replace("%2", str(len(plan.new_households)))
        if changed or any(h.changes for h in plan.households):
            text += self.tr(", cập nhật %1 người").replace("%1", str(changed))
        self.commit_button.setText(text)

    def _fill_mapping(self, sheet) -> None:
        self.mapping.blockSignals(True)
        self._combos = {}
        if sheet is None or sheet.heading_line is None:
            self.mapping.setRowCount(0)
            self.mapping.blockSignals(False)
            return
        self.mapping.setRowCount(len(sheet.headings))
        for col, heading in enumerate(sheet.headings):
            self.mapping.setItem(
                col,
                0,
                QTableWidgetItem(heading or self.tr("(cột %1)").replace("%1", str(col + 1))),
            )
            example = sheet.sample[col] if col < len(sheet.sample) else None
            self.mapping.setItem(col, 1, QTableWidgetItem(_text(example)))
            combo = QComboBox()
            combo.addItem(self.tr("— bỏ qua —"), None)
            for field, label in FIELD_LABELS.items():
                combo.addItem(label, field)
            combo.setCurrentIndex(max(0, combo.findData(sheet.mapping.get(col))))
            combo.currentIndexChanged.connect(lambda _: self.replan())
            self.mapping.setCellWidget(col, 2, combo)
            self._combos[col] = combo
        self.mapping.resizeRowsToContents()
        self.mapping.blockSignals(False)

    def _fill_hamlets(self, plan: ImportPlan) -> None:
        unknown = plan.unknown_hamlets
        self.tabs.setTabText(
            1,
            self.tr("Ấp chưa có (%1)").replace("%1", str(len(unknown)))
            if unknown
            else self.tr("Ấp chưa có"),
        )
        if plan.can_create_hamlets:
            hint = self.tr(
                "Các ấp dưới đây có trong tệp nhưng chưa có trong xã: chọn ấp tương ứng, hoặc "
                "tạo ấp mới (ấp của hồ sơ này, được ghép với ấp trên máy chủ khi kết nối)."
            )
        else:
            hint = self.tr(
                "Các ấp dưới đây có trong tệp nhưng chưa có trong xã: chọn ấp tương ứng. Hồ sơ "
                "đã kết nối máy chủ nên ấp mới phải được tạo trên máy chủ trước."
            )
        self.hamlet_hint.setText(hint if unknown else self.tr("Mọi ấp trong tệp đều đã có."))
        self.hamlet_table.setRowCount(len(unknown))
        self._hamlet_combos = {}
        for row, hamlet in enumerate(unknown):
            self.hamlet_table.setItem(row, 0, QTableWidgetItem(hamlet.name))
            self.hamlet_table.setItem(row, 1, QTableWidgetItem(str(hamlet.rows)))
            combo = QComboBox()
            combo.addItem(self.tr("— chưa chọn (không nhập) —"), None)
            for area_id, name in self._hamlets:
                combo.addItem(self.tr("Là ấp %1").replace("%1", name), area_id)
            if plan.can_create_hamlets:
                combo.addItem(self.tr("Tạo ấp mới “%1”").replace("%1", hamlet.name), CREATE)
            combo.setCurrentIndex(max(0, combo.findData(hamlet.choice)))
            combo.currentIndexChanged.connect(lambda _: self.replan())
            self.hamlet_table.setCellWidget(row, 2, combo)
            self._hamlet_combos[hamlet.key] = combo
        if any(h.choice is None for h in unknown):
            self.tabs.setCurrentIndex(1)

    def commit(self) -> None:
        plan = self.plan
        if plan is None or not plan.writes:
            return
        self.commit_button.setEnabled(False)
        self.summary.setText(self.tr("Đang ghi…"))
        self._run(_guard(lambda: commit_plan(self.services, plan)), self._commit_done, "commit")

    def _commit_done(self, outcome: ImportOutcome | _Expected) -> None:
        if isinstance(outcome, _Expected):
            self.commit_button.setEnabled(True)
            return self._show_error(self.tr("Không nhập gì (đã hoàn tác): ") + outcome.message)
        self.outcome = outcome
        text = (
            self.tr(
                "Đã nhập %1 người mới trong %2 hộ mới, cập nhật %3 người; %4 dòng lỗi không nhập."
            )
            .replace("%1", str(outcome.persons))
            .replace("%2", str(len(outcome.household_ids)))
            .replace("%3", str(outcome.changed))
            .replace("%4", str(len(outcome.skipped_rows)))
        )
        if outcome.hamlets_created:
            text += " " + self.tr("Đã tạo %1 ấp mới.").replace("%1", str(outcome.hamlets_created))
        self.summary.setText(text)
        self.imported.emit(outcome)

    def _run(self, fn: Callable[[], Any], done: Callable[[Any], Any], step: str) -> None:
        """One background task per step, the latest winning (a file chosen again, a mapping
        changed twice); the commit on the write lane, behind any other write of the app."""
        tasks().run(
            fn,
            done=done,
            failed=self._task_failed,
            owner=self,
            key=f"import-{step}",
            lane=WRITE if step == "commit" else READ,
        )

    def _show_row(self) -> None:
        """The chosen row's line, result and every note, whole (the column may cut them)."""
        current = self.preview.currentIndex()
        model = self.preview_model
        if not current.isValid() or current.row() >= model.rowCount():
            self.row_detail.setText(self.tr("Chọn một dòng để xem đủ kết quả và ghi chú của nó."))
            self.row_detail.setStyleSheet("color: #707070;")
            return
        self.row_detail.setStyleSheet("")
        row = model.rows[current.row()]
        text = (
            self.tr("Dòng %1: %2").replace("%1", str(row.line)).replace("%2", model.fate_text(row))
        )
        notes = row.problems()
        self.row_detail.setText(f"{text}. {notes}" if notes else text)

    def _task_failed(self, exc: BaseException) -> None:
        """Not a file or input problem (those come back as ``_Expected``): logged whole, its
        last line shown; a failed commit wrote nothing, so the button is offered again."""
        log.error("import step failed", exc_info=exc)
        last = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()
        self._show_error(self.tr("Lỗi không mong muốn: ") + (last[-1] if last else repr(exc)))
        self.commit_button.setEnabled(self.plan is not None and bool(self.plan.writes))

    def _show_error(self, message: str) -> None:
        self.summary.setText("⚠ " + message)
        self.summary.setStyleSheet("color: #b00020;")
        self.failed.emit(message)
