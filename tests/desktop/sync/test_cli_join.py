"""``gocua new``, ``gocua sync`` (join plan, --join, --map, exit codes) and ``gocua status``,
for scripts and support staff, against the real server."""

from __future__ import annotations

import io
import json

import pytest

from desktop import cli
from desktop.services import Services
from desktop.store import Store
from tests.desktop.sync.conftest import server_rows
from tests.desktop.sync.offline import fill
from tests.server.world import PASSWORD


def run(capsys, monkeypatch, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _status(capsys, monkeypatch, db) -> dict:
    code, out, _ = run(capsys, monkeypatch, "status", "--db", str(db), "--json")
    assert code == 0
    return json.loads(out)


def test_new_then_sync_prints_the_plan_and_sends_nothing_then_joins(
    server, tmp_path, capsys, monkeypatch
):
    db = tmp_path / "lan.db"
    code, out, _ = run(
        capsys,
        monkeypatch,
        "new",
        "--db",
        str(db),
        "--commune",
        "xã một",
        "--hamlets",
        "Ấp A,  Ấp Mới ,",
    )
    assert code == 0 and "2 ấp" in out
    store = Store.open(db)
    with store.read() as conn:
        local = dict(conn.exec_driver_sql("SELECT name, id FROM areas WHERE kind='hamlet'").all())
    assert set(local) == {"Ấp A", "Ấp Mới"}
    fill(Services(store), local["Ấp A"], 2, tag="a")
    fill(Services(store), local["Ấp Mới"], 1, tag="m")
    store.close()
    sync = ["sync", "--db", str(db), "--server", server.base_url, "--user", "leader"]

    code, out, err = run(capsys, monkeypatch, *sync)
    assert code == cli.EXIT_JOIN
    assert "Ấp A [2 hộ] → Ấp A (C1-A)" in out and "Ấp Mới [1 hộ] → (chưa ghép" in out
    assert "--join" in err
    assert server_rows(server.base_url)["households"] == {}  # nothing sent
    assert _status(capsys, monkeypatch, db)["unsent"] == 3 * 6

    code, out, err = run(capsys, monkeypatch, *sync, "--join", "--map", "Ấp Nowhere=C1-B")
    assert code == cli.EXIT_ERROR and "Ấp Nowhere" in err

    code, out, err = run(capsys, monkeypatch, *sync, "--join")
    assert code == cli.EXIT_HELD, err
    assert "Đã ghép 1 ấp (2 hộ)" in out and "held 6" in out
    status = _status(capsys, monkeypatch, db)
    assert (status["unsent"], status["held"], status["rejected"]) == (0, 6, 0)
    assert status["commune_id"] == "C1" and status["unmatched_hamlets"] == ["Ấp Mới"]
    held = {(r["table"], r["state"]) for r in status["rows"]}
    assert held == {(t, "held") for t in ("households", "persons", "support_items", "visits")}
    assert all(r["hamlet"] == "Ấp Mới" and r["address"] for r in status["rows"])
    code, out, _ = run(capsys, monkeypatch, "status", "--db", str(db))
    assert "Đang giữ / held: 6" in out and "Ấp/thôn chưa có trên máy chủ" in out

    # A later sync keeps offering the unmatched hamlet; --join with --map puts it in Ấp B.
    code, out, _ = run(capsys, monkeypatch, *sync)
    assert code == cli.EXIT_HELD and "Còn ấp chưa ghép" in out
    code, out, err = run(capsys, monkeypatch, *sync, "--join", "--map", "Ấp Mới=C1-B")
    assert code == cli.EXIT_OK, err
    assert _status(capsys, monkeypatch, db)["held"] == 0
    theirs = server_rows(server.base_url)["households"]
    assert sorted(h["hamlet_id"] for h in theirs.values()) == ["C1-A", "C1-A", "C1-B"]


@pytest.mark.parametrize("bad", ["Ấp A", "=C1-A", "Ấp A="])
def test_a_malformed_map_is_an_error_naming_it(server, tmp_path, capsys, monkeypatch, bad):
    db = tmp_path / "x.db"
    run(capsys, monkeypatch, "new", "--db", str(db), "--commune", "Xã Một", "--hamlets", "Ấp A")
    code, _, err = run(
        capsys,
        monkeypatch,
        "sync",
        "--db",
        str(db),
        "--server",
        server.base_url,
        "--user",
        "leader",
        "--join",
        "--map",
        bad,
    )
    assert code == cli.EXIT_ERROR and "--map" in err


def test_new_refuses_an_existing_file(tmp_path, capsys, monkeypatch):
    db = tmp_path / "x.db"
    db.write_bytes(b"")
    code, _, err = run(capsys, monkeypatch, "new", "--db", str(db), "--commune", "Xã Một")
    assert code == 1 and "already exists" in err
