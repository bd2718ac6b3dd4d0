"""The leader's window of likely duplicates: "Hộ và người có thể trùng".

The pairs come from desktop.store.duplicates, read off the GUI thread; the selected pair is
shown side by side (hamlet, address, head, members, CCCD with only its last 4 digits, status,
visits and items of each). The leader merges it keeping the left or the right record
(desktop.services.merge, after a question whose default is "No"), or says it is not a
duplicate, which this laptop remembers. Enter never merges: each decision is its own button.
"""

from __future__ import annotations

import html
import logging
from functools import partial

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.services import MergeResult, Services
from desktop.store import Store
from desktop.store.duplicates import (
    CCCD,
    HEAD_CCCD,
    HOUSEHOLD,
    DuplicatePair,
    HouseholdSide,
    PersonSide,
    find_duplicates,
)
from desktop.ui import labels
from desktop.ui.buttons import make_primary
from desktop.ui.errors import user_message
from desktop.ui.models import RecordsModel
from desktop.ui.tasks import WRITE, tasks
from desktop.ui.widgets import rows_view

log = logging.getLogger(__name__)
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
LEFT, RIGHT = "left", "right"


def mask_cccd(cccd: str | None) -> str:
    """Only the last 4 digits show, as on the household page."""
    return f"••••••••{cccd[-4:]}" if cccd else ""


def reason_text(reason: str) -> str:
    if reason == HEAD_CCCD:
        return QCoreApplication.translate("DuplicatesDialog", "Chủ hộ cùng số CCCD")
    if reason == CCCD:
        return QCoreApplication.translate("DuplicatesDialog", "Cùng số CCCD")
    return QCoreApplication.translate("DuplicatesDialog", "Cùng tên chủ hộ và địa chỉ")


def side_label(side: HouseholdSide | PersonSide) -> str:
    if isinstance(side, HouseholdSide):
        return f"{side.address} — {side.head_name}" if side.head_name else side.address
    born = (side.birth_date or "")[:4]
    return f"{side.full_name} ({born})" if born else side.full_name


class DuplicatesModel(RecordsModel):
    """The listed pairs as a table (tested without a view)."""

    COLUMNS = ("kind", "reason", "left", "right", "hamlet")

    def __init__(self, parent: QObject | None = None):
        super().__init__(
            [
                QCoreApplication.translate("DuplicatesDialog", "Loại"),
                QCoreApplication.translate("DuplicatesDialog", "Lý do"),
                QCoreApplication.translate("DuplicatesDialog", "Bên trái"),
                QCoreApplication.translate("DuplicatesDialog", "Bên phải"),
                QCoreApplication.translate("DuplicatesDialog", "Ấp/thôn"),
            ],
            parent,
        )

    def row_of(self, key: tuple[str, str, str]) -> int:
        return self.row_where(lambda pair: pair.key == key)

    def remove(self, key: tuple[str, str, str]) -> None:
        self.remove_where(lambda pair: pair.key == key)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        pair = self.rows[index.row()]
        if role == KEY_ROLE:
            return pair.key
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        column = self.COLUMNS[index.column()]
        if column == "kind":
            return (
                QCoreApplication.translate("DuplicatesDialog", "Hộ")
                if pair.kind == HOUSEHOLD
                else QCoreApplication.translate("DuplicatesDialog", "Người")
            )
        if column == "reason":
            return reason_text(pair.reason)
        if column == "left":
            return side_label(pair.left)
        if column == "right":
            return side_label(pair.right)
        names = {pair.left.hamlet_name, pair.right.hamlet_name}
        return " / ".join(sorted(names))


