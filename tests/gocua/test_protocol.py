"""Entity validation (check_fields), the summary checksum and the visit-items union."""

from __future__ import annotations

import hashlib
import unicodedata
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gocua import ids, protocol
from gocua.protocol import (
    EMPTY_CHECKSUM,
    FIELDS,
    REQUIRED,
    TABLES,
    check_fields,
    full_row,
    merge_visit_items,
    row_checksum,
    table_checksum,
    validate_fields,
)
from gocua.states import RANK, STATES
from gocua.validation import FieldError, ValidationFailed

HOUSEHOLD = "3f1e2d4c-5b6a-4789-8a9b-0c1d2e3f4a5b"
PERSON = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d"
VISIT = "11111111-2222-4333-8444-555555555555"
ROW = "0d9c8b7a-6f5e-4d3c-8b2a-19f8e7d6c5b4"
CCCD_F_1990 = "092190001234"  # 092 Cần Thơ, 1 = female 1900s, 90 = 1990


def target_row_id(area="X9001", code="eid_adults", period="2026") -> str:
    # SYNC.md's formula, written out.
    ns = uuid.UUID("6f1c2d1e-8f7a-4a51-9a43-3d1f0c7b9e10")
    return str(uuid.uuid5(ns, f"target/{area}/{code}/{period}"))


def item_row_id(subject=PERSON, code="vneid_l2") -> str:
    ns = uuid.UUID("6f1c2d1e-8f7a-4a51-9a43-3d1f0c7b9e10")
    return str(uuid.uuid5(ns, f"{subject}/{code}"))


# A valid create for each table: (row_id, fields with every required field).
VALID = {
    "households": (HOUSEHOLD, {"hamlet_id": "X9001-01", "address": "Số 4, đường đan, Ấp Mỹ An"}),
    "persons": (PERSON, {"household_id": HOUSEHOLD, "full_name": "Nguyễn Thị Lan"}),
    "support_items": (
        item_row_id(),
        {"subject_type": "person", "subject_id": PERSON, "item_code": "vneid_l2", "state": "done"},
    ),
    "visits": (
        VISIT,
        {
            "household_id": HOUSEHOLD,
            "visited_at": "2026-11-20T09:30:00+07:00",
            "volunteer_id": "u-an",
            "outcome": "met",
        },
    ),
    "targets": (
        target_row_id(),
        {"area_id": "X9001", "indicator_code": "eid_adults", "period": "2026", "percent": 30},
    ),
}


def check(table, fields, row_id=None, current=None):
    row_id = VALID[table][0] if row_id is None else row_id
    return check_fields(table, row_id, fields, current=current)


def create(table, **changes):
    fields = {**VALID[table][1], **changes}
    return check(table, fields)


def errors_of(result) -> set[tuple[str, str]]:
    return {(e.field, e.code) for e in result[1]}


# -- the tables ---------------------------------------------------------------------------------


def test_tables_and_fields_are_sync_md():
    assert TABLES == ("households", "persons", "support_items", "visits", "targets")
    assert set(FIELDS["persons"]) == {
        "household_id",
        "full_name",
        "birth_date",
        "sex",
        "cccd",
        "phone",
        "relation",
        "has_smartphone",
        "status",
        "note",
    }
    assert REQUIRED["visits"] == {"household_id", "visited_at", "volunteer_id", "outcome"}
    for table in TABLES:
        assert REQUIRED[table] <= set(FIELDS[table])
        assert set(VALID[table][1]) == REQUIRED[table]


@pytest.mark.parametrize("table", TABLES)
def test_valid_create_has_no_errors(table):
    clean, errors = create(table)
    assert errors == []
    assert set(clean) == REQUIRED[table]


@pytest.mark.parametrize(("table", "field"), [(t, f) for t in TABLES for f in sorted(REQUIRED[t])])
def test_required_on_create(table, field):
    fields = dict(VALID[table][1])
    del fields[field]
    assert errors_of(check(table, fields)) == {(field, "required")}
    fields[field] = None
    assert errors_of(check(table, fields)) == {(field, "required")}


@pytest.mark.parametrize("table", TABLES)
def test_required_fields_not_needed_on_update(table):
    current = full_row(table, VALID[table][1])
    update = {"note": "gọi lại"} if "note" in FIELDS[table] else {"percent": 40}
    clean, errors = check(table, update, current=current)
    assert errors == []
    assert clean == update if "note" in update else clean == {"percent": 40.0}


