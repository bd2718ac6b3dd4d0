"""The entities of SYNC.md: their fields, defaults and validation, and the summary checksum.

Both sides validate with :func:`check_fields`: the desktop services before they write, the
server for every pushed mutation (a problem there is a ``rejected`` result naming the field).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from gocua import ids, validation
from gocua.catalogue import Catalogue, default_catalogue
from gocua.states import (
    HOUSEHOLD_STATUSES,
    PERSON_STATUSES,
    RANK,
    RELATIONS,
    SEXES,
    STATES,
    VISIT_OUTCOMES,
)
from gocua.text import normalize_name
from gocua.validation import FieldError, ValidationFailed, invalid

TABLES: tuple[str, ...] = ("households", "persons", "support_items", "visits", "targets")
NOTE_MAX = 2000
MAX_MUTATIONS_PER_PUSH = 500
MAX_PULL_LIMIT = 5000
DEFAULT_PULL_LIMIT = 1000
EMPTY_CHECKSUM = "0000000000000000"

# Fields of each table in wire order, with the value a created row takes when not sent.
FIELDS: dict[str, dict[str, Any]] = {
    "households": {
        "hamlet_id": None,
        "address": None,
        "phone": None,
        "note": "",
        "status": "active",
    },
    "persons": {
        "household_id": None,
        "full_name": None,
        "birth_date": None,
        "sex": None,
        "cccd": None,
        "phone": None,
        "relation": None,
        "has_smartphone": None,
        "status": "present",
        "note": "",
    },
    "support_items": {
        "subject_type": None,
        "subject_id": None,
        "item_code": None,
        "state": None,
        "reason": None,
        "note": "",
    },
    "visits": {
        "household_id": None,
        "visited_at": None,
        "volunteer_id": None,
        "outcome": None,
        "note": "",
        "follow_up_on": None,
        "items": [],
        "met_ids": [],
    },
    "targets": {"area_id": None, "indicator_code": None, "period": None, "percent": None},
}
REQUIRED: dict[str, frozenset[str]] = {
    "households": frozenset({"hamlet_id", "address"}),
    "persons": frozenset({"household_id", "full_name"}),
    "support_items": frozenset({"subject_type", "subject_id", "item_code", "state"}),
    "visits": frozenset({"household_id", "visited_at", "volunteer_id", "outcome"}),
    "targets": frozenset({"area_id", "indicator_code", "period", "percent"}),
}
# A visit is a log entry: once created only these change.
VISIT_MUTABLE: frozenset[str] = frozenset({"note", "follow_up_on", "items", "met_ids"})
MAX_MET = 50  # persons met in one visit: more than any household holds

_LABEL_VI = {
    "hamlet_id": "Ấp/thôn",
    "address": "Địa chỉ",
    "phone": "Số điện thoại",
    "note": "Ghi chú",
    "status": "Tình trạng",
    "household_id": "Hộ",
    "full_name": "Họ và tên",
    "birth_date": "Ngày sinh",
    "sex": "Giới tính",
    "cccd": "Số CCCD",
    "relation": "Quan hệ với chủ hộ",
    "has_smartphone": "Điện thoại thông minh",
    "subject_type": "Loại đối tượng",
    "subject_id": "Đối tượng",
    "item_code": "Hạng mục",
    "state": "Trạng thái",
    "reason": "Lý do",
    "visited_at": "Thời điểm thăm",
    "volunteer_id": "Tình nguyện viên",
    "outcome": "Kết quả",
    "follow_up_on": "Ngày hẹn lại",
    "items": "Hạng mục đã làm",
    "met_ids": "Người đã gặp",
    "area_id": "Địa bàn",
    "indicator_code": "Chỉ tiêu",
    "period": "Kỳ",
    "percent": "Tỷ lệ (%)",
}


def label_vi(field: str) -> str:
    return _LABEL_VI.get(field, field)


# -- single-field checks ----------------------------------------------------------------------


def _text(field: str, low: int, high: int) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise invalid(field, "must be text", f"{label_vi(field)} phải là chữ")
        value = normalize_name(value)
        if not low <= len(value) <= high:
            if not value:
                raise invalid(
                    field,
                    "is required",
                    f"Vui lòng nhập {label_vi(field).lower()}",
                    code="required",
                )
            raise invalid(
                field,
                f"must be {low}..{high} characters",
                f"{label_vi(field)} dài tối đa {high} ký tự",
                code="too_long",
            )
        return value

    return check


def _note(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise invalid("note", "must be text", "Ghi chú phải là chữ")
    if len(value) > NOTE_MAX:
        raise invalid(
            "note",
            f"must be at most {NOTE_MAX} characters",
            f"Ghi chú dài tối đa {NOTE_MAX} ký tự",
            code="too_long",
        )
    return value


def _choice(field: str, choices: Iterable[str], nullable: bool = False) -> Callable[[Any], Any]:
    allowed = tuple(choices)

    def check(value: Any) -> Any:
        if value is None and nullable:
            return None
        if value not in allowed:
            raise invalid(
                field,
                "must be one of " + ", ".join(allowed),
                f"{label_vi(field)} không hợp lệ",
            )
        return value

    return check


def _nullable(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None or value == "" else check(value)


def _uuid(field: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not ids.is_canonical_uuid(value):
            raise invalid(field, "must be a lower-case UUID", f"{label_vi(field)} không hợp lệ")
        return value

    return check


def _area_id(field: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or not value.strip() or len(value) > 64:
            raise invalid(field, "must be an area id", f"{label_vi(field)} không hợp lệ")
        return value

    return check


def _bool_or_null(field: str) -> Callable[[Any], bool | None]:
    def check(value: Any) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        raise invalid(field, "must be true, false or null", f"{label_vi(field)} không hợp lệ")

    return check


def _percent(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise invalid("percent", "must be a number 0..100", "Tỷ lệ phải là số từ 0 đến 100")
    return float(value)


def _visit_items(catalogue: Catalogue) -> Callable[[Any], list[dict]]:
    def check(value: Any) -> list[dict]:
        if not isinstance(value, list):
            raise invalid("items", "must be a list", "Danh sách hạng mục không hợp lệ")
        seen: dict[tuple[str, str], dict] = {}
        for entry in value:
            if not isinstance(entry, dict) or set(entry) != {"subject_id", "item_code", "state"}:
                raise invalid(
                    "items",
                    "each entry must be {subject_id, item_code, state}",
                    "Danh sách hạng mục không hợp lệ",
                )
            _uuid("items")(entry["subject_id"])
            if not isinstance(entry["item_code"], str) or not catalogue.has_item(
                entry["item_code"]
            ):
                raise invalid(
                    "items",
                    f"unknown item {entry['item_code']!r}",
                    "Hạng mục không có trong danh mục",
                    code="unknown_item",
                )
            _choice("items", STATES)(entry["state"])
            seen[(entry["subject_id"], entry["item_code"])] = dict(entry)
        return sorted(seen.values(), key=lambda e: (e["subject_id"], e["item_code"]))

    return check


def _met_ids(value: Any) -> list[str]:
    """The household's persons met in a visit: person ids, each once, in one order."""
    if not isinstance(value, list) or len(value) > MAX_MET:
        raise invalid(
            "met_ids",
            f"must be a list of at most {MAX_MET} person ids",
            "Danh sách người đã gặp không hợp lệ",
        )
    return sorted({_uuid("met_ids")(entry) for entry in value})