def side_html(side: HouseholdSide | PersonSide) -> str:
    """One side of a pair as a two-column table (values escaped)."""
    if isinstance(side, HouseholdSide):
        members = ", ".join(side.members) or QCoreApplication.translate(
            "DuplicatesDialog", "(chưa có ai)"
        )
        rows = [
            (QCoreApplication.translate("DuplicatesDialog", "Ấp/thôn"), side.hamlet_name),
            (QCoreApplication.translate("DuplicatesDialog", "Địa chỉ"), side.address),
            (QCoreApplication.translate("DuplicatesDialog", "Chủ hộ"), side.head_name),
            (
                QCoreApplication.translate("DuplicatesDialog", "CCCD chủ hộ"),
                mask_cccd(side.head_cccd),
            ),
            (
                QCoreApplication.translate("DuplicatesDialog", "Nhân khẩu (%1)").replace(
                    "%1", str(len(side.members))
                ),
                members,
            ),
            (
                QCoreApplication.translate("DuplicatesDialog", "Tình trạng"),
                labels.household_status_name(side.status),
            ),
        ]
    else:
        rows = [
            (QCoreApplication.translate("DuplicatesDialog", "Họ và tên"), side.full_name),
            (QCoreApplication.translate("DuplicatesDialog", "Ngày sinh"), side.birth_date or ""),
            (QCoreApplication.translate("DuplicatesDialog", "CCCD"), mask_cccd(side.cccd)),
            (
                QCoreApplication.translate("DuplicatesDialog", "Quan hệ với chủ hộ"),
                labels.relation_name(side.relation),
            ),
            (
                QCoreApplication.translate("DuplicatesDialog", "Tình trạng"),
                labels.person_status_name(side.status),
            ),
            (QCoreApplication.translate("DuplicatesDialog", "Hộ"), side.address),
            (QCoreApplication.translate("DuplicatesDialog", "Ấp/thôn"), side.hamlet_name),
        ]
    rows += [
        (QCoreApplication.translate("DuplicatesDialog", "Lần thăm"), str(side.visits)),
        (QCoreApplication.translate("DuplicatesDialog", "Hạng mục hỗ trợ"), str(side.items)),
    ]
    cells = "".join(
        f"<tr><td style='color:#555; padding-right:10px'>{html.escape(name)}</td>"
        f"<td><b>{html.escape(value)}</b></td></tr>"
        for name, value in rows
    )
    return f"<table cellspacing=2>{cells}</table>"