@pytest.mark.parametrize("table", TABLES)
def test_required_field_cannot_be_nulled_on_update(table):
    current = full_row(table, VALID[table][1])
    field = sorted(REQUIRED[table])[0]
    assert errors_of(check(table, {field: None}, current=current)) == {(field, "required")}


@pytest.mark.parametrize("table", TABLES)
def test_unknown_field(table):
    result = create(table, colour="red")
    assert errors_of(result) == {("colour", "unknown_field")}
    assert "colour" not in result[0]
    # "id" and "version" travel in the envelope, never in fields.
    assert ("id", "unknown_field") in errors_of(create(table, id=VALID[table][0]))


def test_unknown_table_raises():
    with pytest.raises(FieldError) as excinfo:
        check_fields("areas", ROW, {"name": "x"})
    assert (excinfo.value.field, excinfo.value.code) == ("table", "unknown_table")


@pytest.mark.parametrize("table", [t for t in TABLES if "note" in FIELDS[t]])
def test_note_max_2000(table):
    clean, errors = create(table, note="ạ" * 2000)
    assert errors == [] and len(clean["note"]) == 2000
    assert errors_of(create(table, note="a" * 2001)) == {("note", "too_long")}
    assert create(table, note=None)[0]["note"] == ""
    assert errors_of(create(table, note=5)) == {("note", "invalid_value")}


def test_all_errors_reported_together():
    fields = {"hamlet_id": "", "address": "x" * 201, "phone": "123", "status": "lost", "x": 1}
    assert errors_of(check("households", fields)) == {
        ("hamlet_id", "invalid_value"),
        ("address", "too_long"),
        ("phone", "invalid_value"),
        ("status", "invalid_value"),
        ("x", "unknown_field"),
    }


def test_validate_fields_raises_with_every_error():
    with pytest.raises(ValidationFailed) as excinfo:
        validate_fields("persons", PERSON, {"full_name": "", "sex": "x"})
    assert set(excinfo.value.by_field()) == {"full_name", "sex", "household_id"}
    assert validate_fields("persons", PERSON, VALID["persons"][1]) == VALID["persons"][1]


def test_error_message_names_the_wire_field():
    _, errors = create("persons", cccd="12345")
    assert [str(e) for e in errors] == ["cccd: must be 12 digits"]


def test_full_row_fills_defaults():
    row = full_row("households", {"hamlet_id": "X9001-01", "address": "a"})
    assert list(row) == list(FIELDS["households"])
    assert row == {
        "hamlet_id": "X9001-01",
        "address": "a",
        "phone": None,
        "note": "",
        "status": "active",
    }
    assert full_row("visits", {})["items"] == []
    assert full_row("persons", {})["status"] == "present"


# -- households and persons -----------------------------------------------------------------------


def test_household_fields_normalised():
    clean, errors = create("households", phone="+84 912.345.678", address="  Số 4,   Ấp  Mỹ An ")
    assert errors == []
    assert clean["phone"] == "0912345678"
    assert clean["address"] == "Số 4, Ấp Mỹ An"
    assert create("households", phone="")[0]["phone"] is None


def test_household_address_length():
    assert create("households", address="a" * 200)[1] == []
    assert errors_of(create("households", address="a" * 201)) == {("address", "too_long")}
    assert errors_of(create("households", address="   ")) == {("address", "required")}
    assert errors_of(create("households", address=7)) == {("address", "invalid_value")}


@pytest.mark.parametrize("status", ["active", "moved", "gone"])
def test_household_status(status):
    assert create("households", status=status)[1] == []


@pytest.mark.parametrize("hamlet_id", ["", "   ", 5, "x" * 65])
def test_household_bad_hamlet_id(hamlet_id):
    assert errors_of(create("households", hamlet_id=hamlet_id)) == {("hamlet_id", "invalid_value")}


