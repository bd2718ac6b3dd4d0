"""The window's read queries (desktop.store.queries) on small stores."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from desktop.services import ItemChange
from desktop.store import queries
from gocua.catalogue import default_catalogue
from tests.desktop.conftest import HAMLET_A, HAMLET_B, REF_YEAR, TODAY, member


def test_hamlets_and_household_lists(store, services):
    a1 = services.register_household(
        HAMLET_A["id"],
        "Số 2, hẻm 3",
        members=[member("Lê Văn An", relation="head"), member("Lê Thị Bé")],
    )
    a2 = services.register_household(HAMLET_A["id"], "Số 1, hẻm 3")
    b1 = services.register_household(HAMLET_B["id"], "Số 9, kênh Xáng")
    with store.read() as conn:
        rows = {h.id: h for h in queries.hamlets(conn)}
        assert (rows[HAMLET_A["id"]].households, rows[HAMLET_A["id"]].persons) == (2, 2)
        assert rows[HAMLET_B["id"]].households == 1
        assert queries.household_ids(conn, HAMLET_A["id"]) == [a2, a1]
        assert set(queries.household_ids(conn)) == {a1, a2, b1}
        got = queries.household_rows(conn, [a1, b1])
        assert got[a1].head_name == "Lê Văn An" and got[a1].members == 2
        assert got[b1].head_name == "" and got[b1].members == 0
        found = queries.search_households(conn, "le van an")
        assert found == [(a1, "Lê Văn An")]
        coverage = queries.hamlet_coverage(conn, default_catalogue(), REF_YEAR)
        assert "" in coverage


def test_a_hamlets_households_by_address_as_people_read_it(store, services):
    ten = services.register_household(HAMLET_A["id"], "Số 10, hẻm 3")
    two = services.register_household(
        HAMLET_A["id"], "số 2, hẻm 3", members=[member("Lê Văn An", relation="head")]
    )
    gone = services.register_household(HAMLET_A["id"], "Số 1, hẻm 3")
    services.register_household(HAMLET_B["id"], "Số 3, kênh Xáng")
    with store.write() as conn:  # as a pulled deletion leaves it
        conn.execute(text("UPDATE households SET deleted = 1 WHERE id = :id"), {"id": gone})
    with store.read() as conn:
        rows = queries.hamlet_households(conn, HAMLET_A["id"])
        assert [r.id for r in rows] == [two, ten]  # 2 before 10, case aside; no deleted one
        assert rows[0].head_name == "Lê Văn An" and rows[0].hamlet_id == HAMLET_A["id"]
        assert queries.hamlet_households(conn, "no-such-hamlet") == []


def test_the_household_list_sorts_house_numbers_as_numbers(store, services):
    """The window's list, all hamlets or one: "Số 1, Số 2, Số 10, Số 100", not "1, 10, 100, 2"."""
    made = {
        n: services.register_household(HAMLET_A["id"], f"Số {n}, kênh Xáng")
        for n in (100, 2, 10, 1)
    }
    other = services.register_household(HAMLET_B["id"], "Số 5, kênh Xáng")
    in_order = [made[n] for n in (1, 2, 10, 100)]
    with store.read() as conn:
        assert queries.household_ids(conn, HAMLET_A["id"]) == in_order
        everyone = queries.household_ids(conn)
    by_hamlet = sorted([HAMLET_A["id"], HAMLET_B["id"]])
    expected = (in_order + [other]) if by_hamlet[0] == HAMLET_A["id"] else [other, *in_order]
    assert everyone == expected


def test_household_page_and_open_items(store, services):
    catalogue = default_catalogue()
    hid = services.register_household(
        HAMLET_A["id"],
        "Số 3",
        members=[
            member(
                "Nguyễn Văn Đức",
                relation="head",
                birth_date=str(REF_YEAR - 40),
                has_smartphone=True,
            ),
            member("Nguyễn Bé", birth_date=str(REF_YEAR - 3)),
        ],
    )
    with store.read() as conn:
        page = queries.household_page(conn, hid)
    head, baby = page.persons
    assert head.full_name == "Nguyễn Văn Đức"
    services.log_visit(
        hid,
        "met",
        items=[
            ItemChange("person", head.id, "vneid_l2", "pending"),
            ItemChange("household", hid, "zalo_group", "done"),
        ],
        note="Hẹn tối thứ Bảy",
        follow_up_on=TODAY,
    )
    with store.read() as conn:
        page = queries.household_page(conn, hid)
        assert queries.household_page(conn, "missing") is None
    assert page.state_of(head.id, "vneid_l2") == "pending"
    assert page.state_of(hid, "zalo_group") == "done"
    assert page.state_of(baby.id, "ehealth_record") == "not_started"
    assert len(page.visits) == 1 and page.visits[0].note == "Hẹn tối thứ Bảy"
    assert {i["item_code"] for i in page.visits[0].items} == {"vneid_l2", "zalo_group"}
    open_items = page.open_items(catalogue, REF_YEAR)
    assert (head.id, "vneid_l2") in open_items  # pending still needs a hand
    assert (hid, "zalo_group") not in open_items
    assert (baby.id, "bank_account") not in open_items  # too young
    assert (baby.id, "ehealth_record") in open_items


def test_follow_ups_take_the_latest_visit_only(store, services):
    hid = services.register_household(HAMLET_A["id"], "Số 4")
    other = services.register_household(HAMLET_B["id"], "Số 5")
    early = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    services.log_visit(hid, "not_home", follow_up_on=TODAY - dt.timedelta(days=3), visited_at=early)
    services.log_visit(other, "met", follow_up_on=TODAY + dt.timedelta(days=3), visited_at=early)
    with store.read() as conn:
        due = queries.follow_ups_due(conn, TODAY)
        assert [(r.household_id, r.overdue_days) for r in due] == [(hid, 3)]
        assert queries.follow_ups_due(conn, TODAY, HAMLET_B["id"]) == []
    services.log_visit(hid, "met")  # a later visit without a follow-up closes it
    with store.read() as conn:
        assert queries.follow_ups_due(conn, TODAY) == []


def test_items_pending_longer_than(store, services):
    hid = services.register_household(HAMLET_A["id"], "Số 6", members=[member("Trần Văn Lộc")])
    with store.read() as conn:
        person = queries.household_page(conn, hid).persons[0]
    services.set_item_state("person", person.id, "vneid_l2", "pending", reason="waiting_police")
    with store.read() as conn:
        assert queries.pending_longer_than(conn, TODAY, 14) == []
    old = (TODAY - dt.timedelta(days=20)).isoformat()
    with store.write() as conn:
        conn.execute(text("UPDATE support_items SET state_since = :d"), {"d": old})
    with store.read() as conn:
        rows = queries.pending_longer_than(conn, TODAY, 14)
        assert [(r.full_name, r.item_code, r.days, r.reason) for r in rows] == [
            ("Trần Văn Lộc", "vneid_l2", 20, "waiting_police")
        ]
        assert queries.pending_longer_than(conn, TODAY, 14, HAMLET_B["id"]) == []
        assert queries.pending_longer_than(conn, TODAY, 30) == []


def test_demo_lists_read_in_pages(demo_store):
    with demo_store.read() as conn:
        ids = queries.household_ids(conn)
        rows = queries.household_rows(conn, ids)
    assert len(rows) == len(ids) > 0
