"""Importing the household lists communes already keep in spreadsheets (XLSX or CSV).

Three steps, so the app can show a preview and let the user correct the column mapping:

1. :func:`read_table` reads the file into a grid of cell values (merged cells filled in, the
   file type checked by its content, not its name) and finds the heading row.
2. :func:`plan_import` maps the columns (Vietnamese headings, accents optional), parses each
   row (dates as text or Excel serial numbers, CCCD that lost its leading zero, phone numbers,
   sex and relation words), validates with the core's rules, finds duplicates (same CCCD; same
   folded name and birth year in the hamlet, in the file or already in the data) and groups the
   persons into households (by a household column when there is one, else by hamlet and
   address). Every row gets its problems in Vietnamese.
3. :func:`commit_plan` writes exactly the valid rows through the services, in one transaction:
   all or nothing, with the outbox entries that make them sync.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from gocua.catalogue import Catalogue, default_catalogue
from gocua.protocol import check_fields, label_vi
from gocua.text import fold, normalize_name
from gocua.validation import (
    FieldError,
    ValidationFailed,
    birth_year_of,
    normalize_phone,
    parse_birth_date,
)

# The fields a column can map to, with the heading shown for them.
FIELD_LABELS: dict[str, str] = {
    "full_name": "Họ và tên",
    "birth_date": "Ngày sinh",
    "sex": "Giới tính",
    "cccd": "Số CCCD",
    "relation": "Quan hệ với chủ hộ",
    "address": "Địa chỉ",
    "hamlet": "Ấp/Thôn",
    "phone": "Số điện thoại",
    "household_key": "Mã hộ",
    "note": "Ghi chú",
}
# Folded headings (and common variants) for each field; matched whole, then as a prefix.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "full_name": (
        "ho va ten",
        "ho ten",
        "ten",
        "ho va ten nhan khau",
        "ten nhan khau",
        "full name",
        "name",
        "ho va ten thanh vien",
        "ten chu ho",
        "ho ten chu ho",
        "ho va ten chu ho",
    ),
    "birth_date": (
        "ngay sinh",
        "ngay thang nam sinh",
        "nam sinh",
        "ngay/thang/nam sinh",
        "sinh ngay",
        "date of birth",
        "birth date",
        "ns",
    ),
    "sex": ("gioi tinh", "gioi", "phai", "sex", "gender", "nam/nu"),
    "cccd": (
        "so cccd",
        "cccd",
        "so can cuoc",
        "can cuoc cong dan",
        "so dinh danh",
        "so dinh danh ca nhan",
        "ma dinh danh",
        "so cccd/cmnd",
        "cccd/cmnd",
        "cmnd/cccd",
        "so cmnd/cccd",
        "can cuoc",
    ),
    "relation": ("quan he voi chu ho", "quan he", "quan he chu ho", "qh voi chu ho", "relation"),
    "address": (
        "dia chi",
        "so nha",
        "dia chi thuong tru",
        "noi o",
        "noi o hien nay",
        "dia chi cu tru",
        "address",
    ),
    "hamlet": (
        "ap/thon",
        "ap",
        "thon",
        "ap thon",
        "khu pho",
        "to dan pho",
        "thon/ap",
        "ap/khu pho",
        "thon/xom",
        "hamlet",
    ),
    "phone": ("so dien thoai", "dien thoai", "sdt", "so dt", "dt", "phone", "di dong"),
    "household_key": ("ma ho", "so ho", "so ho khau", "ma ho gia dinh", "ho so", "household"),
    "note": ("ghi chu", "note"),
}
IGNORED_HEADINGS = ("stt", "tt", "so tt", "so thu tu")
HEADER_SCAN_ROWS = 20
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
EXCEL_EPOCH = dt.date(1899, 12, 30)

_SEX = {
    "nam": "m",
    "m": "m",
    "male": "m",
    "trai": "m",
    "nu": "f",
    "f": "f",
    "female": "f",
    "gai": "f",
    "x": None,
}
_RELATION = {
    "chu ho": "head",
    "chu": "head",
    "head": "head",
    "ch": "head",
    "vo": "spouse",
    "chong": "spouse",
    "vo/chong": "spouse",
    "spouse": "spouse",
    "con": "child",
    "con trai": "child",
    "con gai": "child",
    "con de": "child",
    "con nuoi": "child",
    "child": "child",
    "cha": "parent",
    "me": "parent",
    "bo": "parent",
    "bo de": "parent",
    "me de": "parent",
    "cha de": "parent",
    "parent": "parent",
    "ba": "parent",
    "ma": "parent",
    "chau": "grandchild",
    "chau noi": "grandchild",
    "chau ngoai": "grandchild",
    "grandchild": "grandchild",
}
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})$")
_MY = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_SPACES = re.compile(r"[\s.\-'’`]")
_YEAR = re.compile(r"\d{4}")
_SERIAL = re.compile(r"\d{5}(\.0+)?")
_NUMBER_TEXT = re.compile(r"\d+\.0+")
_SCIENTIFIC = re.compile(r"\d+(\.\d+)?[eE]\+?\d+")
_LETTER = re.compile(r"[^\W\d_]")


class ImportFileError(Exception):
    """The file cannot be read as a table; ``message_vi`` says why, for the user."""

    def __init__(self, message_vi: str, message_en: str):
        super().__init__(f"{message_en} / {message_vi}")
        self.message_vi = message_vi
        self.message_en = message_en


# -- reading the file ---------------------------------------------------------------------------


@dataclass
class RawTable:
    path: Path
    cells: list[list[Any]]  # every row of the sheet, merged cells filled in
    row_numbers: list[int]  # the row number the user sees (1-based) for each row of ``cells``
    header_index: int  # index in ``cells`` of the heading row
    sheet: str = ""

    @property
    def headings(self) -> list[str]:
        return [_heading_text(v) for v in self.cells[self.header_index]]

    @property
    def data(self) -> list[tuple[int, list[Any]]]:
        start = self.header_index + 1
        # A second heading row under merged headings (e.g. "Nam | Nữ" under "Giới tính").
        if start < len(self.cells) and _heading_score(self.cells[start]) >= 2:
            start += 1
        return list(zip(self.row_numbers[start:], self.cells[start:], strict=True))


def _heading_text(value: Any) -> str:
    return "" if value is None else normalize_name(str(value))


def sniff_kind(path: Path) -> str:
    """``"xlsx"`` or ``"csv"`` by the file's first bytes; :class:`ImportFileError` otherwise."""
    try:
        head = path.read_bytes()[:8]
    except OSError as exc:
        raise ImportFileError(
            f"Không mở được tệp {path.name}: {exc.strerror}", f"cannot open {path.name}: {exc}"
        ) from exc
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        raise ImportFileError(
            f"Tệp {path.name} là định dạng Excel cũ (.xls). Hãy mở bằng Excel và lưu lại "
            "thành .xlsx (Excel Workbook) rồi nhập lại.",
            f"{path.name} is an old .xls workbook; save it as .xlsx first",
        )
    if b"\x00" in head or head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"%PDF", b"GIF8")):
        raise ImportFileError(
            f"Tệp {path.name} không phải bảng tính Excel (.xlsx) hay tệp CSV "
            "(có thể là ảnh hoặc tài liệu đã bị đổi đuôi). Hãy chọn đúng tệp danh sách.",
            f"{path.name} is neither an .xlsx workbook nor a CSV file",
        )
    return "csv"


