"""Reading: a file becomes sheets of cell values, with their row numbers and merged ranges.

One library reads every workbook: python-calamine (.xlsx, the old .xls, .ods). Cells come as
Python values that keep what the cell was: ``str`` for text, ``int``/``float`` for numbers,
``datetime.date``/``datetime`` for date-formatted cells, ``bool``; empty cells are ``None``.
The importer needs the difference: an 11-digit CCCD in a number cell lost its leading zero,
the same digits typed as text lost a digit.

CSV is read here too: UTF-8 with or without BOM, else the 8-bit text of old Excel's "Save as
CSV" (Windows-1258, the Vietnamese ANSI code page; or Latin-1 bytes that a TCVN3/VNI font drew,
which :mod:`gocua.legacy_text` then reads back), the delimiter sniffed among comma, semicolon,
tab and bar.

The file's type is told by its content, not its name; anything that is not a table (a PDF, a
picture, a damaged or empty file) is an :class:`ImportFileError` with one Vietnamese sentence.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gocua import legacy_text

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NOT_TABLES = {
    b"%PDF": "một tài liệu PDF",
    b"\x89PNG": "một ảnh",
    b"\xff\xd8\xff": "một ảnh",
    b"GIF8": "một ảnh",
    b"{\\rtf": "một văn bản Word (RTF)",
}
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based)


class ImportFileError(Exception):
    """The file cannot be read as a table; ``message_vi`` says why, for the user."""

    def __init__(self, message_vi: str, message_en: str):
        super().__init__(f"{message_en} / {message_vi}")
        self.message_vi = message_vi
        self.message_en = message_en


@dataclass
class Sheet:
    """One sheet: ``rows[i]`` is the file's row ``i + 1`` (what Excel shows at the left)."""

    name: str
    rows: list[list[Any]]
    merges: list[Merge] = field(default_factory=list)
    hidden: bool = False

    def row_number(self, index: int) -> int:
        return index + 1


@dataclass
class Workbook:
    path: Path
    kind: str  # "xlsx", "xls", "ods" or "csv"
    sheets: list[Sheet]
    encoding: str | None = None  # a CSV's text encoding


def sniff_kind(path: Path, head: bytes) -> str:
    """``"xlsx"``, ``"ods"``, ``"xls"`` or ``"csv"`` from the file's first bytes."""
    name = path.name
    if not head.strip():
        raise ImportFileError(f"Tệp {name} trống, không có dữ liệu.", f"{name} is empty")
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(path)
    if head.startswith(OLE_MAGIC):
        return "xls"
    for magic, what in _NOT_TABLES.items():
        if head.startswith(magic):
            raise _not_a_table(name, what)
    lowered = head[:512].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        raise ImportFileError(
            f"Tệp {name} là trang web hoặc tệp XML, không phải bảng tính. Hãy mở tệp bằng Excel "
            "rồi lưu lại thành Excel Workbook (.xlsx) và nhập tệp đó.",
            f"{name} is HTML/XML, not a workbook",
        )
    if _binary(head):
        raise _not_a_table(name, "không phải bảng tính hay tệp CSV (tệp hỏng hoặc đã bị đổi đuôi)")
    return "csv"


def _not_a_table(name: str, what: str) -> ImportFileError:
    if what.startswith("không"):
        sentence = f"Tệp {name} {what}."
    else:
        sentence = (
            f"Tệp {name} là {what}, không phải bảng tính: hãy chọn tệp danh sách Excel hoặc CSV."
        )
    return ImportFileError(sentence, f"{name} is not a table")


def _binary(head: bytes) -> bool:
    """Bytes no text file holds: NUL, or many control characters."""
    if b"\x00" in head:
        return True
    controls = sum(b < 32 and b not in (9, 10, 13) for b in head)
    return controls > len(head) // 20


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIME:
                return "ods"
    except (zipfile.BadZipFile, OSError, KeyError):
        raise _damaged(path.name) from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        raise _not_a_table(path.name, "một văn bản Word")
    raise _damaged(path.name)


