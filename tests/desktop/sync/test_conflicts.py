"""Two devices edit one person offline (Must show 1), on SQLite and PostgreSQL servers."""

from __future__ import annotations

from tests.desktop.sync.conftest import assert_converged


def _shared_person(any_server, device):
    a, b = device(any_server, "vol_a"), device(any_server, "vol_a2")
    household = a.services.register_household(
        "C1-A", "Số 12, đường liên ấp", members=[{"full_name": "Trần Thị Hoa", "relation": "head"}]
    )
    a.sync()
    b.sync()
    (person_id,) = b.rows()["persons"]
    assert b.rows()["households"].keys() == {household}
    return a, b, person_id


def test_edits_of_different_fields_are_both_kept(any_server, device):
    a, b, person = _shared_person(any_server, device)
    a.services.update_person(person, phone="0912345678")
    b.services.update_person(person, cccd="092123456789", has_smartphone=True)

    ra, rb = a.sync(), b.sync()
    a.sync()
    assert (ra.conflicts, rb.conflicts, ra.rejected, rb.rejected) == (0, 0, 0, 0)
    for dev in (a, b):
        got = dev.rows()["persons"][person]
        assert (got["phone"], got["cccd"], got["has_smartphone"]) == (
            "0912345678",
            "092123456789",
            True,
        )
    assert a.rows() == b.rows()
    assert_converged(b, assert_converged(a))
    leader = device(any_server, "leader")
    assert leader.client().conflicts() == []


def test_same_field_one_winner_the_loser_is_a_conflict_the_leader_resolves(any_server, device):
    a, b, person = _shared_person(any_server, device)
    a.services.update_person(person, full_name="Trần Thị Hoa A")
    b.services.update_person(person, full_name="Trần Thị Hoa B")  # later HLC: wins

    ra = a.sync()
    rb = b.sync()
    a.sync()
    assert ra.conflicts == 0 and rb.conflicts == 1
    assert [m["result_status"] for m in b.outbox()][-1] == "conflict"
    winner = a.rows()["persons"][person]["full_name"]
    assert winner == b.rows()["persons"][person]["full_name"] == "Trần Thị Hoa B"
    assert a.rows() == b.rows()

    leader = device(any_server, "leader")
    client = leader.client()
    (conflict,) = client.conflicts()
    assert conflict["row_id"] == person and conflict["table"] == "persons"
    assert conflict["field"] == "full_name" and conflict["status"] == "open"
    assert (conflict["winning_value"], conflict["losing_value"]) == (
        "Trần Thị Hoa B",
        "Trần Thị Hoa A",
    )
    users = {u["id"]: u for u in _hello_users(client)}
    assert users[conflict["winner_user"]]["display_name"] == "Vol_A2"
    assert users[conflict["loser_user"]]["display_name"] == "Vol_A"

    resolved = client.resolve_conflict(conflict["id"], {"value": "Trần Thị Hoa"})
    assert resolved["status"] == "resolved"
    # Resolving again with the same value answers the same and writes nothing.
    version = leader.server_summary()["version"]
    assert client.resolve_conflict(conflict["id"], {"value": "Trần Thị Hoa"})["status"] == (
        "resolved"
    )
    assert leader.server_summary()["version"] == version
    assert client.conflicts() == []
    assert [c["id"] for c in client.conflicts("resolved")] == [conflict["id"]]
    client.close()

    for dev in (a, b, leader):
        dev.sync()
    expected = assert_converged(a)
    assert expected["persons"][person]["full_name"] == "Trần Thị Hoa"
    assert_converged(b, expected)
    assert_converged(leader)
    assert a.rows() == b.rows()


def _hello_users(client) -> list[dict]:
    return client.hello(None)["users"]
