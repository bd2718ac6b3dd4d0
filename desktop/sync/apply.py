"""Saving what the server sends into the local store.

A pulled row replaces the local one, except that fields with unsent local changes keep the
local value (the pending outbox fields are re-applied on top, as SYNC.md asks), and a row the
device deleted locally stays deleted until that delete is pushed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from operator import itemgetter

from sqlalchemy import JSON, Connection, delete, select, text, update

from desktop.store import bulk
from desktop.store.rows import OUTBOX, UNSENT, has_unsent, local_columns
from desktop.store.schema import SYNCED_TABLES, PullMark
from desktop.store.state_keys import HELD_ROWS
from gocua.protocol import FIELDS

MARKS = PullMark.__table__


def kept_rows(conn: Connection) -> set[tuple[str, str]]:
    return {tuple(pair) for pair in HELD_ROWS.get(conn) or []}


def _save_kept(conn: Connection, held: set[tuple[str, str]]) -> None:
    HELD_ROWS.set(conn, sorted(held) if held else None)


def drop_released(conn: Connection) -> int:
    """Drop the held rows whose changes have now been sent (applied or rejected): they are
    out of scope, and no later pull would remove them. Returns how many were dropped."""
    held = kept_rows(conn)
    if not held:
        return 0
    pending = set(conn.execute(select(OUTBOX.c.row_id).where(OUTBOX.c.state.in_(UNSENT))).scalars())
    released = {(table, row_id) for table, row_id in held if row_id not in pending}
    for table, row_id in released:
        _drop(conn, SYNCED_TABLES[table], row_id)
    _save_kept(conn, held - released)
    return len(released)


def pending_changes(conn: Connection, row_ids: list[str]) -> dict[str, list[dict]]:
    """Unsent mutations per row id (queued or held), oldest first."""
    found: dict[str, list[dict]] = defaultdict(list)
    if not has_unsent(conn):
        return found  # the common case on a big pull: skip the IN queries (ms each)
    for start in range(0, len(row_ids), 900):  # SQLite's bound-parameter limit
        chunk = row_ids[start : start + 900]
        query = (
            select(OUTBOX.c.row_id, OUTBOX.c.op, OUTBOX.c.fields)
            .where(OUTBOX.c.state.in_(UNSENT), OUTBOX.c.row_id.in_(chunk))
            .order_by(OUTBOX.c.id)
        )
        for row_id, op, fields in conn.execute(query):
            found[row_id].append({"op": op, "fields": fields})
    return found


def _pulled_row(table: str, change: dict, pending: list[dict] | None, today: dt.date) -> dict:
    """The columns to store for a pulled upsert: every wire field (defaults for those not
    sent), pending local fields on top, the derived columns, ``version`` and ``deleted``."""
    sent = change["row"]
    row = {name: sent.get(name, default) for name, default in FIELDS[table].items()}
    deleted = False
    for mutation in pending or ():
        if mutation["op"] == "delete":
            deleted = True
        else:
            row.update(mutation["fields"])
            deleted = False
    row.update(local_columns(table, row, today))
    row["id"] = change["id"]
    row["version"] = int(change["version"])
    row["deleted"] = deleted
    return row


def apply_changes(
    conn: Connection, changes: list[dict], today: dt.date, mark: bool
) -> dict[str, int]:
    """Apply one pull page. Returns counts by op (``kept`` = evictions held back)."""
    counts = {"upsert": 0, "delete": 0, "evict": 0, "kept": 0}
    pending = pending_changes(conn, [c["id"] for c in changes])
    held = kept_rows(conn)
    held_before = set(held)
    upserts: dict[str, list[dict]] = defaultdict(list)
    for change in changes:
        table, row_id, op = change["table"], change["id"], change["op"]
        if table not in SYNCED_TABLES:
            continue  # a table this app version does not know: skip, don't fail the page
        t = SYNCED_TABLES[table]
        if op == "upsert":
            upserts[table].append(_pulled_row(table, change, pending.get(row_id), today))
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
        _save_kept(conn, held)
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
        _update_raw(conn, t, columns, group)


def _insert_raw(conn: Connection, t, columns: list[str], rows: list[dict]) -> None:
    """New rows through the driver's executemany: a first pull inserts ~145,000 rows, and
    SQLAlchemy's per-row parameter processing cost ~1.5 s of it. JSON columns are encoded
    here, as the JSON type would; booleans and None bind as they are. Their search index and
    coverage facts are filled set-wise (bulk.insert_new)."""
    for column in (c for c in columns if isinstance(t.c[c].type, JSON)):
        for row in rows:
            row[column] = json.dumps(row[column], ensure_ascii=False)
    sql = f"INSERT INTO {t.name} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    # itemgetter makes each row's tuple in C: a generator per row cost ~1 s of a first pull.
    bulk.insert_new(conn, t.name, sql, list(map(itemgetter(*columns), rows)))


def _update_raw(conn: Connection, t, columns: tuple[str, ...], rows: list[dict]) -> None:
    """Changed columns through the driver's executemany, encoded as :func:`_insert_raw` does:
    SQLAlchemy's per-row parameter processing was a third of pulling 100 edited rows."""
    encode = [isinstance(t.c[c].type, JSON) for c in columns]
    params = [
        (
            *(
                json.dumps(row[c], ensure_ascii=False) if e else row[c]
                for c, e in zip(columns, encode, strict=True)
            ),
            row["id"],
        )
        for row in rows
    ]
    conn.exec_driver_sql(
        f"UPDATE {t.name} SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?", params
    )


