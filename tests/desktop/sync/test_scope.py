"""A volunteer moved to another hamlet (Must show 5): the old hamlet's rows leave the device,
except rows with unsent changes, which are pushed first; a change the server then refuses
because the hamlet is no longer the volunteer's is held with its row, never lost (SYNC.md)."""

from __future__ import annotations

import os
import subprocess
import sys

from desktop.store.state_keys import SCOPE_HAMLETS
from tests.desktop.sync.conftest import assert_converged
from tests.desktop.sync.test_pulled_facts import facts_agree
from tests.server.world import PASSWORD
from tests.support.server_process import CHEAP_PASSWORDS, ROOT


def add_user(server, username: str, role: str, *, commune: str = "C1", hamlets: str = "") -> None:
    """What an administrator runs: ``add-user`` again, with a new role, commune or hamlets."""
    env = {**os.environ, **CHEAP_PASSWORDS}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [
        sys.executable,
        "-m",
        "server.cli",
        "add-user",
        username,
        "--role",
        role,
        "--commune",
        commune,
        "--database",
        server.database_url,
    ]
    if hamlets:
        command += ["--hamlets", hamlets]
    subprocess.run(
        command,
        input=PASSWORD + "\n",
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def reassign(server, username: str, hamlets: str) -> None:
    add_user(server, username, "volunteer", hamlets=hamlets)


def _world(any_server, device):
    leader = device(any_server, "leader")
    homes = {}
    for hamlet in ("C1-A", "C1-B"):
        homes[hamlet] = leader.services.register_household(
            hamlet,
            f"Số 3, ấp {hamlet}",
            members=[
                {"full_name": "Võ Văn Năm", "relation": "head"},
                {"full_name": "Võ Thị Sáu", "relation": "spouse"},
            ],
        )
    for person in leader.rows()["persons"]:
        leader.services.set_item_state("person", person, "vneid_l1", "done")
    leader.sync()
    return leader, homes


def _persons_of(dev, household):
    return sorted(p for p, r in dev.rows()["persons"].items() if r["household_id"] == household)


def test_moved_volunteer_loses_the_old_hamlet_and_gains_the_new(any_server, device):
    leader, homes = _world(any_server, device)
    dev = device(any_server, "vol_a")
    assert set(dev.rows()["households"]) == {homes["C1-A"]}

    reassign(any_server, "vol_a", "C1-B")
    report = dev.sync()
    assert set(dev.rows()["households"]) == {homes["C1-B"]}
    assert report.full_pull and report.checksum_ok is True
    assert dev.state(SCOPE_HAMLETS) == ["C1-B"]
    assert_converged(dev)
    facts_agree(dev)  # the swept rows no longer count in the coverage facts


def test_unsent_changes_in_the_old_hamlet_are_held_and_go_when_it_is_theirs_again(
    any_server, device
):
    """The change is pushed before the rows leave. The user no longer writes in that hamlet,
    so the server refuses it (``forbidden_scope``), a cause the device can fix: the edit is
    held with its row, the rest of the old hamlet leaves, the summary still agrees, and when
    the volunteer is given the hamlet back the edit reaches the server."""
    leader, homes = _world(any_server, device)
    dev = device(any_server, "vol_a")
    first, _ = _persons_of(dev, homes["C1-A"])
    dev.services.update_person(first, phone="0909123456")  # unsent when the move happens

    reassign(any_server, "vol_a", "C1-B")
    report = dev.sync()
    assert (report.held, report.pushed, report.rejected) == (1, 0, 0)
    (mutation,) = dev.outbox()
    assert mutation["row_id"] == first and mutation["fields"] == {"phone": "0909123456"}
    assert (mutation["state"], mutation["result_code"]) == ("held", "forbidden_scope")
    assert mutation["result_message"]
    assert dev.rows()["persons"][first]["phone"] == "0909123456"  # kept, with the edit
    assert set(dev.rows()["households"]) == {homes["C1-B"]}
    assert report.checksum_ok is True  # the kept row is outside the summed scope
    assert dev.server_summary()["tables"] == dev.checksums()

    reassign(any_server, "vol_a", "C1-A")
    report = dev.sync()
    assert report.released == 1 and report.held == 0
    assert [m["state"] for m in dev.outbox()] == ["superseded", "acked"]
    assert leader.sync() and leader.rows()["persons"][first]["phone"] == "0909123456"
    assert_converged(dev)


def test_an_eviction_keeps_a_row_edited_during_the_sync_until_it_is_pushed(any_server, device):
    """A change made while the sync runs (the app syncs in the background) is still unsent when
    the eviction arrives: the row stays, and goes once the change is pushed."""
    leader, homes = _world(any_server, device)
    dev = device(any_server, "vol_a")
    first, _ = _persons_of(dev, homes["C1-A"])
    reassign(any_server, "vol_a", "C1-B")
    edited = []

    def edit_while_syncing(phase, done, total):
        if not edited:
            dev.services.update_person(first, note="sửa trong lúc đồng bộ")
            edited.append(phase)

    dev.sync(progress=edit_while_syncing)
    assert edited == ["pull"]
    assert first in dev.rows()["persons"]  # kept: it has unsent changes
    assert dev.outbox_states()["pending"] == 1

    dev.sync()  # refused: no longer vol_a's hamlet; held with its row, not lost
    assert dev.outbox_states().get("pending", 0) == 0 and dev.outbox_states()["held"] == 1
    assert dev.rows()["persons"][first]["note"] == "sửa trong lúc đồng bộ"
    assert set(dev.rows()["households"]) == {homes["C1-B"]}
    assert_converged(dev)


def test_a_household_moved_away_is_evicted_but_an_unsent_edit_holds_its_row(any_server, device):
    """The incremental path: the leader moves a household to hamlet B; vol_a's device gets
    ``evict`` for it and its members. A member edited while that pull runs stays (unsent
    change) and goes after its change is sent (rejected: no longer vol_a's to write)."""
    leader, homes = _world(any_server, device)
    dev = device(any_server, "vol_a")
    first, second = _persons_of(dev, homes["C1-A"])
    leader.services.update_household(homes["C1-A"], hamlet_id="C1-B")
    leader.sync()
    edited = []

    def edit_while_pulling(phase, done, total):
        if phase == "pull" and not edited and first in dev.rows()["persons"]:
            dev.services.update_person(first, note="sửa trong lúc đồng bộ")
            edited.append(done)

    report = dev.engine_sync(page_size=1, progress=edit_while_pulling)
    assert edited and not report.full_pull
    assert report.kept == 1 and report.evicted == 4  # the household, the other member, 2 items
    assert set(dev.rows()["persons"]) == {first} and dev.rows()["households"] == {}

    report = dev.engine_sync()
    (*_, mutation) = dev.outbox()
    assert (mutation["state"], mutation["result_code"]) == ("held", "forbidden_scope")
    assert set(dev.rows()["persons"]) == {first}  # held with the volunteer's note
    assert dev.rows()["persons"][first]["note"] == "sửa trong lúc đồng bộ"
    assert dev.server_summary()["tables"] == dev.checksums()
    facts_agree(dev)
    assert leader.rows()["households"][homes["C1-A"]]["hamlet_id"] == "C1-B"