def test_person_fields_normalised():
    nfd = unicodedata.normalize("NFD", "Nguyễn  Thị Lan ")
    clean, errors = create(
        "persons",
        full_name=nfd,
        birth_date="1990-05-01",
        sex="f",
        cccd="092 190 001 234",
        phone="84 912 345 678",
        relation="head",
        has_smartphone=False,
        status="away",
    )
    assert errors == []
    assert clean["full_name"] == "Nguyễn Thị Lan"
    assert unicodedata.is_normalized("NFC", clean["full_name"])
    assert clean["cccd"] == CCCD_F_1990
    assert clean["phone"] == "0912345678"
    assert clean["has_smartphone"] is False


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("full_name", "", "required"),
        ("full_name", "x" * 101, "too_long"),
        ("household_id", "3F1E2D4C-5B6A-4789-8A9B-0C1D2E3F4A5B", "invalid_value"),
        ("household_id", "hộ 5", "invalid_value"),
        ("birth_date", "1990-02-30", "invalid_value"),
        ("birth_date", "2999", "invalid_value"),
        ("sex", "x", "invalid_value"),
        ("cccd", "12345", "invalid_value"),
        ("cccd", "999190001234", "invalid_value"),
        ("phone", "12345", "invalid_value"),
        ("relation", "cousin", "invalid_value"),
        ("has_smartphone", "yes", "invalid_value"),
        ("has_smartphone", 1, "invalid_value"),
        ("status", "gone", "invalid_value"),
        ("status", None, "invalid_value"),
    ],
)
def test_person_bad_field(field, value, code):
    assert errors_of(create("persons", **{field: value})) == {(field, code)}


@pytest.mark.parametrize(
    "field", ["birth_date", "sex", "cccd", "phone", "relation", "has_smartphone"]
)
def test_person_nullable_fields(field):
    clean, errors = create("persons", **{field: None})
    assert errors == [] and clean[field] is None


def test_person_cccd_must_agree_with_birth_year_and_sex():
    assert create("persons", cccd=CCCD_F_1990, birth_date="1990", sex="f")[1] == []
    assert errors_of(create("persons", cccd=CCCD_F_1990, birth_date="1991-01-01")) == {
        ("cccd", "inconsistent")
    }
    assert errors_of(create("persons", cccd=CCCD_F_1990, sex="m")) == {("cccd", "inconsistent")}
    # Never reject a person for lacking one.
    assert create("persons", cccd=None, birth_date="1991", sex="m")[1] == []


def test_person_cccd_checked_against_the_stored_row_on_update():
    current = full_row(
        "persons", {**VALID["persons"][1], "cccd": CCCD_F_1990, "birth_date": "1990", "sex": "f"}
    )
    assert errors_of(check("persons", {"sex": "m"}, current=current)) == {("cccd", "inconsistent")}
    assert errors_of(check("persons", {"birth_date": "1985"}, current=current)) == {
        ("cccd", "inconsistent")
    }
    assert check("persons", {"note": "ok", "phone": "0912345678"}, current=current)[1] == []
    # Correcting the CCCD and the birth year together is fine.
    fix = {"cccd": "092185001234", "birth_date": "1985"}
    assert check("persons", fix, current=current)[1] == []


# -- support items --------------------------------------------------------------------------------


def test_support_item_id_must_be_the_uuid5():
    assert errors_of(check("support_items", VALID["support_items"][1], row_id=ROW)) == {
        ("row_id", "invalid_id")
    }
    other_code = item_row_id(code="vneid_l1")
    assert errors_of(check("support_items", VALID["support_items"][1], row_id=other_code)) == {
        ("row_id", "invalid_id")
    }
    assert ids.support_item_id(PERSON, "vneid_l2") == item_row_id()


def test_household_item_for_a_household():
    fields = {
        "subject_type": "household",
        "subject_id": HOUSEHOLD,
        "item_code": "fibre_internet",
        "state": "already_had",
    }
    assert check("support_items", fields, row_id=item_row_id(HOUSEHOLD, "fibre_internet"))[1] == []


@pytest.mark.parametrize(
    ("subject_type", "code"), [("household", "vneid_l2"), ("person", "fibre_internet")]
)
def test_support_item_level_must_match_subject_type(subject_type, code):
    fields = {
        "subject_type": subject_type,
        "subject_id": PERSON,
        "item_code": code,
        "state": "done",
    }
    errors = errors_of(check("support_items", fields, row_id=item_row_id(PERSON, code)))
    assert errors == {("subject_type", "invalid_value")}


