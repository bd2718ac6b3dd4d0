"""Readable names for what the sync panels show: tables, fields, values, rows, rejection reasons.

Vietnamese first, through ``QCoreApplication.translate`` in the context "SyncLabels".
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from PySide6.QtCore import QCoreApplication
from sqlalchemy import select

from desktop.store import Store
from desktop.store.schema import SYNCED_TABLES, User
from desktop.ui import labels
from gocua.protocol import label_vi


def _t(text: str) -> str:
    return QCoreApplication.translate("SyncLabels", text)


def table_name(table: str) -> str:
    return {
        "households": _t("Hộ"),
        "persons": _t("Người"),
        "support_items": _t("Hạng mục hỗ trợ"),
        "visits": _t("Lần thăm"),
        "targets": _t("Chỉ tiêu"),
    }.get(table, table)


def field_name(field: str) -> str:
    if field == "_deleted":
        return _t("Xóa bản ghi")
    return label_vi(field)


def value_text(field: str, value: Any, table: str = "") -> str:
    """A field's value as the user reads it."""
    if value is None or value == "":
        return _t("(trống)")
    if isinstance(value, bool):
        return _t("Có") if value else _t("Không")
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


def when_text(iso: str | None, today: dt.date | None = None) -> str:
    """An ISO time (UTC or with offset) in local time: "14:05" today, else "14:05 23/11/2026"."""
    if not iso:
        return ""
    try:
        moment = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone()
    if local.date() == (today or dt.date.today()):
        return local.strftime("%H:%M")
    return local.strftime("%H:%M %d/%m/%Y")


def reason_text(code: str | None, message: str | None) -> str:
    """Why the server refused a change, in Vietnamese (the server's own words as detail)."""
    names = {
        "forbidden_scope": _t("Ngoài địa bàn được phân công"),
        "unknown_reference": _t("Bản ghi liên quan không còn trên máy chủ"),
        "unknown_area": _t("Ấp/thôn không có trên máy chủ"),
        "unknown_table": _t("Loại dữ liệu máy chủ không nhận"),
        "invalid_id": _t("Mã bản ghi không hợp lệ"),
        "invalid_value": _t("Giá trị không hợp lệ"),
        "required": _t("Thiếu thông tin bắt buộc"),
        "too_long": _t("Nội dung quá dài"),
        "immutable": _t("Không được sửa sau khi đã tạo"),
        "unknown_field": _t("Trường dữ liệu máy chủ không nhận"),
        "unknown_item": _t("Hạng mục không có trong danh mục"),
        "unknown_reason": _t("Lý do không có trong danh mục"),
        "unknown_indicator": _t("Chỉ tiêu không có trong danh mục"),
    }
    text = names.get(code or "", _t("Máy chủ từ chối thay đổi này"))
    return f"{text} ({message})" if message else text


def describe_rows(store: Store, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """A short human label per (table, row id): a person's name, a household's address..."""
    out: dict[tuple[str, str], str] = {}
    wanted: dict[str, set[str]] = {}
    for table, row_id in keys:
        wanted.setdefault(table, set()).add(row_id)
    with store.read() as conn:
        for table, ids in wanted.items():
            t = SYNCED_TABLES.get(table)
            if t is None:
                continue
            if table == "persons":
                query = select(t.c.id, t.c.full_name)
            elif table == "households":
                query = select(t.c.id, t.c.address)
            elif table == "support_items":
                query = select(t.c.id, t.c.item_code)
            elif table == "visits":
                query = select(t.c.id, t.c.visited_at)
            else:
                query = select(t.c.id, t.c.indicator_code)
            for row_id, label in conn.execute(query.where(t.c.id.in_(sorted(ids)))):
                out[(table, row_id)] = str(label)
    for table, row_id in keys:
        out.setdefault((table, row_id), row_id[:8])
    return out


def user_names(store: Store) -> dict[str, str]:
    users = User.__table__
    with store.read() as conn:
        return dict(conn.execute(select(users.c.id, users.c.display_name)).all())
