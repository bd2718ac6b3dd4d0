"""Secondary indexes set aside while a first pull fills an empty profile, built again at its end.

A first pull inserts ~142,000 rows with random UUID keys: each secondary index of the big
tables was updated at scattered places, page after page, and the support items' coverage
index a second time when their facts were filled. Building an index once over a full table
sorts instead. Interleaved first pulls of a 20,000-person commune: 13.9 -> 11.8 s (medians
of 4, building the indexes, ~1 s, included).

What was dropped is written to ``sync_state`` in the same transaction as the drop, so it is
never lost: the pull builds the indexes again when it ends, however it ends (done, cancelled,
failed), and :func:`restore` runs whenever a profile opens, so a process killed in the middle
of a pull leaves a profile that is whole again the next time it is opened. Without them the
store is still correct, only slower to query.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine

from desktop.store.state_keys import DEFERRED_INDEXES, table_exists

# The tables a first pull fills. Unique indexes stay: they are constraints, not just speed.
TABLES = ("households", "persons", "support_items", "visits")
_DEFERRABLE = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
    f"AND tbl_name IN ({', '.join('?' * len(TABLES))}) "
    "AND upper(sql) NOT LIKE 'CREATE UNIQUE%' ORDER BY name"
)


def defer(conn: Connection) -> list[str]:
    """Drop the deferrable indexes inside ``conn``'s transaction; returns their names.
    Indexes already deferred stay so (their record is kept and extended, never replaced)."""
    driver = conn.connection.driver_connection
    found = driver.execute(_DEFERRABLE, TABLES).fetchall()
    if not found:
        return []
    saved = _saved(conn) + [[name, sql] for name, sql in found]
    DEFERRED_INDEXES.set(conn, saved)
    for name, _ in found:
        driver.execute(f'DROP INDEX "{name}"')
    return [name for name, _ in found]


def restore_in(conn: Connection) -> list[str]:
    """Build every deferred index again inside ``conn``'s transaction; returns their names."""
    saved = _saved(conn)
    if not saved:
        return []
    driver = conn.connection.driver_connection
    present = {row[0] for row in driver.execute("SELECT name FROM sqlite_master")}
    for name, sql in saved:
        if name not in present:
            driver.execute(sql)
    DEFERRED_INDEXES.set(conn, None)
    return [name for name, _ in saved]


def restore(engine: Engine) -> list[str]:
    """:func:`restore_in` in a write transaction of its own, for a profile being opened (a
    quick read first: almost always there is nothing to do)."""
    with engine.connect() as conn:
        with conn.begin():
            if not table_exists(conn) or not is_deferred(conn):
                return []
        with conn.execution_options(immediate=True).begin():
            return restore_in(conn)


def is_deferred(conn: Connection) -> bool:
    return DEFERRED_INDEXES.get(conn) is not None


def _saved(conn: Connection) -> list[list[str]]:
    return DEFERRED_INDEXES.get(conn) or []
