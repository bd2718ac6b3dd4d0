"""One push's writes on PostgreSQL as a single statement that takes its versions itself.

The global version counter is a row lock held from the moment versions are handed out until
commit (SYNC.md: a change that commits late must never be skipped by a pull). Taken by one
statement and written back by several more, with Python in between, that lock was held for a
handful of round trips plus every wait of the holding thread for the interpreter lock; under a
burst of pushes it serialised the server (cores idle, pushes queued on the lock).

Here the counter is bumped by the first CTE of the one statement that writes everything else;
the real versions (``base`` + the provisional offset of :mod:`server.merge`) are worked out by
PostgreSQL itself, also for the stored mutation results; the rows' field bookkeeping
(``meta``) is stored relative to the row's version (:func:`server.merge.relative`), so it
needs no rewriting. The lock is then held for that statement's execution and the commit only.
"""

from __future__ import annotations

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from server.jsontext import dumps
from server.merge import PROVISIONAL

P = str(PROVISIONAL)
BASE = "(SELECT base FROM v)"


def _real(expr: str) -> str:
    return f"CASE WHEN {expr} > {P} THEN {expr} - {P} + {BASE} ELSE {expr} END"


# A stored result gets its real version appended: ``{...}`` becomes ``{...,"version":n}``.
_RESULT = (
    "CASE WHEN x.version IS NULL THEN x.result ELSE left(x.result, -1) || "
    f"',\"version\":' || ({_real('x.version')}) || '}}' END"
)

_RECORD_COLUMNS = (
    "tbl",
    "id",
    "scope_area",
    "commune_id",
    "household_id",
    "subject_id",
    "version",
    "deleted",
    "data",
    "meta",
    "updated_at",
)
_RECORD_VALUES = ", ".join(
    _real("x.version") if c == "version" else f"x.{c}" for c in _RECORD_COLUMNS
)
_RECORD_SET = ", ".join(
    f"{c} = {_real('x.version') if c == 'version' else f'x.{c}'}"
    for c in _RECORD_COLUMNS
    if c not in ("tbl", "id")
)
_HISTORY_COLUMNS = (
    "tbl",
    "row_id",
    "version",
    "op",
    "user_id",
    "client_id",
    "mutation_id",
    "at",
    "before",
    "after",
)
_CONFLICT_COLUMNS = (
    "id",
    "tbl",
    "row_id",
    "field",
    "winning_value",
    "losing_value",
    "winner_user",
    "loser_user",
    "winner",
    "created_at",
    "status",
    "commune_id",
    "resolved_value",
    "resolved_by",
    "resolved_at",
)


def _rows(table: str, param: str) -> str:
    return f"json_populate_recordset(NULL::{table}, %({param})s) x"


STATEMENT = f"""
WITH v AS (
    UPDATE server_state SET version = version + %(n)s
    WHERE id = 1 AND %(n)s > 0 RETURNING version - %(n)s AS base
), inserted AS (
    INSERT INTO records ({", ".join(_RECORD_COLUMNS)})
    SELECT {_RECORD_VALUES} FROM {_rows("records", "inserts")}
), updated AS (
    UPDATE records r SET {_RECORD_SET} FROM {_rows("records", "updates")}
    WHERE r.tbl = x.tbl AND r.id = x.id
), evicted AS (
    INSERT INTO evictions (scope_area, tbl, row_id, version)
    SELECT x.scope_area, x.tbl, x.row_id, {_real("x.version")} FROM {_rows("evictions", "evictions")}
    ON CONFLICT (scope_area, tbl, row_id) DO UPDATE SET version = EXCLUDED.version
), conflicted AS (
    INSERT INTO conflicts ({", ".join(_CONFLICT_COLUMNS)})
    SELECT {", ".join("x." + c for c in _CONFLICT_COLUMNS)} FROM {_rows("conflicts", "conflicts")}
), audited AS (
    INSERT INTO history ({", ".join(_HISTORY_COLUMNS)})
    SELECT {", ".join(_real("x.version") if c == "version" else "x." + c for c in _HISTORY_COLUMNS)}
    FROM {_rows("history", "history")}
), stored AS (
    INSERT INTO mutations (client_id, mutation_id, payload_hash, result, created_at)
    SELECT x.client_id, x.mutation_id, x.payload_hash, {_RESULT}, x.created_at
    FROM json_to_recordset(%(mutations)s) AS x(client_id text, mutation_id bigint,
        payload_hash text, result text, created_at float8, version bigint)
), advanced AS (
    UPDATE clients SET last_mutation_id = %(last_mutation_id)s WHERE id = %(client_id)s
), tallied AS (
    -- server.tallies: the coverage tallies' change. After the counter (the WHERE reads it):
    -- every push locks the counter first, so the tallies' rows are never waited for.
    INSERT INTO tallies AS t (hamlet_id, indicator, since, commune_id, eligible, covered)
    SELECT x.hamlet_id, x.indicator, x.since, x.commune_id, x.eligible, x.covered
    FROM {_rows("tallies", "tallies")} WHERE {BASE} IS NOT NULL
    ORDER BY x.hamlet_id, x.indicator, x.since
    ON CONFLICT (hamlet_id, indicator, since) DO UPDATE
    SET eligible = t.eligible + EXCLUDED.eligible, covered = t.covered + EXCLUDED.covered
)
SELECT {BASE}
"""


def write(
    conn: Connection,
    *,
    count: int,
    inserts: list[dict],
    updates: list[dict],
    evictions: list[dict],
    conflicts: list[dict],
    history: list[dict],
    mutations: list[dict],
    client_id: str | None,
    last_mutation_id: int | None,
    tallies: list[dict] | None = None,
    commit: bool = False,
) -> int:
    """Write everything; returns the base of the block of ``count`` versions (0 when none).

    ``commit``: end the transaction too, in the same round trip (nothing may be executed on
    ``conn`` afterwards; the caller's own commit then finds nothing to do).
    """
    params = {
        "n": count,
        "inserts": dumps(inserts),
        "updates": dumps(updates),
        "evictions": dumps(evictions),
        "conflicts": dumps(conflicts),
        "history": dumps(history),
        "mutations": dumps(mutations),
        "client_id": client_id or "",
        "last_mutation_id": last_mutation_id or 0,
        "tallies": dumps(tallies or []),
    }
    if not commit:
        return int(conn.exec_driver_sql(STATEMENT, params).scalar() or 0)
    return _write_and_commit(conn, params)


def _write_and_commit(conn: Connection, params: dict) -> int:
    """The statement and ``COMMIT`` in one pipeline: the counter's lock is released as soon
    as PostgreSQL is done, not when this thread next gets the interpreter lock (under a burst
    of pushes, dozens of threads want it, and every holder of the lock waited its turn)."""
    driver = conn.connection.driver_connection
    try:
        with driver.pipeline():
            cursor = driver.cursor()
            cursor.execute(STATEMENT, params)
            driver.commit()
            row = cursor.fetchone()
    except psycopg.Error as error:
        # As SQLAlchemy would raise it, so that run_transaction retries what is transient.
        raise sa.exc.DBAPIError.instance(STATEMENT, params, error, psycopg.Error) from error
    return int(row[0] or 0) if row else 0
