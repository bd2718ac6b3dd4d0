"""Vietnamese text folding for accent-insensitive search.

``fold("Nguyễn Văn Đức") == fold("nguyen van duc") == "nguyen van duc"``. Unicode NFD strips
every tone and vowel mark, but ``đ`` is a letter of its own (not d + a mark), so it is mapped
by hand; SQLite's unicode61 tokenizer misses exactly that one, which is why the store indexes
text folded here rather than relying on the tokenizer.
"""

from __future__ import annotations

import re
import unicodedata

_SPECIAL = {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"}
_SPACES = re.compile(r"\s+")


def _slow_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(str.maketrans(_SPECIAL)))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# The marks NFD takes off Latin letters (every tone and vowel mark of Vietnamese), and what
# tells that a decomposed text holds something else.
_LATIN_MARKS = re.compile("[\u0300-\u036f]+")
_NOT_LATIN = re.compile("[^\x00-\x7f\u0300-\u036f]")


def fold(text: str | None) -> str:
    # The search index's triggers call this for every person written, twice: C-speed steps
    # only (NFD, a regex search, an ASCII encode, split and join), 3-4 us a name here against
    # 8-11 us for a str.translate over a table of precomposed letters and a regex substitution.
    if not text:
        return ""
    if not text.isascii():
        for special, plain in _SPECIAL.items():
            text = text.replace(special, plain)
        decomposed = unicodedata.normalize("NFD", text)
        if _NOT_LATIN.search(decomposed) is None:  # ASCII letters and their marks only
            text = decomposed.encode("ascii", "ignore").decode("ascii")
        else:  # letters outside Latin: the general path
            text = _slow_fold(_LATIN_MARKS.sub("", decomposed))
    # str.split() and str.strip() split on exactly the characters regex's \s matches.
    return " ".join(text.casefold().split())


_WORDS = re.compile(r"\w+")


def match_key(text: str | None) -> str:
    """What two records must share to be "the same" name or address: the folded words, with
    punctuation and spacing dropped (``"Số 12, tổ 3"`` and ``"so 12 to 3"`` give one key)."""
    return " ".join(_WORDS.findall(fold(text)))


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str | None) -> tuple:
    """How people read a list of addresses: numbers as numbers ("Số 2" before "Số 10" before
    "Số 100"), letters without accents or case."""
    parts = _DIGITS.split(fold(text))
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in parts if part)


def normalize_name(text: str) -> str:
    """A person's or place's name as stored: NFC, single spaces, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