def _damaged(name: str) -> ImportFileError:
    return ImportFileError(
        f"Tệp {name} bị hỏng hoặc không phải bảng tính Excel/LibreOffice: không đọc được. "
        "Hãy mở lại tệp gốc, lưu lại rồi nhập lại.",
        f"{name} is damaged or not a workbook",
    )


def read_workbook(path: Path | str) -> Workbook:
    """Every sheet of the file as cell values; :class:`ImportFileError` if it is no table."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise ImportFileError(
            f"Không mở được tệp {path.name}: {exc.strerror or 'lỗi đọc tệp'}.",
            f"cannot open {path.name}: {exc}",
        ) from exc
    kind = sniff_kind(path, head)
    if kind == "csv":
        rows, encoding = read_csv(path)
        book = Workbook(path, kind, [Sheet(path.stem, rows)], encoding)
    else:
        book = Workbook(path, kind, _read_with_calamine(path))
    if not any(_has_values(s.rows) for s in book.sheets):
        raise ImportFileError(f"Tệp {path.name} không có dữ liệu.", f"{path.name} is empty")
    return book


def _has_values(rows: Iterable[list[Any]]) -> bool:
    return any(v is not None for row in rows for v in row)


def _read_with_calamine(path: Path) -> list[Sheet]:
    import python_calamine as calamine

    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise ImportFileError(
            f"Tệp {path.name} có mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu rồi lưu lại.",
            f"{path.name} is password-protected",
        ) from None
    except Exception:  # calamine's errors name zip and XML internals: none of it helps a user
        raise _damaged(path.name) from None
    sheets = []
    try:
        for index, meta in enumerate(book.sheets_metadata):
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue
            sheet = book.get_sheet_by_index(index)
            rows = [
                [None if v == "" else v for v in row]
                for row in sheet.to_python(skip_empty_area=False)
            ]
            merges = [(r1, c1, r2, c2) for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or ()]
            hidden = meta.visible != calamine.SheetVisibleEnum.Visible
            sheets.append(Sheet(meta.name, _trim(rows), merges, hidden))
    except Exception:
        raise _damaged(path.name) from None
    finally:
        book.close()
    return sheets


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Without the empty rows at the end (formatting that reaches past the data)."""
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows


# -- CSV --------------------------------------------------------------------------------------


def decode_csv(raw: bytes) -> tuple[str, str]:
    """The text and the encoding's name: UTF-8 (BOM or not), else Windows-1258, else the
    Latin-1 bytes of a legacy font (TCVN3, VNI) that :mod:`gocua.legacy_text` recognises."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    latin1 = raw.decode("latin-1")
    found = legacy_text.detect(_fields(latin1))
    if found.encoding is not None:
        return latin1, f"latin-1 ({legacy_text.NAMES_VI[found.encoding]})"
    import unicodedata

    # cp1258 writes tone marks as combining characters after the letter: compose them.
    return unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace")), "windows-1258"


def _fields(text: str) -> list[str]:
    return [f for line in text.splitlines()[:2000] for f in line.replace(";", ",").split(",")]


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits most lines into the same number of fields (titles have none)."""
    lines = [line for line in text.splitlines()[:100] if line.strip()]
    if not lines:
        return ","

    def score(delimiter: str) -> tuple[int, int]:
        counts = sorted(line.count(delimiter) for line in lines)
        typical = counts[len(counts) // 2]
        return (sum(c == typical for c in counts) if typical else 0, typical)

    return max(",;\t|", key=score)


def read_csv(path: Path) -> tuple[list[list[Any]], str]:
    text, encoding = decode_csv(path.read_bytes())
    delimiter = sniff_delimiter(text)
    try:
        rows = [
            [v if v.strip() else None for v in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error:
        raise ImportFileError(
            f"Tệp {path.name} không đọc được như tệp CSV (dấu ngoặc kép hoặc dòng bị hỏng).",
            f"{path.name} is not a readable CSV file",
        ) from None
    return _trim(rows), encoding
