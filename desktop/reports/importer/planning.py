"""Planning: every row of every sheet gets its fate, and the persons their households.

For each sheet: legacy text converted (:func:`repairs.convert_legacy`), merged cells filled in,
the heading found and the columns mapped (:mod:`layout`); then row by row:

* title, date, heading, column-number, blank, totals and signature rows are **skipped**, each
  with its reason; a row naming a hamlet between households ("ẤP LONG HÒA") sets the hamlet of
  the households under it;
* a person's row is **imported**, **repaired** (imported with a value the user should check:
  a CCCD's lost zero put back, a two-digit year, a phone number left out...) or an **error**
  (nothing of it is imported; the messages say why, in Vietnamese).

Households, when the list has a relation column (the head-and-members layout): a head
("Chủ hộ") starts a household with the row's address, hamlet and phone; the rows under it
("Vợ", "Con", "Mẹ"...) join it, their blank address, hamlet and phone carried down, until the
next head or a blank row. A member's row with no head above it is an error that says so.
Without a relation column: by the household column when there is one, else by address, a blank
address carrying down the one above.

The hamlet of a household: its own cell, else the hamlet row above it, else the sheet's name
when it names a hamlet, else the hamlet of the household above in the sheet (a merged column),
else the one chosen in the dialog. Unknown hamlets wait for the user's choice (:mod:`hamlets`).

Last, :mod:`matching` finds the persons and households the store already has, so a list
imported again updates them instead of adding them twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from desktop.reports.importer import layout, matching, repairs
from desktop.reports.importer.hamlets import PLACEHOLDER, Hamlets
from desktop.reports.importer.layout import FIELD_LABELS, Heading
from desktop.reports.importer.model import (
    BY_ADDRESS,
    BY_KEY,
    ERROR,
    HEAD_MEMBERS,
    PLACEHOLDER_ID,
    REPAIRED,
    SKIPPED,
    ImportPlan,
    PlannedHousehold,
    RowResult,
    SheetPlan,
)
from desktop.reports.importer.reading import ImportFileError, Sheet, Workbook
from desktop.reports.importer.repairs import present
from gocua.catalogue import Catalogue, default_catalogue
from gocua.protocol import check_fields, label_vi
from gocua.text import fold, match_key
from gocua.validation import FieldError, birth_year_of

# -- planning ------------------------------------------------------------------------------------


def plan_import(
    conn: Connection,
    workbook: Workbook,
    *,
    hamlet_id: str | None = None,
    mappings: dict[str, dict[int, str | None]] | None = None,
    hamlet_choices: dict[str, str] | None = None,
    catalogue: Catalogue | None = None,
    today: dt.date | None = None,
) -> ImportPlan:
    """The plan for ``workbook``: ``hamlet_id`` is the hamlet of households nothing else
    places; ``mappings`` the user's column mapping per sheet name; ``hamlet_choices`` what
    each unknown hamlet (by :func:`gocua.areas.area_key`) becomes: an existing hamlet's id or
    :data:`hamlets.CREATE`."""
    catalogue = catalogue or default_catalogue()
    today = today or dt.date.today()
    hamlets = Hamlets(conn, hamlet_choices)
    if hamlet_id is not None and hamlet_id not in hamlets.names:
        raise ImportFileError(
            f"Không có ấp/thôn mã {hamlet_id} trong dữ liệu", f"no hamlet {hamlet_id}"
        )
    planner = _Planner(hamlets, hamlet_id, today, catalogue, workbook.kind == "csv")
    sheets = [planner.sheet(sheet, (mappings or {}).get(sheet.name)) for sheet in workbook.sheets]
    planner.finish_hamlets()
    matching.match(conn, planner.households, planner.rows)
    return ImportPlan(
        workbook,
        sheets,
        planner.rows,
        planner.households,
        list(hamlets.unknown.values()),
        hamlets.local,
        dict(hamlets.known),
    )


def _labelled(error: FieldError) -> str:
    """The message with the column's name in front, unless the message already names it."""
    label = FIELD_LABELS.get(error.field, label_vi(error.field))
    if error.message_vi.casefold().startswith(label.casefold()):
        return error.message_vi
    return f"{label}: {error.message_vi}"


