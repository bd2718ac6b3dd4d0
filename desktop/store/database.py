"""Opening a profile's SQLite file: pragmas, SQL functions, migrations with a backup first.

Every connection gets WAL, foreign keys, a busy timeout, and the SQL functions the search
triggers call (``gocua_fold``, ``gocua_digits``), so writes from any code path keep the
full-text index right (and ``gocua_key``, gocua.text.match_key, that groups likely duplicates).
Writes take ``BEGIN IMMEDIATE`` so the GUI and the sync thread never deadlock upgrading a read
lock; reads take a plain ``BEGIN``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy import exc as sa_exc

from desktop.store import deferred_indexes, encryption
from gocua.text import fold, match_key

log = logging.getLogger(__name__)
T = TypeVar("T")
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
    dbapi_connection.create_function("gocua_key", 1, match_key, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # 64 MiB per connection: a connection that serves both search (~20 MB of the full-text
    # index) and coverage (~25 MB of its index on 100,000 persons) must hold both, or an
    # encrypted profile decrypts the evicted pages again on every refresh (2.3x slower than
    # clear at 48 MiB, 2.6x at 16). The app stays under 300 MB with it (measured ~276 MB
    # after the follow-ups tab, searches and coverage runs).
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA temp_store=MEMORY")
    # Checkpoint every ~40 MB of WAL, not every 4 MB: a first pull rewrites the same index
    # pages page after page, and each checkpoint copied them back and synced the file (first
    # pull of 141,960 rows: 10.9 -> 9.9 s, measured). Backups checkpoint before they copy.
    cursor.execute("PRAGMA wal_autocheckpoint=10000")
    cursor.close()


def _on_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get("immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(path: Path | str, passphrase: str | None = None) -> Engine:
    """An engine on the file; with a passphrase, on SQLCipher, keyed before anything else."""
    if passphrase is None:
        engine = create_engine(f"sqlite:///{Path(path)}", future=True)
    else:
        engine = create_engine(f"sqlite:///{Path(path)}", module=encryption.sqlcipher_dbapi())
        event.listen(
            engine, "connect", lambda dbapi_conn, _rec: encryption.apply_key(dbapi_conn, passphrase)
        )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _alembic_config(connection: Connection | None = None):
    # Alembic is imported only when a migration is due: it costs ~0.1 s of every start.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


_REVISION = re.compile(r'^revision\s*=\s*"([^"]+)"', re.MULTILINE)
_DOWN_REVISION = re.compile(r'^down_revision\s*=\s*(?:None|"([^"]+)")', re.MULTILINE)


def revisions() -> tuple[str, frozenset[str]]:
    """The head and every revision of the app's migrations, read from the scripts as text so
    opening an up-to-date profile never imports Alembic (tests hold this equal to Alembic's)."""
    known, parents = set(), set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        if match := _REVISION.search(source):
            known.add(match.group(1))
            down = _DOWN_REVISION.search(source)
            if down and down.group(1):
                parents.add(down.group(1))
    heads = known - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {sorted(heads)}")
    return heads.pop(), frozenset(known)


def head_revision() -> str:
    return revisions()[0]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        exists = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).first()
        if not exists:
            return None
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _check_sqlite_file(path: Path, passphrase: str | None) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    if encryption.is_plain_sqlite(path):
        return
    if passphrase is not None:
        encryption.check_key(path, passphrase)  # WrongPassphrase, or garbage: also refused
        return
    if _looks_encrypted(path):
        raise encryption.PassphraseRequired(path.name)
    raise NotADatabase(
        f"Tệp {path.name} không phải cơ sở dữ liệu của Gõ Cửa (hoặc đã bị hỏng). "
        f"/ {path.name} is not a Gõ Cửa database (or it is damaged)."
    )


def _looks_encrypted(path: Path) -> bool:
    # SQLCipher files are random from the first byte; a text or zip file is not.
    with open(path, "rb") as fh:
        head = fh.read(64)
    printable = sum(32 <= b < 127 or b in (9, 10, 13) for b in head)
    return path.stat().st_size % 1024 == 0 and printable < 48 and not head.startswith(b"PK")


def backup_file(path: Path, label: str, engine: Engine | None = None) -> Path:
    """A consistent copy next to the database: the WAL is checkpointed into the file first, so
    a plain file copy is whole (and an encrypted profile's backup stays encrypted)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.backup-{label}-{stamp}{path.suffix}")
    if engine is not None:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(path, target)
    else:
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
    head, known = revisions()
    current = current_revision(engine)
    if current == head:
        return None
    if current is not None and current not in known:
        raise DatabaseTooNew(
            "Dữ liệu này được tạo bởi phiên bản Gõ Cửa mới hơn. Hãy cập nhật ứng dụng. "
            "/ This data was written by a newer version of Gõ Cửa; please update the app."
        )
    backup = None
    if current is not None or _has_tables(engine):
        backup = backup_file(path, current or "unversioned", engine)
        log.info("backed up %s to %s before migrating from %s", path, backup, current)
    from alembic import command

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
    def open(
        cls, path: Path | str, *, passphrase: str | None = None, migrate_schema: bool = True
    ) -> Store:
        """Open (and migrate) a profile. With a passphrase the file is SQLCipher-encrypted: a
        clear-text profile is converted in place first (``last_backup`` then names the
        encrypted backup); a wrong passphrase raises WrongPassphrase."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        _check_sqlite_file(path, passphrase)
        converted = None
        if passphrase is not None and encryption.is_plain_sqlite(path):
            converted = encryption.encrypt_in_place(path, passphrase)
        engine = make_engine(path, passphrase)
        store = cls(path, engine)
        try:
            # Before migrating: a pull killed midway may have set indexes aside (a migration
            # must find the schema it expects).
            deferred_indexes.restore(engine)
            if migrate_schema:
                store.last_backup = migrate(engine, path) or converted
        except (sqlite3.DatabaseError, sa_exc.DatabaseError) as exc:
            # SQLAlchemy wraps the driver's error; a locked or busy file is not a damaged one.
            engine.dispose()
            if isinstance(getattr(exc, "orig", exc), sqlite3.OperationalError):
                raise
            raise NotADatabase(
                f"Tệp {path.name} bị hỏng hoặc không phải cơ sở dữ liệu của Gõ Cửa. "
                f"/ {path.name} is damaged or not a Gõ Cửa database ({exc})."
            ) from exc
        except BaseException:
            engine.dispose()
            raise
        return store

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def query(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``fn(conn, *args, **kwargs)`` in one read transaction: how the window reads, through
        the store's query modules (tests/test_layering.py keeps SQL out of desktop/ui)."""
        with self.read() as conn:
            return fn(conn, *args, **kwargs)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back on any exception."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(immediate=True)
            with conn.begin():
                yield conn

    def close(self) -> None:
        self.engine.dispose()
