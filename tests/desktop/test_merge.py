"""A leader merges duplicate households and persons (desktop.services.merge): ordinary
mutations in one transaction, derived ids for the visit copies, progress wins for items."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.services import ItemChange, NotAllowed, NotFound, Services
from desktop.store import Store, bulk
from desktop.store.duplicates import HOUSEHOLD, find_duplicates
from desktop.store.identity import USER_ID
from gocua import ids
from gocua.states import RANK, STATES
from tests.desktop.conftest import (
    HAMLET_A,
    HAMLET_B,
    last_outbox_id,
    member,
    outbox,
    row,
    snapshot_counts,
)

A, B = HAMLET_A["id"], HAMLET_B["id"]
CCCD_DUC = "079080123456"  # a man born in 1980
CCCD_LAN = "079185654321"  # a woman born in 1985


def sign_in_as(store: Store, role: str) -> None:
    """The profile's signed-in user, as hello leaves it: a users row and the user id."""
    with store.write() as conn:
        bulk.insert_users(conn, [{"id": f"user-{role}", "display_name": "Chị Hà", "role": role}])
        USER_ID.set(conn, f"user-{role}")


@pytest.fixture
def leader(services: Services, store: Store) -> Services:
    sign_in_as(store, "leader")
    return services


def persons_of(store: Store, household_id: str) -> dict[str, dict]:
    with store.read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT id, full_name, cccd, relation, phone, birth_date FROM persons "
            "WHERE household_id = ? AND deleted = 0",
            (household_id,),
        ).all()
    return {
        r[1]: {"id": r[0], "cccd": r[2], "relation": r[3], "phone": r[4], "born": r[5]}
        for r in rows
    }


def visits_of(store: Store, household_id: str) -> dict[str, dict]:
    with store.read() as conn:
        ids_ = conn.exec_driver_sql(
            "SELECT id FROM visits WHERE household_id = ? AND deleted = 0", (household_id,)
        ).scalars()
        return {i: row(store, "visits", i) for i in list(ids_)}


def state_of(store: Store, subject_id: str, code: str) -> str | None:
    found = row(store, "support_items", ids.support_item_id(subject_id, code))
    return None if found is None or found["deleted"] else found["state"]


def two_copies(leader: Services, store: Store) -> tuple[str, str, dict]:
    """The same household added on two laptops: one head (same CCCD), other members differ,
    a visit and items each."""
    keep = leader.register_household(
        A,
        "Số 12, đường Bờ Kênh",
        members=[
            member("Nguyễn Văn Đức", relation="head", cccd=CCCD_DUC, birth_date="1980"),
            member("Trần Thị Hoa", relation="spouse", birth_date="1983-02-01"),
        ],
    )
    other = leader.register_household(
        A,
        "so 12 duong bo kenh",
        phone="0912345678",
        note="Nhà cạnh chợ",
        members=[
            member("Nguyen Van Duc", relation="head", cccd=CCCD_DUC, phone="0987654321"),
            member("Nguyễn Minh Khoa", relation="child", birth_date="2010"),
            member("Trần Thị Hoa", relation="spouse", birth_date="1983-02-01"),
        ],
    )
    k, o = persons_of(store, keep), persons_of(store, other)
    duc_k, duc_o = k["Nguyễn Văn Đức"]["id"], o["Nguyen Van Duc"]["id"]
    hoa_k, hoa_o = k["Trần Thị Hoa"]["id"], o["Trần Thị Hoa"]["id"]
    khoa = o["Nguyễn Minh Khoa"]["id"]
    v_keep = leader.log_visit(
        keep,
        "met",
        [
            ItemChange("person", duc_k, "vneid_l2", "pending", "waiting_police", "Hẹn công an"),
            ItemChange("household", keep, "fibre_internet", "guided"),
            ItemChange("person", hoa_k, "bank_account", "done"),
        ],
        note="Lần đầu",
    )
    v_other = leader.log_visit(
        other,
        "met",
        [
            ItemChange("person", duc_o, "vneid_l2", "done"),
            ItemChange("person", duc_o, "bank_account", "guided"),
            ItemChange("household", other, "fibre_internet", "done", note="Đã lắp"),
            ItemChange("household", other, "zalo_group", "declined", "refused"),
            ItemChange("person", hoa_o, "bank_account", "guided"),
            ItemChange("person", khoa, "ehealth_record", "guided"),
        ],
        note="Ghi ở máy thứ hai",
        follow_up_on="2030-01-02",
    )
    people = {"duc_k": duc_k, "duc_o": duc_o, "hoa_k": hoa_k, "hoa_o": hoa_o, "khoa": khoa}
    return keep, other, {**people, "v_keep": v_keep, "v_other": v_other}


