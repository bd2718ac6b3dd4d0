"""Cell repairs: what a cell says, made into the value the store keeps, and what was repaired.

Each function takes one cell's value as the reader gave it (text, number, date) and returns the
clean value with a note in Vietnamese when it had to change something the user should check
(a CCCD's lost leading zero, a two-digit year, a phone number dropped). Problems that leave no
usable value raise :class:`gocua.validation.FieldError` naming the field. Spacing and the case
of names are made tidy without a note: nobody needs to check those.

Legacy text (TCVN3, VNI) is converted for a whole sheet at once (:func:`convert_legacy`):
whether a sheet was typed in a legacy font is a property of the sheet, not of one cell.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from gocua import legacy_text
from gocua.dates import excel_serial_to_date, read_date_vn
from gocua.text import fold
from gocua.validation import FieldError, invalid, normalize_phone, parse_birth_date

Cell = tuple[int, int]  # row index, column index in the sheet


@dataclass(frozen=True)
class Repair:
    field: str
    before: str
    after: str
    note_vi: str


# -- legacy encodings ---------------------------------------------------------------------------


@dataclass
class LegacyText:
    encoding: str | None
    converted: dict[Cell, str]  # cell -> its text as it was in the file

    @property
    def name_vi(self) -> str:
        return legacy_text.NAMES_VI.get(self.encoding or "", "")


def convert_legacy(rows: list[list[Any]]) -> LegacyText:
    """Detect TCVN3/VNI among the sheet's text cells and convert them in place."""
    texts = (v for row in rows for v in row if isinstance(v, str))
    found = legacy_text.detect(texts)
    converted: dict[Cell, str] = {}
    if found.encoding is None:
        return LegacyText(None, converted)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str) and legacy_text.could_be_legacy(value):
                new = legacy_text.decode(value, found.encoding)
                if new != value:
                    row[c] = new
                    converted[(r, c)] = value
    return LegacyText(found.encoding, converted)


# -- names and text --------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_LETTER = re.compile(r"[^\W\d_]")


def present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def clean_text(value: Any) -> str:
    """NFC, single spaces, trimmed (numbers written as Excel shows them: 12, not 12.0)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def clean_name(value: Any) -> str:
    """A person's name as stored: tidy spacing, and capitals where Vietnamese names have them
    ("NGUYỄN VĂN HÙNG" and "nguyễn văn hùng" are "Nguyễn Văn Hùng"; "H'Hen Niê" stays)."""
    if not isinstance(value, str) or not _LETTER.search(value):
        raise invalid("full_name", "not a name", f"Họ và tên “{clean_text(value)}” không hợp lệ")
    name = clean_text(value)
    if name.isupper():
        return name.title()
    return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in name.split(" "))


# -- dates -------------------------------------------------------------------------------------------


def read_birth(value: Any, today: dt.date) -> tuple[str | None, str | None]:
    """A birth date (``YYYY-MM-DD`` or ``YYYY``) from a date cell, a number (a year, or an
    Excel serial in a "Ngày sinh" column) or text in any form :mod:`gocua.dates` reads."""
    if not present(value):
        return None, None
    note = None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        found = value.isoformat()
    elif isinstance(value, bool):
        raise _bad_date(value)
    elif isinstance(value, int | float):
        if float(value).is_integer() and 1000 <= value <= 9999:
            found = str(int(value))
        elif 1 <= value < 2958466 and float(value).is_integer():
            day = excel_serial_to_date(value)
            found = day.isoformat()
            note = f"số {int(value)} là ngày kiểu Excel: {day:%d/%m/%Y}"
        else:
            raise _bad_date(value)
    else:
        read = read_date_vn(clean_text(value), today=today, field="birth_date")
        found, note = read.value, read.note_vi
    return parse_birth_date(found, today=today), note


def _bad_date(value: Any) -> FieldError:
    return invalid(
        "birth_date",
        "birth date not understood",
        f"Không đọc được ngày “{clean_text(value)}”: hãy ghi ngày/tháng/năm (21/03/1985) "
        "hoặc chỉ năm (1985)",
    )


# -- CCCD and phone ----------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s.\-'’`]")
_NUMBER_TEXT = re.compile(r"\d+\.0")  # how a number cell reads back as text
_SCIENTIFIC = re.compile(r"\d+(?:[.,]\d+)?[eE]\+?\d+")


def is_number_cell(value: Any, csv: bool) -> bool:
    """A cell Excel held as a number. CSV has no cell types: digits without a leading zero
    are what Excel writes for a number cell, so they count as one."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if csv and isinstance(value, str):
        text = value.strip()
        return (text.isdigit() or _NUMBER_TEXT.fullmatch(text) is not None) and text[:1] != "0"
    return False


