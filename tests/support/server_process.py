"""The real server as a subprocess: ``python -m server.cli serve`` on a free loopback port.

Usage::

    with ServerProcess(database_url) as server:   # waits for GET /api/v1/healthz
        httpx.get(server.base_url + "/api/v1/healthz")

The database must exist (``serve`` creates or upgrades the schema itself). ``env`` adds
environment variables (for instance ``GOCUA_ARGON2_MEMORY_KIB`` to make logins cheap in tests);
``workers`` > 1 starts several uvicorn workers (PostgreSQL only). The server's output is kept
in ``server.log`` and shown when it fails to start.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]
CHEAP_PASSWORDS = {"GOCUA_ARGON2_MEMORY_KIB": "1024", "GOCUA_ARGON2_TIME_COST": "1"}


class PortTaken(RuntimeError):
    """The port free_port() found was taken before the server could bind it."""


class ServerProcess:
    def __init__(
        self,
        database_url: str,
        *,
        env: dict[str, str] | None = None,
        workers: int = 1,
        startup_timeout: float = 60.0,
    ):
        self.database_url = database_url
        self.env = {**os.environ, **CHEAP_PASSWORDS, **(env or {})}
        self.env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(ROOT), self.env.get("PYTHONPATH")])
        )
        self.workers = workers
        self.startup_timeout = startup_timeout
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        fd, name = tempfile.mkstemp(prefix="gocua-server-", suffix=".log")
        os.close(fd)
        self.log_path = Path(name)

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def start(self) -> ServerProcess:
        # free_port() only says the port was free a moment ago: another suite on the machine
        # may take it first. Then uvicorn exits at once, and a new port is tried.
        for _attempt in range(3):
            try:
                return self._start()
            except PortTaken:
                self.port = free_port()
                self.base_url = f"http://127.0.0.1:{self.port}"
        return self._start()

    def _start(self) -> ServerProcess:
        command = [
            sys.executable,
            "-m",
            "server.cli",
            "serve",
            "--database",
            self.database_url,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]
        logged_before = self.log_path.stat().st_size
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                this_run = self.log_path.read_bytes()[logged_before:].lower()
                if b"address already in use" in this_run:
                    self.process = None
                    raise PortTaken(self.port)
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log}")
            try:
                if httpx.get(self.base_url + "/api/v1/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(
            f"server did not become healthy in {self.startup_timeout} s:\n{self.log}"
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
        self.log_path.unlink(missing_ok=True)