def test_support_item_level_checked_against_stored_row_on_update():
    current = full_row("support_items", VALID["support_items"][1])
    result = check("support_items", {"subject_type": "household"}, current=current)
    assert errors_of(result) == {("subject_type", "invalid_value")}


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("item_code", "vneid_l3", "unknown_item"),
        ("item_code", None, "required"),
        ("state", "finished", "invalid_value"),
        ("subject_type", "hamlet", "invalid_value"),
        ("subject_id", "P1", "invalid_value"),
        ("reason", "tired", "unknown_reason"),
    ],
)
def test_support_item_bad_field(field, value, code):
    assert errors_of(create("support_items", **{field: value})) == {(field, code)}


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        ("pending", "waiting_police"),
        ("pending", "no_chip_id"),
        ("declined", "refused"),
        ("declined", "no_smartphone"),
        ("not_eligible", "under_age"),
        ("not_eligible", "moved_away"),
        ("done", None),
        ("not_started", None),
        ("declined", None),
    ],
)
def test_reason_that_fits_the_state(state, reason):
    assert create("support_items", state=state, reason=reason)[1] == []


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        ("done", "refused"),
        ("already_had", "other"),
        ("guided", "no_smartphone"),
        ("not_started", "other"),
        ("declined", "waiting_police"),
        ("pending", "refused"),
        ("pending", "under_age"),
        ("not_eligible", "waiting_bank"),
    ],
)
def test_reason_that_does_not_fit_the_state(state, reason):
    assert errors_of(create("support_items", state=state, reason=reason)) == {
        ("reason", "invalid_value")
    }


def test_reason_checked_against_stored_state_on_update():
    current = full_row(
        "support_items", {**VALID["support_items"][1], "state": "declined", "reason": "refused"}
    )
    # Moving to done while the stored reason stays "refused" does not fit ...
    assert errors_of(check("support_items", {"state": "done"}, current=current)) == {
        ("reason", "invalid_value")
    }
    # ... clearing the reason with it does.
    assert check("support_items", {"state": "done", "reason": None}, current=current)[1] == []


# -- visits ---------------------------------------------------------------------------------------


def test_visit_items_normalised_and_deduplicated():
    entry = {"subject_id": PERSON, "item_code": "vneid_l2", "state": "pending"}
    later = {"subject_id": PERSON, "item_code": "bank_account", "state": "done"}
    household = {"subject_id": HOUSEHOLD, "item_code": "zalo_group", "state": "done"}
    clean, errors = create("visits", items=[entry, household, later, dict(entry)])
    assert errors == []
    assert clean["items"] == sorted(
        [entry, later, household], key=lambda e: (e["subject_id"], e["item_code"])
    )


@pytest.mark.parametrize(
    ("items", "code"),
    [
        ("vneid_l2", "invalid_value"),
        ([{"subject_id": PERSON, "item_code": "vneid_l2"}], "invalid_value"),
        (
            [{"subject_id": PERSON, "item_code": "vneid_l2", "state": "done", "x": 1}],
            "invalid_value",
        ),
        ([{"subject_id": "P", "item_code": "vneid_l2", "state": "done"}], "invalid_value"),
        ([{"subject_id": PERSON, "item_code": "nope", "state": "done"}], "unknown_item"),
        ([{"subject_id": PERSON, "item_code": "vneid_l2", "state": "ok"}], "invalid_value"),
        (["x"], "invalid_value"),
    ],
)
def test_visit_bad_items(items, code):
    assert errors_of(create("visits", items=items)) == {("items", code)}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("visited_at", "2026-11-20T09:30:00"),
        ("visited_at", "hôm qua"),
        ("outcome", "happy"),
        ("follow_up_on", "2026-11-31"),
        ("follow_up_on", "next week"),
        ("volunteer_id", ""),
        ("household_id", "h1"),
    ],
)
def test_visit_bad_field(field, value):
    assert errors_of(create("visits", **{field: value})) == {(field, "invalid_value")}


def test_visit_follow_up_nullable():
    assert create("visits", follow_up_on=None)[0]["follow_up_on"] is None
    assert create("visits", follow_up_on="2026-12-01")[1] == []


VISIT_CURRENT = full_row(
    "visits",
    {**VALID["visits"][1], "note": "", "follow_up_on": None, "items": []},
)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("household_id", PERSON),
        ("visited_at", "2026-11-21T09:30:00+07:00"),
        ("volunteer_id", "u-binh"),
        ("outcome", "not_home"),
    ],
)
def test_visit_fields_immutable_after_create(field, value):
    assert errors_of(check("visits", {field: value}, current=VISIT_CURRENT)) == {
        (field, "immutable")
    }
    # Sending the stored value again is not a change.
    assert check("visits", {field: VISIT_CURRENT[field]}, current=VISIT_CURRENT)[1] == []
    # On create the same value is fine.
    assert create("visits", **{field: value})[1] == []