def _current_values(conn: Connection, t, names: list[str], ids: list[str]) -> dict[str, dict]:
    """The stored values of the rows among ``ids``, read through the driver (compiling an IN
    of 900 bound parameters took SQLAlchemy ~0.5 s over a first pull). Booleans come back as
    0/1, which compare equal to the pulled ``False``/``True``; JSON is decoded here."""
    found: dict[str, dict] = {}
    columns = ["id", *names]
    json_columns = [name for name in names if isinstance(t.c[name].type, JSON)]
    for start in range(0, len(ids), 900):  # SQLite's bound-parameter limit
        chunk = ids[start : start + 900]
        sql = (
            f"SELECT {', '.join(columns)} FROM {t.name} "
            f"WHERE id IN ({', '.join('?' for _ in chunk)})"
        )
        for values in conn.exec_driver_sql(sql, tuple(chunk)):
            row = dict(zip(columns, values, strict=True))
            for name in json_columns:
                row[name] = None if row[name] is None else json.loads(row[name])
            found[row["id"]] = row
    return found


def has_synced_rows(conn: Connection) -> bool:
    """Whether the store holds any row from a pull (local tombstones of such rows included)."""
    return any(
        conn.execute(select(t.c.id).where(t.c.version > 0).limit(1)).first() is not None
        for t in SYNCED_TABLES.values()
    )


def sweep_unmarked(conn: Connection) -> int:
    """After a full pull: drop synced rows it did not send (deleted or out of scope before the
    snapshot), unless they have unsent changes. Returns how many were dropped."""
    dropped = 0
    held = kept_rows(conn)
    for table, t in SYNCED_TABLES.items():
        kept = conn.execute(
            text(
                f"SELECT id FROM {t.name} WHERE version > 0 AND id NOT IN "
                "(SELECT row_id FROM pull_marks WHERE table_name = :table) AND id IN "
                "(SELECT row_id FROM outbox WHERE state IN ('pending', 'held'))"
            ),
            {"table": table},
        ).scalars()
        held.update((table, row_id) for row_id in kept)
        unmarked = (
            "WHERE version > 0 AND id NOT IN "
            "(SELECT row_id FROM pull_marks WHERE table_name = :table) AND id NOT IN "
            "(SELECT row_id FROM outbox WHERE state IN ('pending', 'held'))"
        )
        # Tombstone first so the store's triggers recount what hangs on these rows (see _drop).
        conn.execute(
            text(f"UPDATE {t.name} SET deleted = 1 {unmarked} AND deleted = 0"), {"table": table}
        )
        result = conn.execute(text(f"DELETE FROM {t.name} {unmarked}"), {"table": table})
        dropped += result.rowcount or 0
    _save_kept(conn, held)
    conn.execute(delete(MARKS))
    return dropped


def local_checksums(conn: Connection) -> dict[str, dict]:
    """The summary of SYNC.md over the rows this device holds at a server version."""
    from gocua.protocol import table_checksum

    result = {}
    # Rows kept past their eviction for the volunteer's unsent or held changes are outside
    # the scope the server sums: they are not counted.
    kept = kept_rows(conn)
    for table, t in SYNCED_TABLES.items():
        # Rows deleted here but not yet pushed are still live on the server: count them.
        # The driver's tuples: SQLAlchemy's rows cost ~0.3 s over a first pull's 142,000.
        found = conn.exec_driver_sql(f"SELECT id, version FROM {t.name} WHERE version > 0")
        rows = found.cursor.fetchall()
        found.close()
        if kept:
            rows = [row for row in rows if (table, row[0]) not in kept]
        result[table] = {"count": len(rows), "checksum": table_checksum(rows)}
    return result
