"""Duplicates across devices, end to end with the REAL server (SYNC.md): two volunteers of one
hamlet add the same household offline, the leader's laptop lists the pair after a pull and
merges it, and every laptop converges on one household."""

from __future__ import annotations

import sqlite3

from desktop.services import ItemChange
from desktop.store import state_keys
from desktop.store.duplicates import HEAD_CCCD, HOUSEHOLD, find_duplicates
from gocua import ids
from gocua.states import RANK
from tests.desktop.sync.conftest import assert_converged, server_rows

CCCD_DUC = "079080123456"  # a man born in 1980


def _persons(dev, household_id: str) -> dict[str, str]:
    """Full name -> id of the household's live persons on a device."""
    return {
        p["full_name"]: pid
        for pid, p in dev.rows()["persons"].items()
        if p["household_id"] == household_id
    }


def _tombstones(dev, cursor: str) -> set[tuple[str, str]]:
    """What the server sends as deleted since ``cursor`` (a cursor may be used again)."""
    client = dev.client()
    try:
        changes = client.pull(dev.state(state_keys.CLIENT_ID), cursor, 5000)["changes"]
    finally:
        client.close()
    return {(c["table"], c["id"]) for c in changes if c["op"] == "delete"}


def _deleted_in_sqlite(server_db: str, table: str, row_id: str) -> bool:
    with sqlite3.connect(server_db.removeprefix("sqlite:///")) as conn:
        (deleted,) = conn.execute(
            "SELECT deleted FROM records WHERE tbl = ? AND id = ?", (table, row_id)
        ).fetchone()
    return bool(deleted)


def test_the_same_household_from_two_volunteers_is_merged_by_the_leader(
    any_server, any_server_db, device
):
    server = any_server
    a, b = device(server, "vol_a"), device(server, "vol_a2")
    leader = device(server, "leader")

    # Offline, each volunteer adds "the same" household: one head, other members, a visit.
    home_a = a.services.register_household(
        "C1-A",
        "Số 5, đường Liên Ấp",
        members=[
            {"full_name": "Nguyễn Văn Đức", "relation": "head", "cccd": CCCD_DUC},
            {"full_name": "Trần Thị Hoa", "relation": "spouse", "birth_date": "1983"},
        ],
    )
    pa = _persons(a, home_a)
    visit_a = a.services.log_visit(
        home_a,
        "met",
        [
            ItemChange("person", pa["Nguyễn Văn Đức"], "vneid_l2", "pending", "waiting_police"),
            ItemChange("household", home_a, "fibre_internet", "guided"),
            ItemChange("person", pa["Trần Thị Hoa"], "bank_account", "done"),
        ],
        note="Chị Hoa đã mở tài khoản",
    )
    home_b = b.services.register_household(
        "C1-A",
        "so 5 duong lien ap",
        phone="0912345678",
        members=[
            {"full_name": "Nguyen Van Duc", "relation": "head", "cccd": CCCD_DUC},
            {"full_name": "Nguyễn Minh Khoa", "relation": "child", "birth_date": "2010"},
        ],
    )
    pb = _persons(b, home_b)
    visit_b = b.services.log_visit(
        home_b,
        "met",
        [
            ItemChange("person", pb["Nguyen Van Duc"], "vneid_l2", "done"),  # further along
            ItemChange("household", home_b, "fibre_internet", "done"),
            ItemChange("household", home_b, "zalo_group", "declined", "refused"),
            ItemChange("person", pb["Nguyễn Minh Khoa"], "ehealth_record", "guided"),
        ],
        follow_up_on="2030-01-15",
    )
    for dev in (a, b):
        report = dev.sync()
        assert (report.rejected, report.held, report.conflicts) == (0, 0, 0)

    # The leader's laptop pulls both and lists them as one pair.
    leader.sync()
    with leader.store.read() as conn:
        pairs = find_duplicates(conn)
    assert [(p.kind, p.reason) for p in pairs] == [(HOUSEHOLD, HEAD_CCCD)]
    (pair,) = pairs
    assert {pair.left.id, pair.right.id} == {home_a, home_b}
    keep, other = pair.left.id, pair.right.id
    before = leader.rows()
    states_before = {
        (item["subject_id"], item["item_code"]): item["state"]
        for item in before["support_items"].values()
    }
    heads = {home_a: pa["Nguyễn Văn Đức"], home_b: pb["Nguyen Van Duc"]}

    cursor = leader.state(state_keys.CURSOR)
    result = leader.services.merge_households(keep, other)
    assert (result.persons_merged, result.persons_moved, result.visits_copied) == (1, 1, 1)

    # Everyone syncs; the volunteers' second round pulls what the other pushed last.
    for dev in (leader, a, b, leader, a, b):
        report = dev.sync()
        assert (report.rejected, report.held, report.conflicts) == (0, 0, 0), dev.username
    expected = assert_converged(leader)
    for dev in (a, b):
        assert_converged(dev, server_rows(server.base_url, dev.username))
    assert a.rows() == b.rows() == leader.rows()

    # One household, with both devices' persons and the head once.
    assert set(expected["households"]) == {keep}
    household = expected["households"][keep]
    assert household["phone"] == "0912345678"
    assert household["address"] == before["households"][keep]["address"]
    members = {
        p["full_name"]: pid for pid, p in expected["persons"].items() if p["household_id"] == keep
    }
    head_name = "Nguyễn Văn Đức" if keep == home_a else "Nguyen Van Duc"
    assert sorted(members) == sorted([head_name, "Trần Thị Hoa", "Nguyễn Minh Khoa"])
    assert len(expected["persons"]) == 3
    head = heads[keep]
    assert members[head_name] == head
    assert expected["persons"][head]["cccd"] == CCCD_DUC
    assert expected["persons"][members["Nguyễn Minh Khoa"]]["relation"] == "child"

    # Both visits: the kept household's own, and the other's copy under its derived id.
    visits = expected["visits"]
    kept_visit, other_visit = (visit_a, visit_b) if keep == home_a else (visit_b, visit_a)
    copy_id = ids.merged_visit_id(other_visit, keep)
    assert set(visits) == {kept_visit, copy_id}
    assert all(v["household_id"] == keep for v in visits.values())
    subjects = {entry["subject_id"] for v in visits.values() for entry in v["items"]}
    assert subjects <= {keep, *members.values()}
    copy = visits[copy_id]
    original = before["visits"][other_visit]
    for field in ("visited_at", "volunteer_id", "outcome", "note", "follow_up_on"):
        assert copy[field] == original[field]
    assert copy["volunteer_id"] != leader.state(state_keys.USER_ID)  # still the volunteer's visit

    # The better state of every item, on the kept subjects only.
    renamed = {other: keep, heads[other]: head}
    best: dict[tuple[str, str], str] = {}
    for (subject, code), state in states_before.items():
        key = (renamed.get(subject, subject), code)
        if key not in best or RANK[state] > RANK[best[key]]:
            best[key] = state
    got = {
        (item["subject_id"], item["item_code"]): item["state"]
        for item in expected["support_items"].values()
    }
    assert got == best
    assert got[(head, "vneid_l2")] == "done"
    assert got[(keep, "fibre_internet")] == "done"
    assert got[(keep, "zalo_group")] == "declined"
    assert set(expected["support_items"]) == {ids.support_item_id(s, c) for s, c in got}

    # The other household, its head, its visit and items: tombstones on the server.
    gone = {
        ("households", other),
        ("persons", heads[other]),
        ("visits", other_visit),
        ("support_items", ids.support_item_id(other, "fibre_internet")),
        ("support_items", ids.support_item_id(heads[other], "vneid_l2")),
    }
    assert gone <= _tombstones(leader, cursor)
    if any_server_db.startswith("sqlite"):
        assert all(_deleted_in_sqlite(any_server_db, *key) for key in gone)
    with leader.store.read() as conn:
        assert find_duplicates(conn) == []


