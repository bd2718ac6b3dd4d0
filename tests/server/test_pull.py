"""Pull: snapshot semantics, paging, cursors, resets, evictions; the summary checksum."""

from __future__ import annotations

import sqlalchemy as sa

from gocua.protocol import EMPTY_CHECKSUM, TABLES, table_checksum
from server import admin, schema
from server.db import create_engine
from tests.server.world import CHEAP, household, new_id, person


def test_null_cursor_sends_the_live_scope_without_tombstones(device):
    a = device("vol_a")
    keep, gone = new_id(), new_id()
    a.push_one("households", keep, household())
    base = a.push_one("households", gone, household())["version"]
    a.push_one("households", gone, op="delete", base=base)
    changes = a.pull_all(None)
    assert [(c["id"], c["op"]) for c in changes] == [(keep, "upsert")]


def test_deletes_after_the_snapshot_are_sent_on_later_pages(device):
    a = device("vol_a")
    rows = [new_id() for _ in range(3)]
    versions = [a.push_one("households", r, household())["version"] for r in rows]
    first = a.pull_raw(None, limit=1).json()
    assert first["has_more"] and [c["id"] for c in first["changes"]] == rows[:1]
    # Deleted after the snapshot: its tombstone comes later in the same sequence.
    a.push_one("households", rows[2], op="delete", base=versions[2])
    rest = a.pull_all(first["next_cursor"], limit=1)
    assert [(c["id"], c["op"]) for c in rest] == [(rows[1], "upsert"), (rows[2], "delete")]


def test_cursor_is_reusable_and_always_returned(device):
    a = device("vol_a")
    empty = a.pull_raw(None).json()
    assert empty["changes"] == [] and isinstance(empty["next_cursor"], str)
    assert empty["has_more"] is False and empty["last_mutation_id"] == 0
    hid = new_id()
    a.push_one("households", hid, household())
    for _ in range(2):  # same position, same answer
        page = a.pull_raw(empty["next_cursor"]).json()
        assert [c["id"] for c in page["changes"]] == [hid]
        assert page["last_mutation_id"] == 1
    noop = a.pull_raw(page["next_cursor"]).json()
    assert noop["changes"] == [] and noop["next_cursor"] == page["next_cursor"]


def test_a_row_appears_once_at_its_latest_version(device):
    a = device("vol_a")
    cursor = a.pull_raw(None).json()["next_cursor"]
    hid = new_id()
    v = a.push_one("households", hid, household())["version"]
    for n in range(3):
        v = a.push_one("households", hid, {"note": f"lần {n}"}, base=v)["version"]
    changes = a.pull_all(cursor)
    assert [(c["id"], c["version"]) for c in changes] == [(hid, v)]
    assert changes[0]["row"]["note"] == "lần 2"


def test_order_is_version_table_id(device):
    a = device("vol_a")
    for _ in range(5):
        a.push_one("households", new_id(), household())
    keys = [(c["version"], c["table"], c["id"]) for c in a.pull_all(None, limit=2)]
    assert keys == sorted(keys) and len(keys) == 5


def test_reset_required_for_a_bad_cursor_a_new_epoch_and_a_changed_scope(device, settings):
    a = device("vol_a")
    answer = a.pull_raw("garbage")
    assert answer.status_code == 409 and answer.json()["reason"] == "invalid_cursor"
    cursor = a.pull_raw(None).json()["next_cursor"]
    engine = create_engine(settings.database_url)
    try:
        admin.add_user(
            engine,
            settings,
            "vol_a",
            "pw-for-tests",
            "volunteer",
            commune_id="C1",
            hamlet_ids=["C1-A", "C1-C"],
        )
        answer = a.pull_raw(cursor)
        assert answer.status_code == 409
        assert answer.json()["error"] == "reset_required"
        assert answer.json()["reason"] == "scope_changed"
        cursor = a.pull_raw(None).json()["next_cursor"]
        new_epoch = schema.new_epoch(engine)
    finally:
        engine.dispose()
    answer = a.pull_raw(cursor)
    assert (answer.status_code, answer.json()["reason"]) == (409, "epoch_changed")
    # The device sees the new epoch in hello and on its next push.
    assert a.hello(a.client_id)["epoch"] == new_epoch
    pushed = a.push_raw(a.mutation("households", new_id(), household()))
    assert pushed.json()["error"] == "epoch_mismatch" and pushed.json()["epoch"] == new_epoch


