"""Translated names of codes (states, outcomes, relations, ...) and the colours of states.

Strings are marked for ``pyside6-lupdate`` with ``QCoreApplication.translate`` in the context
"Labels"; the source language is Vietnamese.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from gocua.catalogue import Item, Reason


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def language() -> str:
    """'vi' or 'en': the language of the installed translation."""
    return "en" if _t("Xong") == "Done" else "vi"


def state_name(state: str) -> str:
    return {
        "not_started": _t("Chưa làm"),
        "guided": _t("Đã hướng dẫn"),
        "pending": _t("Đang chờ"),
        "done": _t("Xong"),
        "already_had": _t("Đã có"),
        "declined": _t("Từ chối"),
        "not_eligible": _t("Không đủ ĐK"),
    }.get(state, state)


def state_short(state: str) -> str:
    """The state as a grid cell shows it (narrow columns)."""
    return {
        "not_started": _t("Chưa làm"),
        "guided": _t("Đã HD"),
        "pending": _t("Đang chờ"),
        "done": _t("Xong"),
        "already_had": _t("Đã có"),
        "declined": _t("Từ chối"),
        "not_eligible": _t("Không ĐK"),
    }.get(state, state)


def outcome_name(outcome: str) -> str:
    return {
        "met": _t("Gặp được"),
        "not_home": _t("Không có nhà"),
        "refused": _t("Từ chối tiếp"),
        "moved": _t("Đã chuyển đi"),
    }.get(outcome, outcome)


def relation_name(relation: str | None) -> str:
    if not relation:
        return ""
    return {
        "head": _t("Chủ hộ"),
        "spouse": _t("Vợ/chồng"),
        "child": _t("Con"),
        "parent": _t("Cha/mẹ"),
        "grandchild": _t("Cháu"),
        "other": _t("Khác"),
    }.get(relation, relation)


def sex_name(sex: str | None) -> str:
    return {"m": _t("Nam"), "f": _t("Nữ")}.get(sex or "", "")


def household_status_name(status: str) -> str:
    return {
        "active": _t("Đang ở"),
        "moved": _t("Đã chuyển đi"),
        "gone": _t("Không còn"),
    }.get(status, status)


def person_status_name(status: str) -> str:
    return {
        "present": _t("Có mặt"),
        "away": _t("Đi làm xa"),
        "moved": _t("Đã chuyển đi"),
        "deceased": _t("Đã mất"),
    }.get(status, status)


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