def test_merging_households_takes_persons_visits_and_the_better_items(leader, store):
    keep, other, p = two_copies(leader, store)
    before = last_outbox_id(store)
    result = leader.merge_households(keep, other)
    assert (result.kept, result.persons_moved, result.persons_merged, result.visits_copied) == (
        keep,
        1,
        2,
        1,
    )

    # Persons: Khoa moved, the head and Hoa merged into the kept ones (one each).
    people = persons_of(store, keep)
    assert sorted(people) == ["Nguyễn Minh Khoa", "Nguyễn Văn Đức", "Trần Thị Hoa"]
    assert people["Nguyễn Minh Khoa"]["id"] == p["khoa"]
    assert people["Nguyễn Văn Đức"] == {
        "id": p["duc_k"],
        "cccd": CCCD_DUC,
        "relation": "head",
        "phone": "0987654321",  # filled from the other record
        "born": "1980",
    }
    assert persons_of(store, other) == {}
    assert row(store, "persons", p["duc_o"])["deleted"]
    assert row(store, "persons", p["hoa_o"])["deleted"]

    # Items: the state further along, with its reason and note; the other's items deleted.
    assert state_of(store, p["duc_k"], "vneid_l2") == "done"
    assert row(store, "support_items", ids.support_item_id(p["duc_k"], "vneid_l2"))["note"] == (
        "Hẹn công an"  # the winner had no note: the kept one stays
    )
    assert state_of(store, p["duc_k"], "bank_account") == "guided"  # only the other had it
    assert state_of(store, p["hoa_k"], "bank_account") == "done"  # kept's is further along
    assert state_of(store, p["khoa"], "ehealth_record") == "guided"  # moved with Khoa
    fibre = row(store, "support_items", ids.support_item_id(keep, "fibre_internet"))
    assert (fibre["state"], fibre["note"], fibre["deleted"]) == ("done", "Đã lắp", False)
    zalo = row(store, "support_items", ids.support_item_id(keep, "zalo_group"))
    assert (zalo["state"], zalo["reason"], zalo["subject_id"]) == ("declined", "refused", keep)
    for subject, code in [
        (p["duc_o"], "vneid_l2"),
        (p["duc_o"], "bank_account"),
        (p["hoa_o"], "bank_account"),
        (other, "fibre_internet"),
        (other, "zalo_group"),
    ]:
        assert state_of(store, subject, code) is None, (subject, code)

    # Visits: the kept one, and the other's copied under its derived id, subjects rewritten.
    visits = visits_of(store, keep)
    copy_id = ids.merged_visit_id(p["v_other"], keep)
    assert set(visits) == {p["v_keep"], copy_id}
    copy, original = visits[copy_id], row(store, "visits", p["v_other"])
    assert original["deleted"]
    for field in ("visited_at", "volunteer_id", "outcome", "note", "follow_up_on"):
        assert copy[field] == original[field]
    assert copy["items"] == sorted(
        [
            {"subject_id": p["duc_k"], "item_code": "vneid_l2", "state": "done"},
            {"subject_id": p["duc_k"], "item_code": "bank_account", "state": "guided"},
            {"subject_id": keep, "item_code": "fibre_internet", "state": "done"},
            {"subject_id": keep, "item_code": "zalo_group", "state": "declined"},
            {"subject_id": p["hoa_k"], "item_code": "bank_account", "state": "guided"},
            {"subject_id": p["khoa"], "item_code": "ehealth_record", "state": "guided"},
        ],
        key=lambda e: (e["subject_id"], e["item_code"]),
    )

    # The household: empty fields filled, the other a tombstone.
    kept = row(store, "households", keep)
    assert (kept["phone"], kept["note"], kept["address"]) == (
        "0912345678",
        "Nhà cạnh chợ",
        "Số 12, đường Bờ Kênh",
    )
    assert row(store, "households", other)["deleted"]

    # Every write is queued for the server, the other household's delete last.
    queued = outbox(store, before)
    assert queued[-1]["table_name"] == "households" and queued[-1]["op"] == "delete"
    assert queued[-1]["row_id"] == other
    deleted = {(m["table_name"], m["row_id"]) for m in queued if m["op"] == "delete"}
    assert ("visits", p["v_other"]) in deleted and ("persons", p["duc_o"]) in deleted
    assert any(m["row_id"] == copy_id and m["op"] == "upsert" for m in queued)
    moves = [m for m in queued if m["row_id"] == p["khoa"]]
    assert [m["fields"] for m in moves] == [{"household_id": keep}]  # Khoa is not the head

    with store.read() as conn:
        assert find_duplicates(conn) == []


