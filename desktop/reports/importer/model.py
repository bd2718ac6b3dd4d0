"""The plan's data: each source row with its fate, the households, the sheets.

A row's **fate** says how it was read: ``imported``, ``repaired`` (imported with a value the
user should check), ``skipped`` (not a person's row: title, heading, blank, totals,
signatures...) or ``error`` (nothing of it is imported). Its **change** says what committing
does with a person's row: ``new``, ``changed`` (only the differing fields written) or
``unchanged`` (nothing written).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.reports.importer import layout
from desktop.reports.importer.hamlets import UnknownHamlet
from desktop.reports.importer.layout import FIELD_LABELS
from desktop.reports.importer.reading import Workbook
from desktop.reports.importer.repairs import LegacyText

IMPORTED, REPAIRED, SKIPPED, ERROR = "imported", "repaired", "skipped", "error"
NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
FATES_VI = {IMPORTED: "Nhập", REPAIRED: "Nhập (đã sửa)", SKIPPED: "Bỏ qua", ERROR: "Lỗi"}
CHANGES_VI = {NEW: "mới", CHANGED: "thay đổi", UNCHANGED: "không đổi"}
REQUIRED_COLUMNS = ("full_name", "address")
PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000"
HEAD_MEMBERS, BY_KEY, BY_ADDRESS = "head_members", "by_key", "by_address"
_PERSON_FIELDS = ("full_name", "birth_date", "sex", "cccd", "phone", "relation", "note")


@dataclass(eq=False)
class RowResult:
    sheet: str
    line: int  # the row number the user sees in the sheet
    kind: str  # layout.DATA, BLANK, TITLE...
    fate: str = IMPORTED
    values: dict[str, Any] = field(default_factory=dict)  # field -> the cell (after conversion)
    legacy: dict[str, str] = field(default_factory=dict)  # field -> its legacy text
    errors: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    person: dict[str, Any] = field(default_factory=dict)  # wire fields of the person
    household: PlannedHousehold | None = None
    change: str | None = None  # NEW, CHANGED or UNCHANGED once matched with the store
    changed_fields: dict[str, Any] = field(default_factory=dict)
    person_id: str | None = None  # the stored person this row is
    address: str | None = None
    hamlet: str | None = None  # the hamlet cell's text
    phone: str | None = None
    household_key: str | None = None

    @property
    def status(self) -> str:
        return self.fate

    @property
    def valid(self) -> bool:
        return self.fate in (IMPORTED, REPAIRED)

    def problems(self) -> str:
        return "; ".join(self.errors + self.repairs + self.notes)


@dataclass(eq=False)
class PlannedHousehold:
    sheet: str
    first_line: int
    hamlet_id: str | None
    hamlet_source: str  # "cell", "section", "sheet", "above" or "default"
    address: str
    phone: str | None = None
    head_line: int | None = None
    rows: list[RowResult] = field(default_factory=list)
    existing_id: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None  # why its rows cannot be imported (unknown hamlet...)
    unknown_key: str | None = None  # the unknown hamlet it waits for

    @property
    def valid_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.valid]

    @property
    def lines(self) -> list[int]:
        return [r.line for r in self.valid_rows]

    @property
    def members(self) -> list[dict[str, Any]]:
        return [r.person for r in self.valid_rows]


@dataclass
class SheetPlan:
    name: str
    heading_line: int | None = None
    mapping: dict[int, str | None] = field(default_factory=dict)
    headings: list[str] = field(default_factory=list)
    legacy: LegacyText | None = None
    layout: str | None = None
    hamlet_id: str | None = None  # the hamlet the sheet's name names
    hamlet_name: str | None = None
    note_vi: str | None = None  # why the sheet was left out, when it was
    sample: list[Any] = field(default_factory=list)  # the first person's row, for the mapping

    @property
    def missing_fields(self) -> list[str]:
        mapped = set(self.mapping.values())
        missing = [f for f in REQUIRED_COLUMNS if f not in mapped]
        return missing


@dataclass
class ImportPlan:
    workbook: Workbook
    sheets: list[SheetPlan]
    rows: list[RowResult]
    households: list[PlannedHousehold]
    unknown_hamlets: list[UnknownHamlet]
    can_create_hamlets: bool
    hamlet_names: dict[str, str] = field(default_factory=dict)

    @property
    def table(self) -> Workbook:  # the name earlier callers used
        return self.workbook

    @property
    def valid_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.valid]

    @property
    def error_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.fate == ERROR]

    @property
    def repaired_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.fate == REPAIRED]

    @property
    def skipped_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.fate == SKIPPED]

    def count(self, change: str) -> int:
        return sum(r.change == change for r in self.rows if r.valid)

    @property
    def new_households(self) -> list[PlannedHousehold]:
        return [h for h in self.households if h.existing_id is None and h.valid_rows]

    @property
    def person_count(self) -> int:
        return self.count(NEW) + self.count(CHANGED)

    @property
    def writes(self) -> bool:
        """Whether committing would write anything."""
        return self.person_count > 0 or any(h.changes for h in self.households)

    @property
    def missing_fields(self) -> list[str]:
        planned = [s for s in self.sheets if s.heading_line is not None]
        return sorted({f for s in planned for f in s.missing_fields}, key=list(FIELD_LABELS).index)

    def summary_vi(self) -> str:
        read = sum(r.kind == layout.DATA for r in self.rows)
        sheets = [s for s in self.sheets if s.heading_line is not None]
        return (
            f"Tệp {self.workbook.path.name}: {len(sheets)} trang có danh sách, {read} dòng người. "
            f"Sẽ nhập {self.count(NEW)} người mới ({len(self.new_households)} hộ mới), "
            f"cập nhật {self.count(CHANGED)} người đã có, {self.count(UNCHANGED)} người không "
            f"đổi; {len(self.repaired_rows)} dòng đã sửa, {len(self.error_rows)} dòng lỗi "
            f"(không nhập), {len(self.skipped_rows)} dòng bỏ qua."
        )
