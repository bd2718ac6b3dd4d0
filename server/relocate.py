"""Households moved to another hamlet by the server itself (a hamlet merged or split).

Each household's ``hamlet_id`` is written as a server-made change with a new global version,
like a leader's resolution of a conflict (:func:`server.merge.server_written`); every row that
belongs to the household (persons, support items, visits) takes the same version and the new
scope, and an eviction is recorded for the hamlet each row left, exactly as a device's move
does in :mod:`server.push`. Devices that lose the hamlet then pull ``evict``, devices that gain
it pull ``upsert`` (SYNC.md "Scope").
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gocua import hlc as hlc_mod
from server.merge import server_written
from server.models import records_t
from server.store import Changes, RowState, load_rows

_CHUNK = 500  # ids per IN list


def hold_pushes(conn: Connection) -> None:
    """Make a hamlet's households stand still until this transaction commits (PostgreSQL).

    A push decides where a new household goes (and whether its hamlet is retired) after it
    has locked rows of ``records``, which takes the table's ROW SHARE lock. EXCLUSIVE mode
    waits for every push in flight to commit and holds new ones until this transaction has
    committed, so no push can add a household to a hamlet this transaction is emptying and
    retiring. Pulls and other reads go on (they take ACCESS SHARE only). Merges are rare; the
    pushes pay nothing for this. SQLite needs nothing: every write transaction there begins
    with BEGIN IMMEDIATE, which already serialises writers."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("LOCK TABLE records IN EXCLUSIVE MODE")


def live_households(conn: Connection, hamlet_id: str) -> list[str]:
    r = records_t.c
    query = (
        sa.select(r.id)
        .where(r.scope_area == hamlet_id, r.tbl == "households", r.deleted.is_(False))
        .order_by(r.id)
    )
    return list(conn.execute(query).scalars())


def move_households(
    conn: Connection,
    clock: hlc_mod.Clock,
    household_ids: list[str],
    hamlet_id: str,
    commune_id: str,
    user_id: str | None,
) -> int:
    """Move these live households (and all that belongs to them) to ``hamlet_id``; returns
    how many moved. The caller has checked they are live households of the commune."""
    changes = Changes()
    stamp = clock.now()
    groups: dict[str, list[RowState]] = defaultdict(list)
    for start in range(0, len(household_ids), _CHUNK):
        chunk = household_ids[start : start + _CHUNK]
        for row in load_rows(conn, records_t.c.household_id.in_(chunk)):
            groups[row.household_id].append(row)
    moved = 0
    for household_id in household_ids:
        group = groups.get(household_id, [])
        head = next((r for r in group if r.tbl == "households" and r.id == household_id), None)
        if head is None or head.deleted or head.data["hamlet_id"] == hamlet_id:
            continue
        version = changes.next_version()
        before = head.data["hamlet_id"]
        head.data = {**head.data, "hamlet_id": hamlet_id}
        server_written(
            head.tbl, head.data, head.meta, ["hamlet_id"], version=version, hlc=stamp, user=user_id
        )
        changes.audit(
            head,
            version,
            "move",
            {"hamlet_id": before},
            {"hamlet_id": hamlet_id},
            user=user_id,
            client=None,
            mutation=None,
        )
        for row in group:
            if row.scope_area != hamlet_id:
                changes.evict(row.scope_area, row, version)
            row.scope_area, row.commune_id = hamlet_id, commune_id
            changes.touch(row, version)
        moved += 1
    changes.flush(conn)
    return moved