def test_visit_mutable_fields_after_create():
    items = [{"subject_id": PERSON, "item_code": "vneid_l1", "state": "done"}]
    update = {"note": "Hẹn tối", "follow_up_on": "2026-12-01", "items": items}
    clean, errors = check("visits", update, current=VISIT_CURRENT)
    assert errors == [] and clean == update


# -- targets --------------------------------------------------------------------------------------


@pytest.mark.parametrize("period", ["2026", "2026-Q1", "2026-Q4", "2100", "2000-Q2"])
def test_target_periods(period):
    fields = {**VALID["targets"][1], "period": period}
    clean, errors = check("targets", fields, row_id=target_row_id(period=period))
    assert errors == [] and clean["period"] == period


@pytest.mark.parametrize("period", ["2026-Q5", "2026-Q0", "26", "2026-1", "1999", "2026-q1", 2026])
def test_target_bad_period(period):
    fields = {**VALID["targets"][1], "period": period}
    assert errors_of(check("targets", fields)) == {("period", "invalid_value")}


def test_target_id_rule():
    fields = VALID["targets"][1]
    assert errors_of(check("targets", fields, row_id=ROW)) == {("row_id", "invalid_id")}
    # The id of another period, area or indicator is wrong too.
    for wrong in (
        target_row_id(period="2026-Q1"),
        target_row_id(area="X9001-01"),
        target_row_id(code="ehealth"),
    ):
        assert errors_of(check("targets", fields, row_id=wrong)) == {("row_id", "invalid_id")}
    assert ids.target_id("X9001", "eid_adults", "2026") == target_row_id()


@pytest.mark.parametrize("percent", [0, 100, 42.5, 0.0])
def test_target_percent_ok(percent):
    clean, errors = create("targets", percent=percent)
    assert errors == [] and clean["percent"] == float(percent)
    assert isinstance(clean["percent"], float)


@pytest.mark.parametrize("percent", [-0.1, 100.01, "80", True])
def test_target_bad_percent(percent):
    assert errors_of(create("targets", percent=percent)) == {("percent", "invalid_value")}


def test_target_unknown_indicator():
    assert errors_of(create("targets", indicator_code="happiness")) == {
        ("indicator_code", "unknown_indicator")
    }


# -- summary checksum ---------------------------------------------------------------------------

row_ids_st = st.uuids().map(str)
rows_st = st.lists(
    st.tuples(row_ids_st, st.integers(1, 10**9)), max_size=30, unique_by=lambda r: r[0]
)


def sync_md_checksum(rows) -> str:
    """SYNC.md: XOR of the first 8 bytes of sha256(f"{id}:{version}") as big-endian ints."""
    acc = 0
    for row_id, version in rows:
        acc ^= int(hashlib.sha256(f"{row_id}:{version}".encode()).hexdigest()[:16], 16)
    return format(acc, "016x")


def test_empty_checksum():
    assert table_checksum([]) == EMPTY_CHECKSUM == "0000000000000000"


def test_checksum_by_hand():
    a = ("3f1e2d4c-5b6a-4789-8a9b-0c1d2e3f4a5b", 7)
    b = ("7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d", 12)
    ha = hashlib.sha256(b"3f1e2d4c-5b6a-4789-8a9b-0c1d2e3f4a5b:7").digest()[:8]
    hb = hashlib.sha256(b"7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d:12").digest()[:8]
    assert table_checksum([a]) == ha.hex()
    assert table_checksum([a, b]) == bytes(x ^ y for x, y in zip(ha, hb, strict=True)).hex()
    assert row_checksum(*a) == int.from_bytes(ha, "big")


@settings(deadline=None, max_examples=60)
@given(rows_st, st.randoms(use_true_random=False))
def test_checksum_is_order_independent_and_matches_sync_md(rows, rnd):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    result = table_checksum(rows)
    assert result == table_checksum(shuffled) == sync_md_checksum(rows)
    assert len(result) == 16 and result == result.lower()


@settings(deadline=None, max_examples=60)
@given(rows_st, row_ids_st, st.integers(1, 10**9))
def test_checksum_add_then_remove_restores(rows, row_id, version):
    before = table_checksum(rows)
    with_row = table_checksum([*rows, (row_id, version)])
    assert with_row != before  # 64-bit collision: practically never
    assert table_checksum([*rows, (row_id, version), (row_id, version)]) == before