class DuplicatesDialog(QDialog):
    """Non-modal: the leader can look a household up in the window while it is open."""

    merged = Signal(object)  # MergeResult: the window redraws its lists
    loaded = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.store: Store = services.store
        self.busy = False
        self.setWindowTitle(self.tr("Hộ và người có thể trùng"))
        self.setObjectName("duplicates_dialog")
        self.resize(1040, 600)

        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Hai tình nguyện viên có thể đã cùng nhập một hộ hoặc một người khi không có mạng. "
                "Hãy so sánh hai bên: gộp lại (giữ bên trái hoặc bên phải), hoặc đánh dấu "
                "“không phải trùng” để không hiện lại trên máy này."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.model = DuplicatesModel(self)
        self.view = QTableView()
        self.view.setObjectName("pairs")
        self.view.setModel(self.model)
        rows_view(self.view)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        layout.addWidget(self.view, 2)

        sides = QHBoxLayout()
        self.left_box, self.left_text = self._side_box(self.tr("Bên trái"), "left_side")
        self.right_box, self.right_text = self._side_box(self.tr("Bên phải"), "right_side")
        sides.addWidget(self.left_box, 1)
        sides.addWidget(self.right_box, 1)
        layout.addLayout(sides, 3)

        buttons = QHBoxLayout()
        self.keep_left = QPushButton(self.tr("Gộp, giữ bên &trái"))
        self.keep_left.setObjectName("keep_left")
        self.keep_right = QPushButton(self.tr("Gộp, giữ bên &phải"))
        self.keep_right.setObjectName("keep_right")
        self.not_same = QPushButton(self.tr("&Không phải trùng"))
        self.not_same.setObjectName("not_same")
        for button in (self.keep_left, self.keep_right, self.not_same):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.refresh_button = QPushButton(self.tr("&Làm mới"))
        self.refresh_button.setObjectName("refresh")
        close = QPushButton(self.tr("Đó&ng"))
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)

        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        self.keep_left.clicked.connect(lambda: self.merge_current(LEFT))
        self.keep_right.clicked.connect(lambda: self.merge_current(RIGHT))
        self.not_same.clicked.connect(self.dismiss_current)
        self.refresh_button.clicked.connect(lambda: self.refresh())
        close.clicked.connect(self.close)
        # No default button: Enter in the list decides nothing. A merge is its own click (or
        # Space on the focused button, or Alt+letter), then a question whose default is "No".
        make_primary(self, None)
        self._selection_changed()
        self.refresh()

    @staticmethod
    def _side_box(title: str, name: str) -> tuple[QGroupBox, QLabel]:
        box = QGroupBox(title)
        text = QLabel()
        text.setObjectName(name)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A household of many members scrolls rather than being cut.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(text)
        inner = QVBoxLayout(box)
        inner.addWidget(scroll)
        return box, text

    # -- loading --------------------------------------------------------------------------

    def refresh(self, note: str = "", error: bool = False) -> None:
        """Find the pairs again (off the GUI thread); ``note`` is said before the count."""
        if self.busy:
            return
        self._set_busy(True, self.tr("Đang tìm hộ và người có thể trùng…"))
        store = self.store
        tasks().run(
            partial(store.query, find_duplicates),
            done=lambda pairs: self._loaded(pairs, note, error),
            failed=self._failed,
            owner=self,
            key="pairs",
        )

    def _loaded(self, pairs: list[DuplicatePair], note: str = "", error: bool = False) -> None:
        keep = self.current()
        self.model.set_rows(pairs)
        if pairs:
            found = self.tr("%1 cặp có thể trùng.").replace("%1", str(len(pairs)))
        else:
            found = self.tr("Không có hộ hay người nào có thể trùng.")
        self._set_busy(False, f"{note} {found}".strip(), error=error)
        if pairs:
            row = self.model.row_of(keep.key) if keep else -1
            self.view.selectRow(max(row, 0))
        self._selection_changed()
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False, user_message(exc), error=True)
        if not getattr(exc, "message_vi", None) and not getattr(exc, "errors", None):
            log.error("duplicates: %s", exc)

    # -- deciding -------------------------------------------------------------------------

    def current(self) -> DuplicatePair | None:
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def confirm_merge(self, pair: DuplicatePair, keep: str) -> bool:
        kept, gone = (pair.left, pair.right) if keep == LEFT else (pair.right, pair.left)
        if pair.kind == HOUSEHOLD:
            text = self.tr(
                "Gộp hộ “%1” vào hộ “%2”?\n\nNgười, lần thăm và hạng mục của hộ “%1” được "
                "chuyển sang hộ “%2” (người trùng được gộp làm một), rồi hộ “%1” bị xóa. "
                "Không hoàn tác được."
            )
        else:
            text = self.tr(
                "Gộp “%1” vào “%2”?\n\nHạng mục hỗ trợ và thông tin còn trống được lấy từ "
                "“%1”, rồi “%1” bị xóa. Không hoàn tác được."
            )
        text = text.replace("%1", side_label(gone)).replace("%2", side_label(kept))
        answer = QMessageBox.question(
            self,
            self.tr("Gộp bản ghi trùng"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def merge_current(self, keep: str) -> None:
        pair = self.current()
        if pair is None or self.busy or not self.confirm_merge(pair, keep):
            return
        kept, gone = (pair.left, pair.right) if keep == LEFT else (pair.right, pair.left)
        merge = (
            self.services.merge_households
            if pair.kind == HOUSEHOLD
            else self.services.merge_persons
        )
        self._set_busy(True, self.tr("Đang gộp…"))
        store = self.store

        def work() -> tuple[MergeResult, list[DuplicatePair]]:
            result = merge(kept.id, gone.id)
            return result, store.query(find_duplicates)

        tasks().run(
            work,
            done=self._merged,
            failed=self._merge_failed,
            owner=self,
            lane=WRITE,
            progress=self.tr("Đang gộp…"),
        )

    def _merged(self, answer: tuple[MergeResult, list[DuplicatePair]]) -> None:
        result, pairs = answer
        self.busy = False
        self._loaded(pairs, self.tr("Đã gộp."))
        self.merged.emit(result)

    def _merge_failed(self, exc: BaseException) -> None:
        # Nothing was written (one transaction); the pair may be gone (merged elsewhere and
        # pulled since): said, and the list read again.
        self.busy = False
        self.refresh(user_message(exc), error=True)

    def dismiss_current(self) -> None:
        pair = self.current()
        if pair is None or self.busy:
            return
        self._set_busy(True, self.tr("Đang lưu…"))
        row = self.view.currentIndex().row()
        services = self.services
        tasks().run(
            lambda: services.dismiss_duplicate(pair.kind, pair.left.id, pair.right.id),
            done=lambda _none: self._dismissed(pair, row),
            # A locked or damaged profile: said, the window stays.
            failed=lambda exc: self._set_busy(False, user_message(exc), error=True),
            owner=self,
            lane=WRITE,
        )

    def _dismissed(self, pair: DuplicatePair, row: int) -> None:
        self.model.remove(pair.key)
        left = self.model.rowCount()
        self._set_busy(
            False,
            self.tr("Đã đánh dấu không phải trùng. Còn %1 cặp.").replace("%1", str(left)),
        )
        if left:
            self.view.selectRow(min(row, left - 1))
        self._selection_changed()

    # -- state ----------------------------------------------------------------------------

    def _set_busy(self, busy: bool, text: str, error: bool = False) -> None:
        self.busy = busy
        self.status.setStyleSheet("color: #b00020;" if error else "")
        self.status.setText(text)
        self.refresh_button.setEnabled(not busy)
        self._selection_changed()

    def _selection_changed(self) -> None:
        pair = self.current()
        for button in (self.keep_left, self.keep_right, self.not_same):
            button.setEnabled(pair is not None and not self.busy)
        if pair is None:
            self.left_text.setText("")
            self.right_text.setText("")
            return
        self.left_text.setText(side_html(pair.left))
        self.right_text.setText(side_html(pair.right))
