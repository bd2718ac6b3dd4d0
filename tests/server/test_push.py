"""Push: result statuses, rejections, at-most-once, gaps, epochs, the merge rule."""

from __future__ import annotations

import sqlalchemy as sa

from gocua import ids
from server.push import legacy_payload_hash
from tests.server.world import household, new_id, person


def test_create_is_applied_with_a_version_and_pulled_back(device):
    d = device("vol_a")
    hid, pid = new_id(), new_id()
    r1, r2 = d.push(
        d.mutation("households", hid, household()),
        d.mutation("persons", pid, person(hid, phone="+84 912 345 678")),
    )
    assert r1["status"] == r2["status"] == "applied"
    assert r2["version"] > r1["version"] > 0
    changes = {c["id"]: c for c in d.pull_all(None)}
    assert changes[pid]["row"]["phone"] == "0912345678"  # normalised
    assert changes[pid]["row"]["status"] == "present"  # default
    assert changes[pid]["version"] == r2["version"]
    assert set(changes[pid]["row"]) == {
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


def test_duplicate_answers_the_stored_result(device):
    d = device("vol_a")
    hid = new_id()
    m = d.mutation("households", hid, household())
    first = d.push(m)[0]
    again = d.push(m)[0]
    assert again == {"id": m["id"], "status": "duplicate", "version": first["version"]}
    assert len([c for c in d.pull_all(None) if c["id"] == hid]) == 1


def test_a_mutation_stored_with_the_old_payload_hash_is_still_a_duplicate(device, db_url):
    """Servers before 2026-12 stored the standard library's JSON hash; a device that sends
    such a mutation again after the upgrade gets its stored result, not client_mismatch."""
    d = device("vol_a")
    m = d.mutation("households", new_id(), household(address="Số 7, cổng xanh"))
    first = d.push(m)[0]
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        where = "WHERE client_id = :c AND mutation_id = :i"
        old = conn.execute(
            sa.text(f"SELECT payload_hash FROM mutations {where}"), {"c": d.client_id, "i": m["id"]}
        ).scalar_one()
        conn.execute(
            sa.text(f"UPDATE mutations SET payload_hash = :h {where}"),
            {"h": legacy_payload_hash(m), "c": d.client_id, "i": m["id"]},
        )
    engine.dispose()
    assert old != legacy_payload_hash(m)
    assert d.push(m)[0] == {"id": m["id"], "status": "duplicate", "version": first["version"]}
    changed = {**m, "fields": household(address="Số 7, cổng đỏ")}
    assert d.push_raw(changed).json()["error"] == "client_mismatch"


def test_duplicate_of_a_rejected_mutation_keeps_its_code(device):
    d = device("vol_a")
    m = d.mutation("persons", new_id(), {"household_id": new_id(), "full_name": "X"})
    assert d.push(m)[0]["code"] == "unknown_reference"
    again = d.push(m)[0]
    assert again["status"] == "duplicate" and again["code"] == "unknown_reference"


def test_rejections_name_the_field_and_do_not_block_the_queue(device):
    d = device("vol_a")
    hid = new_id()
    good = d.mutation("households", hid, household())
    bad_cccd = d.mutation("persons", new_id(), person(hid, cccd="123"))
    unknown_field = d.mutation("households", new_id(), {**household(), "colour": "red"})
    unknown_table = d.mutation("cows", new_id(), {"name": "x"})
    unknown_item = d.mutation(
        "support_items",
        ids.support_item_id(hid, "flying"),
        {"subject_type": "household", "subject_id": hid, "item_code": "flying", "state": "done"},
    )
    bad_id = d.mutation("households", "NOT-A-UUID", household())
    bad_hlc = d.mutation("households", new_id(), household(), stamp="yesterday")
    missing = d.mutation("households", new_id(), {"address": "x"})
    after = d.mutation("households", new_id(), household())
    results = d.push(
        good, bad_cccd, unknown_field, unknown_table, unknown_item, bad_id, bad_hlc, missing, after
    )
    by_id = {r["id"]: r for r in results}
    assert by_id[good["id"]]["status"] == "applied"
    assert by_id[bad_cccd["id"]] == {
        "id": bad_cccd["id"],
        "status": "rejected",
        "code": "invalid_value",
        "message": "cccd: must be 12 digits",
    }
    assert by_id[unknown_field["id"]]["code"] == "unknown_field"
    assert by_id[unknown_field["id"]]["message"].startswith("colour:")
    assert by_id[unknown_table["id"]]["code"] == "unknown_table"
    assert by_id[unknown_item["id"]]["code"] == "unknown_item"
    assert by_id[bad_id["id"]]["code"] == "invalid_id"
    assert by_id[bad_hlc["id"]]["message"].startswith("hlc:")
    assert by_id[missing["id"]]["code"] == "required"
    assert by_id[after["id"]]["status"] == "applied"
    assert d.hello(d.client_id)["last_mutation_id"] == after["id"]


def test_mutation_gap(device):
    d = device("vol_a")
    d.next_id = 5
    answer = d.push_raw(d.mutation("households", new_id(), household()))
    assert answer.status_code == 409
    assert answer.json()["error"] == "mutation_gap"
    assert answer.json()["expected"] == 1


def test_epoch_mismatch(device):
    d = device("vol_a")
    answer = d.push_raw(d.mutation("households", new_id(), household()), epoch=new_id())
    assert answer.status_code == 409
    assert answer.json() == {
        "error": "epoch_mismatch",
        "message": answer.json()["message"],
        "epoch": d.epoch,
    }


def test_client_mismatch_for_another_users_client_and_for_a_changed_payload(device):
    a, b = device("vol_a"), device("vol_a2")
    b.client_id = a.client_id
    answer = b.push_raw(b.mutation("households", new_id(), household()))
    assert (answer.status_code, answer.json()["error"]) == (409, "client_mismatch")
    m = a.mutation("households", new_id(), household())
    a.push(m)
    copied = {**m, "fields": household(address="Số 99")}  # a copied database reuses the id
    answer = a.push_raw(copied)
    assert (answer.status_code, answer.json()["error"]) == (409, "client_mismatch")


def test_envelope_errors_are_422(device):
    d = device("vol_a")
    too_many = [d.mutation("households", new_id(), household()) for _ in range(501)]
    answer = d.push_raw(*too_many)
    assert answer.status_code == 422 and answer.json()["error"] == "invalid_request"
    d.next_id = 1
    m1, m2 = (d.mutation("households", new_id(), household()) for _ in range(2))
    answer = d.push_raw(m2, m1)
    assert answer.status_code == 422 and answer.json()["details"]
    bad = {**d.mutation("households", new_id(), household()), "base_version": "0"}
    assert d.push_raw(bad).status_code == 422
    extra = {**d.mutation("households", new_id(), household()), "colour": 1}
    assert d.push_raw(extra).status_code == 422
    answer = d.http.post(
        "/api/v1/sync/push",
        content=b"{not json",
        headers={**d.headers, "Content-Type": "application/json"},
    )
    assert answer.status_code == 422 and answer.json()["error"] == "invalid_request"


def test_clock_skew_is_replaced_and_warned(device):
    d = device("vol_a")
    future = (
        f"{(int(d.clock.now()[:13]) + 3_600_000):013d}-0000-{d.client_id.replace('-', '')[:12]}"
    )
    result = d.push_one("households", new_id(), household(), stamp=future)
    assert result["status"] == "applied" and result["warning"] == "clock_skew"


def test_the_server_clock_passes_every_stamp_a_push_brings(device):
    d = device("vol_a")
    node = d.client_id.replace("-", "")[:12]
    ahead = int(d.clock.now()[:13]) + 120_000  # two minutes ahead: allowed, and observed
    stamps = [f"{ahead:013d}-0005-{node}", f"{ahead - 50:013d}-0000-{node}"]
    mutations = [d.mutation("households", new_id(), household(), stamp=s) for s in stamps]
    answer = d.push_raw(*mutations).json()
    assert [r["status"] for r in answer["results"]] == ["applied", "applied"]
    assert "warning" not in answer["results"][0]
    assert answer["server_hlc"] > stamps[0]


def test_concurrent_edit_of_one_field_is_a_conflict_with_both_values(device):
    leader, a, b = device("leader"), device("vol_a"), device("vol_ab")
    hid = new_id()
    base = a.push_one("households", hid, household(address="Số 1"))["version"]
    ra = a.push_one("households", hid, {"address": "Số 2"}, base=base)
    rb = b.push_one("households", hid, {"address": "Số 3", "note": "cổng xanh"}, base=base)
    assert ra["status"] == "applied"
    assert rb["status"] == "conflict"
    assert rb["conflicts"][0]["field"] == "address" and rb["conflicts"][0]["winner"] == "client"
    row = {c["id"]: c for c in leader.pull_all(None)}[hid]["row"]
    assert row["address"] == "Số 3" and row["note"] == "cổng xanh"
    listed = leader.get("/api/v1/conflicts?status=open").json()["conflicts"]
    conflict = next(c for c in listed if c["id"] == rb["conflicts"][0]["conflict_id"])
    assert conflict["losing_value"] == "Số 2" and conflict["winning_value"] == "Số 3"
    assert conflict["winner_user"] == b.user["id"] and conflict["loser_user"] == a.user["id"]
    assert conflict["table"] == "households" and conflict["row_id"] == hid


def test_older_concurrent_edit_loses_and_is_kept(device):
    a, b = device("vol_a"), device("vol_ab")
    hid = new_id()
    base = a.push_one("households", hid, household(address="Số 1"))["version"]
    # A second before a's edit: taken from b's clock just before it, the two stamps could
    # share a millisecond, and then the clock nodes decided (the test failed once that way).
    node = b.client_id.replace("-", "")[:12]
    early = f"{int(b.clock.now()[:13]) - 1000:013d}-0000-{node}"
    a.push_one("households", hid, {"address": "Số 2"}, base=base)
    late = b.push_one("households", hid, {"address": "Số 3"}, base=base, stamp=early)
    assert late["status"] == "conflict" and late["conflicts"][0]["winner"] == "server"
    rows = {c["id"]: c["row"] for c in b.pull_all(None)}
    assert rows[hid]["address"] == "Số 2"


def test_a_device_never_conflicts_with_itself(device):
    a = device("vol_a")
    hid = new_id()
    a.push_one("households", hid, household(address="Số 1"))
    again = a.push_one("households", hid, {"address": "Số 2"}, base=0)
    assert again["status"] == "applied"


def test_support_item_state_progress_wins(device):
    a, b = device("vol_a"), device("vol_a2")
    hid = new_id()
    a.push_one("households", hid, household())
    sid = ids.support_item_id(hid, "fibre_internet")
    item = {"subject_type": "household", "subject_id": hid, "item_code": "fibre_internet"}
    # Both create "the same" item offline: derived ids make it one row.
    ra = a.push_one("support_items", sid, {**item, "state": "done"})
    rb = b.push_one("support_items", sid, {**item, "state": "guided"})
    assert ra["status"] == "applied" and rb["status"] == "merged"
    row = {c["id"]: c["row"] for c in a.pull_all(None)}[sid]
    assert row["state"] == "done"
    # A fresh edit (base = the latest version) may move it down.
    latest = {c["id"]: c["version"] for c in b.pull_all(None)}[sid]
    assert (
        b.push_one("support_items", sid, {"state": "pending"}, base=latest)["status"] == "applied"
    )


def test_visit_items_union_and_visit_is_a_log(device):
    a, b = device("vol_a"), device("vol_a2")
    hid, pid, vid = new_id(), new_id(), new_id()
    a.push(a.mutation("households", hid, household()), a.mutation("persons", pid, person(hid)))
    visit = {
        "household_id": hid,
        "visited_at": "2026-11-20T09:30:00+07:00",
        "volunteer_id": a.user["id"],
        "outcome": "met",
        "items": [],
    }
    base = a.push_one("visits", vid, visit)["version"]
    x = {"subject_id": pid, "item_code": "vneid_l1", "state": "done"}
    y = {"subject_id": pid, "item_code": "bank_account", "state": "guided"}
    assert a.push_one("visits", vid, {"items": [x]}, base=base)["status"] == "applied"
    assert b.push_one("visits", vid, {"items": [y]}, base=base)["status"] == "merged"
    row = {c["id"]: c["row"] for c in a.pull_all(None)}[vid]
    assert sorted(i["item_code"] for i in row["items"]) == ["bank_account", "vneid_l1"]
    moved = b.push_one("visits", vid, {"outcome": "refused"}, base=base)
    assert moved["status"] == "rejected" and moved["code"] == "immutable"
    stranger = b.push_one("visits", new_id(), {**visit, "volunteer_id": "nobody"})
    assert stranger["code"] == "invalid_value" and stranger["message"].startswith("volunteer_id")


def test_delete_writes_a_tombstone_and_an_edit_on_it_is_a_conflict(device):
    leader, a, b = device("leader"), device("vol_a"), device("vol_a2")
    hid = new_id()
    base = a.push_one("households", hid, household())["version"]
    deleted = a.push_one("households", hid, op="delete", base=base)
    assert deleted["status"] == "applied" and deleted["version"] > base
    edit = b.push_one("households", hid, {"note": "vẫn ở đây"}, base=base)
    assert edit["status"] == "conflict" and edit["conflicts"][0]["field"] == "_deleted"
    assert [c["op"] for c in leader.pull_all(None) if c["id"] == hid] == []
    conflict = next(
        c for c in leader.get("/api/v1/conflicts").json()["conflicts"] if c["field"] == "_deleted"
    )
    assert conflict["losing_value"] == {"note": "vẫn ở đây"}
    # Deleting again is done already.
    assert a.push_one("households", hid, op="delete", base=base)["status"] == "applied"


def test_delete_after_a_concurrent_edit_is_a_conflict(device):
    a, b = device("vol_a"), device("vol_a2")
    hid = new_id()
    base = a.push_one("households", hid, household())["version"]
    b.push_one("households", hid, {"note": "sửa"}, base=base)
    result = a.push_one("households", hid, op="delete", base=base)
    assert result["status"] == "conflict" and result["conflicts"][0]["field"] == "_deleted"
    assert result["conflicts"][0]["winner"] == "client"


def test_gzip_request_body(device):
    d = device("vol_a")
    answer = d.push_raw(d.mutation("households", new_id(), household()), gzipped=True)
    assert answer.status_code == 200 and answer.json()["results"][0]["status"] == "applied"
