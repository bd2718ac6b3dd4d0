"""Detection of likely duplicates (desktop.store.duplicates) on hand-built profiles."""

from __future__ import annotations

from desktop.services import Services
from desktop.store import Store
from desktop.store.duplicates import (
    CCCD,
    HEAD_CCCD,
    HOUSEHOLD,
    NAME_ADDRESS,
    PERSON,
    candidates,
    count_duplicates,
    dismiss,
    find_duplicates,
)
from tests.desktop.conftest import HAMLET_A, HAMLET_B, member

A, B = HAMLET_A["id"], HAMLET_B["id"]
CCCD_HEAD = "079080123456"  # a man born in 1980
CCCD_OTHER = "079185654321"  # a woman born in 1985


def _found(store: Store):
    with store.read() as conn:
        return find_duplicates(conn)


def _keys(store: Store) -> set[tuple[str, str, str]]:
    with store.read() as conn:
        return {(c.kind, c.first, c.second) for c in candidates(conn)}


def _key(kind: str, a: str, b: str) -> tuple[str, str, str]:
    first, second = sorted((a, b))
    return kind, first, second


def test_same_head_and_address_with_other_accents_and_case_make_a_pair(services, store):
    one = services.register_household(
        A,
        "Số 12, đường Bờ Kênh",
        members=[member("Nguyễn Văn Đức", relation="head"), member("Trần Thị Hoa")],
    )
    two = services.register_household(
        A,
        "so 12  Duong bo kenh",  # no accents, other case, double space, no comma
        members=[member("nguyen van duc", relation="head")],
    )
    services.register_household(  # same head, another address: not a duplicate
        A, "Số 14, đường Bờ Kênh", members=[member("Nguyễn Văn Đức", relation="head")]
    )
    services.register_household(  # same address, another head
        A, "Số 12, đường Bờ Kênh", members=[member("Nguyễn Văn Đông", relation="head")]
    )
    found = _found(store)
    assert [(p.kind, p.reason) for p in found] == [(HOUSEHOLD, NAME_ADDRESS)]
    pair = found[0]
    assert pair.key == _key(HOUSEHOLD, one, two)
    # The fuller record (two members) is on the left.
    assert (pair.left.id, pair.right.id) == (one, two)
    assert pair.left.members == ("Nguyễn Văn Đức", "Trần Thị Hoa")
    assert pair.left.head_name == "Nguyễn Văn Đức" and pair.right.head_name == "nguyen van duc"
    assert pair.left.hamlet_name == "Ấp Bình Minh"
    with store.read() as conn:
        assert count_duplicates(conn) == 1


def test_the_head_is_the_list_s_head_relation_first_then_the_first_entered(services, store):
    # No relation "head": the first person entered is the head (as the household list shows).
    one = services.register_household(A, "Số 3", members=[member("Lê Văn Tám"), member("Bé Na")])
    two = services.register_household(A, "Số 3", members=[member("Bé Na"), member("Lê Văn Tám")])
    assert _keys(store) == set()
    services.update_person(_person_named(store, two, "Lê Văn Tám"), relation="head")
    assert _keys(store) == {_key(HOUSEHOLD, one, two)}


def test_households_without_persons_are_not_matched_by_name(services, store):
    services.register_household(A, "Số 5")
    services.register_household(A, "Số 5")
    assert _keys(store) == set()


def test_other_hamlets_make_no_pair_unless_the_heads_share_a_cccd(services, store):
    one = services.register_household(A, "Số 1", members=[member("Phạm Văn Hùng", relation="head")])
    two = services.register_household(B, "Số 1", members=[member("Phạm Văn Hùng", relation="head")])
    assert _keys(store) == set()
    services.update_person(_person_named(store, one, "Phạm Văn Hùng"), cccd=CCCD_HEAD)
    assert _keys(store) == set()  # one CCCD only
    services.update_person(_person_named(store, two, "Phạm Văn Hùng"), cccd=CCCD_HEAD)
    found = _found(store)
    assert [(p.kind, p.reason, p.key) for p in found] == [
        (HOUSEHOLD, HEAD_CCCD, _key(HOUSEHOLD, one, two))
    ]
    assert {found[0].left.hamlet_id, found[0].right.hamlet_id} == {A, B}
    assert found[0].left.head_cccd == CCCD_HEAD


def test_a_pair_matching_both_rules_is_listed_once_by_cccd(services, store):
    one = services.register_household(
        A, "Số 1", members=[member("Phạm Văn Hùng", relation="head", cccd=CCCD_HEAD)]
    )
    two = services.register_household(
        A, "số 1", members=[member("Pham Van Hung", relation="head", cccd=CCCD_HEAD)]
    )
    found = _found(store)
    # The heads' shared CCCD is inside the household pair: no separate person pair.
    assert [(p.kind, p.reason, p.key) for p in found] == [
        (HOUSEHOLD, HEAD_CCCD, _key(HOUSEHOLD, one, two))
    ]


