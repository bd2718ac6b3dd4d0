"""The use cases write the domain row and exactly the outbox mutation SYNC.md defines."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text

from desktop.services import ItemChange, NotFound, Services, ValidationFailed
from desktop.store import Store
from desktop.store.identity import HLC_LAST, LOCAL_USER_ID, USER_ID
from desktop.store.schema import SYNCED_TABLES
from gocua import hlc, ids
from gocua.demo import user_id
from gocua.protocol import FIELDS
from tests.desktop.conftest import (
    HAMLET_A,
    HAMLET_B,
    last_outbox_id,
    member,
    outbox,
    row,
    snapshot_counts,
)

HAMLET = HAMLET_A["id"]
DUC = {
    "full_name": "Nguyễn Văn Đức",
    "birth_date": "1985-03-04",
    "sex": "m",
    "cccd": "092085001234",
    "phone": "0912345678",
    "relation": "head",
    "has_smartphone": True,
}
HOA = {
    "full_name": "Trần Thị Hoa",
    "birth_date": "1990",
    "sex": "f",
    "cccd": "092190004321",
    "relation": "spouse",
    "has_smartphone": False,
}


def only(mutations: list[dict]) -> dict:
    assert len(mutations) == 1, mutations
    return mutations[0]


def wire(table: str, stored: dict) -> dict:
    return {name: stored[name] for name in FIELDS[table]}


@pytest.fixture
def household(services: Services) -> str:
    return services.register_household(
        HAMLET, "Số 12, đường Bờ Kênh, Ấp Bình Minh", members=[DUC, HOA]
    )


def person_named(store: Store, full_name: str) -> dict:
    p = SYNCED_TABLES["persons"]
    with store.read() as conn:
        return dict(conn.execute(select(p).where(p.c.full_name == full_name)).mappings().one())


def demo_household(store: Store, min_members: int = 2) -> tuple[str, list[dict]]:
    """An active demo household with at least ``min_members`` present persons."""
    h, p = SYNCED_TABLES["households"], SYNCED_TABLES["persons"]
    with store.read() as conn:
        for household_id in conn.execute(
            select(h.c.id).where(h.c.status == "active").order_by(h.c.id)
        ).scalars():
            people = (
                conn.execute(
                    select(p)
                    .where(p.c.household_id == household_id, p.c.status == "present")
                    .order_by(p.c.seq)
                )
                .mappings()
                .all()
            )
            if len(people) >= min_members:
                return household_id, [dict(x) for x in people]
    raise AssertionError("no such demo household")


# -- creating rows ----------------------------------------------------------------------------


def test_register_household_writes_rows_and_full_create_mutations(
    services: Services, store: Store
) -> None:
    before = last_outbox_id(store)
    household_id = services.register_household(
        HAMLET,
        "  Số 12,  đường Bờ Kênh ",
        phone="+84 91 234 5678",
        note="cạnh chợ",
        members=[DUC, member("Nguyễn Minh  Khoa", birth_date="2015", relation="child")],
    )
    assert ids.is_canonical_uuid(household_id)
    mutations = outbox(store, before)
    assert [(m["table_name"], m["op"], m["base_version"]) for m in mutations] == [
        ("households", "upsert", 0),
        ("persons", "upsert", 0),
        ("persons", "upsert", 0),
    ]
    assert all(m["state"] == "pending" and hlc.is_valid(m["hlc"]) for m in mutations)

    # A created row sends every field, defaults included, normalised as stored.
    assert mutations[0]["row_id"] == household_id
    assert mutations[0]["fields"] == {
        "hamlet_id": HAMLET,
        "address": "Số 12, đường Bờ Kênh",
        "phone": "0912345678",
        "note": "cạnh chợ",
        "status": "active",
    }
    stored = row(store, "households", household_id)
    assert wire("households", stored) == mutations[0]["fields"]
    assert (stored["version"], stored["deleted"], stored["updated_hlc"]) == (
        0,
        False,
        mutations[0]["hlc"],
    )

    duc, khoa = mutations[1], mutations[2]
    assert duc["fields"] == {"household_id": household_id, **DUC, "status": "present", "note": ""}
    assert khoa["fields"] == {
        "household_id": household_id,
        "full_name": "Nguyễn Minh Khoa",
        "birth_date": "2015",
        "sex": None,
        "cccd": None,
        "phone": None,
        "relation": "child",
        "has_smartphone": None,
        "status": "present",
        "note": "",
    }
    for mutation in (duc, khoa):
        stored = row(store, "persons", mutation["row_id"])
        assert wire("persons", stored) == mutation["fields"]
        assert stored["birth_year"] == int(mutation["fields"]["birth_date"][:4])
        assert stored["area_id"] == HAMLET and stored["counted"]


def test_add_person_to_a_household(services: Services, store: Store, household: str) -> None:
    before = last_outbox_id(store)
    person_id = services.add_person(
        household,
        full_name="Lê Thị Mai",
        birth_date="2001-02-03",
        phone="091.234.5679",
        has_smartphone=True,
    )
    mutation = only(outbox(store, before))
    assert (mutation["table_name"], mutation["row_id"], mutation["op"]) == (
        "persons",
        person_id,
        "upsert",
    )
    assert mutation["base_version"] == 0
    assert mutation["fields"] == {
        "household_id": household,
        "full_name": "Lê Thị Mai",
        "birth_date": "2001-02-03",
        "sex": None,
        "cccd": None,
        "phone": "0912345679",
        "relation": None,
        "has_smartphone": True,
        "status": "present",
        "note": "",
    }
    assert wire("persons", row(store, "persons", person_id)) == mutation["fields"]


# -- editing ----------------------------------------------------------------------------------


def test_edit_sends_only_changed_fields_with_the_rows_version(
    demo_services: Services, demo_store: Store
) -> None:
    _, people = demo_household(demo_store)
    person = people[0]
    assert person["version"] > 0  # loaded as synced: the server's version
    before = last_outbox_id(demo_store)
    new_phone = "0987654321" if person["phone"] != "0987654321" else "0987654322"
    demo_services.update_person(
        person["id"],
        full_name=person["full_name"],
        phone=new_phone,
        note="Đã đổi số",
        status=person["status"],
    )
    mutation = only(outbox(demo_store, before))
    assert mutation["op"] == "upsert" and mutation["row_id"] == person["id"]
    assert mutation["base_version"] == person["version"]
    assert mutation["fields"] == {"phone": new_phone, "note": "Đã đổi số"}
    stored = row(demo_store, "persons", person["id"])
    assert (stored["phone"], stored["note"]) == (new_phone, "Đã đổi số")
    assert stored["version"] == person["version"]  # the device never invents versions
    assert stored["updated_hlc"] == mutation["hlc"]

    # A second edit still sends the version last seen from the server, not a local count.
    demo_services.update_person(person["id"], has_smartphone=not person["has_smartphone"])
    second = only(outbox(demo_store, mutation["id"]))
    assert second["base_version"] == person["version"]
    assert second["fields"] == {"has_smartphone": not person["has_smartphone"]}


def test_edit_of_a_row_made_here_has_base_version_zero(
    services: Services, store: Store, household: str
) -> None:
    before = last_outbox_id(store)
    services.update_household(household, address="Số 14, đường Bờ Kênh", status="active")
    mutation = only(outbox(store, before))
    assert (mutation["base_version"], mutation["fields"]) == (
        0,
        {"address": "Số 14, đường Bờ Kênh"},
    )


def test_no_op_edit_writes_no_mutation(services: Services, store: Store, household: str) -> None:
    duc = person_named(store, "Nguyễn Văn Đức")
    before = last_outbox_id(store)
    # Same values, some in another spelling that normalises to the stored one.
    services.update_person(
        duc["id"],
        full_name=" Nguyễn  Văn Đức ",
        phone="+84912345678",
        cccd="092 085 001 234",
        birth_date="1985-03-04",
    )
    services.update_household(household, status="active")
    services.set_household_status(household, "active")
    assert outbox(store, before) == []
    assert row(store, "persons", duc["id"]) == duc


def test_household_status_and_move_person(services: Services, store: Store, household: str) -> None:
    other = services.register_household(HAMLET_B["id"], "Tổ 3, Ấp Đông Hòa")
    duc = person_named(store, "Nguyễn Văn Đức")
    before = last_outbox_id(store)
    services.move_person(duc["id"], other, relation="other")
    services.set_household_status(household, "moved")
    move, status = outbox(store, before)
    assert (move["table_name"], move["fields"]) == (
        "persons",
        {"household_id": other, "relation": "other"},
    )
    assert (status["table_name"], status["row_id"], status["fields"]) == (
        "households",
        household,
        {"status": "moved"},
    )
    moved = row(store, "persons", duc["id"])
    assert (moved["household_id"], moved["area_id"], moved["counted"]) == (
        other,
        HAMLET_B["id"],
        True,
    )
    hoa = person_named(store, "Trần Thị Hoa")
    assert (hoa["area_id"], hoa["counted"]) == (HAMLET, False)  # her household moved away


def test_delete_person_writes_a_tombstone_and_a_delete_mutation(
    demo_services: Services, demo_store: Store
) -> None:
    _, people = demo_household(demo_store)
    person = people[-1]
    before = last_outbox_id(demo_store)
    demo_services.delete_person(person["id"])
    mutation = only(outbox(demo_store, before))
    assert (mutation["table_name"], mutation["row_id"], mutation["op"]) == (
        "persons",
        person["id"],
        "delete",
    )
    assert (mutation["base_version"], mutation["fields"]) == (person["version"], {})
    stored = row(demo_store, "persons", person["id"])
    assert stored["deleted"] and not stored["counted"]

    # A deleted row can be neither edited nor deleted again.
    with pytest.raises(NotFound) as raised:
        demo_services.update_person(person["id"], note="x")
    assert set(raised.value.by_field()) == {"id"}
    with pytest.raises(NotFound):
        demo_services.delete_person(person["id"])
    assert outbox(demo_store, mutation["id"]) == []


# -- support items, visits, targets -----------------------------------------------------------


def test_set_item_state_uses_the_derived_id(
    services: Services, store: Store, household: str
) -> None:
    duc = person_named(store, "Nguyễn Văn Đức")
    before = last_outbox_id(store)
    item_id = services.set_item_state(
        "person", duc["id"], "vneid_l2", "pending", reason="waiting_police"
    )
    assert item_id == ids.support_item_id(duc["id"], "vneid_l2")
    created = only(outbox(store, before))
    assert (created["table_name"], created["row_id"], created["op"], created["base_version"]) == (
        "support_items",
        item_id,
        "upsert",
        0,
    )
    assert created["fields"] == {
        "subject_type": "person",
        "subject_id": duc["id"],
        "item_code": "vneid_l2",
        "state": "pending",
        "reason": "waiting_police",
        "note": "",
    }
    stored = row(store, "support_items", item_id)
    assert wire("support_items", stored) == created["fields"]
    assert stored["state_since"] == dt.date.today().isoformat()
    assert (stored["area_id"], stored["birth_year"], stored["has_smartphone"]) == (
        HAMLET,
        1985,
        True,
    )

    services.set_item_state("person", duc["id"], "vneid_l2", "done")
    changed = only(outbox(store, created["id"]))
    assert changed["fields"] == {"state": "done", "reason": None}
    assert changed["base_version"] == 0

    services.set_item_state("person", duc["id"], "vneid_l2", "done")  # no change
    household_item = services.set_item_state("household", household, "fibre_internet", "done")
    assert household_item == ids.support_item_id(household, "fibre_internet")
    last = only(outbox(store, changed["id"]))
    assert last["row_id"] == household_item and last["fields"]["subject_type"] == "household"


def test_set_item_state_on_a_demo_item_sends_its_version(
    demo_services: Services, demo_store: Store
) -> None:
    s = SYNCED_TABLES["support_items"]
    with demo_store.read() as conn:
        item = dict(conn.execute(select(s).where(s.c.state == "guided").limit(1)).mappings().one())
    before = last_outbox_id(demo_store)
    demo_services.set_item_state(
        item["subject_type"], item["subject_id"], item["item_code"], "done", note="Xong"
    )
    mutation = only(outbox(demo_store, before))
    assert mutation["row_id"] == item["id"]
    assert mutation["base_version"] == item["version"] > 0
    expected = {"state": "done", "note": "Xong"}
    if item["reason"] is not None:
        expected["reason"] = None
    assert mutation["fields"] == expected


def test_log_visit_writes_the_visit_and_one_mutation_per_changed_item(
    demo_services: Services, demo_store: Store
) -> None:
    household_id, people = demo_household(demo_store)
    a, b = people[0]["id"], people[1]["id"]
    # Known starting states; b's ehealth record is already what the visit records (touched,
    # but not changed).
    demo_services.set_item_state("person", a, "vneid_l1", "not_started")
    demo_services.set_item_state("person", b, "bank_account", "guided")
    demo_services.set_item_state("household", household_id, "zalo_group", "not_started")
    demo_services.set_item_state("person", b, "ehealth_record", "done")
    before = last_outbox_id(demo_store)
    changes = [
        ItemChange("person", a, "vneid_l1", "guided"),
        ItemChange("person", b, "ehealth_record", "done"),
        ItemChange("person", b, "bank_account", "pending", reason="waiting_bank"),
        ItemChange("household", household_id, "zalo_group", "done"),
    ]
    when = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    visit_id = demo_services.log_visit(
        household_id,
        "met",
        changes,
        note="Gặp cả nhà",
        follow_up_on=dt.date(2026, 12, 1),
        visited_at=when,
        met_ids=[b, a, b],
    )
    mutations = outbox(demo_store, before)
    items = [m for m in mutations if m["table_name"] == "support_items"]
    assert [m["row_id"] for m in items] == [
        ids.support_item_id(a, "vneid_l1"),
        ids.support_item_id(b, "bank_account"),
        ids.support_item_id(household_id, "zalo_group"),
    ]
    for m, change in zip(items, [changes[0], changes[2], changes[3]], strict=True):
        stored = row(demo_store, "support_items", m["row_id"])
        assert stored["state"] == change.state == m["fields"]["state"]
        assert m["base_version"] == stored["version"]

    visit = mutations[-1]
    assert len(mutations) == 4
    assert (visit["table_name"], visit["row_id"], visit["op"], visit["base_version"]) == (
        "visits",
        visit_id,
        "upsert",
        0,
    )
    touched = sorted(
        ({"subject_id": c.subject_id, "item_code": c.item_code, "state": c.state} for c in changes),
        key=lambda e: (e["subject_id"], e["item_code"]),
    )
    leader = user_id("totruong")
    assert visit["fields"] == {
        "household_id": household_id,
        "visited_at": "2026-11-20T09:30:00+07:00",
        "volunteer_id": leader,
        "outcome": "met",
        "note": "Gặp cả nhà",
        "follow_up_on": "2026-12-01",
        "items": touched,
        "met_ids": sorted([a, b]),  # each person once, in one order
    }
    assert wire("visits", row(demo_store, "visits", visit_id)) == visit["fields"]


def test_who_was_met_must_be_of_the_visited_household(
    demo_services: Services, demo_store: Store
) -> None:
    household_id, people = demo_household(demo_store)
    p = SYNCED_TABLES["persons"]
    with demo_store.read() as conn:
        stranger = conn.execute(
            select(p.c.id).where(p.c.household_id != household_id).limit(1)
        ).scalar_one()
    before = last_outbox_id(demo_store)
    with pytest.raises(ValidationFailed) as failed:
        demo_services.log_visit(household_id, "met", met_ids=[people[0]["id"], stranger])
    assert [e.field for e in failed.value.errors] == ["met_ids"]
    assert failed.value.errors[0].message_vi == "Người này không thuộc hộ đang thăm"
    assert last_outbox_id(demo_store) == before  # nothing half-written


def test_volunteer_id_before_sign_in_is_a_stable_local_id(
    services: Services, store: Store, household: str
) -> None:
    first = services.log_visit(household, "not_home", follow_up_on="2026-12-02")
    second = services.log_visit(household, "refused")
    with store.read() as conn:
        local = LOCAL_USER_ID.get(conn)
        assert USER_ID.get(conn) is None
    assert ids.is_canonical_uuid(local)
    assert row(store, "visits", first)["volunteer_id"] == local
    assert row(store, "visits", second)["volunteer_id"] == local
    naive = services.log_visit(household, "met", visited_at=dt.datetime(2026, 11, 2, 8, 0))
    assert row(store, "visits", naive)["visited_at"] == "2026-11-02T08:00:00+07:00"


def test_set_target_uses_the_derived_id(services: Services, store: Store) -> None:
    before = last_outbox_id(store)
    target = services.set_target("X9001", "fibre_households", "2026", 85)
    assert target == ids.target_id("X9001", "fibre_households", "2026")
    created = only(outbox(store, before))
    assert (created["table_name"], created["row_id"], created["base_version"]) == (
        "targets",
        target,
        0,
    )
    assert created["fields"] == {
        "area_id": "X9001",
        "indicator_code": "fibre_households",
        "period": "2026",
        "percent": 85.0,
    }
    services.set_target("X9001", "fibre_households", "2026", 85.0)  # same: nothing
    services.set_target("X9001", "fibre_households", "2026", 90)
    assert only(outbox(store, created["id"]))["fields"] == {"percent": 90.0}
    assert row(store, "targets", target)["percent"] == 90.0

    with pytest.raises(ValidationFailed) as raised:
        services.set_target("X9001", "no_such_indicator", "2026", 50)
    assert set(raised.value.by_field()) == {"indicator_code"}
    with pytest.raises(NotFound) as raised:
        services.set_target("X0000", "fibre_households", "2026", 50)
    assert set(raised.value.by_field()) == {"area_id"}


# -- validation: a named field, and nothing written -------------------------------------------


def assert_writes_nothing(store: Store, action, *fields: str, code: str | None = None) -> None:
    counts = snapshot_counts(store)
    with store.read() as conn:
        clock = HLC_LAST.get(conn)
    with pytest.raises(ValidationFailed) as raised:
        action()
    errors = raised.value.by_field()
    assert set(errors) == set(fields), raised.value.errors
    if code is not None:
        assert {e.code for e in errors.values()} == {code}
    assert snapshot_counts(store) == counts
    with store.read() as conn:
        assert HLC_LAST.get(conn) == clock


def test_invalid_cccd(services: Services, store: Store, household: str) -> None:
    assert_writes_nothing(
        store,
        lambda: services.add_person(household, full_name="Phạm Văn Nam", cccd="12345"),
        "cccd",
    )
    assert_writes_nothing(
        store,
        lambda: services.add_person(household, full_name="Phạm Văn Nam", cccd="999085001234"),
        "cccd",
    )  # unknown province


def test_cccd_inconsistent_with_birth_year_or_sex(
    services: Services, store: Store, household: str
) -> None:
    assert_writes_nothing(
        store,
        lambda: services.add_person(
            household, full_name="Phạm Văn Nam", birth_date="1991", cccd="092085001235"
        ),
        "cccd",
        code="inconsistent",
    )
    assert_writes_nothing(
        store,
        lambda: services.add_person(
            household, full_name="Phạm Văn Nam", sex="m", cccd="092185001235"
        ),
        "cccd",
        code="inconsistent",
    )
    # Against the stored row: Đức's CCCD says 1985, so a new birth year contradicts it.
    duc = person_named(store, "Nguyễn Văn Đức")
    assert_writes_nothing(
        store,
        lambda: services.update_person(duc["id"], birth_date="1986"),
        "cccd",
        code="inconsistent",
    )


def test_bad_phone(services: Services, store: Store, household: str) -> None:
    assert_writes_nothing(
        store,
        lambda: services.add_person(household, full_name="Phạm Văn Nam", phone="12345"),
        "phone",
    )
    assert_writes_nothing(
        store, lambda: services.update_household(household, phone="0123"), "phone"
    )


def test_unknown_hamlet(services: Services, store: Store, household: str) -> None:
    assert_writes_nothing(
        store, lambda: services.register_household("X9001-99", "Số 1", members=[DUC]), "hamlet_id"
    )
    # A commune is an area, but not a hamlet.
    assert_writes_nothing(store, lambda: services.register_household("X9001", "Số 1"), "hamlet_id")
    assert_writes_nothing(
        store, lambda: services.update_household(household, hamlet_id="nope"), "hamlet_id"
    )


def test_a_bad_member_rolls_back_the_whole_household(services: Services, store: Store) -> None:
    assert_writes_nothing(
        store,
        lambda: services.register_household(
            HAMLET, "Số 2", members=[DUC, {**HOA, "phone": "12"}, {"full_name": ""}]
        ),
        "members[1].phone",
        "members[2].full_name",
    )


def test_person_of_another_household_in_a_visit(
    services: Services, store: Store, household: str
) -> None:
    other = services.register_household(HAMLET_B["id"], "Tổ 3", members=[member("Võ Thị Lan")])
    duc = person_named(store, "Nguyễn Văn Đức")
    lan = person_named(store, "Võ Thị Lan")
    changes = [
        ItemChange("person", duc["id"], "vneid_l1", "done"),  # valid, processed first
        ItemChange("person", lan["id"], "vneid_l1", "done"),
    ]
    assert_writes_nothing(
        store, lambda: services.log_visit(household, "met", changes), "subject_id"
    )
    assert_writes_nothing(
        store,
        lambda: services.log_visit(
            household, "met", [ItemChange("household", other, "zalo_group", "done")]
        ),
        "subject_id",
    )


def test_other_visit_and_item_errors(services: Services, store: Store, household: str) -> None:
    duc = person_named(store, "Nguyễn Văn Đức")
    assert_writes_nothing(store, lambda: services.log_visit(household, "partied"), "outcome")
    assert_writes_nothing(
        store,
        lambda: services.log_visit(
            household, "met", [ItemChange("person", duc["id"], "no_such_item", "done")]
        ),
        "item_code",
    )
    assert_writes_nothing(
        store,
        lambda: services.set_item_state("person", duc["id"], "fibre_internet", "done"),
        "subject_type",
    )  # household-level
    assert_writes_nothing(
        store,
        lambda: services.set_item_state(
            "person", duc["id"], "vneid_l2", "done", reason="waiting_police"
        ),
        "reason",
    )
    assert_writes_nothing(store, lambda: services.log_visit(ids.new_id(), "met"), "household_id")


# -- clocks and mutation ids ------------------------------------------------------------------


def test_hlc_stamps_strictly_increase_across_calls_and_reopening(store: Store) -> None:
    services = Services(store)
    household = services.register_household(HAMLET, "Số 1", members=[DUC])
    for status in ("moved", "active", "gone", "active"):
        services.set_household_status(household, status)
    path = store.path
    store.close()

    reopened = Store.open(path)
    try:
        again = Services(reopened)
        for status in ("moved", "active"):
            again.set_household_status(household, status)
        # A clock that ran ahead before (a wall clock later corrected): never go back below it.
        ahead = hlc.parse(outbox(reopened)[-1]["hlc"])
        future = str(hlc.Stamp(ahead.millis + 3_600_000, 7, ahead.node))
        with reopened.write() as conn:
            HLC_LAST.set(conn, future)
        again.set_household_status(household, "moved")
        stamps = [m["hlc"] for m in outbox(reopened)]
        assert len(stamps) == 9
        assert all(hlc.is_valid(s) for s in stamps)
        assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
        assert stamps[-1] > future
        nodes = {hlc.parse(s).node for s in stamps}
        assert len(nodes) == 1  # one node per profile, kept across restarts
        with reopened.read() as conn:
            assert HLC_LAST.get(conn) == stamps[-1]
    finally:
        reopened.close()


def test_outbox_ids_are_never_reused(services: Services, store: Store, household: str) -> None:
    services.set_household_status(household, "moved")
    services.set_household_status(household, "active")
    newest = last_outbox_id(store)
    # The sync engine purges acknowledged mutations; purge the newest ones too.
    with store.write() as conn:
        conn.execute(text("DELETE FROM outbox WHERE id >= :id"), {"id": newest - 1})
    services.set_household_status(household, "gone")
    ids_now = [m["id"] for m in outbox(store)]
    assert ids_now[-1] == newest + 1
    assert ids_now == sorted(set(ids_now))


def test_setting_a_tombstoned_item_revives_it_with_a_full_upsert(
    demo_services: Services, demo_store: Store
) -> None:
    """A pulled tombstone of a support item, then a volunteer sets that item again."""
    s = SYNCED_TABLES["support_items"]
    with demo_store.write() as conn:
        item = dict(
            conn.execute(
                select(s).where(s.c.subject_type == "person", s.c.state == "done").limit(1)
            )
            .mappings()
            .one()
        )
        conn.execute(s.update().where(s.c.id == item["id"]).values(deleted=True))
    before = last_outbox_id(demo_store)
    demo_services.set_item_state("person", item["subject_id"], item["item_code"], "guided")
    mutation = only(outbox(demo_store, before))
    assert (mutation["row_id"], mutation["op"], mutation["base_version"]) == (
        item["id"],
        "upsert",
        item["version"],
    )
    assert mutation["fields"] == {
        "subject_type": "person",
        "subject_id": item["subject_id"],
        "item_code": item["item_code"],
        "state": "guided",
        "reason": None,
        "note": "",
    }
    stored = row(demo_store, "support_items", item["id"])
    assert not stored["deleted"] and stored["state"] == "guided"


def test_concurrent_writers_get_increasing_ids_and_stamps(store: Store) -> None:
    """The GUI and a worker thread writing at once: one clock, in commit order."""
    import threading

    services = Services(store)
    households = [services.register_household(HAMLET, f"Số {n}") for n in range(4)]
    before = last_outbox_id(store)
    failures: list[BaseException] = []

    def worker(household: str) -> None:
        try:
            for n in range(10):
                services.update_household(household, note=f"lần {n}")
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=worker, args=(h,)) for h in households]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    mutations = outbox(store, before)
    assert len(mutations) == 40
    stamps = [m["hlc"] for m in mutations]
    assert stamps == sorted(stamps) and len(set(stamps)) == 40
    for household in households:
        assert row(store, "households", household)["note"] == "lần 9"
