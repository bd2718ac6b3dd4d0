"""Readable names for what the sync panels show: tables, fields, values, rows, rejection reasons.

Vietnamese first, through ``QCoreApplication.translate`` in the context "SyncLabels".
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop.ui import labels
from gocua.dates import date_text, time_text
from gocua.protocol import label_vi, refusal_text


def table_name(table: str) -> str:
    return {
        "households": QCoreApplication.translate("SyncLabels", "Hộ"),
        "persons": QCoreApplication.translate("SyncLabels", "Người"),
        "support_items": QCoreApplication.translate("SyncLabels", "Hạng mục hỗ trợ"),
        "visits": QCoreApplication.translate("SyncLabels", "Lần thăm"),
        "targets": QCoreApplication.translate("SyncLabels", "Chỉ tiêu"),
    }.get(table, table)


# The protocol's field labels (gocua.protocol.label_vi), marked for translation here.
FIELD_LABELS = {
    "hamlet_id": QT_TRANSLATE_NOOP("SyncLabels", "Ấp/thôn"),
    "address": QT_TRANSLATE_NOOP("SyncLabels", "Địa chỉ"),
    "phone": QT_TRANSLATE_NOOP("SyncLabels", "Số điện thoại"),
    "note": QT_TRANSLATE_NOOP("SyncLabels", "Ghi chú"),
    "status": QT_TRANSLATE_NOOP("SyncLabels", "Tình trạng"),
    "household_id": QT_TRANSLATE_NOOP("SyncLabels", "Hộ"),
    "full_name": QT_TRANSLATE_NOOP("SyncLabels", "Họ và tên"),
    "birth_date": QT_TRANSLATE_NOOP("SyncLabels", "Ngày sinh"),
    "sex": QT_TRANSLATE_NOOP("SyncLabels", "Giới tính"),
    "cccd": QT_TRANSLATE_NOOP("SyncLabels", "Số CCCD"),
    "relation": QT_TRANSLATE_NOOP("SyncLabels", "Quan hệ với chủ hộ"),
    "has_smartphone": QT_TRANSLATE_NOOP("SyncLabels", "Điện thoại thông minh"),
    "subject_type": QT_TRANSLATE_NOOP("SyncLabels", "Loại đối tượng"),
    "subject_id": QT_TRANSLATE_NOOP("SyncLabels", "Đối tượng"),
    "item_code": QT_TRANSLATE_NOOP("SyncLabels", "Hạng mục"),
    "state": QT_TRANSLATE_NOOP("SyncLabels", "Trạng thái"),
    "reason": QT_TRANSLATE_NOOP("SyncLabels", "Lý do"),
    "visited_at": QT_TRANSLATE_NOOP("SyncLabels", "Thời điểm thăm"),
    "volunteer_id": QT_TRANSLATE_NOOP("SyncLabels", "Tình nguyện viên"),
    "outcome": QT_TRANSLATE_NOOP("SyncLabels", "Kết quả"),
    "follow_up_on": QT_TRANSLATE_NOOP("SyncLabels", "Ngày hẹn lại"),
    "items": QT_TRANSLATE_NOOP("SyncLabels", "Hạng mục đã làm"),
    "met_ids": QT_TRANSLATE_NOOP("SyncLabels", "Người đã gặp"),
    "area_id": QT_TRANSLATE_NOOP("SyncLabels", "Địa bàn"),
    "indicator_code": QT_TRANSLATE_NOOP("SyncLabels", "Chỉ tiêu"),
    "period": QT_TRANSLATE_NOOP("SyncLabels", "Kỳ"),
    "percent": QT_TRANSLATE_NOOP("SyncLabels", "Tỷ lệ (%)"),
}


def field_name(field: str) -> str:
    if field == "_deleted":
        return QCoreApplication.translate("SyncLabels", "Xóa bản ghi")
    if field in FIELD_LABELS:
        return QCoreApplication.translate("SyncLabels", FIELD_LABELS[field])
    return label_vi(field)


def value_text(field: str, value: Any, table: str = "") -> str:
    """A field's value as the user reads it."""
    if value is None or value == "":
        return QCoreApplication.translate("SyncLabels", "(trống)")
    if isinstance(value, bool):
        return (
            QCoreApplication.translate("SyncLabels", "Có")
            if value
            else QCoreApplication.translate("SyncLabels", "Không")
        )
    if field in ("birth_date", "follow_up_on"):
        return date_text(value)
    if field == "visited_at":
        return time_text(value)
    if field == "state":
        return labels.state_name(value)
    if field == "relation":
        return labels.relation_name(value)
    if field == "sex":
        return labels.sex_name(value)
    if field == "outcome":
        return labels.outcome_name(value)
    if field == "status":
        if table == "households":
            return labels.household_status_name(value)
        return labels.person_status_name(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def when_text(iso: str | None) -> str:
    """An ISO time (UTC or with an offset) as every screen shows a moment: Vietnam time,
    ``dd/mm/yyyy HH:MM`` (gocua.dates)."""
    return time_text(iso)


def reason_text(code: str | None, message: str | None = None) -> str:
    """Why the server refused a change, in the app's language (gocua.protocol.REFUSALS); the
    server's own words follow as detail when asked for."""
    text = refusal_text(code, labels.language())
    return f"{text} ({message})" if message else text
