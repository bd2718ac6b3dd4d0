"""Engines and transactions for PostgreSQL and SQLite, and which failures are transient.

SQLite: pysqlite's own transaction handling is switched off so that a push can start with
``BEGIN IMMEDIATE`` (the write lock is taken up front, so pushes commit in the order they got
their versions); reads use a plain ``BEGIN`` and, in WAL mode, never wait for a writer.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url

T = TypeVar("T")
RETRIES = 6


class Unavailable(Exception):
    """The database is unreachable or kept failing transiently: answer 503."""


def normalise_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (the only PostgreSQL driver we install)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def is_sqlite(engine_or_url: Engine | str) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.get_backend_name() == "sqlite"


def create_engine(url: str, pool_size: int = 10) -> Engine:
    url = normalise_url(url)
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _sqlite_transactions(engine)
        return engine
    # No pre-ping (a round trip per checkout): a dropped connection fails its transaction
    # as "invalidated", which run_transaction retries on a fresh one.
    return sa.create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=3600)


WAL_CHECKPOINT_PAGES = 10_000


def _sqlite_transactions(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        # Checkpoint every ~40 MB of WAL instead of every 4 MB: a push of 500 creates rewrites
        # the same index pages many times over, and each checkpoint copied them back and
        # synced the file again. Push of 500: 115 -> 95 ms (measured).
        cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection):
        immediate = conn.get_execution_options().get("immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_transient(error: BaseException) -> bool:
    """Deadlocks, serialization failures, lost connections, a busy SQLite file."""
    if isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated:
        return True
    orig = getattr(error, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate:
        # 40001 serialization, 40P01 deadlock, 55P03 lock timeout, 57P01 admin shutdown,
        # 08xxx connection exceptions, 53xxx out of resources, 23505 a racing insert of one key.
        return sqlstate in {"40001", "40P01", "55P03", "57P01", "23505"} or sqlstate[:2] in {
            "08",
            "53",
        }
    # SQLite "database is locked", PostgreSQL connection refused.
    return isinstance(error, sa.exc.OperationalError)


def run_transaction(
    engine: Engine,
    work: Callable[[Connection], T],
    *,
    immediate: bool = True,
    autocommit: bool = False,
) -> T:
    """Run ``work`` in one transaction, retrying it whole on a transient failure.

    On SQLite a transaction that may write starts with ``BEGIN IMMEDIATE``: a deferred one
    that reads first and writes later fails at once (not after the busy timeout) when another
    writer committed in between. ``autocommit`` (PostgreSQL only): no transaction at all.
    """
    delay = 0.01
    for attempt in range(RETRIES):
        try:
            with connect(engine, immediate=immediate, autocommit=autocommit) as conn, conn.begin():
                return work(conn)
        except sa.exc.DBAPIError as error:
            if not is_transient(error):
                raise
            if attempt == RETRIES - 1:
                raise Unavailable(str(error.orig or error)) from error
            time.sleep(delay)
            delay = min(delay * 3, 0.5)
    raise AssertionError("unreachable")


@contextlib.contextmanager
def connect(
    engine: Engine, *, immediate: bool = False, autocommit: bool = False
) -> Iterator[Connection]:
    try:
        conn = engine.connect()
    except sa.exc.DBAPIError as error:
        raise Unavailable(str(error.orig or error)) from error
    except sa.exc.TimeoutError as error:  # every pooled connection busy for 30 s
        raise Unavailable(str(error)) from error
    with conn:
        if immediate and is_sqlite(engine):
            conn = conn.execution_options(immediate=True)
        elif autocommit and not is_sqlite(engine):
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        yield conn


def read(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Read-only work (retried like a write, since reads can lose connections too).

    On PostgreSQL without a transaction: under READ COMMITTED, the default, every statement
    takes its own snapshot inside a transaction too, so ``BEGIN`` and ``COMMIT`` bought
    nothing but two round trips of every pull (a fifth of a no-op pull's time in the
    database). SQLite keeps its ``BEGIN``: there a transaction is one snapshot.
    """
    return run_transaction(engine, work, immediate=False, autocommit=True)
