"""The leader's conflicts panel: values two volunteers changed at once, settled on the server.

The list comes from ``GET /conflicts`` (off the GUI thread); each row shows the record, the
field, the value in use and the one it replaced, who wrote each and when. The leader keeps
either value or types a new one; for a record deleted while someone edited it, restores it or
leaves it deleted. Every decision goes to the server (``POST /conflicts/{id}/resolve``) and
a sync follows, so this laptop gets the settled value too.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.store import Store
from desktop.sync import conflicts as server_conflicts
from desktop.sync import errors
from desktop.sync.conflicts import DELETED
from desktop.sync.session import SyncSession
from desktop.ui.buttons import make_primary
from desktop.ui.errors import user_message
from desktop.ui.models import RecordsModel
from desktop.ui.sync_labels import field_name, table_name, value_text, when_text
from desktop.ui.tasks import IO, tasks
from desktop.ui.widgets import rows_view

log = logging.getLogger(__name__)
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def shown_value(conflict: dict, which: str) -> str:
    value = conflict[which]
    if conflict["field"] == DELETED:
        if which == "winning_value":
            return QCoreApplication.translate("ConflictsPanel", "Đã xóa")
        return QCoreApplication.translate("ConflictsPanel", "Bản ghi đã được sửa")
    return value_text(conflict["field"], value, conflict["table"])


def parse_typed(field: str, text: str, example: Any) -> Any:
    """The leader's typed value in the field's type (the server checks it again)."""
    text = text.strip()
    if field == "has_smartphone" or isinstance(example, bool):
        folded = text.lower()
        if folded in ("có", "co", "yes", "true", "1"):
            return True
        if folded in ("không", "khong", "no", "false", "0"):
            return False
        if not folded:
            return None
        raise ValueError(
            QCoreApplication.translate("ConflictsPanel", "Hãy nhập “có” hoặc “không”.")
        )
    if field == "percent" or isinstance(example, float):
        try:
            return float(text.replace(",", "."))
        except ValueError:
            raise ValueError(
                QCoreApplication.translate("ConflictsPanel", "Hãy nhập một số.")
            ) from None
    if isinstance(example, int):
        try:
            return int(text)
        except ValueError:
            raise ValueError(
                QCoreApplication.translate("ConflictsPanel", "Hãy nhập một số nguyên.")
            ) from None
    if not text:
        return "" if field == "note" else None
    return text


class ConflictsModel(RecordsModel):
    """Open conflicts as a table (tested without a view)."""

    COLUMNS = ("table", "label", "field", "winning", "winner", "losing", "loser", "when")

    def __init__(self, parent: QObject | None = None):
        super().__init__(
            [
                QCoreApplication.translate("ConflictsPanel", "Loại"),
                QCoreApplication.translate("ConflictsPanel", "Bản ghi"),
                QCoreApplication.translate("ConflictsPanel", "Trường"),
                QCoreApplication.translate("ConflictsPanel", "Giá trị đang dùng"),
                QCoreApplication.translate("ConflictsPanel", "Người ghi"),
                QCoreApplication.translate("ConflictsPanel", "Giá trị bị thay"),
                QCoreApplication.translate("ConflictsPanel", "Người ghi"),
                QCoreApplication.translate("ConflictsPanel", "Lúc"),
            ],
            parent,
        )

    def remove(self, conflict_id: str) -> None:
        self.remove_where(lambda conflict: conflict["id"] == conflict_id)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        c = self.rows[index.row()]
        if role == ID_ROLE:
            return c["id"]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        column = self.COLUMNS[index.column()]
        if column == "table":
            return table_name(c["table"])
        if column == "label":
            return c.get("label") or c["row_id"][:8]
        if column == "field":
            return field_name(c["field"])
        if column == "winning":
            return shown_value(c, "winning_value")
        if column == "winner":
            return c.get("winner_name") or ""
        if column == "losing":
            return shown_value(c, "losing_value")
        if column == "loser":
            return c.get("loser_name") or ""
        return when_text(c.get("created_at"))


class ConflictsPanel(QDialog):
    """Non-modal: the leader can keep working in the window while it is open."""

    def __init__(self, controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.session: SyncSession = controller.session
        self.store: Store = controller.store
        self.busy = False
        self.resolved = 0
        self.setWindowTitle(self.tr("Xung đột dữ liệu"))
        self.setObjectName("conflicts_panel")
        self.resize(980, 460)

        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Khi hai người sửa cùng một thông tin lúc không có mạng, máy chủ giữ giá trị ghi sau "
                "và lưu giá trị kia ở đây. Hãy chọn giá trị đúng, hoặc nhập giá trị mới."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.model = ConflictsModel(self)
        self.view = QTableView()
        self.view.setObjectName("conflicts")
        self.view.setModel(self.model)
        rows_view(self.view)
        self.view.setWordWrap(False)
        self.view.setStyleSheet("QTableView::item { padding: 2px 6px; }")
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        layout.addWidget(self.view, 1)

        self.detail = QLabel()
        self.detail.setObjectName("detail")
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)

        choices = QGridLayout()
        self.keep_winner = QPushButton(self.tr("&Giữ giá trị đang dùng"))
        self.keep_winner.setObjectName("keep_winner")
        self.keep_loser = QPushButton(self.tr("Dùng giá trị &bị thay"))
        self.keep_loser.setObjectName("keep_loser")
        self.restore = QPushButton(self.tr("&Khôi phục bản ghi"))
        self.restore.setObjectName("restore")
        self.dismiss = QPushButton(self.tr("Giữ việc &xóa"))
        self.dismiss.setObjectName("dismiss")
        self.new_value = QLineEdit()
        self.new_value.setObjectName("new_value")
        self.new_value.setPlaceholderText(self.tr("Hoặc nhập giá trị mới…"))
        self.use_new = QPushButton(self.tr("Dùng giá trị &mới"))
        self.use_new.setObjectName("use_new")
        choices.addWidget(self.keep_winner, 0, 0)
        choices.addWidget(self.keep_loser, 0, 1)
        choices.addWidget(self.restore, 0, 2)
        choices.addWidget(self.dismiss, 0, 3)
        choices.addWidget(self.new_value, 1, 0, 1, 2)
        choices.addWidget(self.use_new, 1, 2)
        layout.addLayout(choices)

        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        self.refresh_button = QPushButton(self.tr("&Làm mới"))
        self.refresh_button.setObjectName("refresh")
        close = QPushButton(self.tr("Đó&ng"))
        bottom.addWidget(self.refresh_button)
        bottom.addWidget(close)
        layout.addLayout(bottom)

        self.keep_winner.clicked.connect(lambda: self.resolve_current("winner"))
        self.keep_loser.clicked.connect(lambda: self.resolve_current("loser"))
        self.restore.clicked.connect(lambda: self.resolve_current("restore"))
        self.dismiss.clicked.connect(lambda: self.resolve_current("dismiss"))
        self.use_new.clicked.connect(lambda: self.resolve_current("new"))
        self.new_value.returnPressed.connect(lambda: self.resolve_current("new"))
        self.refresh_button.clicked.connect(self.refresh)
        close.clicked.connect(self.close)
        # No default: Qt made the first button ("Giữ giá trị đang dùng") one, so an Enter in
        # the list sent that decision to the server. Each choice is its own click, Space or
        # Alt+letter; Enter in the new value's field sends that value.
        make_primary(self, None)
        self._selection_changed()
        self.refresh()

    # -- loading --------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.busy:
            return
        self._set_busy(True, self.tr("Đang tải danh sách xung đột…"))
        tasks().run(
            partial(server_conflicts.open_conflicts, self.session),
            done=self._loaded,
            failed=self._failed,
            owner=self,
            lane=IO,
        )

    def _loaded(self, conflicts: list[dict]) -> None:
        self.model.set_rows(conflicts)
        if conflicts:
            text = self.tr("%1 xung đột đang chờ giải quyết.").replace("%1", str(len(conflicts)))
        else:
            text = self.tr("Không có xung đột nào cần giải quyết.")
        self._set_busy(False, text)
        if conflicts:
            self.view.selectRow(0)

    def _failed(self, exc: BaseException) -> None:
        message = getattr(exc, "message_vi", None) or user_message(exc)
        if isinstance(exc, errors.Refused) and exc.status == 422:
            message = self.tr("Máy chủ không nhận giá trị này. Hãy kiểm tra lại giá trị mới.")
        self._set_busy(False, message, error=True)
        if isinstance(exc, errors.Unauthorized):
            self.controller.sign_in_required.emit(exc.message_vi)

    # -- deciding -------------------------------------------------------------------------

    def current(self) -> dict | None:
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def body_for(self, conflict: dict, choice: str) -> dict:
        if conflict["field"] == DELETED:
            return {"restore": choice == "restore"}
        if choice == "winner":
            return {"value": conflict["winning_value"]}
        if choice == "loser":
            return {"value": conflict["losing_value"]}
        example = conflict["winning_value"]
        if example is None:
            example = conflict["losing_value"]
        return {"value": parse_typed(conflict["field"], self.new_value.text(), example)}

    def resolve_current(self, choice: str) -> None:
        conflict = self.current()
        if conflict is None or self.busy:
            return
        if choice == "new" and conflict["field"] == DELETED:
            return
        try:
            body = self.body_for(conflict, choice)
        except ValueError as exc:
            self.status.setStyleSheet("color: #b00020;")
            self.status.setText(str(exc))
            self.new_value.setFocus()
            return
        self._set_busy(True, self.tr("Đang gửi quyết định lên máy chủ…"))
        session, conflict_id = self.session, conflict["id"]
        tasks().run(
            lambda: server_conflicts.resolve(session, conflict_id, body),
            done=lambda _answer: self._resolved(conflict_id),
            failed=self._failed,
            owner=self,
            lane=IO,
        )

    def _resolved(self, conflict_id: str) -> None:
        self.resolved += 1
        self.model.remove(conflict_id)
        self.new_value.clear()
        left = self.model.rowCount()
        self._set_busy(False, self.tr("Đã giải quyết. Còn %1 xung đột.").replace("%1", str(left)))
        if left:
            self.view.selectRow(0)
        self._selection_changed()
        self.controller.sync_soon()  # this laptop gets the settled value at once

    # -- state ----------------------------------------------------------------------------

    def _set_busy(self, busy: bool, text: str, error: bool = False) -> None:
        self.busy = busy
        self.status.setStyleSheet("color: #b00020;" if error else "")
        self.status.setText(text)
        self.refresh_button.setEnabled(not busy)
        self._selection_changed()

    def _selection_changed(self) -> None:
        conflict = self.current()
        deleted = conflict is not None and conflict["field"] == DELETED
        editable = conflict is not None and not deleted and not self.busy
        for button in (self.keep_winner, self.keep_loser):
            button.setVisible(not deleted)
            button.setEnabled(editable)
        for button in (self.restore, self.dismiss):
            button.setVisible(deleted)
            button.setEnabled(deleted and not self.busy)
        for widget in (self.new_value, self.use_new):
            widget.setVisible(not deleted)
            widget.setEnabled(editable)
        if conflict is None:
            self.detail.setText("")
            return
        if deleted:
            self.detail.setText(
                self.tr(
                    "%1 đã xóa bản ghi “%2” trong khi %3 đang sửa nó. Khôi phục bản ghi (với các "
                    "sửa đổi của %3) hay giữ việc xóa?"
                )
                .replace("%1", conflict.get("winner_name") or "?")
                .replace("%2", conflict.get("label") or "")
                .replace("%3", conflict.get("loser_name") or "?")
            )
            return
        self.detail.setText(
            self.tr("%1 của “%2”: đang dùng “%3” (%4 ghi); giá trị bị thay là “%5” (%6 ghi).")
            .replace("%1", field_name(conflict["field"]))
            .replace("%2", conflict.get("label") or "")
            .replace("%3", shown_value(conflict, "winning_value"))
            .replace("%4", conflict.get("winner_name") or "?")
            .replace("%5", shown_value(conflict, "losing_value"))
            .replace("%6", conflict.get("loser_name") or "?")
        )
