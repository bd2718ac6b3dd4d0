"""Layout recognition: where a sheet's table is, what each column holds, what each row is.

A household list is laid out one way nearly everywhere: a title and a date (merged rows), the
heading row (sometimes two: "Năm sinh" over "Nam | Nữ"), sometimes a row numbering the
columns "(1) (2) (3)", then the rows of people with blank rows between households, then a
"Tổng cộng" row and the signatures. :func:`find_heading` finds the heading wherever it is (the
first row naming enough known columns), :func:`default_mapping` maps the columns (Vietnamese
headings, accents optional), :func:`row_kind` tells a person's row from everything else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from gocua.areas import HAMLET_WORDS, area_key
from gocua.text import fold

# The fields a column can map to, with the heading shown for them.
FIELD_LABELS: dict[str, str] = {
    "full_name": "Họ và tên",
    "birth_date": "Ngày sinh",
    "sex": "Giới tính",
    "male": "Nam (năm sinh hoặc dấu x)",
    "female": "Nữ (năm sinh hoặc dấu x)",
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
        "ho va ten chu ho va thanh vien",
        "ho ten nhan khau",
        "ho, ten",
        "ho va ten khai sinh",
    ),
    "birth_date": (
        "ngay sinh",
        "ngay thang nam sinh",
        "ngay, thang, nam sinh",
        "nam sinh",
        "ngay/thang/nam sinh",
        "sinh ngay",
        "date of birth",
        "birth date",
        "ns",
        "ngay sinh/nam sinh",
        "nam sinh/ngay sinh",
    ),
    "sex": ("gioi tinh", "gioi", "phai", "sex", "gender", "nam/nu", "gt"),
    "male": ("nam", "male"),
    "female": ("nu", "female"),
    "cccd": (
        "so cccd",
        "cccd",
        "so can cuoc",
        "can cuoc cong dan",
        "so can cuoc cong dan",
        "so dinh danh",
        "so dinh danh ca nhan",
        "ma dinh danh",
        "ma so dinh danh",
        "so cccd/cmnd",
        "cccd/cmnd",
        "cmnd/cccd",
        "so cmnd/cccd",
        "so cmnd",
        "cmnd",
        "can cuoc",
        "so cccd/dinh danh",
    ),
    "relation": (
        "quan he voi chu ho",
        "quan he",
        "quan he chu ho",
        "qh voi chu ho",
        "qh voi ch",
        "qhch",
        "qh",
        "quan he voi ch",
        "relation",
    ),
    "address": (
        "dia chi",
        "so nha",
        "so nha, duong",
        "dia chi thuong tru",
        "noi thuong tru",
        "noi o",
        "noi o hien nay",
        "noi o hien tai",
        "cho o hien nay",
        "dia chi cu tru",
        "dia chi noi o",
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
        "xom",
        "ten ap",
        "ten thon",
        "hamlet",
    ),
    "phone": (
        "so dien thoai",
        "dien thoai",
        "sdt",
        "so dt",
        "dt",
        "dtdd",
        "dien thoai lien he",
        "sdt lien he",
        "phone",
        "di dong",
    ),
    "household_key": (
        "ma ho",
        "so ho",
        "so ho khau",
        "so so ho khau",
        "ma ho gia dinh",
        "ma so ho",
        "ho so",
        "household",
    ),
    "note": ("ghi chu", "note"),
}
IGNORED_HEADINGS = ("stt", "tt", "so tt", "so thu tu", "thu tu")
HEADING_SCAN_ROWS = 40
MIN_FIELDS = 3  # a heading row names at least this many known columns (the name among them)
_PARENTHESES = re.compile(r"\s*\(.*?\)\s*")
_SLASH = re.compile(r"\s*/\s*")


def heading_text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


_EXACT = {word: name for name, words in reversed(SYNONYMS.items()) for word in words}
_PREFIXES = tuple((w + " ", name) for name, words in SYNONYMS.items() for w in words if len(w) >= 4)
_PREFIX_START = tuple(p for p, _ in _PREFIXES)


@lru_cache(maxsize=4096)
def _match_folded(folded: str) -> str | None:
    folded = _PARENTHESES.sub(" ", folded).strip(" :*.")
    folded = _SLASH.sub("/", folded)
    if not folded or folded in IGNORED_HEADINGS:
        return None
    if folded in _EXACT:
        return _EXACT[folded]
    if folded.startswith(_PREFIX_START):
        return next(name for prefix, name in _PREFIXES if folded.startswith(prefix))
    return None


def match_heading(heading: Any) -> str | None:
    """The field a column heading names, or ``None`` ("Họ và tên" and "HO TEN" alike)."""
    if not isinstance(heading, str) or len(heading) > 80:
        return None
    return _match_folded(fold(heading).strip(" :*."))


def heading_fields(row: Sequence[Any]) -> set[str]:
    return {f for f in (match_heading(v) for v in row) if f}


@dataclass(frozen=True)
class Heading:
    index: int  # row index of the heading
    sub_index: int | None  # a second heading row under it ("Nam | Nữ" under "Năm sinh")
    last_index: int  # the last row of the heading (and of a column-number row under it)


def find_heading(rows: list[list[Any]], start: int = 0) -> Heading | None:
    """The first row from ``start`` naming :data:`MIN_FIELDS` known columns, one of them the
    name (else the row naming the most, if it names the name and one more); ``None`` if none."""
    best, best_score = None, 1
    for index in range(start, min(len(rows), start + HEADING_SCAN_ROWS)):
        fields = heading_fields(rows[index])
        if "full_name" not in fields:
            continue
        if len(fields) >= MIN_FIELDS:
            best = index
            break
        if len(fields) > best_score:
            best, best_score = index, len(fields)
    if best is None:
        return None
    sub = best + 1 if _is_sub_heading(rows, best) else None
    last = sub if sub is not None else best
    if last + 1 < len(rows) and is_column_numbers(rows[last + 1]):
        last += 1
    return Heading(best, sub, last)


def _is_sub_heading(rows: list[list[Any]], index: int) -> bool:
    """A row under the heading holding only headings (or the heading's own merged text)."""
    if index + 1 >= len(rows):
        return False
    top, below = rows[index], rows[index + 1]
    found = False
    for col, value in enumerate(below):
        if value is None:
            continue
        if col < len(top) and value == top[col]:
            continue  # a heading merged over both rows, filled in
        if not isinstance(value, str) or match_heading(value) is None:
            return False
        found = True
    return found


def is_column_numbers(row: Sequence[Any]) -> bool:
    """A row numbering the columns: 1 2 3 ..., (1) (2) (3) ..., or A B C ..."""
    values = [v for v in row if v is not None]
    if len(values) < 3:
        return False
    texts = [
        re.sub(r"[()\s.]", "", str(v.__int__() if isinstance(v, float) else v)) for v in values
    ]
    if all(t.isdigit() for t in texts):
        numbers = [int(t) for t in texts]
        return numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    if all(len(t) == 1 and t.isalpha() and t.isupper() for t in texts):
        return [ord(t) for t in texts] == list(range(ord(texts[0]), ord(texts[0]) + len(texts)))
    return False


def default_mapping(rows: list[list[Any]], heading: Heading) -> dict[int, str | None]:
    """Column index -> field; the sub-heading decides where it names a field ("Nam" under
    "Năm sinh"), else the heading; the first column naming a field wins."""
    top = rows[heading.index]
    below = rows[heading.sub_index] if heading.sub_index is not None else []
    width = max(len(top), len(below))
    mapping: dict[int, str | None] = {}
    taken: set[str] = set()
    for col in range(width):
        name = None
        if col < len(below) and below[col] is not None:
            name = match_heading(below[col])
        if name is None and col < len(top):
            name = match_heading(top[col])
        if name in taken:
            name = None
        mapping[col] = name
        if name:
            taken.add(name)
    return mapping


def column_headings(rows: list[list[Any]], heading: Heading) -> list[str]:
    """Each column's heading as shown ("Năm sinh / Nam" for a two-row heading)."""
    top = rows[heading.index]
    below = rows[heading.sub_index] if heading.sub_index is not None else []
    out = []
    for col in range(max(len(top), len(below))):
        parts = [heading_text(top[col]) if col < len(top) else ""]
        if col < len(below) and below[col] is not None and below[col] != parts[0]:
            parts.append(heading_text(below[col]))
        out.append(" / ".join(p for p in parts if p))
    return out


# -- the kinds of rows ----------------------------------------------------------------------------

DATA, BLANK, TITLE, HEADING, NUMBERS, TOTALS, SIGNATURE, SECTION = (
    "data",
    "blank",
    "title",
    "heading",
    "numbers",
    "totals",
    "signature",
    "section",
)
SKIP_REASONS_VI = {
    BLANK: "Dòng trống",
    TITLE: "Tiêu đề phía trên bảng",
    HEADING: "Hàng tiêu đề cột",
    NUMBERS: "Hàng đánh số cột",
    TOTALS: "Dòng tổng cộng",
    SIGNATURE: "Phần ký tên cuối danh sách",
    SECTION: "Dòng tên ấp",
}
_TOTALS = re.compile(
    r"^(?:tong cong|tong so|tong|cong)(?:\s*[:.\-]|\s*$|\s+(?:so|ho|khau|nhan|co|:))"
)
_FOOTER = re.compile(
    r"^(?:nguoi lap|nguoi ky|truong (?:ap|thon|khu pho|ban|xom|to)|to truong|xac nhan|"
    r"t/m|tm[ .]|chu tich|pho chu tich|can bo|cong an|ky ten|ky,|\(ky|ban dieu hanh|bi thu|"
    r"thu truong|lanh dao|ubnd|uy ban)"
)
_DATE_LINE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")
_SECTION_PREFIX = re.compile(r"^(?:[ivxlc]+|\d+|[a-z])[.)]\s+")
_SECTION_WORDS = tuple(w for w in HAMLET_WORDS if w not in ("to", "khu", "kp", "kdc", "tdp"))
_ROMAN_OR_NUMBER = re.compile(r"^(?:[ivxlcIVXLC]+|\d+)[.)]?$")


def title_reason(row: Sequence[Any]) -> str:
    texts = [fold(v) for v in row if isinstance(v, str)]
    if any(_DATE_LINE.search(t) for t in texts):
        return "Dòng ngày tháng phía trên bảng"
    return SKIP_REASONS_VI[TITLE]


def is_totals(row: Sequence[Any]) -> bool:
    first = next((v for v in row if isinstance(v, str) and v.strip()), None)
    return first is not None and _TOTALS.match(fold(first)) is not None


def is_footer(row: Sequence[Any], name_col: int | None) -> bool:
    """Signatures and what goes with them ("Người lập biểu", "Trưởng ấp", "Xác nhận của UBND
    xã", and the place-and-date line above them when no one's name is on the row)."""
    name = row[name_col] if name_col is not None and name_col < len(row) else None
    for value in row:
        if isinstance(value, str):
            folded = fold(value).strip(" -.")
            if _FOOTER.match(folded):
                return True
            if _DATE_LINE.search(folded) and (name is None or name == value):
                return True
    return False


def row_kind(
    row: Sequence[Any],
    name_col: int | None,
    known_hamlets: dict[str, str],
    detail_cols: Sequence[int] = (),
) -> tuple[str, str | None]:
    """What a row under the heading is, and the hamlet it names when it is a section row.
    A row with two values in ``detail_cols`` (birth date, relation, CCCD...) besides a name
    is a person's: no signature or hamlet row has those."""
    if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
        return BLANK, None
    if is_totals(row):
        return TOTALS, None
    name = row[name_col] if name_col is not None and name_col < len(row) else None
    if name is not None:
        # (a merged cell filled in repeats one value: a hamlet's or a signature's row)
        details = sum(c < len(row) and row[c] not in (None, name) for c in detail_cols)
        if details >= 2:
            return DATA, None
    if is_footer(row, name_col):
        return SIGNATURE, None
    hamlet = section_name(row, known_hamlets)
    if hamlet is not None and (name is None or fold(str(name)).endswith(fold(hamlet))):
        return SECTION, hamlet
    return DATA, None


def section_name(row: Sequence[Any], known_hamlets: dict[str, str]) -> str | None:
    """The hamlet a row between households names ("ẤP LONG HÒA", "II. Thôn 3"), if it does:
    the row holds one text (a merged cell, filled in), besides a numbering."""
    texts = {
        " ".join(v.split())
        for v in row
        if isinstance(v, str) and v.strip() and not _ROMAN_OR_NUMBER.match(v.strip())
    }
    if len(texts) != 1:
        return None
    text = texts.pop()
    folded = _SECTION_PREFIX.sub("", fold(text)).strip(" :")
    if area_key(folded) in known_hamlets or folded.startswith(
        tuple(w + " " for w in _SECTION_WORDS)
    ):
        return _SECTION_PREFIX.sub("", text).strip(" :")
    return None