def test_a_moved_head_gives_up_the_relation_when_the_kept_household_has_one(leader, store):
    keep = leader.register_household(A, "Số 1", members=[member("Lê Văn Một", relation="head")])
    other = leader.register_household(A, "Số 1", members=[member("Lê Văn Hai", relation="head")])
    headless = leader.register_household(A, "Số 2", members=[member("Lê Văn Ba")])
    third = leader.register_household(A, "Số 2", members=[member("Lê Văn Tư", relation="head")])
    leader.merge_households(keep, other)
    assert persons_of(store, keep)["Lê Văn Hai"]["relation"] is None
    leader.merge_households(headless, third)
    assert persons_of(store, headless)["Lê Văn Tư"]["relation"] == "head"
    # A kept person without a relation takes "head" from its twin only where no one is head.
    four = leader.register_household(
        A, "Số 4", members=[member("Lê Văn Năm", relation="head"), member("Lê Thị Sáu")]
    )
    five = leader.register_household(A, "Số 5", members=[member("Le Thi Sau", relation="head")])
    six = persons_of(store, four)["Lê Thị Sáu"]["id"]
    leader.merge_persons(six, persons_of(store, five)["Le Thi Sau"]["id"])
    assert row(store, "persons", six)["relation"] is None


def test_two_leaders_merging_the_same_pair_write_the_same_rows(leader, store, tmp_path):
    keep, other, p = two_copies(leader, store)
    store.engine.dispose()  # the WAL checkpointed: the file alone is the profile
    copy_path = tmp_path / "second-laptop.db"
    shutil.copyfile(store.path, copy_path)
    second = Store.open(copy_path)
    try:
        last = last_outbox_id(store)
        leader.merge_households(keep, other)
        Services(second).merge_households(keep, other)
        mine = [(m["table_name"], m["row_id"], m["op"], m["fields"]) for m in outbox(store, last)]
        theirs = [
            (m["table_name"], m["row_id"], m["op"], m["fields"]) for m in outbox(second, last)
        ]
        assert mine == theirs
    finally:
        second.close()