class _Planner:
    def __init__(self, hamlets: Hamlets, default: str | None, today, catalogue, csv: bool):
        self.hamlets = hamlets
        self.default = default
        self.today = today
        self.catalogue = catalogue
        self.csv = csv
        self.rows: list[RowResult] = []
        self.households: list[PlannedHousehold] = []
        self._checked_households: dict[tuple, list[str]] = {}

    # -- one sheet -------------------------------------------------------------------------

    def sheet(self, sheet: Sheet, mapping: dict[int, str | None] | None) -> SheetPlan:
        plan = SheetPlan(sheet.name)
        if sheet.hidden:
            plan.note_vi = "Trang ẩn: bỏ qua"
            return plan
        rows = [list(r) for r in sheet.rows]
        plan.legacy = repairs.convert_legacy(rows)
        _fill_merges(rows, sheet.merges)
        heading = layout.find_heading(rows)
        if heading is None:
            plan.note_vi = (
                "Không thấy hàng tiêu đề cột (Họ và tên, Ngày sinh, Địa chỉ…): trang này "
                "không được nhập"
            )
            return plan
        plan.heading_line = heading.index + 1
        plan.mapping = (
            dict(mapping) if mapping is not None else layout.default_mapping(rows, heading)
        )
        plan.headings = layout.column_headings(rows, heading)
        mapped = set(plan.mapping.values())
        plan.layout = (
            HEAD_MEMBERS
            if "relation" in mapped
            else BY_KEY
            if "household_key" in mapped
            else BY_ADDRESS
        )
        found = self.hamlets.find(sheet.name)
        if found is not None:
            plan.hamlet_id, plan.hamlet_name = found, self.hamlets.name_of(found)
        elif _names_a_hamlet(sheet.name):
            plan.hamlet_name = " ".join(sheet.name.split())
        self._rows(sheet, rows, heading, plan)
        return plan

    def _rows(self, sheet: Sheet, rows: list[list[Any]], heading: Heading, plan: SheetPlan):
        mapping = plan.mapping
        name_col = next((c for c, f in mapping.items() if f == "full_name"), None)
        columns = [(c, f) for c, f in mapping.items() if f]
        details = [c for c, f in columns if f not in ("full_name", "note", "hamlet", "address")]
        known = self.hamlets.keys()
        state = _SheetState(plan)
        footer = False
        for index, cells in enumerate(rows):
            line = sheet.row_number(index)
            if index < heading.index:
                kind = layout.BLANK if not any(present(v) for v in cells) else layout.TITLE
                reason = layout.title_reason(cells) if kind == layout.TITLE else None
                self._skip(sheet.name, line, kind, reason)
                continue
            if index <= heading.last_index:
                numbers = index not in (heading.index, heading.sub_index)
                self._skip(sheet.name, line, layout.NUMBERS if numbers else layout.HEADING)
                continue
            name = cells[name_col] if name_col is not None and name_col < len(cells) else None
            if layout.match_heading(name) == "full_name" and (
                len(layout.heading_fields(cells)) >= layout.MIN_FIELDS
            ):
                self._skip(sheet.name, line, layout.HEADING, "Hàng tiêu đề cột (lặp lại)")
                state.current, footer = None, False
                continue
            kind, section = layout.row_kind(cells, name_col, known, details)
            if footer and kind in (layout.DATA, layout.TOTALS):
                kind = layout.SIGNATURE
            if kind == layout.SECTION:
                state.section = section
                state.current = None
                footer = False
                self._skip(
                    sheet.name, line, kind, f"Dòng tên ấp: các hộ bên dưới thuộc “{section}”"
                )
                continue
            if kind != layout.DATA:
                state.current = None
                footer = footer or kind == layout.SIGNATURE
                self._skip(sheet.name, line, kind)
                continue
            values = {f: cells[c] for c, f in columns if c < len(cells) and present(cells[c])}
            if not values:
                self._skip(sheet.name, line, layout.BLANK, "Dòng không có thông tin của người")
                state.current = None
                continue
            row = RowResult(sheet.name, line, kind, values=values)
            for c, f in columns:
                original = plan.legacy.converted.get((index, c)) if plan.legacy else None
                if original is not None:
                    row.legacy[f] = original
            if not plan.sample:
                plan.sample = list(cells)
            self.rows.append(row)
            self._person(row)
            self._place(row, state)
            self._validate(row)

    def _skip(self, sheet: str, line: int, kind: str, reason: str | None = None) -> None:
        row = RowResult(sheet, line, kind, SKIPPED)
        row.notes.append(reason or layout.SKIP_REASONS_VI.get(kind, "Bỏ qua"))
        self.rows.append(row)

    # -- one person's row ----------------------------------------------------------------------

    def _person(self, row: RowResult) -> None:
        v, person = row.values, row.person
        errors, fixes = row.errors, row.repairs

        def attempt(fn, *args):
            try:
                return fn(*args)
            except FieldError as error:
                errors.append(_labelled(error))
                return None

        if "full_name" not in v:
            errors.append("Thiếu họ và tên")
        else:
            name = attempt(repairs.clean_name, v["full_name"])
            if name:
                person["full_name"] = name
        birth_cell = v.get("birth_date")
        sex = attempt(repairs.parse_sex, v.get("sex"))
        male, female = v.get("male"), v.get("female")
        if male is not None and female is not None:
            errors.append("Cả cột Nam và cột Nữ đều có giá trị: không rõ giới tính")
        elif male is not None or female is not None:
            by_column = "m" if male is not None else "f"
            if sex is not None and sex != by_column:
                errors.append("Giới tính không khớp với cột Nam/Nữ")
            sex = by_column
            cell = male if male is not None else female
            if not repairs.is_mark(cell):
                if birth_cell is not None:
                    errors.append("Có cả cột Ngày sinh và năm sinh ở cột Nam/Nữ")
                birth_cell = cell
        if sex:
            person["sex"] = sex
        birth = attempt(repairs.read_birth, birth_cell, self.today)
        if birth and birth[0]:
            person["birth_date"] = birth[0]
            if birth[1]:
                fixes.append(f"Ngày sinh: {birth[1]}")
        relation = attempt(repairs.relation_of, v.get("relation"))
        if relation:
            person["relation"] = relation
        if "cccd" in v:
            number = repairs.is_number_cell(v["cccd"], self.csv)
            cccd = attempt(repairs.repair_cccd, v["cccd"], number)
            if cccd:
                if cccd[0]:
                    person["cccd"] = cccd[0]
                if cccd[1]:
                    fixes.append(cccd[1])
        if "phone" in v:
            phone, note = repairs.repair_phone(v["phone"])
            if phone:
                person["phone"] = row.phone = phone
            if note:
                fixes.append(note)
        if "note" in v:
            person["note"] = repairs.clean_text(v["note"])
        if "address" in v:
            row.address = repairs.clean_text(v["address"])
        if "hamlet" in v:
            row.hamlet = repairs.clean_text(v["hamlet"])
        if "household_key" in v:
            row.household_key = repairs.clean_text(v["household_key"])

    # -- which household ---------------------------------------------------------------------

    def _place(self, row: RowResult, state: _SheetState) -> None:
        plan = state.plan
        relation = row.person.get("relation")
        current = state.current
        if plan.layout == HEAD_MEMBERS:
            starts = relation == "head" or (
                relation is None
                and row.address is not None
                and (current is None or match_key(row.address) != match_key(current.address))
            )
            if not starts:
                if current is None:
                    word = repairs.clean_text(row.values.get("relation") or "")
                    said = f" (“{word}”)" if word else ""
                    row.errors.append(
                        f"Dòng thành viên{said} nằm trước mọi chủ hộ: không biết thuộc hộ nào "
                        "(hãy ghi “Chủ hộ” cho người đứng đầu hộ ở dòng trên)"
                    )
                    return
                self._join(row, current)
                return
            state.current = self._new_household(row, state)
            return
        if plan.layout == BY_KEY and row.household_key:
            hamlet = self._hamlet(row, state)
            key = (BY_KEY, hamlet[0] or hamlet[2], fold(row.household_key))
            found = state.by_key.get(key)
            if found is not None and (row.address is None or found.address):
                self._join(row, found)
                state.current = found
                return
            state.current = self._new_household(row, state, hamlet)
            if state.current is not None:
                state.by_key[key] = state.current
            return
        if row.address is None:
            if current is None:
                row.errors.append("Thiếu địa chỉ (và không có hộ ở dòng ngay trên)")
                return
            self._join(row, current)
            return
        hamlet = self._hamlet(row, state)
        key = (BY_ADDRESS, hamlet[0] or hamlet[2], match_key(row.address))
        found = state.by_key.get(key)
        if found is not None:
            self._join(row, found)
            state.current = found
            return
        state.current = self._new_household(row, state, hamlet)
        if state.current is not None:
            state.by_key[key] = state.current

    def _hamlet(self, row: RowResult, state: _SheetState) -> tuple[str | None, str, str | None]:
        """(hamlet id or None, where it came from, the unknown hamlet's key or None)."""
        plan = state.plan
        for source, name in (("cell", row.hamlet), ("section", state.section)):
            if name:
                found, unknown = self.hamlets.resolve(name, plan.name)
                return found, source, unknown.key if unknown else None
        if plan.hamlet_id:
            return plan.hamlet_id, "sheet", None
        if plan.hamlet_name:
            found, unknown = self.hamlets.resolve(plan.hamlet_name, plan.name)
            return found, "sheet", unknown.key if unknown else None
        if state.last_hamlet is not None:
            return state.last_hamlet
        return self.default, "default", None

    def _new_household(
        self, row: RowResult, state: _SheetState, hamlet=None
    ) -> PlannedHousehold | None:
        hamlet_id, source, unknown_key = hamlet or self._hamlet(row, state)
        if source != "default":  # the next household without a hamlet of its own takes it
            state.last_hamlet = (hamlet_id, "above", unknown_key)
        if row.address is None:
            row.errors.append("Thiếu địa chỉ của hộ")
            return None
        household = PlannedHousehold(row.sheet, row.line, hamlet_id, source, row.address, row.phone)
        if row.person.get("relation") == "head":
            household.head_line = row.line
        if hamlet_id is None:
            if unknown_key is not None:
                name = self.hamlets.unknown[unknown_key].name
                household.problem = (
                    f"Ấp “{name}” chưa có trong xã: chọn ấp tương ứng hoặc tạo ấp mới "
                    "(bảng Ấp trong tệp)"
                )
            else:
                household.problem = "Chưa rõ ấp/thôn (không có cột Ấp/Thôn; hãy chọn ấp mặc định)"
        else:
            problems = self._household_problems(hamlet_id, row.address)
            if problems:
                household.problem = "; ".join(problems)
        household.unknown_key = unknown_key
        self.households.append(household)
        self._join(row, household, first=True)
        return household

    def _household_problems(self, hamlet_id: str, address: str) -> list[str]:
        key = (hamlet_id, address)
        if key not in self._checked_households:
            check_id = PLACEHOLDER_ID if hamlet_id.startswith(PLACEHOLDER) else hamlet_id
            _, problems = check_fields(
                "households",
                PLACEHOLDER_ID,
                {"hamlet_id": check_id, "address": address},
                catalogue=self.catalogue,
            )
            self._checked_households[key] = [_labelled(p) for p in problems]
        return self._checked_households[key]

    def _join(self, row: RowResult, household: PlannedHousehold, first: bool = False) -> None:
        row.household = household
        household.rows.append(row)
        if first:
            return
        if row.address and match_key(row.address) != match_key(household.address):
            row.notes.append(
                f"Địa chỉ khác với chủ hộ ở dòng {household.first_line}: vẫn xếp vào hộ này"
            )
        if household.phone is None and row.phone:
            household.phone = row.phone

    # -- checks ---------------------------------------------------------------------------------

    def _validate(self, row: RowResult) -> None:
        household = row.household
        if household is not None and household.problem:
            row.errors.append(household.problem)
        if not row.errors:
            clean, problems = check_fields(
                "persons",
                PLACEHOLDER_ID,
                {**row.person, "household_id": PLACEHOLDER_ID},
                catalogue=self.catalogue,
            )
            row.errors.extend(_labelled(p) for p in problems)
            clean.pop("household_id", None)
            row.person = {k: v for k, v in clean.items() if v is not None}
        if row.errors:
            row.fate = ERROR
        elif row.repairs:
            row.fate = REPAIRED

    def finish_hamlets(self) -> None:
        for household in self.households:
            key = household.unknown_key
            if key is not None:
                self.hamlets.unknown[key].rows += len(household.rows)
        _check_duplicates(self.rows)