def read_table(path: Path | str) -> RawTable:
    path = Path(path)
    kind = sniff_kind(path)
    if kind == "xlsx":
        try:
            cells, numbers, sheet = _read_xlsx_fast(path)
        except (
            _FastReaderError,
            zipfile.BadZipFile,
            KeyError,
            ValueError,
            IndexError,
            SyntaxError,
        ):
            cells, numbers, sheet = _read_xlsx(path)
    else:
        cells, numbers, sheet = _read_csv(path), None, ""
        numbers = list(range(1, len(cells) + 1))
    if not any(any(_present(v) for v in row) for row in cells):
        raise ImportFileError(f"Tệp {path.name} không có dữ liệu.", f"{path.name} is empty")
    return RawTable(path, cells, numbers, find_header(cells), sheet)


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.decode():
        number = number * 26 + ord(ch) - 64
    return number


def _merged_ranges(path: Path, sheet_xml: str) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of every merged range, read from the sheet's XML
    (openpyxl's fast read-only mode does not report merges)."""
    with zipfile.ZipFile(path) as archive:
        data = archive.read(sheet_xml)
    ranges = []
    for c1, r1, c2, r2 in _MERGE.findall(data):
        ranges.append((int(r1), _column_number(c1), int(r2), _column_number(c2)))
    return ranges


# -- a direct reader of the sheet XML: openpyxl builds a cell object per value, which for a
# 20,000-row list takes most of the import's time; this reads the same values 3-4x faster and
# falls back to openpyxl for anything it does not understand.

_DATE_FORMAT_IDS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class _FastReaderError(Exception):
    pass


def _xml_root(archive: zipfile.ZipFile, name: str):
    import xml.etree.ElementTree as ET

    try:
        return ET.fromstring(archive.read(name))
    except KeyError:
        return None


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    root = _xml_root(archive, "xl/sharedStrings.xml")
    if root is None:
        return []
    strings = []
    for si in root:
        # The visible text: every <t> except the phonetic runs (<rPh>).
        parts = [t.text or "" for t in si.iter() if _local(t.tag) == "t"]
        phonetic = [
            t.text or ""
            for r in si
            if _local(r.tag) == "rPh"
            for t in r.iter()
            if _local(t.tag) == "t"
        ]
        strings.append("".join(parts[: len(parts) - len(phonetic)] if phonetic else parts))
    return strings


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    root = _xml_root(archive, "xl/styles.xml")
    if root is None:
        return set()
    custom = {}
    for element in root.iter():
        if _local(element.tag) == "numFmt":
            code = element.get("formatCode", "").lower()
            code = re.sub(r'"[^"]*"|\[[^]]*]', "", code)
            custom[int(element.get("numFmtId", "0"))] = any(ch in code for ch in "dy")
    dates = set()
    for element in root:
        if _local(element.tag) == "cellXfs":
            for index, xf in enumerate(element):
                fmt = int(xf.get("numFmtId", "0"))
                if fmt in _DATE_FORMAT_IDS or custom.get(fmt, False):
                    dates.add(index)
    return dates


def _sheet_paths(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    workbook = _xml_root(archive, "xl/workbook.xml")
    rels = _xml_root(archive, "xl/_rels/workbook.xml.rels")
    if workbook is None or rels is None:
        raise _FastReaderError("no workbook")
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    sheets = []
    for element in workbook.iter():
        if _local(element.tag) == "sheet":
            rel = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
            target = targets.get(rel, "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            sheets.append((element.get("name", ""), target))
    return sheets


def _column_index(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number - 1


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_TEXT = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>", re.S)
_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_SHEET_DATA_END = re.compile(rb"</(?:\w+:)?sheetData>")


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8")
    return html.unescape(text) if "&" in text else text


def _parse_sheet(archive, name, strings, date_styles, max_rows=None):
    """Rows as {row number: [values]} and the merged ranges of one sheet, read with regular
    expressions over the sheet's XML (cells are flat and regular; several times faster than
    an XML parser building an element per cell)."""
    data = archive.read(name)
    end = _SHEET_DATA_END.search(data)
    body = data[: end.start()] if end else data
    rows: dict[int, list[Any]] = {}
    for match in _CELL.finditer(body):
        attrs = dict(_ATTR.findall(match.group(1)))
        ref = _CELL_REF.match(attrs.get(b"r", b"").decode())
        if ref is None:
            raise _FastReaderError("a cell without a reference")
        number = int(ref.group(2))
        if max_rows is not None and number > max_rows:
            break
        value = _cell_value(attrs, match.group(2) or b"", strings, date_styles)
        if value is None:
            continue
        col = _column_index(ref.group(1))
        values = rows.setdefault(number, [])
        if col >= len(values):
            values.extend([None] * (col + 1 - len(values)))
        values[col] = value
    merges = [
        (int(r1), _column_index(c1.decode()) + 1, int(r2), _column_index(c2.decode()) + 1)
        for c1, r1, c2, r2 in _MERGE_CELL.findall(data[end.start() :] if end else b"")
    ]
    return rows, merges


def _cell_value(attrs: dict, inner: bytes, strings: list[str], date_styles: set[int]) -> Any:
    kind = attrs.get(b"t", b"n")
    if kind == b"inlineStr":
        return "".join(_unescape(t) for t in _TEXT.findall(inner))
    found = _VALUE.search(inner)
    if found is None:
        return None
    raw = found.group(1)
    if kind == b"s":
        return strings[int(raw)]
    if kind in (b"str", b"d"):
        return _unescape(raw)
    if kind == b"b":
        return raw == b"1"
    if kind == b"e":
        return None
    number = float(raw)
    if int(attrs.get(b"s", b"0")) in date_styles and 0 < number < 2958466:
        return dt.datetime.combine(excel_serial_to_date(number), dt.time()) + dt.timedelta(
            days=number % 1
        )
    return int(number) if number.is_integer() and b"E" not in raw.upper() else number


def _read_xlsx_fast(path: Path) -> tuple[list[list[Any]], list[int], str]:
    with zipfile.ZipFile(path) as archive:
        sheets = _sheet_paths(archive)
        if not sheets:
            raise _FastReaderError("no sheets")
        strings = _shared_strings(archive)
        date_styles = _date_styles(archive)
        if len(sheets) == 1:
            best = sheets[0]
        else:

            def score(sheet):
                head, _ = _parse_sheet(archive, sheet[1], strings, date_styles, HEADER_SCAN_ROWS)
                return max((_heading_score(r) for r in head.values()), default=0)

            best = max(sheets, key=score)
        rows, merges = _parse_sheet(archive, best[1], strings, date_styles)
    last = max([*rows, *(m[2] for m in merges)], default=0)
    cells = [list(rows.get(n, [])) for n in range(1, last + 1)]
    return _fill_merges(cells, merges), list(range(1, len(cells) + 1)), best[0]


def _fill_merges(cells: list[list[Any]], merges) -> list[list[Any]]:
    width = max([len(r) for r in cells] + [m[3] for m in merges] + [0])
    for _, _, max_row, _ in merges:
        while len(cells) < max_row:
            cells.append([])
    for row in cells:
        row.extend([None] * (width - len(row)))
    for min_row, min_col, max_row, max_col in merges:
        value = cells[min_row - 1][min_col - 1]
        for r in range(min_row - 1, max_row):
            for c in range(min_col - 1, max_col):
                cells[r][c] = value
    while cells and not any(_present(v) for v in cells[-1]):
        cells.pop()
    return cells


def _read_xlsx(path: Path) -> tuple[list[list[Any]], list[int], str]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            f"Tệp {path.name} không đọc được như bảng tính Excel (.xlsx): tệp hỏng hoặc "
            "không đúng định dạng.",
            f"{path.name} is not a readable .xlsx workbook: {exc}",
        ) from exc
    try:
        # The sheet that looks most like a list of people.
        best = max(wb.worksheets, key=_sheet_score)
        cells = [list(row) for row in best.iter_rows(values_only=True)]
        merges = _merged_ranges(path, best._worksheet_path)
        title = best.title
    finally:
        wb.close()
    # Merged header cells are filled in and trailing empty rows (formatting that reaches
    # further than the data) dropped, as for the other readers.
    cells = _fill_merges(cells, merges)
    return cells, list(range(1, len(cells) + 1)), title


def _sheet_score(ws) -> int:
    best = 0
    for index, row in enumerate(ws.iter_rows(values_only=True)):
        if index >= HEADER_SCAN_ROWS:
            break
        best = max(best, _heading_score(row))
    return best


def _read_csv(path: Path) -> list[list[Any]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1258", "latin-1"):
        try:
            content = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    lines = [line for line in content.splitlines()[:50] if line.strip()]
    # The delimiter that splits the most lines into the most columns (a title line has none).
    delimiter = max(
        ",;\t|",
        key=lambda d: sorted(line.count(d) for line in lines)[len(lines) // 2] if lines else 0,
    )
    return [list(row) for row in csv.reader(io.StringIO(content), delimiter=delimiter)]


def match_heading(heading: Any) -> str | None:
    """The field a column heading names, or ``None`` ("Họ và tên" and "HO TEN" alike)."""
    folded = fold(_heading_text(heading)).strip(" :*.")
    folded = re.sub(r"\s*\(.*?\)\s*", " ", folded).strip()
    folded = re.sub(r"\s*/\s*", "/", folded)
    if not folded or folded in IGNORED_HEADINGS:
        return None
    for name, words in SYNONYMS.items():
        if folded in words:
            return name
    for name, words in SYNONYMS.items():
        if any(len(w) >= 4 and folded.startswith(w + " ") for w in words):
            return name
    return None


def _heading_score(row: Sequence[Any]) -> int:
    return len({f for f in (match_heading(v) for v in row if isinstance(v, str)) if f})


def find_header(cells: list[list[Any]]) -> int:
    """The row (among the first 20) naming the most known fields; ties go to the lowest."""
    best, best_score = 0, 0
    for index, row in enumerate(cells[:HEADER_SCAN_ROWS]):
        score = _heading_score(row)
        if score > best_score:
            best, best_score = index, score
    return best


def default_mapping(table: RawTable) -> dict[int, str | None]:
    """Column index -> field; the first column naming a field wins, later ones are ignored."""
    mapping: dict[int, str | None] = {}
    taken: set[str] = set()
    headings = table.headings
    below = table.cells[table.header_index + 1] if table.header_index + 1 < len(table.cells) else []
    for col, heading in enumerate(headings):
        name = match_heading(heading)
        if name is None and col < len(below):
            name = match_heading(below[col]) if isinstance(below[col], str) else None
        if name in taken:
            name = None
        mapping[col] = name
        if name:
            taken.add(name)
    return mapping


# -- parsing cells --------------------------------------------------------------------------------


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _fail(field: str, vi: str, en: str, code: str = "invalid_value") -> FieldError:
    return FieldError(field, code, en, vi)


def excel_serial_to_date(serial: float) -> dt.date:
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_date_cell(value: Any, today: dt.date | None = None) -> str | None:
    """A birth date as the store keeps it (``YYYY-MM-DD`` or ``YYYY``) from whatever a sheet
    holds: a date cell, an Excel serial number, a year, or text day-first (``12/3/1985``)."""
    today = today or dt.date.today()
    if not _present(value):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return parse_birth_date(value.isoformat(), today=today)
    if isinstance(value, bool):
        raise _bad_date()
    if isinstance(value, int | float):
        if float(value).is_integer() and 1890 <= value <= today.year:
            return parse_birth_date(str(int(value)), today=today)
        if 1 <= value < 2958466:
            return parse_birth_date(excel_serial_to_date(value).isoformat(), today=today)
        raise _bad_date()
    textual = str(value).strip()
    if _YEAR.fullmatch(textual):
        return parse_birth_date(textual, today=today)
    if _SERIAL.fullmatch(textual):
        return parse_date_cell(float(textual), today)
    if match := _DMY.match(textual):
        day, month, year = int(match[1]), int(match[2]), int(match[3])
        if len(match[3]) == 2:
            year += 2000 if year <= today.year % 100 else 1900
        return _checked(year, month, day, today)
    if match := _YMD.match(textual):
        return _checked(int(match[1]), int(match[2]), int(match[3]), today)
    if match := _MY.match(textual):
        return parse_birth_date(match[2], today=today)
    textual = textual.split(" ")[0]  # "1985-03-12 00:00:00" from a text export
    if textual != str(value).strip():
        return parse_date_cell(textual, today)
    raise _bad_date()


def _checked(year: int, month: int, day: int, today: dt.date) -> str:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise _bad_date() from None
    return parse_birth_date(date.isoformat(), today=today)


def _bad_date() -> FieldError:
    return _fail(
        "birth_date",
        "Ngày sinh không đọc được; hãy ghi dạng ngày/tháng/năm (12/03/1985) hoặc năm sinh",
        "birth date not understood; write it day/month/year or the year",
    )


def repair_cccd(value: Any) -> tuple[str | None, str | None]:
    """The 12-digit CCCD from a cell, and a warning when it was repaired.

    Spreadsheets store CCCD as numbers and drop the leading zero (every province code starts
    with 0): 11 or 10 digits get their zeros back. Scientific notation lost digits and cannot
    be repaired; a 9-digit number is an old CMND, not a CCCD.
    """
    if not _present(value):
        return None, None
    if isinstance(value, bool):
        raise _fail("cccd", "Số CCCD không hợp lệ", "not a CCCD")
    if isinstance(value, float):
        if not value.is_integer():
            raise _fail("cccd", "Số CCCD không hợp lệ", "not a CCCD")
        value = int(value)
    textual = str(value).strip().lstrip("'")
    if _NUMBER_TEXT.fullmatch(textual):  # a number cell read back as text
        textual = textual.split(".")[0]
    textual = _SPACES.sub("", textual)
    if _SCIENTIFIC.fullmatch(textual):
        raise _fail(
            "cccd",
            "Số CCCD đã bị Excel đổi sang dạng số mũ (ví dụ 9.2E+10) nên mất chữ số; "
            "hãy định dạng cột là Văn bản (Text) và nhập lại số",
            "CCCD was turned into scientific notation and lost digits",
        )
    if not textual.isdigit():
        raise _fail("cccd", "Số CCCD chỉ gồm 12 chữ số", "CCCD must be 12 digits")
    if len(textual) == 9:
        return None, "Số CMND 9 số cũ không phải CCCD nên không được lưu"
    if len(textual) in (10, 11):
        repaired = textual.zfill(12)
        return repaired, f"Đã thêm số 0 bị mất ở đầu CCCD ({textual} → {repaired})"
    if len(textual) != 12:
        raise _fail(
            "cccd",
            f"Số CCCD phải gồm 12 chữ số (ô này có {len(textual)} chữ số)",
            "CCCD must be 12 digits",
        )
    return textual, None


def repair_phone(value: Any) -> tuple[str | None, str | None]:
    if not _present(value):
        return None, None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    textual = str(value).strip().lstrip("'")
    warning = None
    digits = _SPACES.sub("", textual)
    if digits.isdigit() and len(digits) == 9 and digits[0] in "35789":
        digits = "0" + digits
        warning = f"Đã thêm số 0 bị mất ở đầu số điện thoại ({textual} → {digits})"
    return normalize_phone(digits), warning


def parse_sex(value: Any) -> str | None:
    if not _present(value):
        return None
    folded = fold(str(value)).strip(" .")
    if folded in _SEX:
        return _SEX[folded]
    raise _fail("sex", f"Giới tính “{value}” không rõ; ghi Nam hoặc Nữ", "sex must be Nam or Nữ")


def parse_relation(value: Any) -> tuple[str | None, str | None]:
    if not _present(value):
        return None, None
    folded = fold(str(value)).strip(" .")
    if folded in _RELATION:
        return _RELATION[folded], None
    return "other", None


# -- the plan -------------------------------------------------------------------------------------

OK, ERROR, BLANK = "ok", "error", "blank"


@dataclass
class RowResult:
    line: int  # the row number the user sees
    values: dict[str, Any]  # field -> raw cell value
    status: str = OK
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    person: dict[str, Any] = field(default_factory=dict)  # wire fields of the person
    hamlet_id: str | None = None
    address: str | None = None
    household_key: str | None = None

    def problems(self) -> str:
        return "; ".join(self.errors + self.warnings)


@dataclass
class PlannedHousehold:
    hamlet_id: str
    address: str
    phone: str | None
    lines: list[int]
    members: list[dict[str, Any]]


@dataclass
class ImportPlan:
    table: RawTable
    mapping: dict[int, str | None]
    rows: list[RowResult]
    households: list[PlannedHousehold]
    missing_fields: list[str] = field(default_factory=list)

    @property
    def valid_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.status == OK]

    @property
    def error_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.status == ERROR]

    @property
    def blank_count(self) -> int:
        return sum(r.status == BLANK for r in self.rows)

    @property
    def person_count(self) -> int:
        return sum(len(h.members) for h in self.households)

    def summary_vi(self) -> str:
        read = len(self.rows) - self.blank_count
        return (
            f"Tệp {self.table.path.name}: đọc {read} dòng; {len(self.valid_rows)} dòng hợp lệ "
            f"(sẽ nhập {self.person_count} người trong {len(self.households)} hộ); "
            f"{len(self.error_rows)} dòng có lỗi sẽ bị bỏ qua; "
            f"{self.blank_count} dòng trống."
        )

    def report_vi(self) -> str:
        """The per-row report: one line per row with a problem (errors first), then a summary."""
        lines = [self.summary_vi()]
        if self.missing_fields:
            lines.append("Chưa có cột: " + ", ".join(FIELD_LABELS[f] for f in self.missing_fields))
        for row in self.rows:
            if row.status == ERROR:
                lines.append(
                    f"Dòng {row.line}: LỖI – {'; '.join(row.errors)}"
                    + (f" (lưu ý: {'; '.join(row.warnings)})" if row.warnings else "")
                )
            elif row.status == OK and row.warnings:
                lines.append(f"Dòng {row.line}: lưu ý – {'; '.join(row.warnings)}")
        return "\n".join(lines)


REQUIRED_COLUMNS = ("full_name", "address")
PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000"


def _hamlet_lookup(conn: Connection) -> dict[str, str]:
    """Folded hamlet name (with and without "Ấp"/"Thôn"...) and id -> hamlet id."""
    lookup: dict[str, str] = {}
    for area_id, name in conn.execute(
        text("SELECT id, name FROM areas WHERE kind = 'hamlet' AND retired = 0")
    ):
        folded = fold(name)
        lookup[folded] = area_id
        lookup[fold(area_id)] = area_id
        for prefix in ("ap ", "thon ", "khu pho ", "to dan pho ", "xom ", "ban ", "to "):
            if folded.startswith(prefix):
                lookup.setdefault(folded[len(prefix) :], area_id)
    return lookup


def plan_import(
    conn: Connection,
    table: RawTable,
    *,
    hamlet_id: str | None = None,
    mapping: dict[int, str | None] | None = None,
    catalogue: Catalogue | None = None,
    today: dt.date | None = None,
) -> ImportPlan:
    catalogue = catalogue or default_catalogue()
    today = today or dt.date.today()
    mapping = default_mapping(table) if mapping is None else dict(mapping)
    mapped = {f for f in mapping.values() if f}
    hamlets = _hamlet_lookup(conn)
    if hamlet_id is not None and hamlet_id not in hamlets.values():
        raise ImportFileError(
            f"Không có ấp/thôn mã {hamlet_id} trong dữ liệu", f"no hamlet {hamlet_id}"
        )

    existing_cccd: dict[str, str] = {}
    existing_names: dict[tuple[str, str, int], str] = {}
    # The search index already holds every name folded (migration 0002): no need to fold
    # 100,000 names again here.
    for name, folded, birth_year, cccd, area in conn.execute(
        text("""SELECT p.full_name, s.name, p.birth_year, p.cccd, p.area_id FROM persons p
                LEFT JOIN person_search s ON s.rowid = p.seq WHERE p.deleted = 0""")
    ):
        if cccd:
            existing_cccd[cccd] = name
        if birth_year is not None and area:
            existing_names[(area, folded if folded is not None else fold(name), birth_year)] = name

    rows: list[RowResult] = []
    seen_cccd: dict[str, int] = {}
    seen_names: dict[tuple[str, str, int], int] = {}
    for line, cells in table.data:
        values = {f: cells[c] for c, f in mapping.items() if f and c < len(cells)}
        row = RowResult(line, values)
        rows.append(row)
        if not any(_present(v) for v in values.values()):
            row.status = BLANK
            continue
        _parse_row(row, hamlets, hamlet_id, today, catalogue)
        if row.status == ERROR:
            continue
        cccd = row.person.get("cccd")
        birth_year = birth_year_of(row.person.get("birth_date"))
        name_key = (row.hamlet_id, fold(row.person["full_name"]), birth_year)
        if cccd and cccd in seen_cccd:
            row.errors.append(f"Trùng số CCCD với dòng {seen_cccd[cccd]}")
        elif cccd and cccd in existing_cccd:
            row.errors.append(f"Số CCCD đã có trong dữ liệu ({existing_cccd[cccd]})")
        if birth_year is not None:
            if name_key in seen_names:
                row.errors.append(
                    f"Trùng họ tên và năm sinh với dòng {seen_names[name_key]} (cùng ấp)"
                )
            elif name_key in existing_names:
                row.errors.append(
                    f"Đã có người cùng họ tên và năm sinh trong ấp này ({existing_names[name_key]})"
                )
        if row.errors:
            row.status = ERROR
            continue
        if cccd:
            seen_cccd[cccd] = line
        if birth_year is not None:
            seen_names[name_key] = line

    households = _group(rows)
    missing = [f for f in REQUIRED_COLUMNS if f not in mapped]
    if "hamlet" not in mapped and hamlet_id is None:
        missing.append("hamlet")
    return ImportPlan(table, mapping, rows, households, missing)


def _labelled(error: FieldError) -> str:
    """The message with the column's name in front, unless the message already starts so."""
    label = FIELD_LABELS.get(error.field, label_vi(error.field))
    if error.message_vi.casefold().startswith(label.casefold()):
        return error.message_vi
    return f"{label}: {error.message_vi}"


def _parse_row(
    row: RowResult,
    hamlets: dict[str, str],
    default_hamlet: str | None,
    today: dt.date,
    catalogue: Catalogue,
) -> None:
    v = row.values
    errors, warnings = row.errors, row.warnings

    def attempt(fn, *args):
        try:
            return fn(*args)
        except FieldError as error:
            errors.append(_labelled(error))
            return None

    person: dict[str, Any] = {}
    name = v.get("full_name")
    if not _present(name):
        errors.append("Thiếu họ và tên")
    elif not isinstance(name, str) or not _LETTER.search(name):
        errors.append(f"Họ và tên “{name}” không hợp lệ")
    else:
        person["full_name"] = normalize_name(name)
    birth = attempt(parse_date_cell, v.get("birth_date"), today)
    if birth:
        person["birth_date"] = birth
    person["sex"] = attempt(parse_sex, v.get("sex"))
    relation = attempt(parse_relation, v.get("relation"))
    person["relation"] = relation[0] if relation else None
    cccd = attempt(repair_cccd, v.get("cccd"))
    if cccd:
        person["cccd"], warning = cccd
        if warning:
            warnings.append(warning)
    phone = attempt(repair_phone, v.get("phone"))
    if phone:
        person["phone"], warning = phone
        if warning:
            warnings.append(warning)
    if _present(v.get("note")):
        person["note"] = str(v["note"]).strip()
    person = {k: val for k, val in person.items() if val is not None}

    hamlet_cell = v.get("hamlet")
    if _present(hamlet_cell):
        found = hamlets.get(fold(str(hamlet_cell)))
        if found is None:
            errors.append(f"Không có ấp/thôn “{hamlet_cell}” trong xã")
        row.hamlet_id = found
    else:
        row.hamlet_id = default_hamlet
        if default_hamlet is None:
            errors.append("Chưa rõ ấp/thôn (thiếu cột Ấp/Thôn; hãy chọn ấp khi nhập)")
    address = v.get("address")
    if not _present(address):
        errors.append("Thiếu địa chỉ")
    else:
        row.address = normalize_name(str(address))
    key = v.get("household_key")
    row.household_key = normalize_name(str(key)) if _present(key) else None

    if not errors:
        # The core's own checks (lengths, CCCD against birth year and sex, ...).
        clean, problems = check_fields(
            "persons",
            PLACEHOLDER_ID,
            {**person, "household_id": PLACEHOLDER_ID},
            catalogue=catalogue,
        )
        _, household_problems = check_fields(
            "households",
            PLACEHOLDER_ID,
            {"hamlet_id": row.hamlet_id, "address": row.address},
            catalogue=catalogue,
        )
        for problem in problems + household_problems:
            errors.append(_labelled(problem))
        clean.pop("household_id", None)
        person = clean
    row.person = person
    row.status = ERROR if errors else OK


def _group(rows: list[RowResult]) -> list[PlannedHousehold]:
    """Valid rows into households: by the household column when filled, else by hamlet and
    address (folded, so "Số 4, ấp Mỹ An" and "số 4, Ấp Mỹ An" are one household)."""
    groups: dict[tuple, list[RowResult]] = defaultdict(list)
    for row in rows:
        if row.status != OK:
            continue
        if row.household_key:
            key = ("key", row.hamlet_id, fold(row.household_key))
        else:
            key = ("address", row.hamlet_id, fold(row.address))
        groups[key].append(row)
    households = []
    for members in groups.values():
        head = next((m for m in members if m.person.get("relation") == "head"), members[0])
        phone = head.person.get("phone") or next(
            (m.person["phone"] for m in members if m.person.get("phone")), None
        )
        households.append(
            PlannedHousehold(
                head.hamlet_id,
                head.address,
                phone,
                [m.line for m in members],
                [m.person for m in members],
            )
        )
    return households


# -- committing -------------------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    household_ids: list[str]
    persons: int
    skipped_rows: list[int]


def commit_plan(services, plan: ImportPlan) -> ImportOutcome:
    """Write the plan's valid rows through the services in one transaction (all or nothing)."""
    if not plan.households:
        raise ValidationFailed(
            [
                FieldError(
                    "file", "empty", "no valid rows to import", "Không có dòng hợp lệ nào để nhập"
                )
            ]
        )
    batch = [
        {"hamlet_id": h.hamlet_id, "address": h.address, "phone": h.phone, "members": h.members}
        for h in plan.households
    ]
    created = services.import_households(batch)
    return ImportOutcome(created, plan.person_count, [r.line for r in plan.error_rows])
