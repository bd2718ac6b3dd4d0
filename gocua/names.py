"""The names people read for the codes of the domain, Vietnamese and English, in one table.

Support-item states, visit outcomes and a figure's standing against its target are named here;
items, reasons and indicators are named in the catalogue (``resources/catalogue.toml``, read by
:mod:`gocua.catalogue`), and :func:`indicator_short` gives an indicator's column heading. The
app's screens, its exports (XLSX, CSV, PDF) and the server's report all take their names from
here, so a state reads the same on the screen and on paper. Each name has a short form for the
narrow cells of a grid, kept in the same row.
"""

from __future__ import annotations

from dataclasses import dataclass

from gocua.catalogue import PERSON, SMARTPHONE_ATTRIBUTE, Catalogue, Indicator
from gocua.coverage import BELOW, MET, NEAR, NO_TARGET, NOBODY
from gocua.states import (
    ALREADY_HAD,
    DECLINED,
    DONE,
    GUIDED,
    NOT_ELIGIBLE,
    NOT_STARTED,
    PENDING,
)

VI, EN = "vi", "en"


@dataclass(frozen=True)
class Name:
    vi: str
    en: str
    short_vi: str = ""
    short_en: str = ""

    def name(self, lang: str = VI) -> str:
        return self.en if lang == EN else self.vi

    def short(self, lang: str = VI) -> str:
        short = self.short_en if lang == EN else self.short_vi
        return short or self.name(lang)


# fmt: off
STATE_NAMES: dict[str, Name] = {
    NOT_STARTED:  Name("Chưa làm",         "Not started",  "Chưa làm", "To do"),
    GUIDED:       Name("Đã hướng dẫn",     "Guided",       "Đã HD",    "Guided"),
    PENDING:      Name("Đang chờ",         "Pending",      "Đang chờ", "Pending"),
    DONE:         Name("Đã xong",          "Done",         "Xong",     "Done"),
    ALREADY_HAD:  Name("Đã có sẵn",        "Already had",  "Đã có",    "Had it"),
    DECLINED:     Name("Từ chối",          "Declined",     "Từ chối",  "Declined"),
    NOT_ELIGIBLE: Name("Không thuộc diện", "Not eligible", "Không ĐK", "Not elig."),
}
# fmt: on
OUTCOME_NAMES: dict[str, Name] = {
    "met": Name("Gặp được", "Met"),
    "not_home": Name("Không có nhà", "Not home"),
    "refused": Name("Từ chối tiếp", "Refused"),
    "moved": Name("Đã chuyển đi", "Moved"),
}
# A figure against its target (gocua.coverage.target_status); no word when there is no target
# or nobody is eligible.
TARGET_STATUS_NAMES: dict[str, Name] = {
    MET: Name("Đạt", "Met"),
    NEAR: Name("Gần đạt", "Near"),
    BELOW: Name("Chưa đạt", "Below"),
    NO_TARGET: Name("", ""),
    NOBODY: Name("", ""),
}
# Indicators counted from a person's attribute rather than an item have no item's short name.
ATTRIBUTE_NAMES: dict[str, Name] = {
    SMARTPHONE_ATTRIBUTE: Name(
        "Điện thoại thông minh", "Smartphone", "Điện thoại TM", "Smartphone"
    ),
}


def _look(table: dict[str, Name], code: str | None, lang: str, short: bool = False) -> str:
    name = table.get(code or "")
    if name is None:
        return code or ""
    return name.short(lang) if short else name.name(lang)


def state_name(state: str | None, lang: str = VI) -> str:
    return _look(STATE_NAMES, state, lang)


def state_short(state: str | None, lang: str = VI) -> str:
    """The state as a grid cell shows it (narrow columns)."""
    return _look(STATE_NAMES, state, lang, short=True)


def outcome_name(outcome: str | None, lang: str = VI) -> str:
    return _look(OUTCOME_NAMES, outcome, lang)


def target_status_name(status: str, lang: str = VI) -> str:
    return _look(TARGET_STATUS_NAMES, status, lang)


def indicator_name(indicator: Indicator, lang: str = VI) -> str:
    return indicator.name(lang)


def indicator_short(catalogue: Catalogue, code: str, lang: str = VI) -> str:
    """A column heading short enough for a matrix: the item's short name and the age."""
    ind = catalogue.indicator(code)
    if ind.item is None:
        label = _look(ATTRIBUTE_NAMES, ind.attribute, lang, short=True)
    else:
        label = catalogue.item(ind.item).short(lang)
    if ind.level == PERSON and ind.min_age and ind.code != ind.item:
        label = f"{label} ({ind.min_age}+)"
    return label
