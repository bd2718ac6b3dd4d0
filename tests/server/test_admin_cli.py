"""The command line's add-hamlet and set-hamlets (through ``server.cli.main``), audited as the
command line's."""

from __future__ import annotations

import io

from server.cli import main


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_hamlet_prints_the_new_id_and_keeps_the_rules(db_url, capsys, device):
    db = ("--database", db_url)
    assert _run(capsys, "add-hamlet", *db, "--commune", "C1", "Ấp  Mới") == (0, "C1-01\n", "")
    assert _run(capsys, "add-hamlet", *db, "--commune", "C1", "--id", "C1-X", "Ấp Xa")[:2] == (
        0,
        "C1-X\n",
    )
    code, _, err = _run(capsys, "add-hamlet", *db, "--commune", "C1", "AP MOI")
    assert code == 2 and err.startswith("gocua-server: name: ") and "C1-01" in err
    code, _, err = _run(capsys, "add-hamlet", *db, "--commune", "C1", "--id", "C1-A", "Ấp Z")
    assert code == 2 and "C1-A is already used" in err
    code, _, err = _run(capsys, "add-hamlet", *db, "--commune", "C1-A", "Ấp Z")
    assert code == 2 and err == "gocua-server: commune: no commune C1-A\n"
    code, _, err = _run(capsys, "add-hamlet", *db, "--commune", "C1", " ")
    assert code == 2 and err.startswith("gocua-server: name: ")
    admin = device("admin")
    listed = {h["id"]: h["name"] for h in admin.get("/api/v1/admin/hamlets").json()["hamlets"]}
    assert listed["C1-01"] == "Ấp Mới" and listed["C1-X"] == "Ấp Xa"
    entries = admin.get("/api/v1/admin/audit").json()["entries"]
    assert [(e["action"], e["target"], e["user_id"]) for e in entries] == [
        ("hamlet.create", "C1-X", None),
        ("hamlet.create", "C1-01", None),
    ]


def test_set_hamlets_assigns_a_volunteer(db_url, capsys, device):
    db = ("--database", db_url)
    code, out, _ = _run(capsys, "set-hamlets", *db, "vol_a", "C1-C, C1-B")
    assert code == 0 and out == "user vol_a (volunteer) hamlets C1-B,C1-C\n"
    assert device("vol_a").user["hamlet_ids"] == ["C1-B", "C1-C"]
    for args, expected in [
        (("nobody", "C1-A"), "gocua-server: username: no user 'nobody'\n"),
        (("vol_a", "C2-A"), "gocua-server: hamlet_ids: C2-A is not a hamlet of C1\n"),
        (("vol_a", ","), "gocua-server: hamlet_ids: a volunteer needs at least one hamlet\n"),
        (("leader", "C1-A"), None),
        (("viewer", "C1-A"), None),
    ]:
        code, _, err = _run(capsys, "set-hamlets", *db, *args)
        assert code == 2 and err.startswith("gocua-server: ")
        assert expected is None or err == expected
    entries = device("admin").get("/api/v1/admin/audit").json()["entries"]
    assert len(entries) == 1 and entries[0]["user_id"] is None
    assert entries[0]["action"] == "user.update"
    assert entries[0]["before"] == {"hamlet_ids": ["C1-A"]}
    assert entries[0]["after"] == {"hamlet_ids": ["C1-B", "C1-C"]}


def test_add_user_shares_the_hamlet_rules(db_url, capsys, monkeypatch):
    db = ("--database", db_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("mật khẩu\n"))
    code, _, err = _run(capsys, "add-user", "lan", "--role", "volunteer", "--commune", "C1", *db)
    assert (code, err) == (2, "gocua-server: --hamlets: a volunteer needs at least one hamlet\n")
    monkeypatch.setattr("sys.stdin", io.StringIO("mật khẩu\n"))
    args = ("add-user", "lan", "--role", "volunteer", "--commune", "C1", "--hamlets", "C2-A")
    code, _, err = _run(capsys, *args, *db)
    assert (code, err) == (2, "gocua-server: --hamlets: C2-A is not a hamlet of C1\n")
