"""The areas and colleagues that hello sends reach the device: a hamlet renamed (communes merge
and rename) and a colleague renamed by the administrator show on the next sync, and a sync
that brings no such change leaves them as they were."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sqlalchemy import text

from tests.server.world import PASSWORD, user_id
from tests.support.server_process import CHEAP_PASSWORDS, ROOT


def _admin(server, *args: str, stdin: str = "") -> None:
    """What an administrator runs on the server: ``gocua-server ...``."""
    env = {**os.environ, **CHEAP_PASSWORDS}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    subprocess.run(
        [sys.executable, "-m", "server.cli", *args, "--database", server.database_url],
        input=stdin,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def _directory(dev) -> tuple[dict, dict]:
    with dev.store.read() as conn:
        areas = dict(conn.execute(text("SELECT id, name FROM areas")).all())
        users = dict(conn.execute(text("SELECT id, display_name FROM users")).all())
    return areas, users


def test_renamed_hamlet_and_colleague_reach_the_device(server, device, tmp_path):
    dev = device(server, "vol_a")
    areas, users = _directory(dev)
    assert areas["C1-A"] == "Ấp A" and users[user_id("vol_b")] == "Vol_B"

    renamed = tmp_path / "areas.json"
    renamed.write_text(
        json.dumps(
            {
                "areas": [
                    {"id": "C1-A", "kind": "hamlet", "name": "Ấp Tân Hòa Đông", "parent_id": "C1"},
                ]
            }
        ),
        encoding="utf-8",
    )
    _admin(server, "load-areas", str(renamed))
    _admin(
        server,
        "add-user",
        "vol_b",
        "--role",
        "volunteer",
        "--commune",
        "C1",
        "--hamlets",
        "C1-B",
        "--display-name",
        "Chị Đặng Thị Bảy",
        stdin=PASSWORD + "\n",
    )
    dev.sync()

    after, after_users = _directory(dev)
    assert after == {**areas, "C1-A": "Ấp Tân Hòa Đông"}
    assert after_users == {**users, user_id("vol_b"): "Chị Đặng Thị Bảy"}

    dev.sync()  # nothing changed: the same directory
    assert _directory(dev) == (after, after_users)
