"""The unhappy paths: a revoked token, a wrong password, the server down, a restored server
(new epoch), and ``gocua sync`` on the command line; where the token lives."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from desktop.store.rows import OUTBOX
from desktop.sync import credentials, errors
from desktop.sync.client import SyncClient
from desktop.sync.session import SyncSession
from tests.desktop.sync.conftest import Device, assert_converged
from tests.server.world import PASSWORD
from tests.support.postgres import free_port
from tests.support.server_process import CHEAP_PASSWORDS, ROOT, ServerProcess


def _env() -> dict:
    env = {**os.environ, **CHEAP_PASSWORDS}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _work(dev: Device, n: int = 1) -> list[str]:
    return [
        dev.services.register_household(
            "C1-A", f"Số {i}, đường đan", members=[{"full_name": f"Đỗ Văn {i}"}]
        )
        for i in range(n)
    ]


def test_revoked_token_keeps_the_outbox_and_a_new_sign_in_sends_it(server, device):
    dev = device(server, "vol_a")
    _work(dev, 2)
    other = SyncClient(server.base_url, dev.session.token())
    other.logout()  # revoked, as an expired token would be
    other.close()

    with pytest.raises(errors.Unauthorized):
        dev.sync()
    assert dev.outbox_states() == {"pending": 4}
    assert not dev.session.is_signed_in()  # the app asks to sign in again

    dev.sign_in()
    report = dev.sync()
    assert report.pushed == 4
    assert_converged(dev)


def test_wrong_password_changes_nothing(server, device):
    dev = device(server, "vol_a", sign_in=False)
    with pytest.raises(errors.InvalidCredentials) as raised:
        dev.sign_in(password="not-the-password")
    assert "mật khẩu" in raised.value.message_vi
    assert not dev.session.is_signed_in() and dev.session.server_url is None
    dev.sign_in()
    assert dev.session.is_signed_in()


def test_server_down_then_back(server, device):
    dev = device(server, "vol_a")
    _work(dev)
    server.stop()
    waits: list[float] = []
    with pytest.raises(errors.NetworkError):
        dev.sync(sleep=waits.append, attempts=3)
    assert len(waits) == 2  # retried with backoff, then gave up for now
    assert dev.outbox_states() == {"pending": 2}
    with pytest.raises(errors.NetworkError):  # nobody listening at all
        dev.engine_sync(f"http://127.0.0.1:{free_port()}")

    server.start()  # same address
    assert dev.sync().pushed == 2
    assert_converged(dev)


def test_restored_server_gets_back_what_it_lost(tmp_path, server_db, device):
    """The database is restored from a backup and given a new epoch (``new-epoch``): the device
    re-pushes what the server lost and pulls from a null cursor."""
    db_file = Path(server_db.removeprefix("sqlite:///"))
    backup = tmp_path / "backup.sqlite"
    server = ServerProcess(server_db).start()
    try:
        dev = device(server, "vol_a")
        kept = _work(dev)
        dev.sync()
        server.stop()
        _copy_database(db_file, backup)  # last night's backup
        server.start()
        lost = _work(dev, 2)
        dev.sync()
        assert dev.outbox_states() == {"acked": 6}
        server.stop()

        _restore_with_a_new_epoch(backup, db_file, server_db)
        server.start()

        report = dev.sync()
        assert report.epoch_changed and report.full_pull and report.checksum_ok is True
        assert report.pushed == 4  # what the backup did not have, and only that
        rows = assert_converged(dev)
        assert set(rows["households"]) == set(kept + lost)
        assert dev.sync().pushed == 0  # settled
    finally:
        server.stop()


def _copy_database(source: Path, target: Path) -> None:
    """A stopped SQLite server's file and its write-ahead log, as a backup copies them."""
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{target}{suffix}")


