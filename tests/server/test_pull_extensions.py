"""The pull's extensions (docs/protocol.md): checked pulls, column pages, the rows remaining.

Old devices send none of them and get SYNC.md's answers, byte for byte the same form.
"""

from __future__ import annotations

from gocua import ids
from gocua.protocol import page_changes
from tests.server.world import household, new_id, person


def checked(a, cursor=None, **extra):
    body = {
        "client_id": a.client_id,
        "cursor": cursor,
        "limit": 1000,
        "epoch": a.epoch,
        "directory": a.hello_answer["directory"],
        "protocol": 1,
        **extra,
    }
    return a.post("/api/v1/sync/pull", body)


def test_hello_names_the_extensions_and_a_directory_digest(device):
    a = device("vol_a")
    assert {"checked_pull", "columns", "remaining"} <= set(a.hello_answer["extensions"])
    digest = a.hello_answer["directory"]
    assert len(digest) == 16 and digest == a.hello()["directory"]  # stable while nothing changes
    assert device("vol_b").hello_answer["directory"] != digest  # another scope, another digest


def test_a_checked_pull_with_nothing_new_is_a_few_bytes_without_a_cursor(device):
    a = device("vol_a")
    a.push_one("households", new_id(), household())
    first = checked(a).json()
    assert len(page_changes(first)) == 1 and "directory" not in first
    noop = checked(a, first["next_cursor"])
    assert noop.status_code == 200
    body = noop.json()
    assert body["changes"] == [] and body["has_more"] is False and "next_cursor" not in body
    assert len(noop.content) < 120, noop.content
    # The plain form still returns the cursor it was given (SYNC.md).
    plain = a.pull_raw(first["next_cursor"]).json()
    assert plain["next_cursor"] == first["next_cursor"]


def test_a_checked_pull_says_when_hello_would_answer_otherwise(device):
    leader = device("leader")
    cursor = checked(leader).json()["next_cursor"]
    assert "directory" not in checked(leader, cursor).json()
    created = leader.post("/api/v1/admin/hamlets", {"name": "Ấp Mới Lập"})
    assert created.status_code == 201, created.text
    changed = checked(leader, cursor).json()
    assert changed["directory"] == leader.hello()["directory"] != leader.hello_answer["directory"]


def test_a_checked_pull_with_another_epoch_is_epoch_mismatch(device):
    a = device("vol_a")
    answer = checked(a, epoch="00000000-0000-4000-8000-000000000000")
    assert answer.status_code == 409
    assert answer.json()["error"] == "epoch_mismatch" and answer.json()["epoch"] == a.epoch


def test_a_pull_for_another_protocol_is_upgrade_required(device):
    a = device("vol_a")
    answer = checked(a, protocol=2)
    assert answer.status_code == 426 and answer.json()["error"] == "upgrade_required"


def test_column_pages_hold_the_same_changes_as_row_pages(device):
    a = device("vol_a")
    hid, gone = new_id(), new_id()
    a.push_one("households", hid, household(address="Số 7, xóm Chài"))
    v = a.push_one("households", gone, household())["version"]
    pids = [new_id() for _ in range(3)]
    for n, pid in enumerate(pids):
        a.push_one("persons", pid, person(hid, f"Người {n}", cccd=None, has_smartphone=n == 1))
    for pid in pids:
        item = {"subject_type": "person", "subject_id": pid, "item_code": "vneid_l1"}
        a.push_one("support_items", ids.support_item_id(pid, "vneid_l1"), {**item, "state": "done"})
    cursor = a.pull_raw(None).json()["next_cursor"]
    a.push_one("households", gone, op="delete", base=v)
    a.push_one("households", hid, {"note": "sửa"}, base=1)
    for start in (None, cursor):
        rows = a.pull_raw(start).json()
        columns = checked(a, start, format="columns").json()
        assert columns.get("format") == "columns" and "changes" not in columns
        assert page_changes(columns) == rows["changes"]
        assert columns["next_cursor"] == rows["next_cursor"]
    items = checked(a, None, format="columns").json()["tables"]["support_items"]
    assert items["id"] == [None, None, None]  # derived: not sent


def test_column_pages_are_gzipped_harder(device):
    a = device("vol_a")
    for n in range(40):
        a.push_one("households", new_id(), household(address=f"Số {n}, ấp Bình Minh"))
    answer = checked(a, None, format="columns")
    assert answer.headers["content-encoding"] == "gzip"
    raw = a.http.post(
        "/api/v1/sync/pull",
        json={"client_id": a.client_id, "cursor": None, "format": "columns", "epoch": a.epoch},
        headers={**a.headers, "Accept-Encoding": "identity"},
    )
    assert "content-encoding" not in raw.headers
    assert raw.json()["tables"] == answer.json()["tables"]


def test_remaining_counts_the_rows_after_a_full_page(device):
    a = device("vol_a")
    for _ in range(5):
        a.push_one("households", new_id(), household())
    first = checked(a, None, limit=2, count=True).json()
    assert first["has_more"] and first["remaining"] == 3
    last = checked(a, first["next_cursor"], limit=5, count=True).json()
    assert not last["has_more"] and "remaining" not in last
    assert "remaining" not in a.pull_raw(None, limit=2).json()  # only when asked


def test_unknown_keys_are_still_refused(device):
    a = device("vol_a")
    answer = a.post("/api/v1/sync/pull", {"client_id": a.client_id, "format": "xml"})
    assert answer.status_code == 422
    answer = a.post("/api/v1/sync/pull", {"client_id": a.client_id, "since": 3})
    assert answer.status_code == 422
