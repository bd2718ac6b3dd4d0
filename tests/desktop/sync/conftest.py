"""Fixtures of the sync client tests: the REAL server as a subprocess, devices with profiles.

``server`` is the real server (``python -m server.cli serve``) on 127.0.0.1 over a fresh copy of
the standard world of :mod:`tests.server.world` (areas ``C1-A``/``C1-B``/``C1-C``, users
``vol_a``/``vol_a2``/``vol_a3`` in hamlet A, ``vol_b``, ``leader``), on SQLite (``server``) or
on each backend (``any_server``, PostgreSQL marked ``postgres``). ``device("vol_a")`` is one
laptop: its own profile database, services and sync session, signed in.

No test touches a real keyring: an in-memory backend is installed for every test (the
no-keyring path installs keyring's failing backend itself).
"""

from __future__ import annotations

import itertools
import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desktop.services import Services
from desktop.store import Store
from desktop.store.rows import OUTBOX
from desktop.store.schema import SYNCED_TABLES
from desktop.store.state_keys import StateKey
from desktop.sync.apply import local_checksums
from desktop.sync.client import SyncClient
from desktop.sync.engine import SyncEngine, SyncReport
from desktop.sync.session import SyncSession
from gocua.protocol import FIELDS, TABLES
from tests.server.world import PASSWORD, prepare_world
from tests.support.keyring_memory import MemoryKeyring, memory_keyring  # noqa: F401
from tests.support.postgres import start_or_skip
from tests.support.server_process import ServerProcess

_names = itertools.count()


@pytest.fixture(autouse=True)
def _memory_keyring(memory_keyring: MemoryKeyring) -> MemoryKeyring:  # noqa: F811 - the shared fixture
    """Every test here runs against an in-memory keyring (tests/support/keyring_memory.py)."""
    return memory_keyring


# -- the server -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sync_pg_cluster():
    cluster = start_or_skip()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def sync_pg_template(sync_pg_cluster) -> str:
    sync_pg_cluster.create_template("gocua_sync_template", prepare_world)
    return "gocua_sync_template"


