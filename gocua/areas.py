"""Matching place names the way people write them: "ap binh minh" = "Ấp Bình Minh" = "Bình Minh".

A hamlet head writes "Ấp Bình Minh", "ấp Bình Minh.", "Bình Minh" or "AP BINH MINH"; a commune
"Xã Hòa Phú" or "Hòa Phú". :func:`area_key` reduces each to one key: accents and case folded,
punctuation made space, the administrative word in front ("ấp", "thôn", "khu phố", "xã",
"phường"...) dropped, and numbers without leading zeros ("Ấp 03" = "ấp 3"). Joining an offline
profile to the server, importing a hamlet head's list and checking an account's commune all
match names with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gocua.text import fold

# Longest first: "khu pho" before "khu", "to dan pho" before "to". Folded forms.
HAMLET_WORDS = (
    "to dan pho",
    "khu dan cu",
    "khu pho",
    "ap",
    "thon",
    "xom",
    "ban",
    "buon",
    "lang",
    "khom",
    "soc",
    "plei",
    "kdc",
    "tdp",
    "kp",
    "to",
    "khu",
)
COMMUNE_WORDS = ("thi tran", "dac khu", "xa", "phuong", "tt")
_PUNCTUATION = re.compile(r"[^0-9a-z]+")
_NUMBER = re.compile(r"\b0+(\d)")


def _strip_prefix(words: str, prefixes: Iterable[str]) -> str:
    for prefix in prefixes:
        if words == prefix:
            return words  # the word alone is the name ("Ấp"), keep it
        if words.startswith(prefix + " "):
            return words[len(prefix) + 1 :]
    return words


def area_key(name: str | None, kind: str = "hamlet") -> str:
    """The key two spellings of one place share (``kind``: "hamlet" or "commune")."""
    words = " ".join(_PUNCTUATION.sub(" ", fold(name)).split())
    words = _strip_prefix(words, COMMUNE_WORDS if kind == "commune" else HAMLET_WORDS)
    return _NUMBER.sub(r"\1", words)


def same_area(a: str | None, b: str | None, kind: str = "hamlet") -> bool:
    key = area_key(a, kind)
    return bool(key) and key == area_key(b, kind)


def match_by_name(
    name: str, candidates: Iterable[tuple[str, str]], kind: str = "hamlet"
) -> str | None:
    """The id of the one candidate ``(id, name)`` whose key equals ``name``'s; None when none or
    several do (two hamlets that differ only by their accents must be chosen by a person)."""
    key = area_key(name, kind)
    if not key:
        return None
    found = [area_id for area_id, other in candidates if area_key(other, kind) == key]
    return found[0] if len(found) == 1 else None