@settings(deadline=None, max_examples=40)
@given(row_ids_st, st.integers(1, 10**6))
def test_checksum_sees_a_new_version(row_id, version):
    assert table_checksum([(row_id, version)]) != table_checksum([(row_id, version + 1)])


# -- visit-items union ----------------------------------------------------------------------------

entry_st = st.builds(
    lambda s, c, state: {"subject_id": s, "item_code": c, "state": state},
    st.sampled_from([PERSON, HOUSEHOLD, ROW]),
    st.sampled_from(["vneid_l1", "vneid_l2", "zalo_group"]),
    st.sampled_from(STATES),
)
entries_st = st.lists(entry_st, max_size=8)


@settings(deadline=None, max_examples=150)
@given(entries_st, entries_st)
def test_merge_visit_items_commutative(a, b):
    assert merge_visit_items(a, b) == merge_visit_items(b, a)


@settings(deadline=None, max_examples=150)
@given(entries_st, entries_st, entries_st)
def test_merge_visit_items_associative(a, b, c):
    left = merge_visit_items(merge_visit_items(a, b), c)
    right = merge_visit_items(a, merge_visit_items(b, c))
    assert left == right


@settings(deadline=None, max_examples=100)
@given(entries_st, entries_st)
def test_merge_visit_items_idempotent(a, b):
    merged = merge_visit_items(a, b)
    assert merge_visit_items(merged, merged) == merged
    assert merge_visit_items(merged, a) == merged
    assert merge_visit_items(merged, []) == merged


@settings(deadline=None, max_examples=100)
@given(entries_st, entries_st)
def test_merge_visit_items_is_a_union_keeping_progress(a, b):
    merged = merge_visit_items(a, b)
    keys = [(e["subject_id"], e["item_code"]) for e in merged]
    assert keys == sorted(set(keys))
    assert set(keys) == {(e["subject_id"], e["item_code"]) for e in [*a, *b]}
    for entry in merged:
        key = (entry["subject_id"], entry["item_code"])
        candidates = [e["state"] for e in [*a, *b] if (e["subject_id"], e["item_code"]) == key]
        assert entry["state"] in candidates
        assert RANK[entry["state"]] == max(RANK[s] for s in candidates)


def test_merge_visit_items_example():
    a = [{"subject_id": PERSON, "item_code": "vneid_l2", "state": "guided"}]
    b = [
        {"subject_id": PERSON, "item_code": "vneid_l2", "state": "pending"},
        {"subject_id": PERSON, "item_code": "vneid_l1", "state": "done"},
    ]
    assert merge_visit_items(a, b) == [
        {"subject_id": PERSON, "item_code": "vneid_l1", "state": "done"},
        {"subject_id": PERSON, "item_code": "vneid_l2", "state": "pending"},
    ]


def test_merge_visit_items_does_not_alias_inputs():
    a = [{"subject_id": PERSON, "item_code": "vneid_l2", "state": "done"}]
    merged = merge_visit_items(a, [])
    merged[0]["state"] = "guided"
    assert a[0]["state"] == "done"


def test_limits():
    assert protocol.NOTE_MAX == 2000
    assert protocol.MAX_MUTATIONS_PER_PUSH == 500
    assert 1 <= protocol.DEFAULT_PULL_LIMIT <= protocol.MAX_PULL_LIMIT == 5000


def test_each_catalogue_is_checked_against_its_own_items():
    import gc
    import tomllib

    from gocua.catalogue import parse_catalogue
    from gocua.resources import resource_path

    data = tomllib.loads(resource_path("catalogue.toml").read_text(encoding="utf-8"))
    row_id = ids.support_item_id(HOUSEHOLD, "zalo_group")
    fields = {
        "subject_type": "household",
        "subject_id": HOUSEHOLD,
        "item_code": "zalo_group",
        "state": "done",
    }
    for _ in range(20):  # catalogues come and go (ids get reused); each keeps its own rules
        full = parse_catalogue(data)
        assert check_fields("support_items", row_id, fields, catalogue=full)[1] == []
        del full
        gc.collect()
        narrow = parse_catalogue(
            {
                **data,
                "items": [i for i in data["items"] if i["code"] != "zalo_group"],
                "indicators": [],
            }
        )
        _, errors = check_fields("support_items", row_id, fields, catalogue=narrow)
        assert [e.code for e in errors] == ["unknown_item"]
        del narrow
        gc.collect()
