"""Vietnamese typed in the legacy 8-bit fonts, read back as Unicode.

Before Unicode, Vietnamese was typed with fonts that drew Vietnamese letters in place of
Latin-1 characters. A list kept since then still says "NguyÔn V¨n §øc" (TCVN3) or "Nguyeãn
Vaên Ñöùc" (VNI) once the font is gone: Excel holds the characters the keyboard sent, not the
letters the font drew.

* **TCVN3** (TCVN 5712:1993 VN3, the "ABC" fonts ``.VnTime``, ``.VnArial``): one byte per letter,
  0xA1-0xFF. It has the lowercase letters and seven capitals (Ă Â Ê Ô Ơ Ư Đ); capitals with a
  tone mark were typed in the matching ``...H`` font (``.VnTimeH``), which draws the lowercase
  codes as capitals. So a cell whose plain letters are all capitals (at least two of them) is
  read as ``.VnTimeH`` text and comes back in capitals.
* **VNI** (VNI-Windows, the ``VNI-Times`` fonts): a base letter followed by a mark character
  (``a`` + ``ù`` = ``á``, ``o`` + ``â`` = ``ô``, ``a`` + ``á`` = ``ấ``); a few letters are single
  characters (``ô`` = ``ơ``, ``ö`` = ``ư``, ``ñ`` = ``đ``, ``í ì æ ó ò`` = ``í ì ỉ ĩ ị``,
  ``î`` = ``ỵ``).

:func:`detect` decides for a group of cells (a sheet): only cells made of ASCII and Latin-1
characters can be legacy text. Real Unicode Vietnamese (any letter outside Latin-1, such as
ă đ ơ ư or ạ ễ) is never converted. An encoding is taken when at least
:data:`SIGNATURE_SHARE` of the candidate cells hold characters that only it produces, and when
its reading gives Vietnamese syllables for at least :data:`VALID_SHARE` of the words, clearly
more (:data:`MARGIN`) than the text as it stands and than the other encoding's reading (a
few short cells can read as both: then nothing is converted). The mapping tables below are the published
encodings (TCVN 5712:1993 table VN3; the VNI-Windows keyboard fonts' table).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

TCVN3 = "tcvn3"
VNI = "vni"
ENCODINGS = (TCVN3, VNI)
NAMES_VI = {TCVN3: "TCVN3 (ABC, .VnTime)", VNI: "VNI (VNI-Times)"}

SIGNATURE_SHARE = 0.3
VALID_SHARE = 0.6
MARGIN = 0.1
SAMPLE = 3000  # cells looked at to decide; the decision applies to every cell

# TCVN3 bytes 0xA1-0xFF in order; "_" marks the positions VN3 leaves empty (they hold VN1's
# capitals with tone marks, and combining marks, that the .VnTime fonts do not have).
_TCVN3_HIGH = "ĂÂÊÔƠƯĐăâêôơưđ______àảãáạ_ằẳẵắ_______ặầẩẫấậè_ẻẽéẹềểễếệìỉ___ĩíịò_ỏõóọồổỗốộờởỡớợù_ủũúụừửữứựỳỷỹýỵ_"
TCVN3_DECODE: dict[str, str] = {
    chr(0xA1 + i): letter for i, letter in enumerate(_TCVN3_HIGH) if letter != "_"
}
TCVN3_ENCODE: dict[str, str] = {letter: code for code, letter in TCVN3_DECODE.items()}
_TCVN3_TABLE = str.maketrans(TCVN3_DECODE)

# VNI: the mark characters after a vowel, by (vowel shape, tone). Tones: "" none, then acute,
# grave, hook above, tilde, dot below.
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_VNI_TONE = ("", "ù", "ø", "û", "õ", "ï")
_VNI_CIRCUMFLEX = ("â", "á", "à", "å", "ã", "ä")  # â ấ ầ ẩ ẫ ậ after a, e, o
_VNI_BREVE = ("ê", "é", "è", "ú", "ü", "ë")  # ă ắ ằ ẳ ẵ ặ after a
_VNI_I = ("i", "í", "ì", "æ", "ó", "ò")  # i í ì ỉ ĩ ị: one character each


def _compose(base: str, *marks: str) -> str:
    return unicodedata.normalize("NFC", base + "".join(marks))


def _vni_pairs() -> dict[str, str]:
    """Unicode letter (lowercase) -> its VNI spelling (lowercase)."""
    pairs: dict[str, str] = {"đ": "ñ"}
    for t, tone in enumerate(_TONES):
        for vowel in "aeouy":
            pairs[_compose(vowel, tone)] = vowel + _VNI_TONE[t]
        for vowel in "aeo":
            pairs[_compose(vowel, "\u0302", tone)] = vowel + _VNI_CIRCUMFLEX[t]
        pairs[_compose("a", "\u0306", tone)] = "a" + _VNI_BREVE[t]
        pairs[_compose("o", "\u031b", tone)] = "ô" + _VNI_TONE[t]  # ơ
        pairs[_compose("u", "\u031b", tone)] = "ö" + _VNI_TONE[t]  # ư
        pairs[_compose("i", tone)] = _VNI_I[t]
    pairs["ỵ"] = "î"
    return pairs


VNI_ENCODE: dict[str, str] = {}
for _letter, _spelling in _vni_pairs().items():
    VNI_ENCODE[_letter] = _spelling
    if _letter.upper() != _letter:
        VNI_ENCODE[_letter.upper()] = _spelling.upper()
VNI_ENCODE = {k: v for k, v in VNI_ENCODE.items() if k != v}
# Decoding takes the base's case; the mark may be typed in either case.
VNI_DECODE: dict[str, str] = {}
for _letter, _spelling in VNI_ENCODE.items():
    VNI_DECODE[_spelling] = _letter
    if len(_spelling) == 2:
        VNI_DECODE[_spelling[0] + _spelling[1].swapcase()] = _letter
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, VNI_DECODE), key=len, reverse=True)))

# The letters of Vietnamese that Latin-1 has: real Unicode Vietnamese may be made of these
# alone ("Lê Thành Tâm"), so they tell nothing.
_VIETNAMESE_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_TCVN3_SIGNATURE = frozenset(TCVN3_DECODE) - _VIETNAMESE_LATIN1
_VNI_MARKS = "ùøûõïâáàåãäêéèúüë"
_VNI_SIGNATURE = re.compile(
    f"[aeAE][{_VNI_MARKS}{_VNI_MARKS.upper()}]|[ôöÔÖ][ùøûõïÙØÛÕÏ]|[yY][ùøûõÙØÛÕ]|[öÖñÑ]"
)

_TONE_MARKS = re.compile("[\u0300\u0301\u0303\u0309\u0323]")
_NUCLEI = (
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi ua uâ ue uê ui "
    "uô uơ uy ưa ưi ưu ươ yê iêu yêu oai oay oao oeo uây uôi uya uyê uyu ươi ươu oo"
)
_SYLLABLE = re.compile(
    "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    f"(?:{'|'.join(sorted(_NUCLEI.split(), key=len, reverse=True))})"
    "(?:ch|ng|nh|[cmnpt])?"
)
_WORD = re.compile(r"[^\s,.;:!?()\[\]/\\\-–\"'“”0-9]+")


def could_be_legacy(text: str) -> bool:
    """Text that a legacy font may have drawn: Latin-1 only, with something past ASCII."""
    return not text.isascii() and max(text) <= "\xff"


def is_unicode_vietnamese(text: str) -> bool:
    """Text with a character only Unicode has (ă, đ, ơ, ư, ạ...): never converted."""
    return max(text, default="\x00") > "\xff"


def decode(text: str, encoding: str) -> str:
    """Unicode (NFC) from text typed in ``encoding``; Unicode Vietnamese comes back as it is."""
    if text.isascii() or is_unicode_vietnamese(text):
        return text
    if encoding == TCVN3:
        out = text.translate(_TCVN3_TABLE)
        letters = [ch for ch in text if ch.isascii() and ch.isalpha()]
        if len(letters) >= 2 and all(ch.isupper() for ch in letters):
            out = out.upper()  # typed in the .VnTimeH font: every letter a capital
        return out
    if encoding == VNI:
        return _VNI_PATTERN.sub(lambda m: VNI_DECODE[m.group()], text)
    raise ValueError(f"unknown encoding {encoding!r}")


def encode(text: str, encoding: str) -> str:
    """The legacy spelling of Unicode Vietnamese (for tests and for checking a conversion).

    TCVN3 has no capitals with tone marks: text in capitals is written as the ``.VnTimeH``
    font takes it (the lowercase codes), anything else keeps the capitals TCVN3 has; a capital
    it cannot hold raises ``ValueError``."""
    text = unicodedata.normalize("NFC", text)
    if encoding == VNI:
        return "".join(VNI_ENCODE.get(ch, ch) for ch in text)
    if encoding != TCVN3:
        raise ValueError(f"unknown encoding {encoding!r}")
    letters = [ch for ch in text if ch.isascii() and ch.isalpha()]
    h_font = len(letters) >= 2 and text == text.upper()
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
        elif h_font and ch.lower() in TCVN3_ENCODE:
            out.append(TCVN3_ENCODE[ch.lower()])
        elif ch in TCVN3_ENCODE:
            out.append(TCVN3_ENCODE[ch])
        else:
            raise ValueError(f"TCVN3 cannot hold {ch!r} here")
    return "".join(out)


def has_signature(text: str, encoding: str) -> bool:
    """Whether ``text`` holds a character (or pair) that only ``encoding`` produces."""
    if encoding == TCVN3:
        return not _TCVN3_SIGNATURE.isdisjoint(text)
    return _VNI_SIGNATURE.search(text) is not None


def valid_share(texts: Iterable[str]) -> float:
    """The share of the words past ASCII that are Vietnamese syllables (1.0 when none)."""
    words = [w for text in texts for w in _WORD.findall(text) if not w.isascii()]
    if not words:
        return 1.0
    return sum(is_syllable(w) for w in words) / len(words)


def is_syllable(word: str) -> bool:
    """A written Vietnamese syllable: initial, vowels, final, at most one tone mark."""
    bare = unicodedata.normalize("NFD", word.lower())
    if len(_TONE_MARKS.findall(bare)) > 1:
        return False
    bare = unicodedata.normalize("NFC", _TONE_MARKS.sub("", bare))
    return _SYLLABLE.fullmatch(bare) is not None


@dataclass(frozen=True)
class Detection:
    encoding: str | None  # TCVN3, VNI or None (Unicode or plain text)
    candidates: int  # cells that could be legacy text
    signature_share: float  # of the chosen encoding (or the best), among the candidates
    valid_share: float  # words read as Vietnamese syllables after conversion
    as_is_share: float  # the same, for the text as it stands


def detect(texts: Iterable[str]) -> Detection:
    """The legacy encoding ``texts`` (one sheet's text cells) were typed in, if any."""
    candidates = []
    for text in texts:
        if could_be_legacy(text):
            candidates.append(text)
            if len(candidates) >= SAMPLE:
                break
    if not candidates:
        return Detection(None, 0, 0.0, 1.0, 1.0)
    as_is = valid_share(candidates)
    signed = {e: sum(has_signature(t, e) for t in candidates) / len(candidates) for e in ENCODINGS}
    valid = {e: valid_share(decode(t, e) for t in candidates) for e in ENCODINGS}
    for encoding in ENCODINGS:
        rivals = [as_is, *(valid[e] for e in ENCODINGS if e != encoding)]
        if (
            signed[encoding] >= SIGNATURE_SHARE
            and valid[encoding] >= VALID_SHARE
            and valid[encoding] >= max(rivals) + MARGIN
        ):
            return Detection(encoding, len(candidates), signed[encoding], valid[encoding], as_is)
    return Detection(None, len(candidates), max(signed.values()), as_is, as_is)
