"""Conflicts: listing and resolving (a value, a restore, idempotency, already_resolved)."""

from __future__ import annotations

from tests.server.world import household, new_id


def _conflict(device, field: str = "address"):
    a, b, leader = device("vol_a"), device("vol_a2"), device("leader")
    hid = new_id()
    base = a.push_one("households", hid, household(address="Số 1"))["version"]
    a.push_one("households", hid, {field: "Số 2"}, base=base)
    result = b.push_one("households", hid, {field: "Số 3"}, base=base)
    return a, leader, hid, result["conflicts"][0]["conflict_id"]


def test_resolve_writes_a_new_version_everyone_pulls(device):
    a, leader, hid, cid = _conflict(device)
    cursor = a.pull_raw(None).json()["next_cursor"]
    answer = leader.post(f"/api/v1/conflicts/{cid}/resolve", {"value": "Số 2A"})
    assert answer.status_code == 200
    assert answer.json()["status"] == "resolved" and answer.json()["id"] == cid
    changes = a.pull_all(cursor)
    assert [(c["id"], c["row"]["address"]) for c in changes] == [(hid, "Số 2A")]
    # Same value again: same answer, nothing written.
    again = leader.post(f"/api/v1/conflicts/{cid}/resolve", {"value": "Số 2A"})
    assert again.status_code == 200 and again.json() == answer.json()
    assert a.pull_all() == []
    other = leader.post(f"/api/v1/conflicts/{cid}/resolve", {"value": "Số 9"})
    assert (other.status_code, other.json()["error"]) == (409, "already_resolved")
    assert [
        c["id"] for c in leader.get("/api/v1/conflicts?status=resolved").json()["conflicts"]
    ] == [cid]
    assert leader.get("/api/v1/conflicts?status=open").json()["conflicts"] == []


def test_a_stale_edit_after_resolution_is_weighed_not_applied_silently(device):
    a, leader, hid, cid = _conflict(device)
    leader.post(f"/api/v1/conflicts/{cid}/resolve", {"value": "Số 2A"})
    stale = device("vol_a3").push_one(
        "households", hid, {"address": "Số 7"}, base=1, stamp="0000000000001-0000-000000000001"
    )
    assert stale["status"] == "conflict"


def test_resolve_validates_and_checks_roles(device):
    a, leader, hid, cid = _conflict(device)
    bad = leader.post(f"/api/v1/conflicts/{cid}/resolve", {"value": ""})
    assert bad.status_code == 422 and bad.json()["error"] == "invalid_request"
    assert leader.post(f"/api/v1/conflicts/{cid}/resolve", {"restore": True}).status_code == 422
    assert a.post(f"/api/v1/conflicts/{cid}/resolve", {"value": "x"}).status_code == 403
    assert a.get("/api/v1/conflicts").status_code == 403
    missing = leader.post(f"/api/v1/conflicts/{new_id()}/resolve", {"value": "x"})
    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")
    assert device("leader2").get("/api/v1/conflicts").json()["conflicts"] == []


def test_restore_an_edited_row_that_was_deleted(device):
    a, b, leader = device("vol_a"), device("vol_a2"), device("leader")
    hid = new_id()
    base = a.push_one("households", hid, household())["version"]
    a.push_one("households", hid, op="delete", base=base)
    result = b.push_one("households", hid, {"note": "còn ở"}, base=base)
    cid = result["conflicts"][0]["conflict_id"]
    cursor = leader.pull_raw(None).json()["next_cursor"]
    answer = leader.post(f"/api/v1/conflicts/{cid}/resolve", {"restore": True})
    assert answer.status_code == 200 and answer.json()["field"] == "_deleted"
    restored = leader.pull_all(cursor)
    assert [(c["id"], c["op"], c["row"]["note"]) for c in restored] == [(hid, "upsert", "còn ở")]


def test_dismiss_an_edit_of_a_deleted_row(device):
    a, b, leader = device("vol_a"), device("vol_a2"), device("leader")
    hid = new_id()
    base = a.push_one("households", hid, household())["version"]
    a.push_one("households", hid, op="delete", base=base)
    cid = b.push_one("households", hid, {"note": "x"}, base=base)["conflicts"][0]["conflict_id"]
    cursor = leader.pull_raw(None).json()["next_cursor"]
    assert leader.post(f"/api/v1/conflicts/{cid}/resolve", {"restore": False}).status_code == 200
    assert leader.pull_all(cursor) == []
