"""SIGKILL the device process in the middle of a large pull and of a push (Must show 3):
restarted, it resumes where it stopped and converges."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.store.state_keys import CURSOR, DEFERRED_INDEXES, FULL_PULL
from desktop.sync.engine import FROM_EMPTY
from tests.desktop.sync.conftest import assert_converged, index_sql, server_rows
from tests.support.server_process import CHEAP_PASSWORDS, ROOT, ServerProcess

pytestmark = pytest.mark.slow

DEMO_HOUSEHOLDS = 500  # about 12,000 rows for the leader
DEMO_PASSWORD = "gocua-demo"

# The device process: one engine round with a slow progress callback (so a kill lands midway).
CHILD = r"""
import os, sys, time
from desktop.store import Store
from desktop.sync.client import SyncClient
from desktop.sync.engine import SyncEngine

path, url, delay, page, batch = sys.argv[1], sys.argv[2], float(sys.argv[3]), *map(int, sys.argv[4:6])
store = Store.open(path)
client = SyncClient(url, os.environ["GOCUA_TEST_TOKEN"], timeout=30)

def progress(phase, done, total):
    print(phase, done, flush=True)
    time.sleep(delay)

report = SyncEngine(store, client, page_size=page, push_batch=batch, progress=progress).sync()
print("done", report.pushed, report.pulled, report.full_pull, report.checksum_ok, flush=True)
"""


def _env(token: str) -> dict:
    env = {**os.environ, **CHEAP_PASSWORDS, "GOCUA_TEST_TOKEN": token}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _start(dev, delay: float, page: int = 500, batch: int = 100) -> subprocess.Popen:
    args = [sys.executable, "-c", CHILD, str(dev.path), dev.url, str(delay), str(page), str(batch)]
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=_env(dev.session.token()),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _kill_when(process: subprocess.Popen, phase: str, at_least: int) -> int:
    """Read progress lines; SIGKILL the process once ``phase`` reached ``at_least``."""
    assert process.stdout is not None
    for line in process.stdout:
        name, done = line.split()[:2]
        if name == phase and int(done) >= at_least:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
            assert process.returncode == -signal.SIGKILL
            return int(done)
    process.wait()
    raise AssertionError(f"the device finished before the kill: {process.stderr.read()}")


def _finish(process: subprocess.Popen) -> list[str]:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return out.splitlines()[-1].split()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("kill") / "demo.sqlite"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "server.cli",
            "demo",
            "--households",
            str(DEMO_HOUSEHOLDS),
            "--database",
            f"sqlite:///{path}",
        ],
        cwd=ROOT,
        env=_env(""),
        check=True,
        capture_output=True,
        timeout=300,
    )
    return path


def test_killed_in_the_middle_of_a_large_pull_resumes(demo_db, tmp_path, device):
    db = tmp_path / "server.sqlite"
    shutil.copy(demo_db, db)
    with ServerProcess(f"sqlite:///{db}") as server:
        expected = server_rows(server.base_url, "totruong", DEMO_PASSWORD)
        total = sum(len(rows) for rows in expected.values())
        assert total > 10_000
        dev = device(server, "totruong", sync=False, password=DEMO_PASSWORD)
        indexes = set(index_sql(dev.path))

        _kill_when(_start(dev, delay=0.05), "pull", 4000)
        assert dev.state(CURSOR) is not None and dev.state(FULL_PULL) == FROM_EMPTY
        # Killed with the big tables' indexes set aside (deferred_indexes), and that recorded.
        assert dev.state(DEFERRED_INDEXES) is not None
        assert "ix_support_items_coverage" not in set(index_sql(dev.path))
        saved = sum(len(rows) for rows in dev.rows().values())
        assert 4000 <= saved < total

        _, pushed, pulled, full, checksum_ok = _finish(_start(dev, delay=0))
        # Resumed from the saved cursor: only what was not saved came again.
        assert (pushed, int(pulled), full, checksum_ok) == ("0", total - saved, "True", "True")
        assert dev.state(FULL_PULL) is None
        assert set(index_sql(dev.path)) == indexes and dev.state(DEFERRED_INDEXES) is None
        assert_converged(dev, expected)


def test_killed_in_the_middle_of_a_push_resumes(server, device):
    dev = device(server, "vol_a")
    dev.services.import_households(
        [
            {
                "hamlet_id": "C1-A",
                "address": f"Số {n}, kênh Xáng",
                "members": [{"full_name": f"Ông {n}"}],
            }
            for n in range(1500)
        ]
    )
    sent = dev.outbox_states()["pending"]
    assert sent == 3000
    before = dev.server_summary()["version"]

    _kill_when(_start(dev, delay=0.05), "push", 800)
    states = dev.outbox_states()
    assert 800 <= states["acked"] < sent and states["acked"] + states["pending"] == sent

    _, pushed, pulled, _, _ = _finish(_start(dev, delay=0))
    assert int(pushed) == states["pending"]
    # Every mutation applied exactly once: one new version each, no more.
    assert dev.server_summary()["version"] == before + sent
    assert dev.outbox_states() == {"acked": sent}
    assert_converged(dev)
