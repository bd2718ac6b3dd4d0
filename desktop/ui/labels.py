"""Names of codes in the app's language (states, outcomes, relations, ...) and state colours.

States, visit outcomes, items, reasons and indicators are named by the core, in Vietnamese and
English (gocua.names, gocua.catalogue): the screens read the same words as the exports and the
server's report. The names only the screens use (relations, sexes, statuses) are marked for
``pyside6-lupdate`` with ``QCoreApplication.translate`` in the context "Labels"; the source
language is Vietnamese.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor

from desktop.ui import i18n
from gocua import names
from gocua.catalogue import Catalogue, Indicator, Item, Reason


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def _look(table: dict[str, str], code: str | None) -> str:
    return _t(table[code]) if code in table else (code or "")


def language() -> str:
    """'vi' or 'en': the language of the installed translation."""
    return i18n.current_language()


def state_name(state: str) -> str:
    return names.state_name(state, language())


def state_short(state: str) -> str:
    """The state as a grid cell shows it (narrow columns)."""
    return names.state_short(state, language())


def outcome_name(outcome: str) -> str:
    return names.outcome_name(outcome, language())


def relation_name(relation: str | None) -> str:
    if not relation:
        return ""
    return _look(
        {
            "head": QT_TRANSLATE_NOOP("Labels", "Chủ hộ"),
            "spouse": QT_TRANSLATE_NOOP("Labels", "Vợ/chồng"),
            "child": QT_TRANSLATE_NOOP("Labels", "Con"),
            "parent": QT_TRANSLATE_NOOP("Labels", "Cha/mẹ"),
            "grandchild": QT_TRANSLATE_NOOP("Labels", "Cháu"),
            "other": QT_TRANSLATE_NOOP("Labels", "Khác"),
        },
        relation,
    )


def sex_name(sex: str | None) -> str:
    return _look(
        {"m": QT_TRANSLATE_NOOP("Labels", "Nam"), "f": QT_TRANSLATE_NOOP("Labels", "Nữ")}, sex
    )


def household_status_name(status: str) -> str:
    return _look(
        {
            "active": QT_TRANSLATE_NOOP("Labels", "Đang ở"),
            "moved": QT_TRANSLATE_NOOP("Labels", "Đã chuyển đi"),
            "gone": QT_TRANSLATE_NOOP("Labels", "Không còn"),
        },
        status,
    )


def person_status_name(status: str) -> str:
    return _look(
        {
            "present": QT_TRANSLATE_NOOP("Labels", "Có mặt"),
            "away": QT_TRANSLATE_NOOP("Labels", "Đi làm xa"),
            "moved": QT_TRANSLATE_NOOP("Labels", "Đã chuyển đi"),
            "deceased": QT_TRANSLATE_NOOP("Labels", "Đã mất"),
        },
        status,
    )


def item_name(item: Item) -> str:
    return item.name(language())


def item_short(item: Item) -> str:
    return item.short(language())


def reason_name(reason: Reason) -> str:
    return reason.name(language())


def indicator_name(indicator: Indicator) -> str:
    return names.indicator_name(indicator, language())


def indicator_short(catalogue: Catalogue, code: str) -> str:
    return names.indicator_short(catalogue, code, language())


# Keys that set a state in the grids (shown in the legend): the path of progress first.
STATE_KEYS: dict[str, str] = {
    "1": "guided",
    "2": "pending",
    "3": "done",
    "4": "already_had",
    "5": "declined",
    "6": "not_eligible",
    "0": "not_started",
}

STATE_COLOURS: dict[str, str] = {
    "not_started": "#f1f1f1",
    "guided": "#cfe2ff",
    "pending": "#ffe08a",
    "done": "#a8e6b4",
    "already_had": "#c9eed2",
    "declined": "#f7c1c1",
    "not_eligible": "#dcdcdc",
}


def state_colour(state: str) -> QColor:
    return QColor(STATE_COLOURS.get(state, "#ffffff"))