def test_persons_with_one_cccd_in_unrelated_households_make_a_person_pair(services, store):
    one = services.register_household(
        A,
        "Số 1",
        members=[member("Phạm Văn Hùng", relation="head"), member("Trần Thị Lan", cccd=CCCD_OTHER)],
    )
    two = services.register_household(
        B,
        "Số 9",
        members=[
            member("Võ Văn Kiệt", relation="head"),
            member("Tran Thi Lan", cccd=CCCD_OTHER, relation="spouse"),
        ],
    )
    lan_one = _person_named(store, one, "Trần Thị Lan")
    lan_two = _person_named(store, two, "Tran Thi Lan")
    found = _found(store)
    assert [(p.kind, p.reason, p.key) for p in found] == [
        (PERSON, CCCD, _key(PERSON, lan_one, lan_two))
    ]
    sides = {found[0].left.id: found[0].left, found[0].right.id: found[0].right}
    assert sides[lan_one].address == "Số 1" and sides[lan_two].hamlet_name == "Ấp Đông Hòa"
    assert sides[lan_two].relation == "spouse" and sides[lan_two].cccd == CCCD_OTHER


def test_a_dismissed_pair_is_not_listed_again(services, store):
    one = services.register_household(A, "Số 7", members=[member("Đỗ Thị Mai", relation="head")])
    two = services.register_household(A, "Số 7", members=[member("Do Thi Mai", relation="head")])
    three = services.register_household(A, "Số 7", members=[member("ĐỖ THỊ MAI")])
    assert _keys(store) == {
        _key(HOUSEHOLD, one, two),
        _key(HOUSEHOLD, one, three),
        _key(HOUSEHOLD, two, three),
    }
    with store.write() as conn:
        dismiss(conn, HOUSEHOLD, two, one)  # either order
        dismiss(conn, HOUSEHOLD, one, two)  # twice is once
    assert _keys(store) == {_key(HOUSEHOLD, one, three), _key(HOUSEHOLD, two, three)}
    again = Store.open(store.path)  # kept in the profile, not in memory
    try:
        assert _key(HOUSEHOLD, one, two) not in _keys(again)
    finally:
        again.close()


def test_a_dismissed_household_pair_lets_its_shared_person_be_listed(services, store):
    one = services.register_household(
        A, "Số 1", members=[member("Phạm Văn Hùng", relation="head", cccd=CCCD_HEAD)]
    )
    two = services.register_household(
        B, "Số 2", members=[member("Phạm Văn Hùng", relation="head", cccd=CCCD_HEAD)]
    )
    assert {k[0] for k in _keys(store)} == {HOUSEHOLD}
    with store.write() as conn:
        dismiss(conn, HOUSEHOLD, one, two)
    # Not the same household, but one citizen entered twice: still worth a look.
    assert _keys(store) == {
        _key(PERSON, _person_named(store, one), _person_named(store, two)),
    }


def test_deleted_rows_are_ignored(services, store):
    one = services.register_household(A, "Số 4", members=[member("Bùi Văn Ba", relation="head")])
    two = services.register_household(A, "Số 4", members=[member("Bui Van Ba", relation="head")])
    lan = services.add_person(one, full_name="Lê Thị Lan", cccd=CCCD_OTHER)
    lan_b = services.register_household(B, "Số 8", members=[member("Lê Thị Lan", cccd=CCCD_OTHER)])
    assert len(_keys(store)) == 2
    # A deleted person: no person pair; a deleted head: the next person heads the household.
    services.delete_person(lan)
    assert _keys(store) == {_key(HOUSEHOLD, one, two)}
    services.delete_person(_person_named(store, two))
    assert _keys(store) == set()
    services.add_person(two, full_name="Bùi Văn Ba", relation="head")
    assert _keys(store) == {_key(HOUSEHOLD, one, two)}
    # A deleted household (a tombstone waiting to be pushed) is no longer a candidate, and
    # neither are its persons.
    with store.write() as conn:
        conn.exec_driver_sql("UPDATE households SET deleted = 1 WHERE id = ?", (two,))
    assert _keys(store) == set()
    services.add_person(one, full_name="Lê Thị Lan", cccd=CCCD_OTHER)
    assert {k[0] for k in _keys(store)} == {PERSON}
    with store.write() as conn:
        conn.exec_driver_sql("UPDATE households SET deleted = 1 WHERE id = ?", (lan_b,))
    assert _keys(store) == set()


def test_statuses_do_not_hide_a_duplicate(services, store):
    one = services.register_household(A, "Số 6", members=[member("Hồ Văn Sáu", relation="head")])
    two = services.register_household(A, "Số 6", members=[member("Ho Van Sau", relation="head")])
    services.set_household_status(one, "moved")
    found = _found(store)
    assert [p.key for p in found] == [_key(HOUSEHOLD, one, two)]
    assert {found[0].left.status, found[0].right.status} == {"moved", "active"}


def test_visit_and_item_counts_are_shown(services: Services, store):
    from desktop.services import ItemChange

    one = services.register_household(A, "Số 2", members=[member("Ngô Văn Hai", relation="head")])
    two = services.register_household(A, "Số 2", members=[member("Ngo Van Hai", relation="head")])
    head = _person_named(store, two)
    services.log_visit(
        two,
        "met",
        [
            ItemChange("person", head, "vneid_l2", "guided"),
            ItemChange("household", two, "fibre_internet", "done"),
        ],
    )
    services.log_visit(two, "not_home")
    pair = _found(store)[0]
    assert (pair.left.id, pair.left.visits, pair.left.items) == (two, 2, 2)
    assert (pair.right.id, pair.right.visits, pair.right.items) == (one, 0, 0)


def _person_named(store: Store, household_id: str, name: str | None = None) -> str:
    with store.read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT id, full_name FROM persons WHERE household_id = ? AND deleted = 0 ORDER BY seq",
            (household_id,),
        ).all()
    return next(pid for pid, full_name in rows if name is None or full_name == name)