@dataclass
class _SheetState:
    plan: SheetPlan
    current: PlannedHousehold | None = None
    section: str | None = None
    last_hamlet: tuple[str | None, str, str | None] | None = None
    by_key: dict[tuple, PlannedHousehold] = field(default_factory=dict)


def _names_a_hamlet(name: str) -> bool:
    folded = fold(name)
    return folded.startswith(tuple(w + " " for w in layout._SECTION_WORDS))


def _fill_merges(rows: list[list[Any]], merges) -> None:
    """Every cell of a merged range takes the range's value (what the user sees)."""
    for r1, c1, r2, c2 in merges:
        if r1 >= len(rows):
            continue
        top = rows[r1]
        value = top[c1] if c1 < len(top) else None
        if value is None:
            continue
        for r in range(r1, min(r2, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c2:
                row.extend([None] * (c2 + 1 - len(row)))
            for c in range(c1, c2 + 1):
                row[c] = value


def _check_duplicates(rows: list[RowResult]) -> None:
    """The same CCCD twice in the file is an error; the same name and birth year twice in a
    hamlet is said (the second may be another person: it is imported, the leader's duplicate
    check can merge them later)."""
    seen_cccd: dict[str, int] = {}
    seen_names: dict[tuple, RowResult] = {}
    for row in rows:
        if not row.valid:
            continue
        cccd = row.person.get("cccd")
        if cccd:
            if cccd in seen_cccd:
                row.errors.append(f"Trùng số CCCD với dòng {seen_cccd[cccd]}")
                row.fate = ERROR
                continue
            seen_cccd[cccd] = row.line
        year = birth_year_of(row.person.get("birth_date"))
        if year is None or row.household is None:
            continue
        key = (row.household.hamlet_id, fold(row.person["full_name"]), year)
        other = seen_names.get(key)
        if other is None:
            seen_names[key] = row
        elif other.household is row.household:
            row.errors.append(f"Trùng họ tên và năm sinh với dòng {other.line} trong cùng hộ")
            row.fate = ERROR
        else:
            where = f"trang “{other.sheet}” " if other.sheet != row.sheet else ""
            row.notes.append(
                f"Cùng họ tên và năm sinh với {where}dòng {other.line} (cùng ấp): kiểm tra có "
                "trùng người không"
            )