@dataclass(frozen=True)
class _Spec:
    checks: dict[str, Callable[[Any], Any]]


def _specs(catalogue: Catalogue) -> dict[str, _Spec]:
    def item_code(value: Any) -> str:
        if not isinstance(value, str) or not catalogue.has_item(value):
            raise invalid(
                "item_code",
                f"unknown item {value!r}",
                "Hạng mục không có trong danh mục",
                code="unknown_item",
            )
        return value

    def reason(value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not catalogue.has_reason(value):
            raise invalid(
                "reason",
                f"unknown reason {value!r}",
                "Lý do không có trong danh mục",
                code="unknown_reason",
            )
        return value

    def indicator(value: Any) -> str:
        if not isinstance(value, str) or not catalogue.has_indicator(value):
            raise invalid(
                "indicator_code",
                f"unknown indicator {value!r}",
                "Chỉ tiêu không có trong danh mục",
                code="unknown_indicator",
            )
        return value

    phone = _nullable(validation.normalize_phone)
    return {
        "households": _Spec(
            {
                "hamlet_id": _area_id("hamlet_id"),
                "address": _text("address", 1, 200),
                "phone": phone,
                "note": _note,
                "status": _choice("status", HOUSEHOLD_STATUSES),
            }
        ),
        "persons": _Spec(
            {
                "household_id": _uuid("household_id"),
                "full_name": _text("full_name", 1, 100),
                "birth_date": _nullable(validation.parse_birth_date),
                "sex": _choice("sex", SEXES, nullable=True),
                "cccd": _nullable(validation.normalize_cccd),
                "phone": phone,
                "relation": _choice("relation", RELATIONS, nullable=True),
                "has_smartphone": _bool_or_null("has_smartphone"),
                "status": _choice("status", PERSON_STATUSES),
                "note": _note,
            }
        ),
        "support_items": _Spec(
            {
                "subject_type": _choice("subject_type", ("person", "household")),
                "subject_id": _uuid("subject_id"),
                "item_code": item_code,
                "state": _choice("state", STATES),
                "reason": reason,
                "note": _note,
            }
        ),
        "visits": _Spec(
            {
                "household_id": _uuid("household_id"),
                "visited_at": lambda v: validation.parse_timestamp(v, "visited_at"),
                "volunteer_id": _area_id("volunteer_id"),
                "outcome": _choice("outcome", VISIT_OUTCOMES),
                "note": _note,
                "follow_up_on": _nullable(lambda v: validation.parse_date(v, "follow_up_on")),
                "items": _visit_items(catalogue),
                "met_ids": _met_ids,
            }
        ),
        "targets": _Spec(
            {
                "area_id": _area_id("area_id"),
                "indicator_code": indicator,
                "period": lambda v: validation.parse_period(v).code,
                "percent": _percent,
            }
        ),
    }


# Keyed by identity. The entry holds the catalogue itself (the checks' closures did already,
# implicitly): while cached its id cannot be reused by another catalogue, and the identity
# check says so in the code rather than relying on that.
_SPECS_CACHE: dict[int, tuple[Catalogue, dict[str, _Spec]]] = {}


def _specs_for(catalogue: Catalogue) -> dict[str, _Spec]:
    cached = _SPECS_CACHE.get(id(catalogue))
    if cached is None or cached[0] is not catalogue:
        cached = _SPECS_CACHE[id(catalogue)] = (catalogue, _specs(catalogue))
    return cached[1]


def check_fields(
    table: str,
    row_id: str,
    fields: Mapping[str, Any],
    *,
    current: Mapping[str, Any] | None = None,
    catalogue: Catalogue | None = None,
) -> tuple[dict[str, Any], list[FieldError]]:
    """Validate and normalise the fields of one upsert.

    ``current`` is the row as stored (``None`` when the upsert creates it). Returns the
    normalised fields and every problem found; cross-field rules (CCCD against birth year and
    sex, an item's level against its subject type, derived ids) look at the merged row.
    """
    catalogue = catalogue or default_catalogue()
    if table not in FIELDS:
        raise invalid(
            "table", f"unknown table {table!r}", "Bảng dữ liệu không tồn tại", code="unknown_table"
        )
    spec = _specs_for(catalogue)[table]
    errors: list[FieldError] = []
    clean: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in spec.checks:
            errors.append(
                invalid(name, "unknown field", f"Trường {name} không tồn tại", code="unknown_field")
            )
            continue
        if value is None and name in REQUIRED[table]:
            errors.append(
                invalid(
                    name, "is required", f"Vui lòng nhập {label_vi(name).lower()}", code="required"
                )
            )
            continue
        try:
            clean[name] = spec.checks[name](value)
        except FieldError as error:
            errors.append(error)
    if current is None:
        for name in sorted(REQUIRED[table] - set(fields)):
            errors.append(
                invalid(
                    name, "is required", f"Vui lòng nhập {label_vi(name).lower()}", code="required"
                )
            )
    elif table == "visits":
        for name in sorted(set(clean) - VISIT_MUTABLE):
            if clean[name] != current.get(name):
                errors.append(
                    invalid(
                        name,
                        "cannot change once a visit is logged",
                        "Không thể sửa thông tin này của lần thăm đã ghi",
                        code="immutable",
                    )
                )
    if not errors:
        merged = {**FIELDS[table], **(current or {}), **clean}
        errors.extend(_cross_field_errors(table, row_id, merged, clean, catalogue))
    return clean, errors


def _cross_field_errors(
    table: str, row_id: str, row: dict, changed: dict, catalogue: Catalogue
) -> list[FieldError]:
    errors: list[FieldError] = []
    if table == "persons" and row.get("cccd") and changed.keys() & {"cccd", "birth_date", "sex"}:
        try:
            validation.check_cccd_consistency(
                row["cccd"], validation.birth_year_of(row.get("birth_date")), row.get("sex")
            )
        except FieldError as error:
            errors.append(error)
    elif table == "support_items":
        item = catalogue.item(row["item_code"])
        if item.level != row["subject_type"]:
            errors.append(
                invalid(
                    "subject_type",
                    f"item {item.code} is {item.level}-level",
                    "Hạng mục không áp dụng cho loại đối tượng này",
                )
            )
        elif row_id != ids.support_item_id(row["subject_id"], row["item_code"]):
            errors.append(
                invalid(
                    "row_id",
                    "must be uuid5 of subject_id/item_code",
                    "Mã hạng mục không đúng quy tắc",
                    code="invalid_id",
                )
            )
        reason = row.get("reason")
        if reason and row["state"] not in catalogue.reason(reason).states:
            errors.append(
                invalid(
                    "reason",
                    f"reason {reason} does not apply to {row['state']}",
                    "Lý do không phù hợp với trạng thái",
                )
            )
    elif table == "targets":
        expected = ids.target_id(row["area_id"], row["indicator_code"], row["period"])
        if row_id != expected:
            errors.append(
                invalid(
                    "row_id",
                    "must be uuid5 of target/area/indicator/period",
                    "Mã chỉ tiêu không đúng quy tắc",
                    code="invalid_id",
                )
            )
    return errors


def validate_fields(
    table: str,
    row_id: str,
    fields: Mapping[str, Any],
    *,
    current: Mapping[str, Any] | None = None,
    catalogue: Catalogue | None = None,
) -> dict[str, Any]:
    """:func:`check_fields` that raises :class:`ValidationFailed` listing every problem."""
    clean, errors = check_fields(table, row_id, fields, current=current, catalogue=catalogue)
    if errors:
        raise ValidationFailed(errors)
    return clean


def full_row(table: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Every field of the table, defaults for those not given (what a pull sends)."""
    return {name: fields.get(name, default) for name, default in FIELDS[table].items()}


# -- summary checksum -------------------------------------------------------------------------


def row_checksum(row_id: str, version: int) -> int:
    digest = hashlib.sha256(f"{row_id}:{version}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def table_checksum(rows: Iterable[tuple[str, int]]) -> str:
    """XOR of :func:`row_checksum` over ``(id, version)`` pairs, as 16 hex digits.

    :func:`row_checksum` written out in the loop: a full pull checks 142,000 rows on the
    device and on the server, and the call per row was a quarter of it (0.41 -> 0.29 s)."""
    acc = 0
    sha256, from_bytes = hashlib.sha256, int.from_bytes
    for row_id, version in rows:
        acc ^= from_bytes(sha256(f"{row_id}:{version}".encode()).digest()[:8], "big")
    return f"{acc:016x}"


def page_changes(page: Mapping[str, Any]) -> list[dict]:
    """The changes of a pull page as SYNC.md lists them (``{"table", "id", "op", "version",
    "row"?}`` in ``(version, table, id)`` order), whether the page came as SYNC.md's objects or
    column by column (``"format": "columns"``, docs/protocol.md): per table ``id`` (``null``:
    the id derived from the row, for support items and targets), ``version`` (each the
    difference from the one before it in that table, the first from 0) and ``row`` (field ->
    values); deletes and evictions in ``removed``."""
    if page.get("format") != "columns":
        return list(page.get("changes", []))
    changes: list[dict] = []
    for table, columns in page.get("tables", {}).items():
        names = list(columns["row"])
        version = 0
        rows = zip(columns["id"], columns["version"], *columns["row"].values(), strict=True)
        for row_id, step, *values in rows:
            version += step
            row = dict(zip(names, values, strict=True))
            if row_id is None:
                row_id = derived_id(table, row)
            changes.append(
                {"table": table, "id": row_id, "op": "upsert", "version": version, "row": row}
            )
    changes.extend(page.get("removed", []))
    changes.sort(key=lambda c: (c["version"], c["table"], c["id"]))
    return changes


def derived_id(table: str, row: Mapping[str, Any]) -> str:
    """The id SYNC.md derives for a support item or a target from its fields."""
    if table == "support_items":
        return ids.support_item_id(row["subject_id"], row["item_code"])
    if table == "targets":
        return ids.target_id(row["area_id"], row["indicator_code"], row["period"])
    raise ValueError(f"{table} rows have no derived id")


def merge_visit_items(a: list[dict], b: list[dict]) -> list[dict]:
    """Union by ``(subject_id, item_code)``; on a clash the higher-ranked state is kept.

    Ties on rank (``done``/``already_had``) break on the state's name, so the union is the same
    whatever order the two lists come in.
    """
    merged: dict[tuple[str, str], dict] = {}
    for entry in [*a, *b]:
        key = (entry["subject_id"], entry["item_code"])
        if key not in merged or _state_key(entry["state"]) > _state_key(merged[key]["state"]):
            merged[key] = dict(entry)
    return sorted(merged.values(), key=lambda e: (e["subject_id"], e["item_code"]))


def merge_met_ids(a: list[str], b: list[str]) -> list[str]:
    """Union: a person met on either device was met."""
    return sorted({*a, *b})


def _state_key(state: str) -> tuple[int, str]:
    return RANK[state], state


# Why the server refused a mutation, by SYNC.md's codes, as the volunteer reads it (Vietnamese,
# English). The app, the command line and the lists of held rows all show these.
REFUSALS: dict[str, tuple[str, str]] = {
    "forbidden_scope": ("Ngoài địa bàn được phân công", "Outside the hamlets assigned to you"),
    "unknown_reference": (
        "Đang chờ hộ hoặc người liên quan được gửi lên máy chủ",
        "Waiting for its household or person to reach the server",
    ),
    "unknown_area": ("Ấp/thôn chưa có trên máy chủ", "The hamlet is not on the server"),
    "unknown_table": ("Loại dữ liệu máy chủ không nhận", "A kind of record the server refuses"),
    "invalid_id": ("Mã bản ghi không hợp lệ", "Invalid record id"),
    "invalid_value": ("Giá trị không hợp lệ", "Invalid value"),
    "required": ("Thiếu thông tin bắt buộc", "Required information missing"),
    "too_long": ("Nội dung quá dài", "Text too long"),
    "immutable": ("Không được sửa sau khi đã tạo", "Cannot change after creation"),
    "unknown_field": ("Trường dữ liệu máy chủ không nhận", "A field the server does not know"),
    "unknown_item": ("Hạng mục không có trong danh mục", "Support item not in the catalogue"),
    "unknown_reason": ("Lý do không có trong danh mục", "Reason not in the catalogue"),
    "unknown_indicator": ("Chỉ tiêu không có trong danh mục", "Indicator not in the catalogue"),
}
REFUSED = ("Máy chủ từ chối thay đổi này", "The server refused this change")


def refusal_text(code: str | None, lang: str = "vi") -> str:
    vi, en = REFUSALS.get(code or "", REFUSED)
    return en if lang == "en" else vi
