"""A profile made offline joins its commune on the server without losing a row (issue 15).

The standard world's commune C1 ("Xã Một") has hamlets "Ấp A", "Ấp B", "Ấp C". The volunteer
typed "Xã Một" with hamlets "ấp a" (the server's "Ấp A" by folded name) and "Ấp Mới" (not on
the server yet).
"""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
import sqlalchemy as sa

from desktop.store.areas import joined_commune
from desktop.sync import errors
from desktop.sync.held import counts
from tests.desktop.sync.conftest import assert_converged, server_rows
from tests.desktop.sync.offline import fill, local_hamlet_ids, offline_device
from tests.desktop.sync.test_scope import add_user


@pytest.fixture
def offline(tmp_path):
    made = []

    def make(server, username="leader", commune="Xã Một", hamlets=("ấp a", "Ấp Mới")):
        dev = offline_device(
            server.base_url,
            tmp_path / f"{username}-{len(made)}.db",
            username,
            commune,
            list(hamlets),
        )
        made.append(dev)
        return dev

    yield make
    for dev in made:
        dev.close()


def _server_count(server, table: str = "mutations") -> int:
    engine = sa.create_engine(server.database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()


def _profile_dump(dev) -> str:
    """Every row of every table of the profile file, read by another connection."""
    with sqlite3.connect(dev.path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        digest = hashlib.sha256()
        for table in sorted(tables):
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"):
                digest.update(repr((table, row)).encode())
    return digest.hexdigest()


def test_first_sync_stops_for_the_join_and_sends_nothing(any_server, offline):
    dev = offline(any_server)
    local = local_hamlet_ids(dev)
    fill(dev.services, local["ấp a"], 2)
    dev.sign_in()
    before = _server_count(any_server)
    with pytest.raises(errors.JoinRequired) as raised:
        dev.sync()
    plan = raised.value.plan
    assert plan.first_join and plan.commune_id == "C1" and plan.local_commune_name == "Xã Một"
    matches = {h.name: (h.match, h.households) for h in plan.hamlets}
    assert matches == {"ấp a": ("C1-A", 2), "Ấp Mới": (None, 0)}
    assert {h.id for h in plan.server_hamlets} == {"C1-A", "C1-B", "C1-C"}
    assert _server_count(any_server) == before  # no push
    assert dev.outbox_states() == {"pending": 2 * 6}
    with dev.store.read() as conn:
        assert joined_commune(conn) is None
        assert conn.exec_driver_sql("SELECT count(*) FROM areas WHERE local = 0").scalar() == 0


def test_joined_hamlet_goes_whole_and_the_unmatched_one_is_held(any_server, offline):
    dev = offline(any_server)
    local = local_hamlet_ids(dev)
    first = fill(dev.services, local["ấp a"], 15, tag="a")
    second = fill(dev.services, local["Ấp Mới"], 15, tag="m")
    dev.sign_in()
    with pytest.raises(errors.JoinRequired) as raised:
        dev.sync()
    result = dev.session.join(raised.value.plan, {})
    assert (result.matched, result.unmatched, result.households) == (1, 1, 15)
    rows_before = dev.rows()

    report = dev.sync()
    assert report.held == 15 * 6 and report.rejected == 0
    theirs = server_rows(dev.url)
    assert set(first) <= set(theirs["households"]) and not set(second) & set(theirs["households"])
    mine = dev.rows()
    for table, rows in rows_before.items():  # nothing lost: every local row is still here
        assert set(rows) <= set(mine[table]), table
    with dev.store.read() as conn:
        assert counts(conn).held == 15 * 6 and counts(conn).unsent == 0
        assert joined_commune(conn) == "C1"
        areas = dict(
            conn.exec_driver_sql("SELECT id, parent_id FROM areas WHERE kind='hamlet'").all()
        )
        communes = conn.exec_driver_sql("SELECT id FROM areas WHERE kind = 'commune'").all()
    assert areas[local["Ấp Mới"]] == "C1" and local["ấp a"] not in areas  # one commune only
    assert communes == [("C1",)]
    assert_converged(dev)  # the rest agrees with the server, held rows aside


def test_an_account_of_another_commune_changes_nothing(any_server, offline):
    dev = offline(any_server)
    fill(dev.services, local_hamlet_ids(dev)["ấp a"], 2)
    before, pushes = _profile_dump(dev), _server_count(any_server)
    dev.username = "leader2"  # Xã Hai's leader
    with pytest.raises(errors.WrongCommune) as raised:
        dev.sign_in()  # the login answer names the account's commune
    assert "Xã Một" in raised.value.message_vi and "Xã Hai" in raised.value.message_vi
    assert _profile_dump(dev) == before
    assert _server_count(any_server) == pushes


def test_a_joined_profile_refuses_its_account_moved_to_another_commune(server, offline):
    dev = offline(server)
    dev.sign_in()
    with pytest.raises(errors.JoinRequired) as raised:
        dev.sync()
    dev.session.join(raised.value.plan, {})
    dev.sync()
    fill(dev.services, "C1-A", 1)  # unsent work when the account moves
    before, pushes = _profile_dump(dev), _server_count(server)
    add_user(server, "leader", "leader", commune="C2")
    with pytest.raises(errors.WrongCommune) as raised:
        dev.sync()
    assert "Xã Một" in raised.value.message_vi and "Xã Hai" in raised.value.message_vi
    assert _profile_dump(dev) == before and _server_count(server) == pushes
