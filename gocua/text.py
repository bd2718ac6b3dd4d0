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


def _build_table() -> dict[int, str | None]:
    # Every precomposed Latin letter (Latin-1, Extended-A/B, Extended Additional: all of
    # Vietnamese) mapped to its bare letters, and the combining marks to nothing, so folding
    # is one C-speed str.translate instead of NFD plus a Python loop: the search triggers call
    # it for every person written.
    table: dict[int, str | None] = {cp: None for cp in range(0x300, 0x370)}
    for start, end in ((0xC0, 0x250), (0x1E00, 0x1F00)):
        for cp in range(start, end):
            folded = _slow_fold(chr(cp))
            if folded != chr(cp):
                table[cp] = folded
    table.update({ord(k): v for k, v in _SPECIAL.items()})
    return table


_TABLE = _build_table()


def fold(text: str | None) -> str:
    if not text:
        return ""
    bare = text.translate(_TABLE)
    if not bare.isascii():  # letters outside Latin: take the general path
        bare = _slow_fold(bare)
    return _SPACES.sub(" ", bare.casefold()).strip()


def normalize_name(text: str) -> str:
    """A person's or place's name as stored: NFC, single spaces, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
