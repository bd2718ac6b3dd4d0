"""The profile's bookkeeping (the ``sync_state`` table): every key named once, with its type.

Code reads and writes a key through its :class:`StateKey` (``USER_ID.get(conn)``,
``CURSOR.set(conn, cursor)``), never by a string: a typo is an import error rather than a value
silently missing, and each value is turned to and from text one way. The text stored is what
the keys held before they were typed, so existing profiles read the same. Setting ``None``
clears a key. tests/test_layering.py checks that no code outside this module names a key of
``sync_state`` in a literal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection

T = TypeVar("T")

# Read and written a dozen times per sync round: plain statements through the driver (building
# and compiling an expression each time cost a no-op sync ~30 ms here).
_GET = "SELECT value FROM sync_state WHERE key = ?"
# An equal value is left unwritten: a sync that changes nothing then commits nothing.
_SET = (
    "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) "
    "DO UPDATE SET value = excluded.value WHERE value IS NOT excluded.value"
)
_TABLE = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_state'"


@dataclass(frozen=True)
class StateKey(Generic[T]):
    name: str
    kind: str  # "text", "int", "list" (comma-separated text), "json"
    _encode: Callable[[Any], str]
    _decode: Callable[[str], Any]

    def get(self, conn: Connection) -> T | None:
        # Straight on the sqlite3 connection, inside ``conn``'s transaction (BEGIN was sent
        # when it began): 5 us against SQLAlchemy's 60 us for a statement that is all overhead.
        row = conn.connection.driver_connection.execute(_GET, (self.name,)).fetchone()
        return None if row is None or row[0] is None else self._decode(row[0])

    def set(self, conn: Connection, value: T | None) -> None:
        stored = None if value is None else self._encode(value)
        conn.connection.driver_connection.execute(_SET, (self.name, stored))


KEYS: dict[str, StateKey] = {}


def _key(name: str, kind: str, encode: Callable[[Any], str], decode: Callable[[str], Any]):
    if name in KEYS:
        raise ValueError(f"sync_state key {name!r} named twice")
    key = StateKey(name, kind, encode, decode)
    KEYS[name] = key
    return key


def _text(name: str) -> StateKey[str]:
    return _key(name, "text", str, str)


def _int(name: str) -> StateKey[int]:
    return _key(name, "int", str, int)


def _list(name: str) -> StateKey[list[str]]:
    """Sorted values joined by commas (``""``: an empty list, not a missing one)."""
    return _key(name, "list", lambda v: ",".join(sorted(v)), lambda t: t.split(",") if t else [])


def _json(name: str) -> StateKey[Any]:
    return _key(name, "json", json.dumps, json.loads)


# -- who and which device (desktop.store.identity) ----------------------------------------------
USER_ID = _text("user_id")  # the signed-in user (from the server)
LOCAL_USER_ID = _text("local_user_id")  # before the first sign-in: a stable id of the profile
CLIENT_ID = _text("client_id")  # this device on the server
HLC_NODE = _text("hlc_node")  # the clock's node before the server gave a client id
HLC_LAST = _text("hlc_last")  # the last HLC stamp issued
# Outbox id minus this is the wire mutation id (mutations purged before an epoch change are not
# numbered again: desktop.sync.engine).
MUTATION_OFFSET = _int("mutation_offset")

# -- the sync engine (desktop.sync.engine) ---------------------------------------------------------
EPOCH = _text("epoch")  # the server's epoch as last seen
CURSOR = _text("cursor")  # where the next pull starts
FULL_PULL = _text("full_pull_in_progress")  # a full pull's mode while it runs (engine.MARKING...)
LAST_SYNC_AT = _text("last_sync_at")  # ISO 8601 UTC, when the last sync ended
SCOPE_HAMLETS = _list("scope_hamlets")  # the user's hamlets at the last hello (leaders: [])
PULL_RATE = _int("pull_rows_per_second")  # the last pull's measured rate, to size the next's pages
# What the last hello answered, which a sync with nothing new takes up instead of saying hello
# again (desktop.sync.engine.SyncEngine.resume): the server's extensions and directory digest,
# the app version that said it, and when.
HELLO_EXTENSIONS = _list("hello_extensions")
HELLO_DIRECTORY = _text("hello_directory")
HELLO_APP_VERSION = _text("hello_app_version")
HELLO_AT = _text("hello_at")
# Rows that left the scope but were kept for their unsent changes, as [table, id] pairs (the key
# predates desktop.sync.held, whose "held" rows are another thing).
HELD_ROWS = _json("held_rows")

# -- signing in and joining (desktop.sync.session, desktop.sync.join, desktop.store.areas) ----------
SERVER_URL = _text("server_url")
USERNAME = _text("username")
COMMUNE_ID = _text("commune_id")  # the server commune this profile belongs to
ACCEPTED_COMMUNE = _text("accepted_commune")  # a differently named commune the user accepted

# -- the store itself -------------------------------------------------------------------------------
# Secondary indexes set aside by a first pull, as [name, sql] pairs (desktop.store.deferred_indexes).
DEFERRED_INDEXES = _json("deferred_indexes")


def table_exists(conn: Connection) -> bool:
    """Whether the profile has its ``sync_state`` table yet (not before the first migration)."""
    return conn.exec_driver_sql(_TABLE).first() is not None
