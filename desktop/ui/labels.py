"""Translated names of codes (states, outcomes, relations, ...) and the colours of states.

Strings are marked for ``pyside6-lupdate`` with ``QCoreApplication.translate`` in the context
"Labels"; the source language is Vietnamese.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor

from gocua.catalogue import Item, Reason


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def _look(table: dict[str, str], code: str | None) -> str:
    return _t(table[code]) if code in table else (code or "")


def _look_short(table: dict[str, str], code: str | None) -> str:
    if code not in table:
        return code or ""
    return QCoreApplication.translate("LabelsShort", table[code])


def language() -> str:
    """'vi' or 'en': the language of the installed translation."""
    return "en" if _t("Xong") == "Done" else "vi"


def state_name(state: str) -> str:
    return _look(
        {
            "not_started": QT_TRANSLATE_NOOP("Labels", "Chưa làm"),
            "guided": QT_TRANSLATE_NOOP("Labels", "Đã hướng dẫn"),
            "pending": QT_TRANSLATE_NOOP("Labels", "Đang chờ"),
            "done": QT_TRANSLATE_NOOP("Labels", "Xong"),
            "already_had": QT_TRANSLATE_NOOP("Labels", "Đã có"),
            "declined": QT_TRANSLATE_NOOP("Labels", "Từ chối"),
            "not_eligible": QT_TRANSLATE_NOOP("Labels", "Không đủ ĐK"),
        },
        state,
    )


def state_short(state: str) -> str:
    """The state as a grid cell shows it (narrow columns)."""
    return _look_short(
        {
            "not_started": QT_TRANSLATE_NOOP("LabelsShort", "Chưa làm"),
            "guided": QT_TRANSLATE_NOOP("LabelsShort", "Đã HD"),
            "pending": QT_TRANSLATE_NOOP("LabelsShort", "Đang chờ"),
            "done": QT_TRANSLATE_NOOP("LabelsShort", "Xong"),
            "already_had": QT_TRANSLATE_NOOP("LabelsShort", "Đã có"),
            "declined": QT_TRANSLATE_NOOP("LabelsShort", "Từ chối"),
            "not_eligible": QT_TRANSLATE_NOOP("LabelsShort", "Không ĐK"),
        },
        state,
    )


def outcome_name(outcome: str) -> str:
    return _look(
        {
            "met": QT_TRANSLATE_NOOP("Labels", "Gặp được"),
            "not_home": QT_TRANSLATE_NOOP("Labels", "Không có nhà"),
            "refused": QT_TRANSLATE_NOOP("Labels", "Từ chối tiếp"),
            "moved": QT_TRANSLATE_NOOP("Labels", "Đã chuyển đi"),
        },
        outcome,
    )


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