def test_merging_two_persons_with_one_cccd_across_households(leader, store):
    one = leader.register_household(
        A,
        "Số 1",
        members=[
            member("Võ Văn Kiệt", relation="head"),
            member("Trần Thị Lan", relation="spouse", cccd=CCCD_LAN),
        ],
    )
    two = leader.register_household(
        B,
        "Số 9",
        members=[
            member("Phan Văn Chín", relation="head"),
            member(
                "Tran Thi Lan",
                cccd=CCCD_LAN,
                birth_date="1985-03-04",
                sex="f",
                phone="0901234567",
                has_smartphone=True,
                note="Ở nhà con gái",
            ),
        ],
    )
    lan = persons_of(store, one)["Trần Thị Lan"]["id"]
    lan_b = persons_of(store, two)["Tran Thi Lan"]["id"]
    leader.set_item_state("person", lan, "vneid_l2", "guided")
    leader.set_item_state("person", lan_b, "vneid_l2", "pending", "waiting_police")
    leader.set_item_state("person", lan, "bank_account", "done")
    leader.set_item_state("person", lan_b, "bank_account", "declined", "refused")
    leader.set_item_state("person", lan_b, "smartca", "not_started")
    with store.read() as conn:
        pairs = find_duplicates(conn)
    assert [(pair.kind, pair.key[1:]) for pair in pairs] == [
        ("person", tuple(sorted((lan, lan_b))))
    ]

    result = leader.merge_persons(lan, lan_b)
    assert (result.kept, result.persons_merged, result.items_taken) == (lan, 1, 2)
    kept = row(store, "persons", lan)
    assert (kept["household_id"], kept["relation"], kept["cccd"]) == (one, "spouse", CCCD_LAN)
    assert (kept["birth_date"], kept["sex"], kept["phone"], kept["has_smartphone"]) == (
        "1985-03-04",
        "f",
        "0901234567",
        True,
    )
    assert kept["note"] == "Ở nhà con gái"
    pending = row(store, "support_items", ids.support_item_id(lan, "vneid_l2"))
    assert (pending["state"], pending["reason"]) == ("pending", "waiting_police")
    assert state_of(store, lan, "bank_account") == "done"
    assert state_of(store, lan, "smartca") == "not_started"  # copied: nothing lost
    assert row(store, "persons", lan_b)["deleted"]
    for code in ("vneid_l2", "bank_account", "smartca"):
        assert state_of(store, lan_b, code) is None
    assert sorted(persons_of(store, two)) == ["Phan Văn Chín"]
    with store.read() as conn:
        assert find_duplicates(conn) == []


def test_a_cccd_that_disagrees_with_the_kept_person_is_not_filled(leader, store):
    household = leader.register_household(
        A,
        "Số 3",
        members=[
            member("Lê Thị Hồng", sex="m", birth_date="1985"),  # the kept record says male
            member("Le Thi Hong", cccd=CCCD_LAN, phone="0901234567"),
        ],
    )
    people = persons_of(store, household)
    keep, other = people["Lê Thị Hồng"]["id"], people["Le Thi Hong"]["id"]
    leader.merge_persons(keep, other)
    kept = row(store, "persons", keep)
    assert (kept["cccd"], kept["sex"], kept["phone"]) == (None, "m", "0901234567")


@pytest.mark.parametrize("role", ["volunteer", None])
def test_a_volunteer_cannot_merge(services, store, role):
    keep = services.register_household(A, "Số 1", members=[member("An", relation="head")])
    other = services.register_household(A, "Số 1", members=[member("An", relation="head")])
    if role:
        sign_in_as(store, role)
    before = snapshot_counts(store)
    for merge, a, b in (
        (services.merge_households, keep, other),
        (services.merge_persons, *persons_ids(store, keep, other)),
    ):
        with pytest.raises(NotAllowed) as refused:
            merge(a, b)
        message = refused.value.errors[0].message_vi
        assert message.startswith("Chỉ tổ trưởng hoặc cán bộ quản trị xã mới được gộp")
    assert snapshot_counts(store) == before


def persons_ids(store: Store, *households: str) -> list[str]:
    return [next(iter(persons_of(store, h).values()))["id"] for h in households]


def test_commune_admins_merge_too(services, store):
    sign_in_as(store, "commune_admin")
    keep = services.register_household(A, "Số 1", members=[member("An", relation="head")])
    other = services.register_household(A, "Số 1", members=[member("An", relation="head")])
    services.merge_households(keep, other)
    assert row(store, "households", other)["deleted"]


