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