@pytest.fixture(scope="session")
def world_sqlite(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sync-world") / "world.sqlite"
    prepare_world(f"sqlite:///{path}")
    return path


def _database(request, backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        path = tmp_path / f"server-{next(_names)}.sqlite"
        shutil.copy(request.getfixturevalue("world_sqlite"), path)
        yield f"sqlite:///{path}"
        return
    cluster = request.getfixturevalue("sync_pg_cluster")
    template = request.getfixturevalue("sync_pg_template")
    name = f"sync_{next(_names)}"
    url = cluster.create_database(name, template=template)
    yield url
    cluster.drop_database(name)


@pytest.fixture
def server_db(request, tmp_path) -> Iterator[str]:
    """A fresh SQLite database with the standard world."""
    yield from _database(request, "sqlite", tmp_path)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_server_db(request, tmp_path) -> Iterator[str]:
    """A fresh database with the standard world, on each backend."""
    yield from _database(request, request.param, tmp_path)


@pytest.fixture
def server(server_db) -> Iterator[ServerProcess]:
    with ServerProcess(server_db) as process:
        yield process


@pytest.fixture
def any_server(any_server_db) -> Iterator[ServerProcess]:
    with ServerProcess(any_server_db) as process:
        yield process


# -- devices --------------------------------------------------------------------------------


class Device:
    """One laptop: a profile database, the services on it and a sync session."""

    def __init__(self, url: str, path: Path, username: str, password: str = PASSWORD):
        self.url, self.path, self.username, self.password = url, path, username, password
        self.store = Store.open(path)
        self.services = Services(self.store)
        self.session = SyncSession(self.store)

    def sign_in(self, password: str | None = None):
        return self.session.sign_in(self.url, self.username, password or self.password)

    def sync(self, **kwargs: Any) -> SyncReport:
        """A sync through the session (backoff without real sleeping)."""
        kwargs.setdefault("sleep", lambda seconds: None)
        return self.session.sync(**kwargs)

    def client(self, url: str | None = None, timeout: float = 10.0) -> SyncClient:
        return SyncClient(url or self.url, self.session.token(), timeout=timeout)

    def engine_sync(self, url: str | None = None, timeout: float = 10.0, **kwargs) -> SyncReport:
        """One round of the engine alone (no retries), optionally through another address."""
        client = self.client(url, timeout)
        try:
            return SyncEngine(self.store, client, **kwargs).sync()
        finally:
            client.close()

    def rows(self) -> dict[str, dict[str, dict]]:
        """Live synced rows: ``{table: {id: {wire fields..., "version"}}}``."""
        out: dict[str, dict[str, dict]] = {}
        with self.store.read() as conn:
            for table in TABLES:
                t = SYNCED_TABLES[table]
                columns = [t.c.id, *(t.c[name] for name in FIELDS[table]), t.c.version]
                query = select(*columns).where(t.c.deleted.is_(False))
                out[table] = {r["id"]: _norm(dict(r)) for r in conn.execute(query).mappings()}
        return out

    def outbox_states(self) -> Counter:
        with self.store.read() as conn:
            return Counter(conn.execute(select(OUTBOX.c.state)).scalars())

    def outbox(self) -> list[dict]:
        with self.store.read() as conn:
            return [dict(r) for r in conn.execute(select(OUTBOX).order_by(OUTBOX.c.id)).mappings()]

    def checksums(self) -> dict[str, dict]:
        with self.store.read() as conn:
            return local_checksums(conn)

    def state(self, key: StateKey):
        with self.store.read() as conn:
            return key.get(conn)

    def server_summary(self) -> dict:
        client = self.client()
        try:
            return client.summary()
        finally:
            client.close()

    def close(self) -> None:
        self.store.close()


def _norm(row: dict) -> dict:
    row = {k: v for k, v in row.items() if k != "id"}
    if "percent" in row and row["percent"] is not None:
        row["percent"] = float(row["percent"])
    if "items" in row:
        row["items"] = sorted(row["items"], key=lambda i: (i["subject_id"], i["item_code"]))
    return row


def server_rows(url: str, username: str = "leader", password: str = PASSWORD) -> dict:
    """What the server holds in ``username``'s scope: a fresh device's full pull."""
    client = SyncClient(url)
    try:
        client.login(username, password, "inspector")
        client_id = client.hello(None)["client_id"]
        out: dict[str, dict[str, dict]] = {table: {} for table in TABLES}
        cursor = None
        while True:
            page = client.pull(client_id, cursor, 5000)
            for change in page["changes"]:
                assert change["op"] == "upsert", change  # a null cursor sends no tombstones
                row = {name: change["row"].get(name) for name in FIELDS[change["table"]]}
                out[change["table"]][change["id"]] = _norm({**row, "version": change["version"]})
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return out
    finally:
        client.close()


def assert_converged(device: Device, expected: dict | None = None) -> dict:
    """No unsent work; the device's rows equal the server's (by default: a fresh full pull by
    the same user), held rows aside; the summary checksums agree. Returns the server's rows."""
    states = device.outbox_states()
    assert states.get("pending", 0) == 0, states
    summary = device.server_summary()
    assert summary["tables"] == device.checksums()
    if expected is None:
        expected = server_rows(device.url, device.username, device.password)
    got = device.rows()
    # Held rows wait on the device for a cause it can fix (desktop.sync.held): not on the
    # server, or not as the device has them.
    held = {m["row_id"] for m in device.outbox() if m["state"] == "held"}
    for table in TABLES:
        mine = {i: row for i, row in got[table].items() if i not in held}
        theirs = expected[table]
        diff = {
            i: (mine.get(i), theirs.get(i))
            for i in mine.keys() | theirs.keys()
            if mine.get(i) != theirs.get(i)
        }
        assert not diff, f"{device.username}: {table} differ (device, server): {diff}"
    return expected


@pytest.fixture
def device(tmp_path) -> Iterator:
    """A factory: ``device(server, "vol_a")`` is a new profile signed in (and synced once)."""
    made: list[Device] = []

    def make(
        server: ServerProcess | str,
        username: str,
        *,
        sign_in: bool = True,
        sync: bool = True,
        password: str = PASSWORD,
    ) -> Device:
        url = server if isinstance(server, str) else server.base_url
        path = tmp_path / f"{username}-{next(_names)}.db"
        dev = Device(url, path, username, password)
        made.append(dev)
        if sign_in:
            dev.sign_in()
            if sync:
                dev.sync()
        return dev

    yield make
    for dev in made:
        dev.close()


@pytest.fixture
def fifty_households(server, device) -> Device:
    """The leader's device after importing and syncing 50 households of one member in C1-A
    (vol_a's hamlet: 100 rows for vol_a's first pull)."""
    leader = device(server, "leader")
    leader.services.import_households(
        [
            {"hamlet_id": "C1-A", "address": f"Số {n}", "members": [{"full_name": f"Bà {n}"}]}
            for n in range(50)
        ]
    )
    leader.sync()
    return leader


def index_sql(path: Path) -> dict[str, str]:
    """A profile's own indexes (name: SQL; SQLite's automatic ones left out), read through a
    connection of their own: what another process sees."""
    with sqlite3.connect(path) as conn:
        found = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        ).fetchall()
    return dict(found)
