"""Encrypted profiles: SQLCipher (the ``sqlcipher3`` package) keyed from the volunteer's passphrase.

A lost laptop must not leak residents' personal data (Decree 13/2023/NĐ-CP), so a profile's
database is encrypted whole, WAL included. The passphrase never leaves this process: it is not
logged, not written to settings, and not part of any URL or error message.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"


class EncryptionUnavailable(RuntimeError):
    pass


class WrongPassphrase(ValueError):
    """The passphrase does not open this profile."""

    message_vi = "Mật khẩu hồ sơ không đúng. Vui lòng thử lại."


class PassphraseRequired(ValueError):
    message_vi = "Hồ sơ này được mã hóa. Vui lòng nhập mật khẩu hồ sơ."


def cipher_version(conn) -> str | None:
    """SQLCipher's version on this connection (None: plain SQLite, not encrypting)."""
    return conn.exec_driver_sql("PRAGMA cipher_version").scalar()


def sqlcipher_dbapi():
    try:
        from sqlcipher3 import dbapi2
    except ImportError as exc:  # pragma: no cover - the package has wheels everywhere we ship
        raise EncryptionUnavailable("sqlcipher3 is not installed") from exc
    return dbapi2


def is_plain_sqlite(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    with open(path, "rb") as fh:
        return fh.read(16) == SQLITE_HEADER


def is_encrypted(path: Path) -> bool:
    """A non-empty file without SQLite's clear-text header (SQLCipher encrypts page 1 too)."""
    return path.exists() and path.stat().st_size > 0 and not is_plain_sqlite(path)


def key_statement(passphrase: str) -> str:
    if not passphrase:
        raise WrongPassphrase("empty passphrase")
    return "PRAGMA key = '" + passphrase.replace("'", "''") + "'"


def apply_key(dbapi_connection, passphrase: str) -> None:
    """Key a fresh SQLCipher connection; must be the first statement it runs."""
    cursor = dbapi_connection.cursor()
    cursor.execute(key_statement(passphrase))
    cursor.close()


def check_key(path: Path, passphrase: str) -> None:
    """Raise WrongPassphrase unless the passphrase opens the file."""
    dbapi = sqlcipher_dbapi()
    conn = dbapi.connect(str(path))
    try:
        # A wrong key is an expected answer here, not something for SQLCipher to log to stderr.
        conn.execute("PRAGMA cipher_log_level = NONE")
        apply_key(conn, passphrase)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except dbapi.DatabaseError as exc:
        raise WrongPassphrase(str(path.name)) from exc
    finally:
        conn.close()


def _count_rows(conn) -> dict[str, int]:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE 'person_search%'"
        )
    ]
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def encrypt_in_place(path: Path, passphrase: str) -> Path:
    """Convert a clear-text profile to SQLCipher, keeping every row; returns the backup.

    The encrypted copy is written beside the file and checked row for row before it replaces
    the original. No clear-text copy is left behind: the backup kept is the encrypted one.
    """
    dbapi = sqlcipher_dbapi()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    work = path.with_name(path.name + ".encrypting")
    work.unlink(missing_ok=True)
    plain = dbapi.connect(str(path))
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        expected = _count_rows(plain)
        version = plain.execute("PRAGMA user_version").fetchone()[0]
        plain.execute(f"ATTACH DATABASE ? AS encrypted KEY {_quoted(passphrase)}", (str(work),))
        plain.execute("SELECT sqlcipher_export('encrypted')")
        plain.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        plain.execute("DETACH DATABASE encrypted")
    finally:
        plain.close()
    check = dbapi.connect(str(work))
    try:
        apply_key(check, passphrase)
        if _count_rows(check) != expected:
            raise RuntimeError("encrypted copy differs from the original; original kept")
    finally:
        check.close()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    os.replace(work, path)
    backup = path.with_name(f"{path.stem}.backup-encrypted-{stamp}{path.suffix}")
    shutil.copy2(path, backup)
    return backup


def _quoted(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


FREE_TRIES = 2  # wrong passphrases without a delay: typos are common


@dataclass
class UnlockThrottle:
    """A delay before the next try after wrong passphrases, reset by a right one.

    The first :data:`FREE_TRIES` wrong tries cost nothing; from then on 1, 2, 4 ... up to
    ``max_delay`` seconds. :meth:`remaining` is what is still owed (``clock`` is monotonic), so
    a dialog opened again owes the rest of the delay, not a new one.
    """

    failures: int = 0
    max_delay: float = 30.0
    free_tries: int = FREE_TRIES
    sleep: object = field(default=time.sleep, repr=False)
    clock: object = field(default=time.monotonic, repr=False)
    ready_at: float = 0.0

    def delay(self) -> float:
        over = self.failures - self.free_tries
        return 0.0 if over <= 0 else min(self.max_delay, 2.0 ** (over - 1))

    def failed(self) -> float:
        self.failures += 1
        wait = self.delay()
        self.ready_at = self.clock() + wait
        self.sleep(wait)
        return wait

    def remaining(self) -> float:
        return max(0.0, self.ready_at - self.clock())

    def succeeded(self) -> None:
        self.failures = 0
        self.ready_at = 0.0
