"""Filling a profile's store with the core's demo commune (``gocua demo``, "try with demo data")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from desktop.store import Store, bulk
from desktop.store.state_keys import USER_ID
from gocua import demo


def create_demo_profile(
    path: Path | str, households: int, seed: int = 1, today: dt.date | None = None
) -> demo.DemoCommune:
    """A store at ``path`` holding a demo commune, as if pulled by its team leader.

    Rows are loaded as synced (with versions, no outbox), the way a first pull would leave
    them. Refuses to write into a store that already holds households.
    """
    today = today or dt.date.today()
    commune = demo.generate(households, seed=seed, today=today)
    load_commune(path, commune, today)
    return commune


def load_commune(path: Path | str, commune: demo.DemoCommune, today: dt.date) -> None:
    """Write a generated commune into the store at ``path`` (see :func:`create_demo_profile`);
    the same rows ``server.admin.bulk_load`` gives the server."""
    store = Store.open(path)
    try:
        with store.write() as conn:
            if conn.exec_driver_sql("SELECT count(*) FROM households").scalar():
                raise FileExistsError(f"{path} already holds households")
            bulk.insert_areas(conn, commune.areas)
            bulk.insert_users(conn, commune.users)
            version = 1
            for table, rows in commune.rows().items():
                version = bulk.insert_synced(conn, table, rows, version, today)
            leader = next(u for u in commune.users if u["role"] == "leader")
            USER_ID.set(conn, leader["id"])
    finally:
        store.close()


def join_leaving_out(store: Store, plan, hamlet_id: str) -> None:
    """A profile made offline joined with ``hamlet_id`` left unmatched, and its rows held as
    the first sync leaves them (the server refuses a hamlet it does not have): what
    ``make screenshots`` shows in the list of rows not sent."""
    from desktop.sync.join import apply_join

    with store.write() as conn:
        apply_join(conn, plan, {hamlet_id: None})
        conn.exec_driver_sql(
            "UPDATE outbox SET state = 'held', result_status = 'rejected', result_code = "
            "CASE table_name WHEN 'households' THEN 'unknown_area' "
            "ELSE 'unknown_reference' END WHERE row_id IN (SELECT id FROM households "
            "WHERE hamlet_id = ? UNION SELECT p.id FROM persons p JOIN households h "
            "ON h.id = p.household_id WHERE h.hamlet_id = ? UNION SELECT v.id FROM "
            "visits v JOIN households h ON h.id = v.household_id WHERE h.hamlet_id = ?)",
            (hamlet_id, hamlet_id, hamlet_id),
        )
