"""Loading many rows at once (demo communes, first pulls): SQLAlchemy Core bulk inserts.

Core ``insert`` with a list of parameter sets is 2-3x faster than the ORM's bulk insert and
20x faster than ``add_all`` on this data (measured), and goes through the same triggers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, insert

from desktop.store.rows import local_columns
from desktop.store.schema import SYNCED_TABLES, Area, User
from gocua.protocol import FIELDS

CHUNK = 5000


def insert_areas(conn: Connection, areas: Iterable[dict]) -> None:
    rows = [{k: a[k] for k in ("id", "kind", "name", "parent_id")} for a in areas]
    if rows:
        conn.execute(insert(Area.__table__).prefix_with("OR REPLACE"), rows)


def insert_users(conn: Connection, users: Iterable[dict]) -> None:
    rows = [{k: u[k] for k in ("id", "display_name", "role")} for u in users]
    if rows:
        conn.execute(insert(User.__table__).prefix_with("OR REPLACE"), rows)


def insert_synced(
    conn: Connection, table: str, rows: list[dict], first_version: int, today: dt.date
) -> int:
    """Insert rows as already synced (``version`` set, no outbox); returns the next version."""
    t = SYNCED_TABLES[table]
    names = list(FIELDS[table])
    version = first_version
    for start in range(0, len(rows), CHUNK):
        batch = []
        for row in rows[start : start + CHUNK]:
            values = {name: row.get(name) for name in names}
            batch.append({"id": row["id"], **values, **local_columns(table, values, today),
                          "version": version, "deleted": False})  # fmt: skip
            version += 1
        # Rows without a derived column still need the key present for executemany.
        if table == "support_items":
            for values in batch:
                values["state_since"] = today.isoformat()
        conn.execute(insert(t), batch)
    return version
