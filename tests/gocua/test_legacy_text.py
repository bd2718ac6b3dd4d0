"""gocua.legacy_text: TCVN3 and VNI read back as Unicode, and Unicode never "converted"."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gocua import legacy_text
from gocua.legacy_text import TCVN3, VNI, decode, detect, encode, is_syllable

INITIALS = "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split()
NUCLEI = "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oe oi ôi ơi ua uâ ưa ươ uy"
FINALS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]
TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]


def _syllable(initial: str, nucleus: str, final: str, tone: str) -> str:
    # The tone goes on the last vowel of the nucleus (placement does not matter here).
    return unicodedata.normalize("NFC", initial + nucleus + tone + final)


syllables = st.builds(
    _syllable,
    st.sampled_from(["", *INITIALS]),
    st.sampled_from(NUCLEI.split()),
    st.sampled_from(FINALS),
    st.sampled_from(TONES),
)
words = st.lists(syllables, min_size=1, max_size=4)


@st.composite
def names(draw, case=None):
    parts = draw(words)
    case = case or draw(st.sampled_from(["lower", "title", "upper"]))
    if case == "title":
        parts = [p[:1].upper() + p[1:] for p in parts]
    text = " ".join(parts)
    return text.upper() if case == "upper" else text


def test_the_tables_hold_every_vietnamese_letter():
    assert len(legacy_text.TCVN3_DECODE) == 74  # 67 lowercase letters and 7 capitals
    lowercase = {ch for ch in legacy_text.TCVN3_DECODE.values() if ch.islower()}
    # VNI spells every one of them but í and ì, which it keeps as they are.
    assert lowercase - set(legacy_text.VNI_ENCODE) == {"í", "ì"}
    assert len(legacy_text.VNI_ENCODE) == 2 * (67 - 2)
    assert decode("NguyÔn V¨n §øc", TCVN3) == "Nguyễn Văn Đức"
    assert decode("Nguyeãn Vaên Ñöùc", VNI) == "Nguyễn Văn Đức"
    assert decode("DANH S¸CH Hé GIA §×NH", TCVN3) == "DANH SÁCH HỘ GIA ĐÌNH"  # .VnTimeH
    assert decode("Hä vµ tªn", TCVN3) == "Họ và tên"
    assert decode("Hoï vaø teân", VNI) == "Họ và tên"


@settings(deadline=None)
@given(names())
def test_vni_round_trip_is_the_identity(text):
    assert decode(encode(text, VNI), VNI) == text


@settings(deadline=None)
@given(st.one_of(names("lower"), names("upper"), names("title")))
def test_tcvn3_round_trip_is_the_identity_where_tcvn3_can_hold_the_text(text):
    try:
        typed = encode(text, TCVN3)
    except ValueError:
        # A capital with a tone mark in mixed-case text: .VnTime has none (it was typed
        # in lowercase, "¸nh", and the name's case is repaired separately).
        assume(False)
    plain = [ch for ch in text if ch.isascii() and ch.isalpha()]
    assume(not (len(plain) >= 2 and all(c.isupper() for c in plain) and text != text.upper()))
    assert decode(typed, TCVN3) == text


@settings(deadline=None)
@given(st.lists(names(), min_size=1, max_size=30))
def test_unicode_vietnamese_is_never_converted(texts):
    found = detect(texts)
    assert found.encoding is None
    assert all(decode(t, TCVN3) == t for t in texts if legacy_text.is_unicode_vietnamese(t))


@settings(deadline=None)
@given(st.lists(names("title"), min_size=1, max_size=30), st.sampled_from([TCVN3, VNI]))
def test_legacy_text_is_never_taken_for_the_other_encoding(texts, encoding):
    typed = []
    for text in texts:
        try:
            typed.append(encode(text if encoding == VNI else text.lower(), encoding))
        except ValueError:
            continue
    assert detect(typed).encoding in (encoding, None)


REAL_LIST = [
    "Nguyễn Văn Hùng",
    "Trần Thị Lan",
    "Nguyễn Văn Nam",
    "Lê Thị Hoa",
    "Phạm Quốc Hưng",
    "Võ Thị Diễm",
    "Trương Mỹ Yến",
    "Huỳnh Ngọc Khuyên",
    "Đặng Văn Cũ",
    "Chủ hộ",
    "Vợ",
    "Con",
    "Số 5, ấp Long Hòa",
]


@pytest.mark.parametrize("encoding", [TCVN3, VNI])
def test_a_real_list_is_recognised_and_read_back(encoding):
    typed = [encode(t if encoding == VNI else t.lower(), encoding) for t in REAL_LIST]
    found = detect(typed)
    assert found.encoding == encoding and found.signature_share >= 0.3
    back = [decode(t, encoding) for t in typed]
    expected = REAL_LIST if encoding == VNI else [t.lower() for t in REAL_LIST]
    assert back == expected


def test_unicode_made_of_latin1_letters_only_stays_as_it_is():
    latin1_only = ["Lê Thành Tâm", "Tú", "Hà", "Võ Bé", "Lý Tài", "Cà Mau", "Hoà"]
    assert all(legacy_text.could_be_legacy(t) for t in latin1_only)
    assert detect(latin1_only).encoding is None
    assert detect([*latin1_only, *REAL_LIST]).encoding is None


def test_syllables():
    assert all(is_syllable(w) for w in "nghiêng khuyên trương quốc giữa ngoài".split())
    assert not any(is_syllable(w) for w in ["nguyeón", "vaờn", "nguyơn", "thÞ", "ãá"])
