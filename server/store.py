"""Synced rows as the push and the conflict resolver see them, and writing them back.

A :class:`Changes` collects, inside one transaction, every row written, every eviction,
conflict and audit entry, with provisional versions; :meth:`Changes.flush` then takes a block
of real versions from the global counter (the counter row stays locked until commit, so
versions are handed out in commit order) and writes everything.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from server import tallies, write_pg
from server.auth import iso_utc
from server.jsontext import dumps
from server.merge import PROVISIONAL, ConflictNote, absolute, realise, relative
from server.models import (
    clients_t,
    conflicts_t,
    evictions_t,
    history_t,
    mutations_t,
    records_t,
    state_t,
)


def insert_many(conn: Connection, table: sa.Table, rows: list[dict], chunk: int = 500) -> None:
    """Insert rows in one statement per table and chunk, written out directly.

    A push inserts a few rows into several tables; one statement each (rather than a round
    trip per row, or SQLAlchemy compiling a statement per row count) keeps a push to a
    handful of round trips. PostgreSQL gets the rows as one JSON array parameter
    (``json_populate_recordset``): the statement text is the same for any number of rows, so
    it is prepared once per connection, and ``json.dumps`` (C) encodes the rows. Arrays per
    column (``unnest``) were the first design: psycopg quotes every text array element with a
    regular expression in Python, which was half of a push's CPU time. SQLite gets a
    multi-row ``VALUES``.
    """
    if not rows:
        return
    columns = list(rows[0])
    quote = conn.dialect.identifier_preparer.quote
    names = ",".join(quote(c) for c in columns)
    head = f"INSERT INTO {quote(table.name)} ({names}) "
    if conn.dialect.name == "postgresql":
        sql = f"{head}SELECT {names} FROM json_populate_recordset(NULL::{quote(table.name)}, %s)"
        conn.exec_driver_sql(sql, (dumps(rows),))
        return
    group = "(" + ",".join(["?"] * len(columns)) + ")"
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        params = tuple(row[c] for row in part for c in columns)
        conn.exec_driver_sql(head + "VALUES " + ",".join([group] * len(part)), params)


@dataclass
class RowState:
    tbl: str
    id: str
    scope_area: str
    commune_id: str
    household_id: str | None
    subject_id: str | None
    version: int
    deleted: bool
    data: dict[str, Any]
    meta: dict[str, list]
    in_db: bool = True
    dirty: bool = False
    # What coverage read of the row when it was loaded (server.tallies.facts): a write that
    # changes it changes the tallies.
    loaded: tuple | None = None


_COLUMNS = (
    records_t.c.tbl,
    records_t.c.id,
    records_t.c.scope_area,
    records_t.c.commune_id,
    records_t.c.household_id,
    records_t.c.subject_id,
    records_t.c.version,
    records_t.c.deleted,
    records_t.c.data,
    records_t.c.meta,
)


def _state(row) -> RowState:
    state = RowState(
        tbl=row.tbl,
        id=row.id,
        scope_area=row.scope_area,
        commune_id=row.commune_id,
        household_id=row.household_id,
        subject_id=row.subject_id,
        version=row.version,
        deleted=bool(row.deleted),
        data=json.loads(row.data),
        meta=absolute(json.loads(row.meta), row.version),
    )
    state.loaded = tallies.row_facts(state)
    return state


def load_rows(conn: Connection, where, lock: bool = True) -> list[RowState]:
    query = sa.select(*_COLUMNS).where(where).order_by(records_t.c.tbl, records_t.c.id)
    if lock:
        query = query.with_for_update()
    return [_state(row) for row in conn.execute(query)]


_SELECT = f"SELECT {', '.join(c.name for c in _COLUMNS)} FROM records"
_LOCK_BY_KEYS_PG = (
    f"{_SELECT} "
    "WHERE (tbl, id) IN (SELECT k.tbl, k.id FROM json_to_recordset(%s) AS k(tbl text, id text)) "
    "ORDER BY tbl, id FOR UPDATE"
)


def lock_rows(conn: Connection, keys: list[tuple[str, str]]) -> list[RowState]:
    """Load and lock the rows of these ``(tbl, id)`` keys, in one query.

    On PostgreSQL the keys travel as one JSON parameter, so the statement is the same for
    any number of keys and is prepared once (an ``IN`` list of pairs was parsed afresh by the
    driver for every push)."""
    if conn.dialect.name == "postgresql":
        param = dumps([{"tbl": t, "id": i} for t, i in keys])
        return [_state(row) for row in conn.exec_driver_sql(_LOCK_BY_KEYS_PG, (param,))]
    # SQLite: one query per table, ``tbl = ? AND id IN (...)``, which walks the primary key
    # (an IN list of (tbl, id) pairs scanned the whole table: 20 ms a push on 14,000 rows),
    # written out for the driver: SQLAlchemy took ~10 ms to render an IN of 500 parameters.
    by_table: dict[str, list[str]] = {}
    for tbl, row_id in keys:
        by_table.setdefault(tbl, []).append(row_id)
    found: list[RowState] = []
    for tbl, row_ids in sorted(by_table.items()):
        for start in range(0, len(row_ids), 500):
            chunk = row_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"{_SELECT} WHERE tbl = ? AND id IN ({marks}) ORDER BY tbl, id"
            found.extend(_state(row) for row in conn.exec_driver_sql(sql, (tbl, *chunk)))
    return found


# The statements of a SQLite push, built once (building a statement cost more than running it).
_TAKE_VERSIONS = (
    sa.update(state_t)
    .where(state_t.c.id == 1)
    .values(version=state_t.c.version + sa.bindparam("count"))
    .returning(state_t.c.version)
)
# The SET columns come from the parameter names; b_tbl and b_id pick the row.
_UPDATE_RECORD = sa.update(records_t).where(
    records_t.c.tbl == sa.bindparam("b_tbl"), records_t.c.id == sa.bindparam("b_id")
)
_FORGET_EVICTION = sa.delete(evictions_t).where(
    evictions_t.c.scope_area == sa.bindparam("scope_area"),
    evictions_t.c.tbl == sa.bindparam("tbl"),
    evictions_t.c.row_id == sa.bindparam("row_id"),
)
_CLIENT_LAST = sa.update(clients_t).where(clients_t.c.id == sa.bindparam("b_id"))


@dataclass
class Changes:
    """What one transaction writes, with versions PROVISIONAL + 1, + 2, ... until flushed."""

    rows: dict[tuple[str, str], RowState] = field(default_factory=dict)
    count: int = 0
    evictions: dict[tuple[str, str, str], int] = field(default_factory=dict)
    conflicts: list[dict] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)
    base: int = 0
    # One timestamp for the whole transaction's history and conflicts (and one clock read).
    at: str = field(default_factory=lambda: iso_utc(time.time()))

    def next_version(self) -> int:
        self.count += 1
        return PROVISIONAL + self.count

    def real(self, version: int) -> int:
        return self.base + version - PROVISIONAL if version > PROVISIONAL else version

    def touch(self, row: RowState, version: int) -> None:
        row.version, row.dirty = version, True
        self.rows[(row.tbl, row.id)] = row

    def evict(self, area: str, row: RowState, version: int) -> None:
        self.evictions[(area, row.tbl, row.id)] = version

    def conflict(self, row: RowState, note: ConflictNote) -> str:
        conflict_id = str(uuid.uuid4())
        self.conflicts.append(
            {
                "id": conflict_id,
                "tbl": row.tbl,
                "row_id": row.id,
                "field": note.field,
                "winning_value": dumps(note.winning_value),
                "losing_value": dumps(note.losing_value),
                "winner_user": note.winner_user,
                "loser_user": note.loser_user,
                "winner": note.winner,
                "created_at": self.at,
                "status": "open",
                "commune_id": row.commune_id,
                "resolved_value": None,
                "resolved_by": None,
                "resolved_at": None,
            }
        )
        return conflict_id

    def audit(
        self,
        row: RowState,
        version: int,
        op: str,
        before: dict,
        after: dict,
        *,
        user: str | None,
        client: str | None,
        mutation: int | None,
    ) -> None:
        self.history.append(
            {
                "tbl": row.tbl,
                "row_id": row.id,
                "version": version,
                "op": op,
                "user_id": user,
                "client_id": client,
                "mutation_id": mutation,
                "at": self.at,
                "before": dumps(before),
                "after": dumps(after),
            }
        )

    def flush(
        self,
        conn: Connection,
        mutations: list[dict] | None = None,
        client_id: str | None = None,
        last_mutation_id: int | None = None,
        commit: bool = False,
    ) -> None:
        """Write everything, and (for a push) the mutations' results and the device's last id.

        ``mutations`` are ``mutations`` table rows whose ``result`` is still a dict, with
        provisional versions; they are stored with the real ones. ``commit``: PostgreSQL may
        end the transaction with the same round trip (nothing else is written after it).
        """
        now = time.time()
        inserts, updates = [], []
        for row in self.rows.values():
            if not row.dirty:
                continue
            values = {
                "tbl": row.tbl,
                "id": row.id,
                "scope_area": row.scope_area,
                "commune_id": row.commune_id,
                "household_id": row.household_id,
                "subject_id": row.subject_id,
                "version": row.version,
                "deleted": row.deleted,
                "data": dumps(row.data),
                "meta": dumps(relative(row.meta, row.version)),
                "updated_at": now,
            }
            (updates if row.in_db else inserts).append(values)
        evictions = [
            {"scope_area": area, "tbl": tbl, "row_id": row_id, "version": version}
            for (area, tbl, row_id), version in self.evictions.items()
        ]
        mutations = mutations or []
        # The tallies follow in the same transaction (server.tallies): read before writing.
        dirty = [row for row in self.rows.values() if row.dirty]
        delta = tallies.changes_delta(conn, dirty) if tallies.enabled(conn) else {}
        if conn.dialect.name == "postgresql":
            for entry in mutations:
                # The real version is spliced in by the statement (server.write_pg).
                result = dict(entry["result"])
                entry["version"] = result.pop("version", None)
                entry["result"] = dumps(result)
            self.base = write_pg.write(
                conn,
                count=self.count,
                inserts=inserts,
                updates=updates,
                evictions=evictions,
                conflicts=self.conflicts,
                history=self.history,
                mutations=mutations,
                client_id=client_id,
                last_mutation_id=last_mutation_id,
                tallies=tallies.as_rows(delta),
                commit=commit,
            )
        else:
            self._write(conn, inserts, updates, evictions, mutations, client_id, last_mutation_id)
            tallies.apply(conn, delta)
        for row in self.rows.values():
            row.version = self.real(row.version)
            row.meta = realise(row.meta, self.base)
            if row.dirty:
                row.loaded = tallies.row_facts(row)
            row.in_db, row.dirty = True, False

    def _write(
        self,
        conn: Connection,
        inserts: list[dict],
        updates: list[dict],
        evictions: list[dict],
        mutations: list[dict],
        client_id: str | None,
        last_mutation_id: int | None,
    ) -> None:
        """Statement by statement (SQLite: the push holds the database's write lock anyway)."""
        if self.count:
            # The lock on the counter row is held from here to commit: a transaction that
            # got lower versions has committed before anyone gets higher ones.
            top = conn.execute(_TAKE_VERSIONS, {"count": self.count}).scalar_one()
            self.base = top - self.count
        for values in (*inserts, *updates):
            values["version"] = self.real(values["version"])
        if inserts:
            insert_many(conn, records_t, inserts)
        if updates:
            params = []
            for u in updates:
                params.append({k: v for k, v in u.items() if k not in ("tbl", "id")})
                params[-1].update(b_tbl=u["tbl"], b_id=u["id"])
            conn.execute(_UPDATE_RECORD, params)
        if evictions:
            # Only the latest departure of a row from an area matters. One executemany each:
            # a hamlet merge evicts thousands of rows (a statement each took 1.3 of a merge's
            # 1.6 s, 17,229 rows, measured).
            conn.execute(_FORGET_EVICTION, evictions)
            conn.execute(
                evictions_t.insert(),
                [{**e, "version": self.real(e["version"])} for e in evictions],
            )
        if self.conflicts:
            insert_many(conn, conflicts_t, self.conflicts)
        if self.history:
            for entry in self.history:
                entry["version"] = self.real(entry["version"])
            insert_many(conn, history_t, self.history)
        for entry in mutations:
            result = entry["result"]
            if "version" in result:
                result = {**result, "version": self.real(result["version"])}
            entry["result"] = dumps(result)
        insert_many(conn, mutations_t, mutations)
        if client_id is not None:
            conn.execute(_CLIENT_LAST, {"b_id": client_id, "last_mutation_id": last_mutation_id})
