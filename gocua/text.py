"""Vietnamese text folding for accent-insensitive search.

``fold("Nguyễn Văn Đức") == fold("nguyen van duc") == "nguyen van duc"``. Unicode NFD strips
every tone and vowel mark, but ``đ`` is a letter of its own (not d + a mark), so it is mapped
by hand; SQLite's unicode61 tokenizer misses exactly that one, which is why the store indexes
text folded here rather than relying on the tokenizer.
"""

from __future__ import annotations

import re
import unicodedata

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def normalize_name(text: str) -> str:
    """A person's or place's name as stored: NFC, single spaces, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
