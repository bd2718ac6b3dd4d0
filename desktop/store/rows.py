"""Reading and writing synced rows, and the outbox entry that goes with every local write.

The services call :func:`record_upsert` / :func:`record_delete` inside their transaction, so a
domain row never exists without its mutation, nor a mutation without its row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, insert, select, update

from desktop.store.schema import SYNCED_TABLES, OutboxMutation
from gocua.protocol import FIELDS
from gocua.validation import birth_year_of

OUTBOX = OutboxMutation.__table__
# Outbox states of local changes the server does not have yet: queued, or held back by a cause
# the device can fix (desktop.sync.held).
UNSENT = ("pending", "held")


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def local_columns(table: str, fields: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """Columns the store derives from wire fields (never sent)."""
    extra: dict[str, Any] = {}
    if table == "persons" and "birth_date" in fields:
        extra["birth_year"] = birth_year_of(fields["birth_date"])
    if table == "support_items" and "state" in fields:
        extra["state_since"] = today.isoformat()
    return extra


def fetch_row(conn: Connection, table: str, row_id: str) -> dict[str, Any] | None:
    """The wire fields of a row plus ``version`` and ``deleted``; ``None`` if absent."""
    t = SYNCED_TABLES[table]
    columns = [t.c[name] for name in FIELDS[table]] + [t.c.version, t.c.deleted]
    row = conn.execute(select(*columns).where(t.c.id == row_id)).mappings().first()
    return dict(row) if row else None


def append_outbox(
    conn: Connection,
    hlc: str,
    table: str,
    row_id: str,
    op: str,
    base_version: int,
    fields: dict[str, Any],
) -> int:
    result = conn.execute(
        insert(OUTBOX).values(
            hlc=hlc,
            table_name=table,
            row_id=row_id,
            op=op,
            base_version=base_version,
            fields=fields,
            created_at=now_utc(),
            state="pending",
        )
    )
    return int(result.inserted_primary_key[0])


def record_upsert(
    conn: Connection,
    hlc: str,
    table: str,
    row_id: str,
    fields: dict[str, Any],
    current: dict[str, Any] | None,
    today: dt.date,
) -> int | None:
    """Write validated fields locally and queue the mutation; ``None`` when nothing changed.

    ``current`` is :func:`fetch_row`'s answer read in the same transaction. A created row sends
    every field (so the server can create it whole); an edit sends only what changed.
    """
    t = SYNCED_TABLES[table]
    if current is None or current["deleted"]:
        row = {name: fields.get(name, default) for name, default in FIELDS[table].items()}
        values = {**row, **local_columns(table, row, today), "updated_hlc": hlc}
        if current is None:
            conn.execute(insert(t).values(id=row_id, version=0, deleted=False, **values))
            base_version = 0
        else:
            conn.execute(update(t).where(t.c.id == row_id).values(deleted=False, **values))
            base_version = current["version"]
        return append_outbox(conn, hlc, table, row_id, "upsert", base_version, row)
    changed = {name: value for name, value in fields.items() if current.get(name) != value}
    if not changed:
        return None
    values = {**changed, **local_columns(table, changed, today), "updated_hlc": hlc}
    conn.execute(update(t).where(t.c.id == row_id).values(**values))
    if current["version"] == 0 and not _creation_in_play(conn, row_id):
        # The server never took this row (its creation was refused or held): an edit alone
        # would be refused for the fields it lacks, so the row goes whole again.
        whole = {name: {**current, **changed}[name] for name in FIELDS[table]}
        return append_outbox(conn, hlc, table, row_id, "upsert", 0, whole)
    return append_outbox(conn, hlc, table, row_id, "upsert", current["version"], changed)


def _creation_in_play(conn: Connection, row_id: str) -> bool:
    """Whether an upsert of the row is queued or was accepted by the server."""
    found = conn.exec_driver_sql(
        "SELECT 1 FROM outbox WHERE row_id = ? AND op = 'upsert' "
        "AND state IN ('pending', 'acked') LIMIT 1",
        (row_id,),
    )
    return found.first() is not None


def record_delete(
    conn: Connection, hlc: str, table: str, row_id: str, current: dict[str, Any]
) -> int:
    t = SYNCED_TABLES[table]
    conn.execute(update(t).where(t.c.id == row_id).values(deleted=True, updated_hlc=hlc))
    return append_outbox(conn, hlc, table, row_id, "delete", current["version"], {})


# Read a dozen times per sync round: plain statements through the driver (the profile's own
# bookkeeping, ``sync_state``, is read and written through desktop.store.state_keys).
_PENDING_COUNT = "SELECT count(*) FROM outbox WHERE state = 'pending'"
_ANY_PENDING = "SELECT 1 FROM outbox WHERE state = 'pending' LIMIT 1"
_ANY_UNSENT = "SELECT 1 FROM outbox WHERE state IN ('pending', 'held') LIMIT 1"


def pending_count(conn: Connection) -> int:
    return int(conn.exec_driver_sql(_PENDING_COUNT).scalar_one())


def has_pending(conn: Connection) -> bool:
    return conn.exec_driver_sql(_ANY_PENDING).first() is not None


def has_unsent(conn: Connection) -> bool:
    """Queued or held changes: local values the server does not have."""
    return conn.exec_driver_sql(_ANY_UNSENT).first() is not None