def test_a_pair_whose_other_row_is_gone_is_not_found_and_writes_nothing(leader, store):
    keep, other, p = two_copies(leader, store)
    # Merged meanwhile on another laptop: the pull dropped the row.
    with store.write() as conn:
        conn.exec_driver_sql("DELETE FROM households WHERE id = ?", (other,))
    before, rows_before = last_outbox_id(store), snapshot_counts(store)
    with pytest.raises(NotFound) as missing:
        leader.merge_households(keep, other)
    assert missing.value.errors[0].field == "other_id"
    assert "đã được gộp" in missing.value.errors[0].message_vi
    with pytest.raises(NotFound):
        leader.merge_households(other, keep)  # the kept one gone: the same
    with pytest.raises(NotFound):
        leader.merge_persons(p["duc_k"], ids.new_id())
    assert last_outbox_id(store) == before
    assert snapshot_counts(store) == rows_before
    # A person deleted here and not yet pushed (a tombstone) is gone as well.
    leader.delete_person(p["hoa_k"])
    before = last_outbox_id(store)
    with pytest.raises(NotFound):
        leader.merge_persons(p["duc_k"], p["hoa_k"])
    assert last_outbox_id(store) == before


def test_merging_a_record_with_itself_is_refused(leader, store):
    keep = leader.register_household(A, "Số 1", members=[member("An", relation="head")])
    before = last_outbox_id(store)
    with pytest.raises(Exception) as refused:
        leader.merge_households(keep, keep)
    assert not isinstance(refused.value, NotFound)
    assert last_outbox_id(store) == before


def test_dismissing_a_pair_is_kept_and_writes_no_mutation(leader, store):
    one = leader.register_household(A, "Số 1", members=[member("An", relation="head")])
    two = leader.register_household(A, "Số 1", members=[member("An", relation="head")])
    before = last_outbox_id(store)
    leader.dismiss_duplicate(HOUSEHOLD, one, two)
    assert last_outbox_id(store) == before
    with store.read() as conn:
        assert find_duplicates(conn) == []


# -- progress wins, for any pair of states ------------------------------------------------------

maybe_state = st.one_of(st.none(), st.sampled_from(STATES))
REASONS = {"pending": "other", "declined": "other", "not_eligible": "other"}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    household_states=st.lists(st.tuples(maybe_state, maybe_state), min_size=3, max_size=3),
    person_states=st.lists(st.tuples(maybe_state, maybe_state), min_size=4, max_size=4),
)
def test_the_merged_state_is_the_one_further_along(leader, store, household_states, person_states):
    keep = leader.register_household(A, "Số 1", members=[member("Hà Văn Một", relation="head")])
    other = leader.register_household(A, "Số 1", members=[member("Ha Van Mot", relation="head")])
    head_k, head_o = persons_ids(store, keep, other)
    household_codes = ["fibre_internet", "zalo_group", "ecommerce"]
    person_codes = ["vneid_l1", "vneid_l2", "bank_account", "ehealth_record"]
    cases = [
        ("household", keep, other, code, pair)
        for code, pair in zip(household_codes, household_states, strict=True)
    ] + [
        ("person", head_k, head_o, code, pair)
        for code, pair in zip(person_codes, person_states, strict=True)
    ]
    for level, k, o, code, (kept_state, other_state) in cases:
        for subject, state in ((k, kept_state), (o, other_state)):
            if state is not None:
                leader.set_item_state(level, subject, code, state, REASONS.get(state))
    leader.merge_households(keep, other)
    for _level, k, o, code, (kept_state, other_state) in cases:
        merged = state_of(store, k, code)
        assert state_of(store, o, code) is None
        if kept_state is None or other_state is None:
            assert merged == (kept_state or other_state)
        elif RANK[other_state] > RANK[kept_state]:
            assert merged == other_state
        else:
            assert merged == kept_state  # equal rank: the kept record's stays
        present = [s for s in (kept_state, other_state) if s is not None]
        if present:
            assert RANK[merged] == max(RANK[s] for s in present)