def test_two_leaders_merging_the_same_pair_offline_converge_without_conflicts(any_server, device):
    a, b = device(any_server, "vol_a"), device(any_server, "vol_a2")
    leader, admin = device(any_server, "leader"), device(any_server, "admin")
    for dev, address, name in (
        (a, "Số 8, xóm Bàu", "Lê Thị Tám"),
        (b, "so 8 xom bau", "Le Thi Tam"),
    ):
        home = dev.services.register_household(
            "C1-A", address, members=[{"full_name": name, "relation": "head"}]
        )
        (person,) = _persons(dev, home).values()
        dev.services.log_visit(home, "met", [ItemChange("person", person, "vneid_l1", "done")])
        dev.sync()
    merged = []
    for dev in (leader, admin):
        dev.sync()
        with dev.store.read() as conn:
            (pair,) = find_duplicates(conn)
        merged.append((pair.left.id, pair.right.id))
        dev.services.merge_households(pair.left.id, pair.right.id)  # both offline
    assert merged[0] == merged[1]
    for dev in (leader, admin, leader, a, b):
        report = dev.sync()
        assert (report.rejected, report.held, report.conflicts) == (0, 0, 0), dev.username
    expected = assert_converged(leader)
    assert_converged(admin, expected)
    assert len(expected["households"]) == 1 and len(expected["visits"]) == 2
    assert len(expected["persons"]) == 1
    client = leader.client()
    try:
        assert client.conflicts() == []
    finally:
        client.close()


def test_two_leaders_merging_one_pair_opposite_ways_leave_conflicts_not_silence(server, device):
    """Each keeps the record the other deletes. The merge re-sends one unchanged field of
    the record it keeps, so the server weighs the other's delete against it: every record
    deleted that way is a `_deleted` conflict the leader can restore, none vanishes."""
    a, b = device(server, "vol_a"), device(server, "vol_a2")
    leader, admin = device(server, "leader"), device(server, "admin")
    for dev, name in ((a, "Lê Thị Tám"), (b, "Le Thi Tam")):
        dev.services.register_household(
            "C1-A", "Số 8, xóm Bàu", members=[{"full_name": name, "relation": "head"}]
        )
        dev.sync()
    leader.sync()
    admin.sync()
    with leader.store.read() as conn:
        (pair,) = find_duplicates(conn)
    leader.services.merge_households(pair.left.id, pair.right.id)
    admin.services.merge_households(pair.right.id, pair.left.id)  # the other way round
    for dev in (leader, admin, leader):
        assert dev.sync().rejected == 0
    client = leader.client()
    try:
        conflicts = client.conflicts()
        households = {c["row_id"] for c in conflicts if c["table"] == "households"}
        assert households == {pair.left.id, pair.right.id}
        assert {c["field"] for c in conflicts} == {"_deleted"}
        assert len([c for c in conflicts if c["table"] == "persons"]) == 2
        restore = next(c for c in conflicts if c["row_id"] == pair.left.id)
        client.resolve_conflict(restore["id"], {"restore": True})
    finally:
        client.close()
    leader.sync()
    assert set(leader.rows()["households"]) == {pair.left.id}