def _restore_with_a_new_epoch(backup: Path, db_file: Path, server_db: str) -> None:
    """What docs/operations.md says to do: put the backup back, then ``new-epoch``."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    _copy_database(backup, db_file)
    subprocess.run(
        [sys.executable, "-m", "server.cli", "new-epoch", "--database", server_db],
        cwd=ROOT,
        env=_env(),
        check=True,
        capture_output=True,
    )


def test_restore_older_than_the_kept_outbox_numbers_on_after_the_server(
    tmp_path, server_db, device
):
    """Acknowledged mutations are kept 30 days. Restored from a backup older than that, the
    server lacks some the device no longer holds: the device re-pushes what it still has,
    numbered right after the server's ``last_mutation_id`` (no ``mutation_gap`` loop)."""
    db_file = Path(server_db.removeprefix("sqlite:///"))
    backup = tmp_path / "backup.sqlite"
    server = ServerProcess(server_db).start()
    try:
        dev = device(server, "vol_a")
        (first,) = _work(dev)
        dev.sync()  # mutations 1-2
        server.stop()
        _copy_database(db_file, backup)
        server.start()
        (old,) = _work(dev)
        dev.sync()  # mutations 3-4, acknowledged long ago (below)
        with dev.store.write() as conn:
            conn.execute(
                OUTBOX.update().where(OUTBOX.c.id.in_([3, 4])).values(acked_at="2000-01-01")
            )
        (recent,) = _work(dev)
        dev.sync()  # mutations 5-6; this round purged 3-4
        assert [m["id"] for m in dev.outbox()] == [1, 2, 5, 6]
        server.stop()

        _restore_with_a_new_epoch(backup, db_file, server_db)
        server.start()

        report = dev.sync()
        assert report.epoch_changed and report.pushed == 2 and report.rejected == 0
        rows = assert_converged(dev)
        # What the device still held is back; what it had purged is gone everywhere.
        assert set(rows["households"]) == {first, recent}
        _work(dev)
        assert dev.sync().pushed == 2  # later work numbers on without a gap
        assert_converged(dev)
    finally:
        server.stop()


def _gocua_sync(db: Path, url: str, password: str, *extra: str, env=None):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop.cli",
            "sync",
            "--db",
            str(db),
            "--server",
            url,
            "--user",
            "vol_a",
            *extra,
        ],
        input=password + "\n",
        text=True,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        env={**_env(), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", **(env or {})},
    )


def test_gocua_sync_command(server, tmp_path, device):
    db = tmp_path / "cli.db"
    writer = device(server, "vol_a2")
    _work(writer, 3)
    writer.sync()

    first = _gocua_sync(db, server.base_url, PASSWORD)
    assert first.returncode == 0, first.stderr
    line = first.stdout.strip().splitlines()[-1]
    assert line.startswith(
        "pushed 0 (held 0, rejected 0, conflicts 0, sent again 0); pulled 6, deleted 0, evicted 0"
    )
    assert "; full pull" in line
    assert "kho khóa" in first.stderr  # no keyring here: told it will ask again

    again = _gocua_sync(db, server.base_url, PASSWORD, "-v")
    assert again.returncode == 0, again.stderr
    assert (
        again.stdout.strip()
        .splitlines()[-1]
        .startswith("pushed 0 (held 0, rejected 0, conflicts 0, sent again 0); pulled 0")
    )

    wrong = _gocua_sync(db, server.base_url, "wrong")
    assert wrong.returncode == 2 and "gocua sync:" in wrong.stderr and not wrong.stdout

    down = _gocua_sync(db, f"http://127.0.0.1:{free_port()}", PASSWORD)
    assert down.returncode == 2 and "Không kết nối được máy chủ" in down.stderr

    dev = Device(server.base_url, db, "vol_a")
    try:
        assert dev.rows()["households"].keys() == writer.rows()["households"].keys()
    finally:
        dev.close()


def _files_contain(folder: Path, secret: str) -> list[Path]:
    needle = secret.encode()
    return [p for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_without_a_keyring_the_token_stays_in_memory(server, tmp_path, device):
    keyring.set_keyring(fail.Keyring())
    dev = device(server, "vol_a", sign_in=False)
    signed = dev.sign_in()
    assert signed.token_saved is False
    token = dev.session.token()
    assert token and dev.sync().full_pull
    dev.store.close()
    assert _files_contain(tmp_path, token) == []
    dev.store = type(dev.store).open(dev.path)

    credentials._memory.clear()  # the app restarts
    restarted = SyncSession(dev.store)
    assert not restarted.is_signed_in()
    with pytest.raises(errors.Unauthorized):
        restarted.sync()


def test_with_a_keyring_the_token_survives_a_restart_and_sign_out_forgets_it(
    server, tmp_path, device, memory_keyring
):
    dev = device(server, "vol_a")
    token = dev.session.token()
    assert list(memory_keyring.entries.values()) == [token]
    dev.store.close()
    assert _files_contain(tmp_path, token) == []
    dev.store = type(dev.store).open(dev.path)

    credentials._memory.clear()  # the app restarts
    restarted = SyncSession(dev.store)
    assert restarted.is_signed_in()
    assert restarted.sync(sleep=lambda s: None).pulled == 0

    restarted.sign_out()
    assert memory_keyring.entries == {} and not restarted.is_signed_in()
    stale = SyncClient(server.base_url, token)
    with pytest.raises(errors.Unauthorized):
        stale.summary()  # revoked on the server too
    stale.close()
