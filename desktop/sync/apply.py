"""Saving what the server sends into the local store.

A pulled row replaces the local one, except that fields with unsent local changes keep the
local value (the pending outbox fields are re-applied on top, as SYNC.md asks), and a row the
device deleted locally stays deleted until that delete is pushed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any

from sqlalchemy import JSON, Connection, bindparam, delete, select, text, update

from desktop.store import bulk
from desktop.store.rows import OUTBOX, get_state, local_columns, set_state
from desktop.store.schema import SYNCED_TABLES, PullMark
from gocua.protocol import FIELDS

MARKS = PullMark.__table__
HELD = "held_rows"  # sync state: rows that left the scope but were kept for unsent changes


def held_rows(conn: Connection) -> set[tuple[str, str]]:
    raw = get_state(conn, HELD)
    return {tuple(pair) for pair in json.loads(raw)} if raw else set()


def _save_held(conn: Connection, held: set[tuple[str, str]]) -> None:
    set_state(conn, HELD, json.dumps(sorted(held)) if held else None)


def drop_released(conn: Connection) -> int:
    """Drop the held rows whose changes have now been sent (applied or rejected): they are
    out of scope, and no later pull would remove them. Returns how many were dropped."""
    held = held_rows(conn)
    if not held:
        return 0
    pending = set(
        conn.execute(select(OUTBOX.c.row_id).where(OUTBOX.c.state == "pending")).scalars()
    )
    released = {(table, row_id) for table, row_id in held if row_id not in pending}
    for table, row_id in released:
        _drop(conn, SYNCED_TABLES[table], row_id)
    _save_held(conn, held - released)
    return len(released)


def pending_changes(conn: Connection, row_ids: list[str]) -> dict[str, list[dict]]:
    """Unsent mutations per row id, oldest first."""
    found: dict[str, list[dict]] = defaultdict(list)
    if (
        conn.execute(select(OUTBOX.c.id).where(OUTBOX.c.state == "pending").limit(1)).first()
        is None
    ):
        return found  # the common case on a big pull: skip the IN queries (ms each)
    for start in range(0, len(row_ids), 900):  # SQLite's bound-parameter limit
        chunk = row_ids[start : start + 900]
        query = (
            select(OUTBOX.c.row_id, OUTBOX.c.op, OUTBOX.c.fields)
            .where(OUTBOX.c.state == "pending", OUTBOX.c.row_id.in_(chunk))
            .order_by(OUTBOX.c.id)
        )
        for row_id, op, fields in conn.execute(query):
            found[row_id].append({"op": op, "fields": fields})
    return found


def _with_pending(row: dict[str, Any], pending: list[dict]) -> tuple[dict[str, Any], bool]:
    merged, deleted = dict(row), False
    for mutation in pending:
        if mutation["op"] == "delete":
            deleted = True
        else:
            merged.update(mutation["fields"])
            deleted = False
    return merged, deleted


def apply_changes(
    conn: Connection, changes: list[dict], today: dt.date, mark: bool
) -> dict[str, int]:
    """Apply one pull page. Returns counts by op (``kept`` = evictions held back)."""
    counts = {"upsert": 0, "delete": 0, "evict": 0, "kept": 0}
    pending = pending_changes(conn, [c["id"] for c in changes])
    held = held_rows(conn)
    held_before = set(held)
    upserts: dict[str, list[dict]] = defaultdict(list)
    for change in changes:
        table, row_id, op = change["table"], change["id"], change["op"]
        if table not in SYNCED_TABLES:
            continue  # a table this app version does not know: skip, don't fail the page
        t = SYNCED_TABLES[table]
        if op == "upsert":
            wire = {
                name: change["row"].get(name, default) for name, default in FIELDS[table].items()
            }
            values, deleted = _with_pending(wire, pending.get(row_id, []))
            upserts[table].append({"id": row_id, **values, **local_columns(table, values, today),
                                   "version": int(change["version"]), "deleted": deleted})  # fmt: skip
            counts["upsert"] += 1
            held.discard((table, row_id))  # back in scope
        elif op == "delete":
            _drop(conn, t, row_id)
            counts["delete"] += 1
        elif op == "evict":
            if row_id in pending:
                counts["kept"] += 1
                held.add((table, row_id))
            else:
                _drop(conn, t, row_id)
                counts["evict"] += 1
    for table, rows in upserts.items():
        _upsert_rows(conn, table, rows)
    if held != held_before:
        _save_held(conn, held)
    if mark and changes:
        conn.exec_driver_sql(
            "INSERT OR IGNORE INTO pull_marks (table_name, row_id) VALUES (?, ?)",
            [(c["table"], c["id"]) for c in changes if c["op"] == "upsert"],
        )
    return counts


def _drop(conn: Connection, t, row_id: str) -> None:
    """Remove a row the server deleted or took out of scope. Marking it deleted first lets the
    store's triggers recount what hangs on it (a person's support items stop counting in the
    coverage facts); a bare DELETE fires none of them."""
    conn.execute(update(t).where(t.c.id == row_id, t.c.deleted.is_(False)).values(deleted=True))
    conn.execute(delete(t).where(t.c.id == row_id))


def _upsert_rows(conn: Connection, table: str, rows: list[dict]) -> None:
    t = SYNCED_TABLES[table]
    if table == "support_items":
        for row in rows:
            row.setdefault("state_since", None)
    names = [name for name in rows[0] if name != "id"]
    current = _current_values(conn, t, names, [row["id"] for row in rows])
    # Rows already here are updated in only the columns that changed: the store's triggers
    # (search index, coverage facts) fire on every column named in an UPDATE, changed or not,
    # and naming them all made pulling 100 edited notes cascade through every item's facts.
    fresh, changed = [], defaultdict(list)
    for row in rows:
        before = current.get(row["id"])
        if before is None:
            fresh.append(row)
            continue
        if table == "support_items" and (row["state"] == before["state"] or not row["state_since"]):
            row["state_since"] = before["state_since"]  # the date the state last changed
        columns = tuple(name for name in names if row[name] != before[name])
        if columns:
            changed[columns].append(row)
    if fresh:
        _insert_raw(conn, t, ["id", *names], fresh)
    for columns, group in changed.items():
        statement = (
            update(t)
            .where(t.c.id == bindparam("b_id"))
            .values({name: bindparam(f"b_{name}") for name in columns})
        )
        conn.execute(
            statement,
            [{"b_id": row["id"], **{f"b_{name}": row[name] for name in columns}} for row in group],
        )


def _insert_raw(conn: Connection, t, columns: list[str], rows: list[dict]) -> None:
    """New rows through the driver's executemany: a first pull inserts ~145,000 rows, and
    SQLAlchemy's per-row parameter processing cost ~1.5 s of it. JSON columns are encoded
    here, as the JSON type would; booleans and None bind as they are. Their search index and
    coverage facts are filled set-wise (bulk.insert_new)."""
    json_columns = {c for c in columns if isinstance(t.c[c].type, JSON)}
    sql = (f"INSERT INTO {t.name} ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")  # fmt: skip
    bulk.insert_new(conn, t.name, sql, [
        tuple(json.dumps(row[c], ensure_ascii=False) if c in json_columns else row[c]
              for c in columns)
        for row in rows
    ])  # fmt: skip


def _current_values(conn: Connection, t, names: list[str], ids: list[str]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    columns = [t.c.id, *(t.c[name] for name in names)]
    for start in range(0, len(ids), 900):  # SQLite's bound-parameter limit
        query = select(*columns).where(t.c.id.in_(ids[start : start + 900]))
        for row in conn.execute(query).mappings():
            found[row["id"]] = dict(row)
    return found


def sweep_unmarked(conn: Connection) -> int:
    """After a full pull: drop synced rows it did not send (deleted or out of scope before the
    snapshot), unless they have unsent changes. Returns how many were dropped."""
    dropped = 0
    held = held_rows(conn)
    for table, t in SYNCED_TABLES.items():
        kept = conn.execute(
            text(
                f"SELECT id FROM {t.name} WHERE version > 0 AND id NOT IN "
                "(SELECT row_id FROM pull_marks WHERE table_name = :table) AND id IN "
                "(SELECT row_id FROM outbox WHERE state = 'pending')"
            ),
            {"table": table},
        ).scalars()
        held.update((table, row_id) for row_id in kept)
        unmarked = (
            "WHERE version > 0 AND id NOT IN "
            "(SELECT row_id FROM pull_marks WHERE table_name = :table) AND id NOT IN "
            "(SELECT row_id FROM outbox WHERE state = 'pending')"
        )
        # Tombstone first so the store's triggers recount what hangs on these rows (see _drop).
        conn.execute(
            text(f"UPDATE {t.name} SET deleted = 1 {unmarked} AND deleted = 0"), {"table": table}
        )
        result = conn.execute(text(f"DELETE FROM {t.name} {unmarked}"), {"table": table})
        dropped += result.rowcount or 0
    _save_held(conn, held)
    conn.execute(delete(MARKS))
    return dropped


def local_checksums(conn: Connection) -> dict[str, dict]:
    """The summary of SYNC.md over the rows this device holds at a server version."""
    from gocua.protocol import table_checksum

    result = {}
    for table, t in SYNCED_TABLES.items():
        # Rows deleted here but not yet pushed are still live on the server: count them.
        rows = conn.execute(select(t.c.id, t.c.version).where(t.c.version > 0)).all()
        result[table] = {"count": len(rows), "checksum": table_checksum(rows)}
    return result
