"""Table models over ids with a row cache (tested without views, see tests/desktop/ui).

- :class:`HouseholdListModel` holds only the ordered ids of a hamlet's households and reads the
  rows of the visible page through a loader, so 30,000 households cost a list of strings.
- :class:`ItemGridModel` is the persons x support items grid of a household page. Live, a
  change calls the service at once; in *draft* mode (the visit dialog) changes are collected
  and handed to ``Services.log_visit`` together.
- :class:`RowsModel` shows a list of dataclass rows through column functions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.services import ItemChange
from desktop.store.queries import HamletRow, HouseholdPage, HouseholdRow, ItemState
from desktop.ui import labels
from gocua.catalogue import Item
from gocua.coverage import household_counts
from gocua.dates import date_text
from gocua.states import OPEN_STATES

Index = QModelIndex | QPersistentModelIndex
STATE_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
_ROOT = QModelIndex()


log = logging.getLogger(__name__)


class RecordsModel(QAbstractTableModel):
    """A read-only list of records under fixed headings: the shape every list of the app
    shares. A subclass says how a record shows, in ``data``."""

    def __init__(self, headers: Sequence[str], parent=None):
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_where(self, matches: Callable[[Any], bool]) -> int:
        """The first row whose record ``matches``; -1 for none."""
        return next((n for n, record in enumerate(self.rows) if matches(record)), -1)

    def remove_where(self, matches: Callable[[Any], bool]) -> bool:
        row = self.row_where(matches)
        if row < 0:
            return False
        self.beginRemoveRows(_ROOT, row, row)
        del self.rows[row]
        self.endRemoveRows()
        return True

    def heading(self, section: int) -> str:
        return self.headers[section]

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.heading(section)
        return None


class RowsModel(RecordsModel):
    """Read-only rows; ``columns`` is a list of (header, function of the row)."""

    def __init__(self, columns: list[tuple[str, Callable[[Any], Any]]], parent=None):
        super().__init__([header for header, _ in columns], parent)
        self.columns = columns
        self.id_of: Callable[[Any], Any] = lambda row: getattr(row, "id", None)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            try:
                value = self.columns[index.column()][1](row)
            except Exception:  # noqa: BLE001 - one bad value must not raise in every repaint
                log.exception("column %d of a list could not be shown", index.column())
                return ""
            return "" if value is None else str(value)
        if role == ID_ROLE:
            return self.id_of(row)
        return None


class HamletModel(QAbstractTableModel):
    """Row 0 is "every hamlet"; then each hamlet with households and headline coverage."""

    def __init__(self, headers: list[str], all_label: str, parent=None):
        super().__init__(parent)
        self.headers = headers
        self.all_label = all_label
        self.hamlets: list[HamletRow] = []
        self.coverage: dict[str, float | None] | None = None  # None: not read yet ("…")

    def set_hamlets(self, hamlets: list[HamletRow]) -> None:
        self.beginResetModel()
        self.hamlets = list(hamlets)
        self.endResetModel()

    def set_coverage(self, coverage: dict[str, float | None]) -> None:
        self.coverage = dict(coverage)
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 2), self.index(self.rowCount() - 1, 2))

    def hamlet_id(self, row: int) -> str | None:
        return None if row <= 0 or row > len(self.hamlets) else self.hamlets[row - 1].id

    def row_of(self, hamlet_id: str | None) -> int:
        for n, hamlet in enumerate(self.hamlets, start=1):
            if hamlet.id == hamlet_id:
                return n
        return 0

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.hamlets) + 1

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else 3

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == ID_ROLE:
            return self.hamlet_id(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if row == 0:
            households = sum(h.households for h in self.hamlets)
            name, key = self.all_label, ""
        else:
            hamlet = self.hamlets[row - 1]
            households, name, key = hamlet.households, hamlet.name, hamlet.id
        if col == 0:
            return name
        if col == 1:
            return f"{households:,}".replace(",", ".")
        if self.coverage is None:
            return "…"
        # A hamlet with nobody eligible yet (a new one) has no figure: "—", not still loading.
        percent = self.coverage.get(key)
        return "—" if percent is None else f"{percent:.0f}%"

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.headers[section]
        return None


class HouseholdListModel(QAbstractTableModel):
    """Ordered household ids; rows read a page at a time through ``loader(ids) -> {id: row}``.

    With ``fetch(loader_call, deliver)`` (the window: a task off the GUI thread) a page not read
    yet shows empty until its rows arrive; without it the loader runs at once (tests, tools).
    A page read before a row was invalidated (written since) never overwrites the newer one.
    """

    PAGE = 100

    def __init__(
        self,
        loader: Callable[[list[str]], dict[str, HouseholdRow]],
        headers: list[str],
        parent=None,
        fetch: Callable[[Callable[[], dict[str, HouseholdRow]], Callable[[dict], None]], None]
        | None = None,
    ):
        super().__init__(parent)
        self.loader = loader
        self.fetch = fetch
        self.headers = headers
        self.ids: list[str] = []
        self.matched: dict[str, str] = {}
        self.cache: dict[str, HouseholdRow] = {}
        self.loads = 0  # pages read, for tests
        self._asked: dict[str, int] = {}  # id -> the request that will bring its row
        self._requests = 0

    def set_ids(self, ids: Sequence[str], matched: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self.ids = list(ids)
        self.matched = dict(matched or {})
        self.cache.clear()
        self._asked.clear()
        self.endResetModel()

    def invalidate(self, household_id: str | None = None) -> None:
        """Forget cached rows (one, or all) so they are read again."""
        if household_id is None:
            self.cache.clear()
            self._asked.clear()
            if self.ids:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, 2))
            return
        self.cache.pop(household_id, None)
        self._asked.pop(household_id, None)
        if household_id in self.ids:
            row = self.ids.index(household_id)
            self.dataChanged.emit(self.index(row, 0), self.index(row, 2))

    def row_of(self, household_id: str) -> int:
        try:
            return self.ids.index(household_id)
        except ValueError:
            return -1

    @property
    def waiting(self) -> bool:
        """Rows asked for and not arrived yet."""
        return bool(self._asked)

    def household(self, row: int) -> HouseholdRow | None:
        if not 0 <= row < len(self.ids):
            return None
        hid = self.ids[row]
        if hid not in self.cache and hid not in self._asked:
            start = (row // self.PAGE) * self.PAGE
            page = [
                i
                for i in self.ids[start : start + self.PAGE]
                if i not in self.cache and i not in self._asked
            ]
            self._request(page)
        return self.cache.get(hid)

    def _request(self, page: list[str]) -> None:
        self._requests += 1
        number = self._requests
        for hid in page:
            self._asked[hid] = number
        self.loads += 1
        loader = self.loader
        if self.fetch is None:
            self._arrived(number, loader(page))
        else:
            self.fetch(lambda: loader(page), lambda rows: self._arrived(number, rows))

    def _arrived(self, number: int, rows: dict[str, HouseholdRow]) -> None:
        fresh = [hid for hid, asked in self._asked.items() if asked == number]
        changed = []
        for hid in fresh:
            del self._asked[hid]
            if hid in rows:
                self.cache[hid] = rows[hid]
                changed.append(hid)
        if changed and self.fetch is not None:
            # A page is contiguous and kept in list order: from its first row to its last.
            first = self.row_of(changed[0])
            if first >= 0:
                wanted = set(changed)
                span = self.ids[first : first + self.PAGE]
                last = first + max(n for n, hid in enumerate(span) if hid in wanted)
                self.dataChanged.emit(self.index(first, 0), self.index(last, 2))

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else 3

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == ID_ROLE:
            return self.ids[index.row()]
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.TextAlignmentRole,
        ):
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if index.column() == 2:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        row = self.household(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#888888")) if row.status != "active" else None
        col = index.column()
        if col == 0:
            if role == Qt.ItemDataRole.ToolTipRole and row.status != "active":
                return f"{row.address} ({labels.household_status_name(row.status)})"
            return row.address
        if col == 1:
            return self.matched.get(row.id) or row.head_name
        return str(row.members)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


@dataclass(frozen=True)
class Subject:
    type: str  # "person" | "household"
    id: str
    label: str
    eligible: frozenset[str]  # item codes this subject can have


class ItemGridModel(QAbstractTableModel):
    """Subjects (rows) x items (columns); the cell's state by text and colour.

    ``setData(index, state)`` changes a cell. Live: ``on_change(ItemChange)`` is called (the
    service; it may raise ValidationFailed) and the page is updated. Draft: the change is kept
    in :attr:`draft` until :meth:`changes` is read.
    """

    def __init__(
        self,
        page: HouseholdPage,
        subjects: list[Subject],
        items: Sequence[Item],
        on_change: Callable[[ItemChange], None] | None = None,
        draft: bool = False,
        parent=None,
    ):
        super().__init__(parent)
        self.page = page
        self.subjects = subjects
        self.items = list(items)
        self.on_change = on_change
        self.is_draft = draft
        self.draft: dict[tuple[str, str], str] = {}
        self.reasons: dict[tuple[str, str], str | None] = {}
        self.reason_names: dict[str, str] = {}  # code -> name, for tooltips

    def reset(self, page: HouseholdPage, subjects: list[Subject]) -> None:
        """Show another household (cheaper for the view than a new model)."""
        self.beginResetModel()
        self.page = page
        self.subjects = subjects
        self.draft.clear()
        self.reasons.clear()
        self.endResetModel()

    # -- reading ----------------------------------------------------------------------------

    def current(self, row: int, col: int) -> str:
        return self.page.state_of(self.subjects[row].id, self.items[col].code)

    def effective(self, row: int, col: int) -> str:
        key = (self.subjects[row].id, self.items[col].code)
        return self.draft.get(key) or self.current(row, col)

    def eligible(self, row: int, col: int) -> bool:
        return self.items[col].code in self.subjects[row].eligible

    def changes(self) -> list[ItemChange]:
        kinds = {s.id: s.type for s in self.subjects}
        return [
            ItemChange(kinds[sid], sid, code, state, self.reasons.get((sid, code)))
            for (sid, code), state in self.draft.items()
        ]

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.subjects)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.items)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and self.eligible(index.row(), index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        eligible = self.eligible(row, col)
        state = self.effective(row, col)
        changed = (self.subjects[row].id, self.items[col].code) in self.draft
        if role == Qt.ItemDataRole.DisplayRole:
            if not eligible:
                return "—"
            return ("→ " if changed else "") + labels.state_short(state)
        if role == STATE_ROLE:
            return state if eligible else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(labels.state_colour(state)) if eligible else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if not eligible:
                return QBrush(QColor("#9a9a9a"))
            # In a visit, what the person still lacks stands out; what is settled recedes.
            if self.is_draft and not changed and state not in OPEN_STATES:
                return QBrush(QColor("#6b6b6b"))
            return QBrush(QColor("#1a1a1a"))
        if role == Qt.ItemDataRole.FontRole and (
            changed or (self.is_draft and eligible and state in OPEN_STATES)
        ):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            item = self.items[col]
            text = f"{self.subjects[row].label} · {labels.item_name(item)}"
            if not eligible:
                return text
            text += f": {labels.state_name(state)}"
            key = (self.subjects[row].id, item.code)
            found = self.page.states.get(key)
            reason = self.reasons.get(key) if changed else (found.reason if found else None)
            if reason:
                text += f" — {self.reason_names.get(reason, reason)}"
            if found and found.since and not changed:
                text += f" ({date_text(found.since)})"
            return text
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            item = self.items[section]
            short = labels.item_short(item)
            if role == Qt.ItemDataRole.ToolTipRole:
                return labels.item_name(item)
            return short.replace(" ", "\n", 1) if len(short) > 9 else short
        return self.subjects[section].label

    # -- writing ----------------------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role not in (Qt.ItemDataRole.EditRole, STATE_ROLE):
            return False
        row, col = index.row(), index.column()
        value, reason = value if isinstance(value, tuple) else (value, None)
        if not self.eligible(row, col) or value not in labels.STATE_COLOURS:
            return False
        subject, item = self.subjects[row], self.items[col]
        key = (subject.id, item.code)
        found = self.page.states.get(key)
        unchanged = value == self.current(row, col) and reason == (found.reason if found else None)
        if self.is_draft:
            if unchanged:
                self.draft.pop(key, None)
                self.reasons.pop(key, None)
            else:
                self.draft[key] = value
                self.reasons[key] = reason
        else:
            if unchanged:
                return False
            if self.on_change is not None:
                self.on_change(ItemChange(subject.type, subject.id, item.code, value, reason))
            self.page.states[key] = ItemState(value, reason, None)
        self.dataChanged.emit(index, index)
        return True

    def revert_cell(self, index: Index) -> None:
        if index.isValid() and self.is_draft:
            key = (self.subjects[index.row()].id, self.items[index.column()].code)
            self.reasons.pop(key, None)
            if self.draft.pop(key, None) is not None:
                self.dataChanged.emit(index, index)


def person_subjects(page: HouseholdPage, items: Sequence[Item], ref_year: int) -> list[Subject]:
    return [
        Subject(
            "person",
            p.id,
            p.full_name,
            frozenset(i.code for i in items if page.eligible(p, i, ref_year)),
        )
        for p in page.persons
    ]


def household_subject(page: HouseholdPage, items: Sequence[Item], label: str) -> list[Subject]:
    counts = household_counts(page.status)
    eligible = frozenset(i.code for i in items) if counts else frozenset()
    return [Subject("household", page.id, label, eligible)]
