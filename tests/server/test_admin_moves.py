"""Hamlet merges and splits reach every device (on the real server), and pushes that still
name a retired hamlet."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from gocua import ids
from gocua.protocol import full_row
from server.db import create_engine
from server.jsontext import dumps
from server.models import records_t
from tests.server.world import Device, household, new_id, person

H = "/api/v1/admin/hamlets"


def _household_with_rows(d: Device, hamlet: str) -> list[str]:
    """A household with a person, the person's support item and a visit; their ids."""
    hid, pid, vid = new_id(), new_id(), new_id()
    sid = ids.support_item_id(pid, "vneid_l2")
    item = {"subject_type": "person", "subject_id": pid, "item_code": "vneid_l2", "state": "guided"}
    visit = {
        "household_id": hid,
        "visited_at": "2026-11-20T09:30:00+07:00",
        "volunteer_id": d.user["id"],
        "outcome": "met",
    }
    results = d.push(
        d.mutation("households", hid, household(hamlet, f"Số {hid[:4]}")),
        d.mutation("persons", pid, person(hid)),
        d.mutation("support_items", sid, item),
        d.mutation("visits", vid, visit),
    )
    assert [r["status"] for r in results] == ["applied"] * 4, results
    return [hid, pid, sid, vid]


def test_a_merge_moves_households_to_every_device(served):
    a, b = Device(served, "vol_a"), Device(served, "vol_b")
    leader, admin = Device(served, "leader"), Device(served, "admin")
    in_b = _household_with_rows(b, "C1-B") + _household_with_rows(b, "C1-B")
    moved_households = [in_b[0], in_b[4]]
    in_a = _household_with_rows(a, "C1-A")
    for d in (a, b, leader):
        d.pull_all(None)
    old = {c["id"]: c["version"] for c in leader.pull_all(None)}
    top = max(old.values())

    answer = admin.post(f"{H}/C1-B/merge", {"into": "C1-A"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "moved": 2,
        "hamlet": {
            "id": "C1-A",
            "name": "Ấp A",
            "retired": False,
            "merged_into": None,
            "households": 3,
            "volunteers": 5,  # vol_a, vol_a2, vol_a3, vol_ab and now vol_b
        },
    }

    # A's volunteer gains B's households and all that belongs to them, at new versions.
    gained = a.pull_all()
    assert {(c["id"], c["op"]) for c in gained} == {(i, "upsert") for i in in_b}
    assert all(c["version"] > top for c in gained)
    assert {c["row"]["hamlet_id"] for c in gained if c["table"] == "households"} == {"C1-A"}
    # Each household is its own change; its rows come with it.
    by_id = {c["id"]: c["version"] for c in gained}
    assert by_id[in_b[0]] != by_id[in_b[4]]
    assert {by_id[i] for i in in_b[:4]} == {by_id[in_b[0]]}
    # The leader sees the same rows change.
    assert {c["id"] for c in leader.pull_all()} == set(in_b)
    # B's volunteer now works in A: its scope changed, so its cursor resets, and a full pull
    # brings B's households (now A's) and A's own.
    reset = b.pull_raw(b.cursor)
    assert reset.status_code == 409 and reset.json()["reason"] == "scope_changed"
    assert b.hello(b.client_id)["user"]["hamlet_ids"] == ["C1-A"]
    assert {c["id"] for c in b.pull_all(None)} == set(in_b) | set(in_a)

    # An edit made before the merge (old base_version) merges without undoing the move.
    edit = b.push_one("households", moved_households[0], {"note": "cổng xanh"}, base=old[in_b[0]])
    assert edit["status"] == "applied", edit
    stale = a.push_one(
        "households",
        moved_households[1],
        {"hamlet_id": "C1-B", "address": "Số 5 mới"},
        base=old[in_b[4]],
    )
    assert stale["status"] == "merged" and stale["warning"] == "hamlet_merged", stale
    rows = {c["id"]: c["row"] for c in leader.pull_all() if c["table"] == "households"}
    assert rows[moved_households[0]]["hamlet_id"] == "C1-A"
    assert rows[moved_households[0]]["note"] == "cổng xanh"
    assert rows[moved_households[1]] == {**rows[moved_households[1]], "hamlet_id": "C1-A"}
    assert rows[moved_households[1]]["address"] == "Số 5 mới"

    # The row's audit history names the admin; the admin audit the merge.
    entries = leader.get(f"/api/v1/history/households/{moved_households[0]}").json()["entries"]
    move = next(e for e in entries if e["op"] == "move")
    assert move["user_id"] == admin.user["id"] and move["client_id"] is None
    assert (move["before"], move["after"]) == ({"hamlet_id": "C1-B"}, {"hamlet_id": "C1-A"})
    audit = admin.get("/api/v1/admin/audit").json()["entries"][0]
    assert audit["action"] == "hamlet.merge" and audit["target"] == "C1-B"
    assert audit["after"]["merged_into"] == "C1-A" and audit["after"]["moved"] == 2
    assert audit["user_id"] == admin.user["id"]

    # B stays, retired, for past periods; devices learn it from hello.
    areas = {x["id"]: x for x in a.hello(a.client_id)["areas"]}
    assert areas["C1-B"]["retired"] is True and areas["C1-B"]["merged_into"] == "C1-A"
    assert areas["C1-A"]["retired"] is False and areas["C1-A"]["merged_into"] is None


def test_push_into_a_merged_hamlet_lands_in_its_target_and_a_retired_one_is_refused(device):
    admin, leader, b = device("admin"), device("leader"), device("vol_b")
    assert admin.post(f"{H}/C1-B/merge", {"into": "C1-A"}).status_code == 200
    # vol_b made this household offline in its old hamlet.
    hid = new_id()
    result = b.push_one("households", hid, household("C1-B"))
    assert result["status"] == "merged" and result["warning"] == "hamlet_merged"
    row = {c["id"]: c["row"] for c in leader.pull_all(None)}[hid]
    assert row["hamlet_id"] == "C1-A"
    # Merged twice over: A into C, so B's households go to C.
    assert admin.post(f"{H}/C1-A/merge", {"into": "C1-C"}).status_code == 200
    again = leader.push_one("households", new_id(), household("C1-B"))
    assert again["status"] == "merged"
    # A hamlet retired without a target: rejected, the field named.
    made = admin.post(H, {"name": "Ấp Tạm"}).json()["hamlet"]["id"]
    assert admin.post(f"{H}/{made}/retire", {}).status_code == 200
    refused = leader.push_one("households", new_id(), household(made))
    assert refused["status"] == "rejected" and refused["code"] == "unknown_area"
    assert refused["message"] == f"hamlet_id: hamlet {made} is retired"
    moved = leader.push_one("households", hid, {"hamlet_id": made}, base=0)
    assert moved["code"] == "unknown_area"


def test_merge_refusals(device):
    admin = device("admin")
    same = admin.post(f"{H}/C1-B/merge", {"into": "C1-B"})
    assert (same.status_code, same.json()["error"]) == (422, "same_hamlet")
    assert same.json()["message"].startswith("into: ")
    other = admin.post(f"{H}/C1-B/merge", {"into": "C2-A"})
    assert (other.status_code, other.json()["error"]) == (422, "unknown_area")
    assert admin.post(f"{H}/C2-A/merge", {"into": "C1-A"}).status_code == 404
    assert admin.post(f"{H}/C1-C/merge", {"into": "C1-A"}).status_code == 200
    into_retired = admin.post(f"{H}/C1-B/merge", {"into": "C1-C"})
    assert (into_retired.status_code, into_retired.json()["error"]) == (409, "hamlet_retired")
    twice = admin.post(f"{H}/C1-C/merge", {"into": "C1-B"})
    assert (twice.status_code, twice.json()["error"]) == (409, "hamlet_retired")
    assert admin.post(f"{H}/C1-B/merge", {"into": 5}).status_code == 422
    assert [e["action"] for e in admin.get("/api/v1/admin/audit").json()["entries"]] == [
        "hamlet.merge"
    ]


def test_split_without_retire_carves_out_a_hamlet(served):
    b, leader, admin = Device(served, "vol_b"), Device(served, "leader"), Device(served, "admin")
    first = _household_with_rows(b, "C1-B")
    second = _household_with_rows(b, "C1-B")
    leader.pull_all(None)
    answer = admin.post(
        f"{H}/C1-B/split", {"parts": [{"name": "Ấp Bờ Sông", "households": [first[0]]}]}
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["moved"] == 1
    assert body["hamlets"] == [
        {
            "id": "C1-01",
            "name": "Ấp Bờ Sông",
            "retired": False,
            "merged_into": None,
            "households": 1,
            "volunteers": 2,  # B's volunteers, vol_b and vol_ab, keep the households they had
        }
    ]
    changed = leader.pull_all()
    assert {(c["id"], c["op"]) for c in changed} == {(i, "upsert") for i in first}
    b.hello(b.client_id)
    rows = {c["id"]: c["row"] for c in b.pull_all(None)}
    assert set(rows) == set(first) | set(second)
    assert rows[first[0]]["hamlet_id"] == "C1-01" and rows[second[0]]["hamlet_id"] == "C1-B"
    hamlets = {h["id"]: h for h in admin.get(H).json()["hamlets"]}
    assert hamlets["C1-B"]["households"] == 1 and hamlets["C1-B"]["retired"] is False


def test_split_with_retire_needs_every_household_and_retires_the_hamlet(device):
    b, leader, admin = device("vol_b"), device("leader"), device("admin")
    households = [_household_with_rows(b, "C1-B")[0] for _ in range(3)]
    parts = [
        {"name": "Ấp B Một", "id": "C1-B1", "households": households[:2]},
        {"name": "Ấp B Hai", "households": []},
    ]
    short = admin.post(f"{H}/C1-B/split", {"parts": parts, "retire": True})
    assert short.status_code == 422, short.text
    assert short.json()["error"] == "households_left" and short.json()["households"] == 1
    parts[1]["households"] = households[2:]
    answer = admin.post(f"{H}/C1-B/split", {"parts": parts, "retire": True})
    assert answer.status_code == 200, answer.text
    assert answer.json()["moved"] == 3
    assert [(h["id"], h["households"]) for h in answer.json()["hamlets"]] == [
        ("C1-B1", 2),
        ("C1-01", 1),
    ]
    listed = {h["id"]: h for h in admin.get(H).json()["hamlets"]}
    assert listed["C1-B"]["retired"] is True and listed["C1-B"]["merged_into"] is None
    assert b.hello(b.client_id)["user"]["hamlet_ids"] == ["C1-01", "C1-B1"]
    rows = {c["id"]: c["row"] for c in leader.pull_all(None) if c["table"] == "households"}
    assert [rows[h]["hamlet_id"] for h in households] == ["C1-B1", "C1-B1", "C1-01"]
    refused = b.push_one("households", new_id(), household("C1-B"))
    assert refused["code"] == "unknown_area" and "C1-B is retired" in refused["message"]
    entry = admin.get("/api/v1/admin/audit").json()["entries"][0]
    assert entry["action"] == "hamlet.split" and entry["after"]["retired"] is True
    assert [p["id"] for p in entry["after"]["parts"]] == ["C1-B1", "C1-01"]


def test_split_refusals(device):
    b, admin = device("vol_b"), device("admin")
    hid = _household_with_rows(b, "C1-B")[0]
    in_a = _household_with_rows(device("vol_a"), "C1-A")[0]

    def split(parts, retire=False):
        return admin.post(f"{H}/C1-B/split", {"parts": parts, "retire": retire})

    foreign = split([{"name": "X", "households": [in_a]}])
    assert foreign.status_code == 422 and foreign.json()["details"][0]["field"] == (
        "parts.0.households.0"
    )
    twice = split([{"name": "X", "households": [hid]}, {"name": "Y", "households": [hid]}])
    assert twice.status_code == 422 and "parts.1.households.0" in twice.json()["message"]
    clash = split([{"name": "ấp a", "households": []}])
    assert clash.status_code == 409 and clash.json()["error"] == "name_taken"
    same = split([{"name": "Ấp X", "households": []}, {"name": "AP X", "households": []}])
    assert same.status_code == 409 and same.json()["message"].startswith("parts.1.name")
    taken = split([{"name": "Ấp X", "id": "C1-A", "households": []}])
    assert taken.status_code == 409 and taken.json()["error"] == "id_taken"
    assert split([]).status_code == 422
    # B's own name is free for a part only when B retires.
    assert split([{"name": "Ấp B", "households": []}]).status_code == 409
    ok = split([{"name": "Ấp B", "households": [hid]}], retire=True)
    assert ok.status_code == 200, ok.text
    assert admin.get("/api/v1/admin/audit").json()["entries"][0]["action"] == "hamlet.split"
    assert len(admin.get("/api/v1/admin/audit").json()["entries"]) == 1


def test_a_merge_waits_for_a_push_in_flight_and_moves_what_it_wrote(db_url, device):
    """PostgreSQL: a push that locked rows (and so decided where its households go) before
    the merge began commits first, and the merge then moves its household too."""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite serialises every writer with BEGIN IMMEDIATE")
    admin = device("admin")
    engine = create_engine(db_url)
    hid = new_id()
    try:
        with engine.connect() as push:
            push.begin()
            # What a push does first: lock the rows it names (ROW SHARE on records) ...
            push.exec_driver_sql("SELECT id FROM records WHERE tbl = 'households' FOR UPDATE")
            # ... then, later, write a household into the hamlet it saw live.
            data = dumps(full_row("households", household("C1-B")))
            push.execute(
                sa.insert(records_t).values(
                    tbl="households",
                    id=hid,
                    scope_area="C1-B",
                    commune_id="C1",
                    household_id=hid,
                    subject_id=None,
                    version=1,
                    deleted=False,
                    data=data,
                    meta="{}",
                    updated_at=time.time(),
                )
            )
            with ThreadPoolExecutor(1) as pool:
                merging = pool.submit(admin.post, f"{H}/C1-B/merge", {"into": "C1-A"})
                time.sleep(1.0)
                assert not merging.done()  # held until the push commits
                push.commit()
                answer = merging.result(timeout=60)
        assert answer.status_code == 200 and answer.json()["moved"] == 1
        with engine.connect() as conn:
            place = conn.execute(
                sa.select(records_t.c.scope_area).where(records_t.c.id == hid)
            ).scalar_one()
        assert place == "C1-A"
    finally:
        engine.dispose()