def repair_cccd(value: Any, number_cell: bool) -> tuple[str | None, str | None]:
    """The 12-digit CCCD and a note when it was repaired.

    Excel keeps a CCCD typed into a number cell as a number and drops its leading zeros (every
    province code starts with 0): 11 or 10 digits in a number cell get them back. The same
    digits typed as text lost a digit instead: an error. Scientific notation lost digits for
    good; 9 digits are an old CMND, not stored as a CCCD."""
    if not present(value):
        return None, None
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise invalid("cccd", "not a CCCD", "Số CCCD không hợp lệ")
    if isinstance(value, int | float):
        value = int(value)
    text = str(value).strip()
    if _NUMBER_TEXT.fullmatch(text):
        text = text.split(".")[0]
    if _SCIENTIFIC.fullmatch(text):
        raise invalid(
            "cccd",
            "CCCD turned into scientific notation and lost digits",
            "Số CCCD đã bị Excel đổi sang dạng số mũ (ví dụ 9,2E+10) nên mất chữ số; hãy định "
            "dạng cột là Văn bản (Text) và nhập lại số",
        )
    digits = _SEPARATORS.sub("", text)
    if not digits.isdigit():
        raise invalid("cccd", "CCCD must be 12 digits", "Số CCCD chỉ gồm 12 chữ số")
    if len(digits) == 9:
        return None, f"Số CMND 9 số cũ ({digits}) không phải CCCD nên không được lưu"
    if len(digits) in (10, 11) and number_cell:
        repaired = digits.zfill(12)
        return repaired, f"Đã thêm số 0 bị mất ở đầu CCCD (ô dạng số): {digits} → {repaired}"
    if len(digits) != 12:
        kind = " (ô dạng chữ: thiếu chữ số, không tự sửa)" if len(digits) in (10, 11) else ""
        raise invalid(
            "cccd",
            f"CCCD must be 12 digits, not {len(digits)}",
            f"Số CCCD phải gồm 12 chữ số, ô này có {len(digits)} chữ số{kind}",
        )
    return digits, None


_PHONE_SPLIT = re.compile(r"\s*(?:[/;,]|\s-\s|\bhoặc\b)\s*")


def repair_phone(value: Any) -> tuple[str | None, str | None]:
    """A phone number in the national form (``0xxxxxxxxx``) and a note when it changed:
    ``+84``/``84`` in front, spaces, dots and Excel's apostrophe are taken off quietly; a lost
    leading zero is put back and said; a second number is left out and said; a number that is
    no Vietnamese phone number is left out and said (the person is still imported)."""
    if not present(value):
        return None, None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_text(value).lstrip("'’")
    numbers = [p for p in _PHONE_SPLIT.split(text) if p]
    first = numbers[0] if numbers else text
    notes = []
    if len(numbers) > 1:
        notes.append(f"chỉ giữ số điện thoại đầu tiên ({first})")
    digits = re.sub(r"[\s.\-()]", "", first)
    if digits.isdigit() and len(digits) == 9 and digits[0] in "35789":
        digits = "0" + digits
        notes.append(f"Đã thêm số 0 bị mất ở đầu số điện thoại ({first} → {digits})")
    try:
        phone = normalize_phone(digits)
    except FieldError:
        return None, f"Số điện thoại “{text}” không hợp lệ nên không được lưu"
    return phone, "; ".join(notes) or None


# -- sex and relation ------------------------------------------------------------------------------

_SEX = {
    "nam": "m",
    "m": "m",
    "male": "m",
    "trai": "m",
    "nu": "f",
    "f": "f",
    "female": "f",
    "gai": "f",
}
_MARKS = frozenset({"x", "v", "1", "co", "✓", "✔", "+", "*", "nam", "nu"})


