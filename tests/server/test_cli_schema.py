"""The command line (a real subprocess) and the migrations against the models."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from server.db import create_engine
from server.models import Base
from tests.support.server_process import CHEAP_PASSWORDS, ROOT, ServerProcess


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, **CHEAP_PASSWORDS, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        input=stdin,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_migrations_match_the_models(db_url):
    engine = create_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


@pytest.mark.slow
def test_init_load_areas_add_user_new_epoch_and_serve(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert _cli("init", "--database", url).returncode == 0
    areas = tmp_path / "areas.json"
    areas.write_text(
        json.dumps(
            {
                "areas": [
                    {"id": "P9", "kind": "province", "name": "Tỉnh", "parent_id": None},
                    {"id": "X9", "kind": "commune", "name": "Xã", "parent_id": "P9"},
                    {"id": "X9-1", "kind": "hamlet", "name": "Ấp 1", "parent_id": "X9"},
                ]
            }
        )
    )
    loaded = _cli("load-areas", str(areas), "--database", url)
    assert loaded.returncode == 0 and "3 areas" in loaded.stdout
    added = _cli(
        "add-user",
        "lan",
        "--role",
        "volunteer",
        "--commune",
        "X9",
        "--hamlets",
        "X9-1",
        "--display-name",
        "Chị Lan",
        "--database",
        url,
        stdin="mật khẩu\n",
    )
    assert added.returncode == 0, added.stderr
    viewer = _cli(
        "add-user",
        "tinh",
        "--role",
        "province_viewer",
        "--province",
        "P9",
        "--database",
        url,
        stdin="pw\n",
    )
    assert viewer.returncode == 0, viewer.stderr
    wrong = _cli(
        "add-user",
        "x",
        "--role",
        "volunteer",
        "--commune",
        "NOPE",
        "--hamlets",
        "X9-1",
        "--database",
        url,
        stdin="pw\n",
    )
    assert wrong.returncode == 2 and "commune" in wrong.stderr
    epoch = _cli("new-epoch", "--database", url)
    assert epoch.returncode == 0 and "new epoch" in epoch.stdout
    with ServerProcess(url) as server:
        answer = httpx.post(
            server.base_url + "/api/v1/auth/login",
            json={"username": "lan", "password": "mật khẩu", "device_name": "t"},
        )
        assert answer.status_code == 200
        assert answer.json()["user"]["display_name"] == "Chị Lan"


@pytest.mark.slow
def test_demo_prints_logins_that_work(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    demo = _cli("demo", "--households", "30", "--database", url)
    assert demo.returncode == 0, demo.stderr
    assert "totruong" in demo.stdout and demo.stdout.count("volunteer") == 3
    again = _cli("demo", "--households", "30", "--database", url)
    assert "left as it is" in again.stdout
    with ServerProcess(url) as server:
        answer = httpx.post(
            server.base_url + "/api/v1/auth/login",
            json={"username": "totruong", "password": "gocua-demo", "device_name": "t"},
        )
        token = answer.json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        hello = httpx.post(
            server.base_url + "/api/v1/sync/hello",
            headers=headers,
            json={"client_id": None, "app_version": "t", "protocol": 1},
        )
        pulled = httpx.post(
            server.base_url + "/api/v1/sync/pull",
            headers=headers,
            json={"client_id": hello.json()["client_id"], "cursor": None},
        )
        assert len(pulled.json()["changes"]) > 30


def test_upgrade_from_0001_keeps_areas_live_and_always_existing(tmp_path):
    from alembic import command

    from server import schema

    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    with engine.begin() as conn:
        command.upgrade(schema.alembic_config(conn), "0001")
        conn.exec_driver_sql(
            "INSERT INTO areas (id, kind, name, parent_id) VALUES ('X1', 'commune', 'Xã', NULL)"
        )
    schema.upgrade(engine)
    with engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT created_at, retired_at, merged_into FROM areas WHERE id = 'X1'"
        ).one()
        audit = conn.exec_driver_sql("SELECT count(*) FROM admin_audit").scalar_one()
    engine.dispose()
    assert tuple(row) == (None, None, None) and audit == 0
