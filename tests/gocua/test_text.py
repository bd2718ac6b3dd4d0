"""Vietnamese folding for accent-insensitive search, and name normalisation."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gocua.text import fold, normalize_name

# Tone marks (huyền, sắc, ngã, hỏi, nặng) and vowel marks (â/ê/ô, ă, ơ/ư) as combining chars.
TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
VOWEL_MARKS = {
    "a": ("", "\u0302", "\u0306"),
    "e": ("", "\u0302"),
    "o": ("", "\u0302", "\u031b"),
    "u": ("", "\u031b"),
    "i": ("",),
    "y": ("",),
}
CONSONANTS = "bcdghklmnpqrstvx"


@st.composite
def vietnamese_letter(draw) -> tuple[str, str]:
    """One letter with random marks, and its unaccented spelling (lower case)."""
    if draw(st.booleans()):
        base = draw(st.sampled_from(sorted(VOWEL_MARKS)))
        marked = base + draw(st.sampled_from(VOWEL_MARKS[base])) + draw(st.sampled_from(TONES))
        plain = base
    else:
        base = draw(st.sampled_from(CONSONANTS + "đ"))
        marked = base
        plain = "d" if base == "đ" else base
    if draw(st.booleans()):
        marked = marked.upper()
    form = draw(st.sampled_from(("NFC", "NFD", "NFKC")))
    return unicodedata.normalize(form, marked), plain


@st.composite
def vietnamese_phrase(draw) -> tuple[str, str]:
    words = draw(
        st.lists(st.lists(vietnamese_letter(), min_size=1, max_size=7), min_size=1, max_size=4)
    )
    spaces = draw(st.lists(st.sampled_from([" ", "  ", "\t", " \n "]), min_size=len(words)))
    marked = "".join(
        "".join(m for m, _ in word) + sep for word, sep in zip(words, spaces, strict=False)
    )
    plain = " ".join("".join(p for _, p in word) for word in words)
    return marked, plain


@pytest.mark.parametrize(
    "text",
    [
        "Nguyễn Văn Đức",
        unicodedata.normalize("NFD", "Nguyễn Văn Đức"),
        "NGUYỄN VĂN ĐỨC",
        "  nguyễn   văn\tđức ",
        "nguyen van duc",
    ],
)
def test_known_name_folds_to_ascii(text):
    assert fold(text) == "nguyen van duc"


def test_nfd_input_really_is_decomposed():
    # Guard that the NFD case above exercises combining marks, not a precomposed string.
    nfd = unicodedata.normalize("NFD", "Nguyễn Văn Đức")
    assert nfd != "Nguyễn Văn Đức"
    assert any(unicodedata.combining(ch) for ch in nfd)


@pytest.mark.parametrize("letter", ["đ", "Đ", "\u0111", "\u0110"])
def test_d_with_stroke_folds_to_d(letter):
    # đ is a letter of its own: NFD leaves it alone, so it has to be mapped by hand.
    assert unicodedata.normalize("NFD", letter) == letter
    assert fold(letter) == "d"
    assert fold(f"{letter}ường") == "duong"


@pytest.mark.parametrize("empty", [None, "", "   ", "\t\n"])
def test_empty_folds_to_empty(empty):
    assert fold(empty) == ""


def test_fold_keeps_digits_and_punctuation():
    assert fold("Số 12, Ấp Bình Minh") == "so 12, ap binh minh"


@settings(deadline=None, max_examples=150)
@given(vietnamese_phrase())
def test_fold_equals_fold_of_unaccented_spelling(pair):
    marked, plain = pair
    assert fold(marked) == fold(plain) == plain


@settings(deadline=None, max_examples=200)
@given(st.text())
def test_fold_is_idempotent(text):
    once = fold(text)
    assert fold(once) == once


@settings(deadline=None, max_examples=100)
@given(vietnamese_phrase())
def test_fold_output_has_no_marks_upper_case_or_double_spaces(pair):
    folded = fold(pair[0])
    assert not any(unicodedata.combining(ch) for ch in folded)
    assert folded == folded.lower()
    assert "  " not in folded
    assert folded == folded.strip()


def test_normalize_name_composes_and_collapses_spaces():
    nfd = unicodedata.normalize("NFD", "Trần  Thị\tThu Hà ")
    name = normalize_name(nfd)
    assert name == "Trần Thị Thu Hà"
    assert unicodedata.is_normalized("NFC", name)
    assert name != fold(name)  # keeps the accents, unlike fold
