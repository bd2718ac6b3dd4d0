"""Opening a profile's SQLite file: pragmas, SQL functions, migrations with a backup first.

Every connection gets WAL, foreign keys, a busy timeout, and the SQL functions the search
triggers call (``gocua_fold``, ``gocua_digits``), so writes from any code path keep the
full-text index right. Writes take ``BEGIN IMMEDIATE`` so the GUI and the sync thread never
deadlock upgrading a read lock; reads take a plain ``BEGIN``.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text

from gocua.text import fold

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BACKUPS_KEPT = 3


class StoreError(Exception):
    """A problem opening the profile's database, explained for the user."""


class DatabaseTooNew(StoreError):
    pass


class NotADatabase(StoreError):
    pass


def search_digits(phone: str | None, cccd: str | None) -> str:
    """The digits a person is found by: phone as typed, CCCD reversed (for "last digits")."""
    parts = []
    if phone:
        parts.append(phone)
    if cccd:
        parts.append("r" + cccd[::-1])
    return " ".join(parts)


def _on_connect(dbapi_connection: sqlite3.Connection, _record) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's implicit BEGIN is broken
    # for SAVEPOINT and for choosing IMMEDIATE).
    dbapi_connection.isolation_level = None
    dbapi_connection.create_function("gocua_fold", 1, fold, deterministic=True)
    dbapi_connection.create_function("gocua_digits", 2, search_digits, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def _on_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get("immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(path: Path | str) -> Engine:
    engine = create_engine(f"sqlite:///{Path(path)}", future=True)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _check_sqlite_file(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    with open(path, "rb") as fh:
        header = fh.read(16)
    if header != b"SQLite format 3\x00":
        raise NotADatabase(
            f"Tệp {path.name} không phải cơ sở dữ liệu của Gõ Cửa (hoặc đã bị hỏng). "
            f"/ {path.name} is not a Gõ Cửa database (or it is damaged)."
        )


def backup_file(path: Path, label: str) -> Path:
    """A consistent copy (SQLite's online backup, WAL included) next to the database."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.backup-{label}-{stamp}{path.suffix}")
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        dest.close()
    finally:
        source.close()
    old = sorted(path.parent.glob(f"{path.stem}.backup-*{path.suffix}"))
    for stale in old[:-BACKUPS_KEPT]:
        stale.unlink(missing_ok=True)
    return target


def migrate(engine: Engine, path: Path) -> Path | None:
    """Bring the file to the app's schema; returns the backup made first, if any."""
    head = head_revision()
    current = current_revision(engine)
    if current == head:
        return None
    script = ScriptDirectory.from_config(_alembic_config())
    if current is not None and script.get_revision(current) is None:
        raise DatabaseTooNew(
            "Dữ liệu này được tạo bởi phiên bản Gõ Cửa mới hơn. Hãy cập nhật ứng dụng. "
            "/ This data was written by a newer version of Gõ Cửa; please update the app."
        )
    backup = None
    if current is not None or _has_tables(engine):
        backup = backup_file(path, current or "unversioned")
        log.info("backed up %s to %s before migrating from %s", path, backup, current)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
    return backup


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar())


class Store:
    """One profile's database. Thread-safe: each unit of work takes its own connection."""

    def __init__(self, path: Path | str, engine: Engine):
        self.path = Path(path)
        self.engine = engine
        self.last_backup: Path | None = None

    @classmethod
    def open(cls, path: Path | str, *, migrate_schema: bool = True) -> Store:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        _check_sqlite_file(path)
        engine = make_engine(path)
        store = cls(path, engine)
        try:
            if migrate_schema:
                store.last_backup = migrate(engine, path)
        except sqlite3.DatabaseError as exc:  # pragma: no cover - damaged file
            engine.dispose()
            raise NotADatabase(f"{path.name}: {exc}") from exc
        except BaseException:
            engine.dispose()
            raise
        return store

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back on any exception."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(immediate=True)
            with conn.begin():
                yield conn

    def close(self) -> None:
        self.engine.dispose()
