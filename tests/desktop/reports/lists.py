"""Household lists as hamlet heads keep them, written by the tests in every format the importer
reads: .xlsx (XlsxWriter), old .xls (xlwt, BIFF8), .ods (odfpy) and CSV.

A sheet is rows of cells (``str`` text, ``int``/``float`` a number cell, ``datetime.date`` a
date-formatted cell, ``None`` empty) and merged ranges (first row, first column, last row, last
column; 0-based, as python-calamine gives them). Each writer writes the same cells with the
same types, so the importer must give the same plan for every copy.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gocua import legacy_text

Merge = tuple[int, int, int, int]


@dataclass
class ListSheet:
    name: str
    rows: list[list[Any]]
    merges: list[Merge] = field(default_factory=list)


def write(path: Path, sheets: list[ListSheet]) -> Path:
    writer = {".xlsx": write_xlsx, ".xls": write_xls, ".ods": write_ods}[path.suffix]
    writer(path, sheets)
    return path


def write_xlsx(path: Path, sheets: list[ListSheet]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    text = book.add_format({"num_format": "@"})
    for sheet in sheets:
        ws = book.add_worksheet(sheet.name)
        merged = {(r, c) for r, c, _, _ in sheet.merges}
        for r, c, r2, c2 in sheet.merges:
            value = sheet.rows[r][c] if c < len(sheet.rows[r]) else None
            ws.merge_range(r, c, r2, c2, value if value is not None else "")
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row):
                if value is None or (r, c) in merged:
                    continue
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
                elif isinstance(value, str):
                    ws.write_string(r, c, value, text)
                else:
                    ws.write_number(r, c, value)
    book.close()


def write_xls(path: Path, sheets: list[ListSheet]) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    date = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for sheet in sheets:
        ws = book.add_sheet(sheet.name)
        merged = {(r, c) for r, c, _, _ in sheet.merges}
        for r, c, r2, c2 in sheet.merges:
            value = sheet.rows[r][c] if c < len(sheet.rows[r]) else None
            ws.write_merge(r, r2, c, c2, value if value is not None else "")
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row):
                if value is None or (r, c) in merged:
                    continue
                if isinstance(value, dt.date):
                    ws.write(r, c, dt.datetime.combine(value, dt.time()), date)
                else:
                    ws.write(r, c, value)
    book.save(str(path))


def write_ods(path: Path, sheets: list[ListSheet]) -> None:
    from odf.number import DateStyle, Day, Month, Text, Year
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    date_style = DateStyle(name="dmy")
    for part in (Day(style="long"), Text(text="/"), Month(style="long"), Text(text="/")):
        date_style.addElement(part)
    date_style.addElement(Year(style="long"))
    doc.automaticstyles.addElement(date_style)
    date_cell = Style(name="datecell", family="table-cell", datastylename="dmy")
    doc.automaticstyles.addElement(date_cell)
    for sheet in sheets:
        table = Table(name=sheet.name)
        spans = {(r, c): (r2 - r + 1, c2 - c + 1) for r, c, r2, c2 in sheet.merges}
        covered = {
            (rr, cc)
            for r, c, r2, c2 in sheet.merges
            for rr in range(r, r2 + 1)
            for cc in range(c, c2 + 1)
            if (rr, cc) != (r, c)
        }
        width = max([len(row) for row in sheet.rows] + [c2 + 1 for *_, c2 in sheet.merges])
        for r, row in enumerate(sheet.rows):
            element = TableRow()
            for c in range(width):
                value = row[c] if c < len(row) else None
                if (r, c) in covered:
                    element.addElement(CoveredTableCell())
                    continue
                extra: dict[str, Any] = {}
                if (r, c) in spans:
                    extra = {
                        "numberrowsspanned": spans[(r, c)][0],
                        "numbercolumnsspanned": spans[(r, c)][1],
                    }
                if value is None:
                    cell = TableCell(**extra)
                elif isinstance(value, dt.date):
                    cell = TableCell(
                        valuetype="date", datevalue=value.isoformat(), stylename=date_cell, **extra
                    )
                    cell.addElement(P(text=f"{value:%d/%m/%Y}"))
                elif isinstance(value, str):
                    cell = TableCell(valuetype="string", **extra)
                    cell.addElement(P(text=value))
                else:
                    cell = TableCell(valuetype="float", value=value, **extra)
                    cell.addElement(P(text=str(value)))
                element.addElement(cell)
            table.addElement(element)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))


def write_csv(path: Path, sheet: ListSheet, encoding: str = "utf-8-sig", delimiter=";") -> Path:
    """As Excel's "Save as CSV" writes it: numbers as digits, dates as dd/mm/yyyy."""
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer, delimiter=delimiter)
    for row in sheet.rows:
        out.writerow([_csv_text(v) for v in row])
    text = buffer.getvalue()
    if encoding == "cp1258":
        path.write_bytes(cp1258(text))
    else:
        path.write_bytes(text.encode(encoding))
    return path


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: a letter Windows-1258 has whole, else the letter
    with its vowel marks followed by the tone mark as a combining character."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out += (base + "".join(c for c in parts if c in _TONES)).encode("cp1258")
    return bytes(out)


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def in_legacy(sheet: ListSheet, encoding: str) -> ListSheet:
    """The same list typed years ago in a TCVN3 (.VnTime; capitals in .VnTimeH) or VNI font."""

    def typed(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return legacy_text.encode(value, encoding)
        except ValueError:  # a capital with a tone mark that .VnTime lacks: typed lowercase
            return legacy_text.encode(value.lower(), encoding)

    return ListSheet(sheet.name, [[typed(v) for v in row] for row in sheet.rows], sheet.merges)


# -- the list a hamlet head keeps ---------------------------------------------------------------

HEADINGS = [
    "STT",
    "Họ và tên",
    "Năm sinh",
    None,
    "Quan hệ với chủ hộ",
    "Số CCCD",
    "Địa chỉ",
    "Số điện thoại",
    "Ghi chú",
]


def household_list(name: str = "Ấp Bình Minh") -> ListSheet:
    """Fifteen people: five households, a member with no head above, a title and a date in
    merged rows, "Năm sinh" merged over "Nam | Nữ", a row numbering the columns, blank rows
    between households, a totals row and the signatures with the signers' names under them.

    Cells as typed: CCCD as a number (lost its zero) and as text (one with a digit missing),
    birth years and dates as numbers, text, date cells and an Excel serial, phones with +84,
    dots and spaces."""
    rows: list[list[Any]] = [
        ["UBND XÃ HÒA PHÚ", None, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["DANH SÁCH HỘ GIA ĐÌNH ẤP BÌNH MINH"],
        ["Bình Minh, ngày 15 tháng 3 năm 2026"],
        [],
        HEADINGS,
        [None, None, "Nam", "Nữ"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)"],
        # row 8: household 1
        [
            1,
            "Nguyễn Văn Hùng",
            1975,
            None,
            "Chủ hộ",
            92075123456,
            "Số 5, đường liên ấp",
            "+84 912 345 678",
        ],
        [None, "Trần Thị Lan", None, "21/03/1978", "Vợ", "092178654321"],
        [None, "Nguyễn Văn Nam", dt.date(2005, 1, 2), None, "Con"],
        [None, "nguyễn thị  mai", None, "3/4/10", "Con"],
        [],
        # row 13: household 2
        [2, "LÊ THỊ HOA", None, 1950, "Chủ hộ", "092150111222", "Số 7, kênh Xáng", "0987.654.321"],
        [None, "Phạm Văn Tư", 1948, None, "Chồng"],
        [None, "Phạm Thị Bé", None, 31127, "Con dâu"],
        [],
        # row 17: household 3, its head's CCCD typed as text with a digit missing
        [3, "Võ Văn Sáu", 1960, None, "Chủ hộ", "92060123456", "Số 12, đường đan"],
        [None, "Võ Thị Bảy", None, 1962, "Vợ"],
        [],
        # row 20: a member with no head above (the blank row ended household 3)
        [None, "Đinh Văn Lạc", 1990, None, "Con"],
        # row 21: household 4
        [4, "Huỳnh Văn Khoa", 1980, None, "CH", None, "Số 31, đường đan", "84912000111"],
        [None, "Huỳnh Thị Cúc", None, 1982, "Vợ"],
        [None, "Huỳnh Văn Tí", 2012, None, "Con"],
        [None, "Huỳnh Văn Tèo", 2015, None, "Cháu"],
        [],
        # row 26: household 5
        [5, "Trương Văn Mười", 1945, None, "Chủ hộ", None, "Số 40, ấp Bình Minh"],
        [],
        ["Tổng cộng: 5 hộ, 15 nhân khẩu"],
        [None, "Người lập biểu", None, None, None, None, "Trưởng ấp"],
        [],
        [None, "Nguyễn Thị Lập", None, None, None, None, "Lê Văn Trưởng"],
    ]
    merges = [
        (0, 0, 0, 3),
        (0, 5, 0, 8),
        (1, 0, 1, 8),
        (2, 0, 2, 8),
        (4, 2, 4, 3),  # "Năm sinh" over Nam | Nữ
        *((4, c, 5, c) for c in (0, 1, 4, 5, 6, 7, 8)),
        (27, 0, 27, 8),
    ]
    return ListSheet(name, rows, merges)


# (sheet row number -> fate) of household_list, and what each person row becomes
SKIPPED_ROWS = [1, 2, 3, 4, 5, 6, 7, 12, 16, 19, 25, 27, 28, 29, 30, 31]
IMPORTED_ROWS = [9, 10, 13, 14, 18, 21, 22, 23, 24, 26]
REPAIRED_ROWS = [8, 11, 15]
ERROR_ROWS = [17, 20]
