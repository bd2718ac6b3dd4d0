"""Pulled new rows go in with the store's insert triggers suspended and their work done
set-wise (``bulk.insert_new``): the store must end exactly as the triggers leave it.

The same pages (a small demo commune in a shuffled order, so children arrive before their
parents and tables interleave, then edits, new rows, a delete and an eviction) are applied to
two stores, one through the bulk path and one through the triggers, and every column, the
search index and the coverage are compared. No server: this is the store's arithmetic.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest
from sqlalchemy import Connection
from sqlalchemy import exc as sa_exc

from desktop.store import Store, bulk
from desktop.store.coverage import coverage_by_area
from desktop.store.rows import append_outbox
from desktop.store.schema import SYNCED_TABLES
from desktop.store.search import search_persons
from desktop.sync.apply import apply_changes
from gocua import demo
from gocua.catalogue import default_catalogue
from gocua.protocol import full_row
from tests.desktop.conftest import REF_YEAR, as_pairs, reference_coverage

TODAY = dt.date(2026, 11, 24)
PAGE = 250  # rows of one table in a page often exceed bulk.BULK_MIN when it is 1, never 250
CATALOGUE = default_catalogue()


def _upsert(table: str, row: dict) -> dict:
    return {"table": table, "id": row["id"], "op": "upsert", "row": full_row(table, row)}


def _rounds() -> tuple[demo.DemoCommune, list[list[dict]], dict]:
    """Two pulls of one commune, as pages; and the rows some pending mutations name."""
    commune = demo.generate(45, seed=3, today=TODAY)
    rng = random.Random(3)
    changes = [_upsert(t, row) for t, rows in commune.rows().items() for row in rows]
    rng.shuffle(changes)
    split = len(changes) * 3 // 4
    first, later = changes[:split], changes[split:]
    households = [c["row"] | {"id": c["id"]} for c in first if c["table"] == "households"]
    persons = [c["row"] | {"id": c["id"]} for c in first if c["table"] == "persons"]
    edits = [
        _upsert("households", households[0] | {"address": "Số 9, đường Mới"}),
        _upsert("households", households[1] | {"status": "moved"}),
        _upsert("persons", persons[0] | {"household_id": households[2]["id"]}),
        _upsert("persons", persons[1] | {"status": "deceased", "full_name": "Lê Văn Đổi"}),
    ]
    gone = [
        {"table": "households", "id": households[3]["id"], "op": "delete"},
        {"table": "persons", "id": persons[2]["id"], "op": "evict"},
    ]
    second = edits + gone + later
    rng.shuffle(second)
    pages = [
        chunk
        for batch in (first, second)
        for chunk in (batch[i : i + PAGE] for i in range(0, len(batch), PAGE))
    ]
    version = 0
    for page in pages:
        for change in page:
            version += 1
            change["version"] = version
    # Unsent local work on rows that arrive new: a delete and an edit (the bulk path must see
    # the merged values), on rows of the first and of the second pull.
    pending_later = next(c for c in later if c["table"] == "persons")
    pending = {
        "deleted": next(c for c in first if c["table"] == "persons")["id"],
        "edited": pending_later["id"],
        "deleted_item": next(c for c in first if c["table"] == "support_items")["id"],
    }
    # Rows that arrive new after what they hang on: an item with a pending delete whose
    # person is stored and counted, and a household item whose household has a pending
    # delete (the new items' facts must see both deletes).
    stored = {c["id"]: c["row"] for c in first}
    touched = {h["id"] for h in households[:4]} | {p["household_id"] for p in persons[:3]}

    def active(household_id: str) -> bool:
        return (
            household_id not in touched and stored.get(household_id, {}).get("status") == "active"
        )

    def counted(person_id: str) -> bool:
        person = stored.get(person_id)
        return (
            person is not None
            and person["status"] in ("present", "away")
            and active(person["household_id"])
        )

    late_items = [c for c in later if c["table"] == "support_items"]
    pending["deleted_item_late"] = next(
        c["id"]
        for c in late_items
        if c["row"]["subject_type"] == "person" and counted(c["row"]["subject_id"])
    )
    pending["deleted_household"] = next(
        c["row"]["subject_id"]
        for c in late_items
        if c["row"]["subject_type"] == "household" and active(c["row"]["subject_id"])
    )
    return commune, pages, pending


def _pull(path: Path, commune: demo.DemoCommune, pages: list[list[dict]], pending: dict) -> Store:
    store = Store.open(path)
    with store.write() as conn:
        bulk.insert_areas(conn, commune.areas)
        bulk.insert_users(conn, commune.users)
        stamp = "0001766534400000-0000-000000000000"
        append_outbox(conn, stamp, "persons", pending["deleted"], "delete", 0, {})
        append_outbox(conn, stamp, "support_items", pending["deleted_item"], "delete", 0, {})
        append_outbox(conn, stamp, "support_items", pending["deleted_item_late"], "delete", 0, {})
        append_outbox(conn, stamp, "households", pending["deleted_household"], "delete", 0, {})
        append_outbox(
            conn,
            stamp,
            "persons",
            pending["edited"],
            "upsert",
            0,
            {"full_name": "Đặng Thị Sửa", "status": "away"},
        )
    for page in pages:
        with store.write() as conn:
            apply_changes(conn, page, TODAY, mark=True)
    return store


def _everything(conn: Connection) -> dict[str, list]:
    """Every column of every table the pull writes, and the search index's rows."""
    out = {}
    for name in [*SYNCED_TABLES, "pull_marks", "sync_state"]:
        out[name] = conn.exec_driver_sql(f"SELECT * FROM {name} ORDER BY 1, 2").all()
    out["person_search"] = conn.exec_driver_sql(
        "SELECT rowid, name, address, digits FROM person_search ORDER BY rowid"
    ).all()
    out["schema"] = conn.exec_driver_sql("SELECT * FROM sqlite_master ORDER BY name").all()
    return out


