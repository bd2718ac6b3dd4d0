"""Follow-up lists (a tab): per hamlet, who lacks which eligible item and why, in walking order.

A filter box narrows the list by name, address or item (accents optional); the list prints to
a PDF to carry on the round. CCCD and phone numbers stay masked unless the leader ticks
"show".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.reports import export_log
from desktop.reports.exports import export
from desktop.reports.follow_up import FollowUpRow, follow_up_rows
from desktop.store import Store
from desktop.store.state_keys import USER_ID
from desktop.ui.workers import TaskRunner
from gocua.catalogue import Catalogue, default_catalogue
from gocua.dates import date_text
from gocua.text import fold

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
HEADINGS = (
    "Địa chỉ",
    "Họ và tên",
    "Năm sinh",
    "CCCD",
    "Điện thoại",
    "Còn thiếu (lý do)",
    "Lần thăm gần nhất",
    "Hẹn lại",
)


class FollowUpModel(QAbstractTableModel):
    def __init__(self, catalogue: Catalogue, parent=None):
        super().__init__(parent)
        self.catalogue = catalogue
        self.rows: list[FollowUpRow] = []
        self.unmask = False
        self._search: list[str] = []

    def set_rows(self, rows: list[FollowUpRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self._search = [
            fold(f"{r.full_name} {r.address} {r.missing_text(self.catalogue)}") for r in rows
        ]
        self.endResetModel()

    def set_unmask(self, unmask: bool) -> None:
        self.beginResetModel()
        self.unmask = unmask
        self.endResetModel()

    def search_text(self, row: int) -> str:
        return self._search[row]

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(HEADINGS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADINGS[section])
        return None

    def value(self, row: FollowUpRow, column: int) -> str:
        return [
            row.address,
            row.full_name,
            str(row.birth_year or ""),
            row.cccd_shown(self.unmask),
            row.phone_shown(self.unmask),
            row.missing_text(self.catalogue),
            row.last_visit_text(),
            row.follow_up_text(),
        ][column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.value(self.rows[index.row()], index.column())
        return None


class FoldedFilter(QSortFilterProxyModel):
    """Keeps the rows whose folded text holds every folded word typed ("hung vneid")."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.words: list[str] = []

    def set_text(self, text: str) -> None:
        # begin/endFilterChange replace the deprecated invalidateFilter (Qt 6.10+).
        self.beginFilterChange()
        self.words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self.words:
            return True
        haystack = self.sourceModel().search_text(source_row)
        return all(word in haystack for word in self.words)


class FollowUpListWidget(QWidget):
    loaded = Signal()

    def __init__(
        self,
        store: Store,
        parent: QWidget | None = None,
        *,
        catalogue: Catalogue | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ):
        super().__init__(parent)
        self.store = store
        self.catalogue = catalogue or default_catalogue()
        self._today = today
        self._runner = TaskRunner(self)
        self._runner.finished.connect(self._show)
        self.hamlet = QComboBox()
        with store.read() as conn:
            hamlets = conn.exec_driver_sql(
                "SELECT id, name FROM areas WHERE kind = 'hamlet' AND retired = 0 ORDER BY name"
            ).all()
        for hamlet_id, name in hamlets:
            self.hamlet.addItem(name, hamlet_id)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Lọc theo tên, địa chỉ, hạng mục (không cần dấu)"))
        self.filter.setClearButtonEnabled(True)
        self.unmask = QCheckBox(self.tr("Hiện CCCD/SĐT"))
        self.print_button = QPushButton(self.tr("In danh sách (PDF)…"))
        self.xlsx_button = QPushButton(self.tr("Xuất Excel…"))
        self.model = FollowUpModel(self.catalogue, self)
        self.proxy = FoldedFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.count = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Ấp/thôn:")))
        top.addWidget(self.hamlet)
        top.addWidget(self.filter, 1)
        top.addWidget(self.unmask)
        top.addWidget(self.print_button)
        top.addWidget(self.xlsx_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.hamlet.currentIndexChanged.connect(lambda _: self.reload())
        self.filter.textChanged.connect(self._filter)
        self.unmask.toggled.connect(self.model.set_unmask)
        self.print_button.clicked.connect(self.print_dialog)
        self.xlsx_button.clicked.connect(self.xlsx_dialog)
        self.reload()

    def hamlet_id(self) -> str | None:
        return self.hamlet.currentData()

    def reload(self) -> None:
        hamlet, year = self.hamlet_id(), self._today().year
        if hamlet is None:
            return

        def compute() -> list[FollowUpRow]:
            with self.store.read() as conn:
                return follow_up_rows(conn, self.catalogue, year, [hamlet])

        self.count.setText(self.tr("Đang tải…"))
        self._runner.start(compute)

    def _show(self, rows: list[FollowUpRow]) -> None:
        self.model.set_rows(rows)
        self._update_count()
        self.loaded.emit()

    def _filter(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _update_count(self) -> None:
        self.count.setText(
            self.tr("%1 người/hộ cần quay lại").replace("%1", str(self.proxy.rowCount()))
        )

    def visible_rows(self) -> list[FollowUpRow]:
        return [
            self.model.rows[self.proxy.mapToSource(self.proxy.index(r, 0)).row()]
            for r in range(self.proxy.rowCount())
        ]

    def write_pdf(self, path: Path | str) -> int:
        from desktop.ui.reports_pdf import write_follow_up_pdf

        title = (
            self.tr("Danh sách cần quay lại – %1 – ngày %2")
            .replace("%1", self.hamlet.currentText())
            .replace("%2", date_text(self._today()))
        )
        rows = self.visible_rows()
        pages = write_follow_up_pdf(rows, self.catalogue, path, title, self.unmask.isChecked())
        with self.store.read() as conn:
            user = USER_ID.get(conn) or ""
        export_log.append_entry(
            self.store.path.parent,
            {
                "user_id": user,
                "format": "follow_up_pdf",
                "file": str(Path(path).resolve()),
                "period": str(self._today().year),
                "hamlets": [self.hamlet_id()],
                "unmasked": self.unmask.isChecked(),
                "counts": {"rows": len(rows), "pages": pages},
            },
        )
        return pages

    def print_dialog(self) -> None:
        suggested = f"can-quay-lai-{self.hamlet_id()}.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("In danh sách"), suggested, "PDF (*.pdf)"
        )
        if path:
            self.write_pdf(path)
            self.count.setText(self.tr("Đã lưu ") + path)

    def export_xlsx(self, path: Path | str):
        """The hamlet's workbook (its figures and the full follow-up list), logged like every
        export; returns the ExportResult."""
        return export(
            self.store,
            "xlsx",
            path,
            period=str(self._today().year),
            hamlet_ids=[self.hamlet_id()],
            unmask=self.unmask.isChecked(),
            catalogue=self.catalogue,
            today=self._today(),
        )

    def xlsx_dialog(self) -> None:
        suggested = f"can-quay-lai-{self.hamlet_id()}.xlsx"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Xuất Excel"), suggested, "Excel (*.xlsx)"
        )
        if path:
            self.export_xlsx(path)
            self.count.setText(self.tr("Đã lưu ") + path)