def test_moving_a_household_evicts_it_and_its_rows_from_the_old_hamlet(device):
    a, b, ab = device("vol_a"), device("vol_b"), device("vol_ab")
    hid, pid = new_id(), new_id()
    a.push(
        a.mutation("households", hid, household("C1-A")), a.mutation("persons", pid, person(hid))
    )
    cursor_a = a.pull_raw(None).json()["next_cursor"]
    cursor_b = b.pull_raw(None).json()["next_cursor"]
    base = {c["id"]: c["version"] for c in ab.pull_all(None)}[hid]
    moved = ab.push_one("households", hid, {"hamlet_id": "C1-B"}, base=base)
    assert moved["status"] == "applied"
    evicted = a.pull_all(cursor_a)
    assert {(c["id"], c["op"]) for c in evicted} == {(hid, "evict"), (pid, "evict")}
    assert all("row" not in c and c["version"] == moved["version"] for c in evicted)
    gained = b.pull_all(cursor_b)
    assert {(c["id"], c["op"]) for c in gained} == {(hid, "upsert"), (pid, "upsert")}
    # A volunteer of both hamlets keeps them: upserts, no evictions.
    assert {c["op"] for c in ab.pull_all()} == {"upsert"}
    # Nobody may move a household out of, or into, a hamlet they do not write.
    back = b.push_one("households", hid, {"hamlet_id": "C1-A"}, base=moved["version"])
    assert back["status"] == "rejected" and back["code"] == "forbidden_scope"


def test_limit_bounds(device):
    a = device("vol_a")
    assert a.pull_raw(None, limit=0).status_code == 422
    assert a.pull_raw(None, limit=5001).status_code == 422
    assert a.pull_raw(None, limit=5000).status_code == 200


def test_pull_with_another_users_client_id(device):
    a, b = device("vol_a"), device("vol_b")
    b.client_id = a.client_id
    answer = b.pull_raw(None)
    assert (answer.status_code, answer.json()["error"]) == (409, "client_mismatch")


def test_summary_matches_what_the_device_computes(device):
    a, leader = device("vol_a"), device("leader")
    hid = new_id()
    base = a.push_one("households", hid, household())["version"]
    a.push_one("persons", new_id(), person(hid))
    gone = new_id()
    v = a.push_one("households", gone, household())["version"]
    a.push_one("households", gone, op="delete", base=v)
    a.push_one("households", hid, {"note": "x"}, base=base)
    for d in (a, leader):
        rows: dict[str, list] = {t: [] for t in TABLES}
        for change in d.pull_all(None):
            rows[change["table"]].append((change["id"], change["version"]))
        summary = d.get("/api/v1/sync/summary").json()
        assert set(summary["tables"]) == set(TABLES)
        for table in TABLES:
            expected = table_checksum(rows[table]) if rows[table] else EMPTY_CHECKSUM
            assert summary["tables"][table] == {"count": len(rows[table]), "checksum": expected}
    assert summary["tables"]["households"]["count"] == 1
    assert summary["version"] >= base


def test_snapshot_excludes_deletes_and_evictions_made_before_it(device, settings):
    a, ab = device("vol_a"), device("vol_ab")
    hid = new_id()
    v = a.push_one("households", hid, household("C1-A"))["version"]
    ab.push_one("households", hid, {"hamlet_id": "C1-B"}, base=v)
    assert a.pull_all(None) == []  # no evict for a row it never had
    engine = create_engine(settings.database_url)
    with engine.connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM evictions")).scalar_one()
    engine.dispose()
    assert count == 1
    _ = CHEAP


def test_one_push_that_creates_edits_and_moves(device):
    ab, a, b = device("vol_ab"), device("vol_a"), device("vol_b")
    hid, pid = new_id(), new_id()
    results = ab.push(
        ab.mutation("households", hid, household("C1-A")),
        ab.mutation("persons", pid, person(hid)),
        ab.mutation("persons", pid, {"note": "mới chuyển đến"}),
        ab.mutation("households", hid, {"hamlet_id": "C1-B"}),
    )
    assert [r["status"] for r in results] == ["applied"] * 4
    versions = [r["version"] for r in results]
    assert versions == sorted(versions) and len(set(versions)) == 4
    assert a.pull_all(None) == []
    rows = {c["id"]: c for c in b.pull_all(None)}
    assert rows[pid]["row"]["note"] == "mới chuyển đến"
    assert rows[hid]["version"] == rows[pid]["version"] == versions[3]
