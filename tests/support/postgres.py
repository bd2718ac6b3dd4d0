"""A throwaway PostgreSQL 15 cluster in a temporary folder, and cheap fresh databases in it.

``initdb`` and ``pg_ctl`` refuse to run as root, so as root they run as the ``postgres`` user
(``runuser -u postgres --``) in a folder it owns. When ``GOCUA_TEST_POSTGRES_URL`` is set
(``postgresql://user:pw@host:port/postgres``, a role allowed to create databases) that server
is used instead and nothing is started.

Usage::

    cluster = PostgresCluster.start()          # or the `postgres_cluster` pytest fixture
    url = cluster.create_database("t1")        # empty database
    cluster.create_template("tpl", prepare)    # prepare(url) migrates it once
    url = cluster.create_database("t2", template="tpl")  # a copy: a few ms
    cluster.stop()

In pytest, :func:`start_or_skip` starts the cluster or skips the test, except under
``CI=true``, where a cluster that cannot start fails the run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PG_BIN = Path(os.environ.get("GOCUA_PG_BIN", "/usr/lib/postgresql/15/bin"))
ENV_URL = "GOCUA_TEST_POSTGRES_URL"
FAST_OPTIONS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


class PostgresUnavailable(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class PostgresCluster:
    def __init__(self, admin_url: str, folder: Path | None = None):
        self.admin_url = admin_url  # a superuser (or CREATEDB) URL to the "postgres" database
        self.folder = folder

    @classmethod
    def start(cls, options: tuple[str, ...] = FAST_OPTIONS) -> PostgresCluster:
        if os.environ.get(ENV_URL):
            return cls(os.environ[ENV_URL])
        if not (PG_BIN / "initdb").exists():
            raise PostgresUnavailable(f"no initdb in {PG_BIN}")
        folder = Path(tempfile.mkdtemp(prefix="gocua-pg-"))
        data, sockets = folder / "data", folder / "sock"
        sockets.mkdir()
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
            shutil.chown(sockets, "postgres", "postgres")
        port = free_port()
        try:
            subprocess.run(
                _as_postgres(
                    [
                        str(PG_BIN / "initdb"),
                        "-D",
                        str(data),
                        "-A",
                        "trust",
                        "-U",
                        "postgres",
                        "-E",
                        "UTF8",
                        "--no-sync",
                        "--locale=C.UTF-8",
                    ]
                ),
                check=True,
                capture_output=True,
                text=True,
                timeout=120,
            )
            settings = " ".join(f"-c {o}" for o in options)
            subprocess.run(
                _as_postgres(
                    [
                        str(PG_BIN / "pg_ctl"),
                        "-D",
                        str(data),
                        "-l",
                        str(folder / "log"),
                        "-w",
                        "-t",
                        "60",
                        "start",
                        "-o",
                        f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 "
                        f"-c max_connections=200 {settings}",
                    ]
                ),
                check=True,
                capture_output=True,
                text=True,
                timeout=120,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
            detail = getattr(error, "stderr", "") or ""
            log = folder / "log"
            if log.exists():
                detail += log.read_text(errors="replace")[-2000:]
            shutil.rmtree(folder, ignore_errors=True)
            raise PostgresUnavailable(f"PostgreSQL did not start: {error}\n{detail}") from error
        return cls(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", folder)

    def url(self, database: str) -> str:
        base, _, _ = self.admin_url.rpartition("/")
        return f"{base}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        conninfo = self.admin_url.replace("postgresql+psycopg://", "postgresql://")
        for attempt in range(50):
            try:
                with psycopg.connect(conninfo, autocommit=True) as conn:
                    conn.execute(sql)
                return
            except psycopg.errors.ObjectInUse:
                # CREATE DATABASE ... TEMPLATE needs the template idle; a pool may linger.
                if attempt == 49:
                    raise
                time.sleep(0.1)

    def create_database(self, name: str, template: str | None = None) -> str:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        suffix = f' TEMPLATE "{template}"' if template else ""
        self._admin(f'CREATE DATABASE "{name}"{suffix}')
        return self.url(name)

    def create_template(self, name: str, prepare: Callable[[str], None]) -> str:
        """A database made once by ``prepare(url)``, then copied by :meth:`create_database`."""
        url = self.create_database(name)
        prepare(url)
        return url

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self.folder is None:
            return
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(self.folder / "data"),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ]
            ),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None


def start_or_skip() -> PostgresCluster:
    """For fixtures: the cluster, or a skip (a failure under ``CI=true``)."""
    import pytest

    try:
        return PostgresCluster.start()
    except PostgresUnavailable as error:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"PostgreSQL is required under CI: {error}")
        pytest.skip(f"PostgreSQL unavailable: {error}")