def parse_sex(value: Any) -> str | None:
    if not present(value):
        return None
    folded = fold(clean_text(value)).strip(" .")
    if folded in _SEX:
        return _SEX[folded]
    raise invalid("sex", "sex must be Nam or Nữ", f"Giới tính “{value}” không rõ; ghi Nam hoặc Nữ")


def is_mark(value: Any) -> bool:
    """A tick in a "Nam"/"Nữ" column (rather than a birth year there)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value == 1
    return isinstance(value, str) and fold(value).strip(" .") in _MARKS


# The relation words of household lists (police resident lists, hamlet heads' lists), lowercase
# with their accents. Decisions:
# "con dâu"/"con rể" and every other "con ..." are ``child``: the household registry lists them
# among the children, and the generation is what the app's relation says. In-laws of the
# head's generation and above ("bố vợ", "mẹ chồng", "em vợ") are ``other``. "Ba"/"Má"/"Mạ"/"Tía"
# are a father or mother (South and Centre); "Bà" (grandmother) and "Ông" are ``other``.
# "Cháu" is ``grandchild`` (plain "cháu" may be a nephew; the lists mean grandchildren far more
# often), and so is "chắt" (great-grandchild): the nearest relation the protocol has.
_RELATION_WORDS: dict[str, str] = {
    "chủ hộ": "head",
    "ch": "head",
    "c.h": "head",
    "chủ": "head",
    "chủ hộ gia đình": "head",
    "head": "head",
    "vợ": "spouse",
    "chồng": "spouse",
    "vợ/chồng": "spouse",
    "vợ chồng": "spouse",
    "spouse": "spouse",
    "con": "child",
    "child": "child",
    "bố": "parent",
    "cha": "parent",
    "mẹ": "parent",
    "ba": "parent",
    "má": "parent",
    "mạ": "parent",
    "tía": "parent",
    "bố mẹ": "parent",
    "cha mẹ": "parent",
    "parent": "parent",
    "cháu": "grandchild",
    "chắt": "grandchild",
    "grandchild": "grandchild",
}
_PARENT_WORDS = ("bố", "cha", "mẹ", "ba", "má", "mạ", "tía")
_FIRST_WORD = {"con": "child", "cháu": "grandchild", "chắt": "grandchild", "vợ": "spouse"}
_FIRST_WORD |= {"chồng": "spouse"} | dict.fromkeys(_PARENT_WORDS, "parent")
_IN_LAW = ("vợ", "chồng")
_HEAD_SUFFIX = re.compile(r"\s+(?:của\s+)?(?:chủ hộ|ch)$")
_PARENTHESES = re.compile(r"\(.*?\)|[.:;]+$")
# Typed without accents: the folded words that name one relation only.
_FOLDED_WORDS = {
    "chu ho": "head",
    "ch": "head",
    "chu": "head",
    "vo": "spouse",
    "chong": "spouse",
    "vo/chong": "spouse",
    "con": "child",
    "bo": "parent",
    "cha": "parent",
    "me": "parent",
    "ba": "parent",
    "ma": "parent",
    "chau": "grandchild",
}


def relation_of(value: Any) -> str | None:
    """The protocol's relation (``head``, ``spouse``, ``child``, ``parent``, ``grandchild`` or
    ``other``) for any relation word; ``None`` for an empty cell. Total: every other text is
    ``other``."""
    if not present(value):
        return None
    text = _PARENTHESES.sub("", clean_text(value).lower()).strip()
    text = " ".join(text.split())
    if not text:
        return "other"
    if text in _RELATION_WORDS:
        return _RELATION_WORDS[text]
    bare = _HEAD_SUFFIX.sub("", text)
    if bare in _RELATION_WORDS:
        return _RELATION_WORDS[bare]
    if text.isascii() and fold(text) in _FOLDED_WORDS:
        return _FOLDED_WORDS[fold(text)]
    words = bare.split()
    if words and words[0] == "con":
        return "child"
    if len(words) >= 2 and words[-1] in _IN_LAW:
        return "other"  # "bố vợ", "mẹ chồng", "em vợ": the in-laws
    if words and words[0] in _FIRST_WORD:
        return _FIRST_WORD[words[0]]
    if text.isascii():
        first = fold(text).split()
        if first and first[0] in ("con", "chau"):
            return "child" if first[0] == "con" else "grandchild"
    return "other"
