"""Short labels for synced rows and users, as the sync panels show them (a person's name, a
household's address...): the reads of desktop.ui.sync_labels and the conflicts panel."""

from __future__ import annotations

from sqlalchemy import Connection, select

from desktop.store.schema import SYNCED_TABLES, User


def describe_rows(conn: Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """A short human label per (table, row id); the id's start when the row is not here."""
    out: dict[tuple[str, str], str] = {}
    wanted: dict[str, set[str]] = {}
    for table, row_id in keys:
        wanted.setdefault(table, set()).add(row_id)
    for table, ids in wanted.items():
        t = SYNCED_TABLES.get(table)
        if t is None:
            continue
        if table == "persons":
            query = select(t.c.id, t.c.full_name)
        elif table == "households":
            query = select(t.c.id, t.c.address)
        elif table == "support_items":
            query = select(t.c.id, t.c.item_code)
        elif table == "visits":
            query = select(t.c.id, t.c.visited_at)
        else:
            query = select(t.c.id, t.c.indicator_code)
        for row_id, label in conn.execute(query.where(t.c.id.in_(sorted(ids)))):
            out[(table, row_id)] = str(label)
    for table, row_id in keys:
        out.setdefault((table, row_id), row_id[:8])
    return out


def user_names(conn: Connection) -> dict[str, str]:
    users = User.__table__
    return dict(conn.execute(select(users.c.id, users.c.display_name)).all())


def labels_and_names(
    conn: Connection, keys: list[tuple[str, str]]
) -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    """Both, in one read."""
    return describe_rows(conn, keys), user_names(conn)
