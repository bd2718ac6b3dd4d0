"""Follow-up lists (a tab): per hamlet, who lacks which eligible item and why, in walking order.

A filter box narrows the list by name, address or item (accents optional); the list prints to
a PDF to carry on the round. CCCD and phone numbers stay masked unless the leader ticks
"show". The hamlets and the list are read, and the PDF and the workbook written, off the GUI
thread (desktop.ui.tasks), with a progress dialog when it takes more than half a second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
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
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.reports.exports import ExportResult, export, print_follow_up
from desktop.reports.follow_up import FollowUpRow, follow_up_rows
from desktop.store import Store
from desktop.store.areas import active_hamlets
from desktop.ui.errors import user_message
from desktop.ui.file_dialogs import save_path
from desktop.ui.models import RecordsModel
from desktop.ui.tasks import Task, tasks
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


class FollowUpModel(RecordsModel):
    def __init__(self, catalogue: Catalogue, parent=None):
        super().__init__(HEADINGS, parent)
        self.catalogue = catalogue
        self.unmask = False
        self._search: list[str] = []

    def set_rows(self, rows: list[FollowUpRow]) -> None:
        self._search = [
            fold(f"{r.full_name} {r.address} {r.missing_text(self.catalogue)}") for r in rows
        ]
        super().set_rows(rows)

    def set_unmask(self, unmask: bool) -> None:
        self.beginResetModel()
        self.unmask = unmask
        self.endResetModel()

    def search_text(self, row: int) -> str:
        return self._search[row]

    def heading(self, section: int) -> str:
        return self.tr(HEADINGS[section])  # at each repaint: the language can change

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
    printed = Signal(int)  # pages of the PDF written
    exported = Signal(object)  # the workbook's ExportResult
    export_failed = Signal(object)  # the exception

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
        self._task: Task | None = None
        self.hamlet = QComboBox()
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
        # The first hamlet added selects itself, and its list is read then.
        tasks().run(
            partial(store.query, active_hamlets), done=self._hamlets_read, owner=self, key="hamlets"
        )

    def _hamlets_read(self, hamlets: list[tuple[str, str]]) -> None:
        for hamlet_id, name in hamlets:
            self.hamlet.addItem(name, hamlet_id)

    @property
    def busy(self) -> bool:
        return self._task is not None and self._task.running

    def hamlet_id(self) -> str | None:
        return self.hamlet.currentData()

    def reload(self) -> None:
        hamlet, year = self.hamlet_id(), self._today().year
        if hamlet is None:
            return

        self.count.setText(self.tr("Đang tải…"))
        self._task = tasks().run(
            partial(self.store.query, follow_up_rows, self.catalogue, year, [hamlet]),
            done=self._show,
            failed=lambda exc: self.count.setText(user_message(exc)),
            owner=self,
            key="rows",
        )

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

    def write_pdf(self, path: Path | str) -> Task:
        """Print the rows shown to ``path`` off the GUI thread (QTextDocument on a QPdfWriter,
        no widget) and log it; ``printed(pages)`` when written."""
        from desktop.ui.reports_pdf import load_fonts, write_follow_up_pdf

        load_fonts()  # registered on the GUI thread, used by the worker
        title = (
            self.tr("Danh sách cần quay lại – %1 – ngày %2")
            .replace("%1", self.hamlet.currentText())
            .replace("%2", date_text(self._today()))
        )
        work = partial(
            print_follow_up,
            self.store,
            self.visible_rows(),
            path,
            pdf_writer=write_follow_up_pdf,
            title=title,
            hamlet_id=self.hamlet_id(),
            period=str(self._today().year),
            unmask=self.unmask.isChecked(),
            catalogue=self.catalogue,
        )
        return tasks().run(
            work,
            done=lambda pages: self._saved(path, self.printed, pages),
            failed=self._failed,
            owner=self,
            key="print",
            progress=self.tr("Đang in danh sách ra PDF…"),
        )

    def print_dialog(self) -> None:
        suggested = f"can-quay-lai-{self.hamlet_id()}.pdf"
        path = save_path(self, self.tr("In danh sách"), suggested, "PDF (*.pdf)")
        if path:
            self.write_pdf(path)

    def export_xlsx(self, path: Path | str) -> Task:
        """The hamlet's workbook (its figures and the full follow-up list) written off the GUI
        thread and logged like every export; ``exported(ExportResult)`` when written."""
        work = partial(
            _export_with,
            self.store,
            "xlsx",
            path,
            period=str(self._today().year),
            hamlet_ids=[self.hamlet_id()],
            unmask=self.unmask.isChecked(),
            catalogue=self.catalogue,
            today=self._today(),
        )
        return tasks().run(
            work,
            with_task=True,
            cancellable=True,
            done=lambda result: self._saved(path, self.exported, result),
            failed=self._failed,
            cancelled=lambda: self.count.setText(self.tr("Đã dừng xuất.")),
            owner=self,
            key="xlsx",
            progress=self.tr("Đang xuất Excel…"),
        )

    def xlsx_dialog(self) -> None:
        suggested = f"can-quay-lai-{self.hamlet_id()}.xlsx"
        path = save_path(self, self.tr("Xuất Excel"), suggested, "Excel (*.xlsx)")
        if path:
            self.export_xlsx(path)

    def _saved(self, path: Path | str, signal, value) -> None:
        self.count.setText(self.tr("Đã lưu ") + str(path))
        signal.emit(value)

    def _failed(self, exc: BaseException) -> None:
        self.count.setText(user_message(exc))
        self.export_failed.emit(exc)


def _export_with(store: Store, fmt: str, path: Path | str, task: Task, **options) -> ExportResult:
    """desktop.reports.exports.export in a task: it stops at ``task.check``, and its steps
    move the progress dialog."""
    return export(store, fmt, path, check=task.check, progress=task.report, **options)