def test_bulk_path_leaves_the_store_as_the_triggers_do(tmp_path, monkeypatch):
    commune, pages, pending = _rounds()
    monkeypatch.setattr(bulk, "BULK_MIN", 10**9)
    slow = _pull(tmp_path / "slow.db", commune, pages, pending)

    suspended = []
    original = bulk._suspended
    monkeypatch.setattr(bulk, "BULK_MIN", 1)
    monkeypatch.setattr(
        bulk, "_suspended", lambda conn, names: suspended.append(names) or original(conn, names)
    )
    fast = _pull(tmp_path / "fast.db", commune, pages, pending)
    assert set(suspended) == set(bulk.INSERT_TRIGGERS.values())

    with slow.read() as a, fast.read() as b:
        want, got = _everything(a), _everything(b)
        for name in want:
            assert got[name] == want[name], name
        assert b.exec_driver_sql("SELECT sum(counted) FROM support_items").scalar() > 0
        for query in ("nguyen", "duc", "09", "so 9 moi", "dang sua"):
            hits = [hit.person_id for hit in search_persons(b, query, limit=10_000)]
            assert hits == [hit.person_id for hit in search_persons(a, query, limit=10_000)]
        coverage = as_pairs(coverage_by_area(b, CATALOGUE, REF_YEAR))
        assert coverage == as_pairs(coverage_by_area(a, CATALOGUE, REF_YEAR))
        assert coverage == as_pairs(reference_coverage(b, CATALOGUE, REF_YEAR))
        b.exec_driver_sql("INSERT INTO person_search(person_search) VALUES ('integrity-check')")
    slow.close()
    fast.close()


def test_the_bulk_path_knows_every_insert_trigger(tmp_path):
    """A migration that adds an insert trigger on a synced table must teach bulk.py its work."""
    store = Store.open(tmp_path / "p.db")
    with store.read() as conn:
        ddl = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        found: dict[str, set[str]] = {}
        for name, sql in ddl:
            if match := re.search(r"AFTER\s+INSERT\s+ON\s+(\w+)", sql, re.IGNORECASE):
                found.setdefault(match.group(1), set()).add(name)
    store.close()
    assert found == {table: set(names) for table, names in bulk.INSERT_TRIGGERS.items()}


def test_a_failed_bulk_insert_puts_the_triggers_back(tmp_path, monkeypatch):
    """(What the failed batch did get in is left to the caller's rollback, as store.write does.)"""
    monkeypatch.setattr(bulk, "BULK_MIN", 1)
    store = Store.open(tmp_path / "p.db")
    insert = (
        "INSERT INTO persons (id, household_id, full_name, status, note) "
        "VALUES (?, 'h1', ?, 'present', '')"
    )
    with store.write() as conn:
        with pytest.raises(sa_exc.IntegrityError, match="UNIQUE"):
            bulk.insert_new(conn, "persons", insert, [("p1", "An"), ("p1", "Bình")])
        # The transaction goes on: a row inserted now goes through the triggers again.
        conn.exec_driver_sql(insert, ("p2", "Chi"))
    with store.read() as conn:
        indexed = conn.exec_driver_sql("SELECT name FROM person_search").scalars().all()
    store.close()
    assert "chi" in indexed
