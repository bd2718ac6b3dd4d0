"""The tables of the commune administration window, as models tested without views: the
commune's hamlets, its users, the audit, and the households of a hamlet being split."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.store.queries import HouseholdRow
from desktop.ui.admin_labels import (
    Directory,
    action_name,
    change_text,
    role_name,
    target_text,
    vietnam_time,
    who_text,
)
from desktop.ui.models import RecordsModel

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's dict (or HouseholdRow)
GREY = QBrush(QColor("#8a8a8a"))
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class _Table(RecordsModel):
    """Rows of dicts, read-only, one header per column; names of users from the directory."""

    def __init__(self, headers: list[str], parent: QObject | None = None):
        super().__init__(headers, parent)
        self.names = Directory()

    def set_items(self, items: list, names: Directory | None = None) -> None:
        if names is not None:
            self.names = names
        self.set_rows(items)

    def row_of(self, item_id: str) -> int:
        return self.row_where(lambda item: item.get("id") == item_id)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        if role == ITEM_ROLE:
            return item
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(item, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and self.greyed(item):
            return GREY
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.numeric:
            return int(RIGHT.value)
        return None

    numeric: tuple[int, ...] = ()

    def text(self, item, column: int) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def greyed(self, item) -> bool:
        return False


class HamletsModel(_Table):
    """The commune's hamlets: name, households, volunteers, whether still in use."""

    numeric = (1, 2)

    def __init__(self, parent: QObject | None = None):
        super().__init__(
            [
                QCoreApplication.translate("AdminModels", "Ấp/thôn"),
                QCoreApplication.translate("AdminModels", "Số hộ"),
                QCoreApplication.translate("AdminModels", "Tình nguyện viên"),
                QCoreApplication.translate("AdminModels", "Tình trạng"),
            ],
            parent,
        )

    def live(self) -> list[dict]:
        return [h for h in self.rows if not h["retired"]]

    def greyed(self, item) -> bool:
        return bool(item["retired"])

    def status(self, hamlet: dict) -> str:
        if not hamlet["retired"]:
            return QCoreApplication.translate("AdminModels", "Đang dùng")
        if hamlet.get("merged_into"):
            return QCoreApplication.translate("AdminModels", "Đã gộp vào %1").replace(
                "%1", self.names.hamlet(hamlet["merged_into"])
            )
        return QCoreApplication.translate("AdminModels", "Đã ngừng dùng")

    def text(self, item, column: int) -> str:
        if column == 0:
            return item["name"]
        if column == 1:
            return str(item.get("households", 0))
        if column == 2:
            return str(item.get("volunteers", 0))
        return self.status(item)


class UsersModel(_Table):
    """The commune's users: login, name, role, hamlets, locked or not."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(
            [
                QCoreApplication.translate("AdminModels", "Tên đăng nhập"),
                QCoreApplication.translate("AdminModels", "Họ tên"),
                QCoreApplication.translate("AdminModels", "Vai trò"),
                QCoreApplication.translate("AdminModels", "Ấp/thôn phụ trách"),
                QCoreApplication.translate("AdminModels", "Tài khoản"),
            ],
            parent,
        )
        self.self_id: str | None = None

    def greyed(self, item) -> bool:
        return not item["active"]

    def text(self, item, column: int) -> str:
        if column == 0:
            if item["id"] == self.self_id:
                return QCoreApplication.translate("AdminModels", "%1 (bạn)").replace(
                    "%1", item["username"]
                )
            return item["username"]
        if column == 1:
            return item["display_name"]
        if column == 2:
            return role_name(item["role"])
        if column == 3:
            if item["role"] != "volunteer":
                return QCoreApplication.translate("AdminModels", "Cả xã")
            return self.names.hamlet_list(item["hamlet_ids"])
        if item["active"]:
            return QCoreApplication.translate("AdminModels", "Đang dùng")
        return QCoreApplication.translate("AdminModels", "Đã khóa")


class AuditModel(_Table):
    """The audit of administration, newest first."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(
            [
                QCoreApplication.translate("AdminModels", "Lúc"),
                QCoreApplication.translate("AdminModels", "Người làm"),
                QCoreApplication.translate("AdminModels", "Việc"),
                QCoreApplication.translate("AdminModels", "Đối tượng"),
                QCoreApplication.translate("AdminModels", "Thay đổi"),
            ],
            parent,
        )

    def text(self, item, column: int) -> str:
        if column == 0:
            return vietnam_time(item.get("at"))
        if column == 1:
            return who_text(item, self.names)
        if column == 2:
            return action_name(item)
        if column == 3:
            return target_text(item, self.names)
        return change_text(item, self.names)


STAY = -1  # a household that stays in the hamlet being split


class SplitModel(QAbstractTableModel):
    """The households of a hamlet being split and the part each goes to (``STAY``: none).

    Column 0 is editable (a combo in the view) and shows the destination's name."""

    def __init__(self, households: list[HouseholdRow], parent: QObject | None = None):
        super().__init__(parent)
        self.households = list(households)
        self.dest = [STAY] * len(self.households)
        self.stay_text = ""
        self.part_names: list[str] = []
        self.headers = [
            QCoreApplication.translate("AdminModels", "Chuyển sang"),
            QCoreApplication.translate("AdminModels", "Địa chỉ"),
            QCoreApplication.translate("AdminModels", "Chủ hộ"),
            QCoreApplication.translate("AdminModels", "Số người"),
        ]

    def set_households(self, households: list[HouseholdRow]) -> None:
        self.beginResetModel()
        self.households = list(households)
        self.dest = [STAY] * len(self.households)
        self.endResetModel()

    def set_names(self, stay_text: str, part_names: list[str]) -> None:
        self.stay_text, self.part_names = stay_text, list(part_names)
        # A part taken away: its households stay until assigned again.
        self.dest = [d if d < len(part_names) else STAY for d in self.dest]
        if self.households:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.households) - 1, 0))

    def destination_text(self, dest: int) -> str:
        return self.stay_text if dest == STAY else self.part_names[dest]

    def assign(self, rows: list[int], dest: int) -> None:
        for row in rows:
            if 0 <= row < len(self.dest):
                self.dest[row] = dest
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), 0))

    def households_of(self, dest: int) -> list[str]:
        return [h.id for h, d in zip(self.households, self.dest, strict=True) if d == dest]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.households)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def flags(self, index: QModelIndex):
        flags = super().flags(index)
        if index.isValid() and index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        household, dest = self.households[index.row()], self.dest[index.row()]
        column = index.column()
        if role == ITEM_ROLE:
            return household
        if role == Qt.ItemDataRole.EditRole and column == 0:
            return dest
        if role == Qt.ItemDataRole.ForegroundRole and column == 0 and dest == STAY:
            return GREY
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(RIGHT.value)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if column == 0:
            return self.destination_text(dest)
        if column == 1:
            return household.address
        if column == 2:
            return household.head_name
        return str(household.members)

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.EditRole:
            return False
        dest = int(value)
        if dest != STAY and not 0 <= dest < len(self.part_names):
            return False
        self.dest[index.row()] = dest
        self.dataChanged.emit(index, index)
        return True
