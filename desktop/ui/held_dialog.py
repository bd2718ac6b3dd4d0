"""The changes the server does not have yet, listed as the volunteer knows them.

Every row held back (the device will send it again by itself once its cause is gone: a hamlet
to join, a household that has to reach the server first, a hamlet outside the user's scope)
or refused for a value to edit, by household address, person's name, item name and reason in
Vietnamese (desktop.sync.held.held_list); never by ids. "Mở hộ" opens the row's household in
the main window; "Ghép ấp…" offers the join when a hamlet of the profile is not on the server.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.store import Store
from desktop.sync.held import HELD, HeldItem, held_list
from desktop.ui import labels
from desktop.ui.buttons import make_primary
from desktop.ui.models import RecordsModel
from desktop.ui.sync_labels import reason_text, table_name, when_text
from desktop.ui.tasks import tasks
from desktop.ui.widgets import rows_view
from gocua.catalogue import default_catalogue

HELD_COLOUR = "#8a5300"
REFUSED_COLOUR = "#b00020"


class HeldModel(RecordsModel):
    """One row per record the server does not have as the device has it."""

    COLUMNS = ("what", "household", "person", "item", "reason", "then")

    def __init__(self, parent: QObject | None = None):
        super().__init__(
            [
                QCoreApplication.translate("HeldModel", "Loại"),
                QCoreApplication.translate("HeldModel", "Hộ"),
                QCoreApplication.translate("HeldModel", "Người"),
                QCoreApplication.translate("HeldModel", "Hạng mục"),
                QCoreApplication.translate("HeldModel", "Lý do"),
                QCoreApplication.translate("HeldModel", "Xử lý"),
            ],
            parent,
        )
        self.catalogue = default_catalogue()

    def _item_name(self, code: str | None) -> str:
        if not code:
            return ""
        try:
            return self.catalogue.item(code).name(labels.language())
        except KeyError:
            return code

    def text(self, row: HeldItem, column: int) -> str:
        name = self.COLUMNS[column]
        if name == "what":
            return table_name(row.table)
        if name == "household":
            if not row.address:
                return self.tr("(hộ không còn trong địa bàn của bạn)") if row.person else ""
            return f"{row.address} ({row.hamlet})" if row.hamlet else row.address
        if name == "person":
            return row.person or ""
        if name == "item":
            if row.item_code:
                return self._item_name(row.item_code)
            if row.table == "visits" and row.detail:
                return self.tr("Lần thăm lúc %1").replace("%1", when_text(row.detail))
            if row.table == "targets" and row.detail:
                code, _, period = row.detail.partition(" ")
                if self.catalogue.has_indicator(code):
                    code = self.catalogue.indicator(code).name(labels.language())
                return f"{code} ({period})"
            return row.detail or ""
        if name == "reason":
            return reason_text(row.code)
        if row.state == HELD:
            return self.tr("Sẽ tự gửi lại")
        return self.tr("Cần sửa lại")

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            if self.COLUMNS[index.column()] == "reason" and row.message:
                return reason_text(row.code, row.message)
            return self.text(row, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and self.COLUMNS[index.column()] == "then":
            return QColor(HELD_COLOUR if row.state == HELD else REFUSED_COLOUR)
        return None


class HeldDialog(QDialog):
    """The list, with "Mở hộ" and, where a hamlet is still to be joined, "Ghép ấp…"."""

    def __init__(
        self,
        store: Store,
        parent: QWidget | None = None,
        *,
        open_household: Callable[[str], None] | None = None,
        join: Callable[[], None] | None = None,
    ):
        super().__init__(parent)
        self.store = store
        self.open_household = open_household
        self.setWindowTitle(self.tr("Thay đổi chưa gửi được lên máy chủ"))
        self.setObjectName("held_dialog")
        self.resize(980, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Những bản ghi dưới đây vẫn nằm nguyên trên máy này, chưa có trên máy chủ. "
                "Dòng “Sẽ tự gửi lại” được gửi tự động khi lý do không còn (ví dụ sau khi ghép "
                "ấp). Dòng “Cần sửa lại” chờ bạn sửa giá trị rồi sẽ được gửi."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model = HeldModel(self)
        self.view = QTableView()
        self.view.setObjectName("held_view")
        self.view.setModel(self.model)
        rows_view(self.view)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(lambda _index: self.open_selected())
        layout.addWidget(self.view, 1)
        self.summary = QLabel()
        self.summary.setObjectName("held_summary")
        layout.addWidget(self.summary)
        buttons = QHBoxLayout()
        self.open_button = QPushButton(self.tr("&Mở hộ"))
        self.open_button.setObjectName("open_household")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_selected)
        self.join_button = QPushButton(self.tr("&Ghép ấp với máy chủ…"))
        self.join_button.setObjectName("join")
        self.join_button.setVisible(False)
        self.join_action = join
        if join is not None:
            self.join_button.clicked.connect(join)
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.accept)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.join_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        make_primary(self, self.open_button)
        self.view.selectionModel().currentRowChanged.connect(self._selected)
        self.refresh()

    def refresh(self) -> None:
        tasks().run(partial(self.store.query, held_list), done=self._loaded, owner=self, key="held")

    def _loaded(self, rows: list[HeldItem]) -> None:
        self.model.set_rows(rows)
        held = len({(r.table, r.row_id) for r in rows if r.state == HELD})
        refused = len(rows) - held
        self.summary.setText(
            self.tr("Đang giữ để gửi lại: %1 · Cần sửa: %2")
            .replace("%1", str(held))
            .replace("%2", str(refused))
        )
        unjoined = any(r.code == "unknown_area" for r in rows)
        self.join_button.setVisible(unjoined and self.join_action is not None)
        if rows:
            self.view.selectRow(0)
            self.view.setFocus()

    def _selected(self, current: QModelIndex, _previous=None) -> None:
        row = self.model.row_at(current.row())
        self.open_button.setEnabled(
            row is not None and bool(row.household_id) and self.open_household is not None
        )

    def open_selected(self) -> None:
        row = self.model.row_at(self.view.currentIndex().row())
        if row is None or not row.household_id or self.open_household is None:
            return
        self.open_household(row.household_id)
