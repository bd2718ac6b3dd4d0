"""A hamlet merge made by the commune admin reaches the devices (issue 15): the moved households
arrive under the hamlet they went to, the retired one leaves the hamlet lists but keeps its
name, and a volunteer's household made offline in the old hamlet lands in the new one."""

from __future__ import annotations

from desktop.store import queries
from desktop.sync.client import SyncClient
from tests.desktop.sync.conftest import assert_converged
from tests.server.world import PASSWORD


def test_merge_reaches_the_leader_and_the_volunteer_of_the_old_hamlet(any_server, device):
    leader = device(any_server, "leader")
    homes = [leader.services.register_household("C1-C", f"Số {n}, ấp C") for n in range(3)]
    leader.sync()
    vol_b = device(any_server, "vol_b")  # C1-B; will receive C's households after the merge
    late = leader.services.register_household("C1-C", "Số 9, ấp C")  # unsent at the merge

    admin = SyncClient(any_server.base_url)
    admin.login("admin", PASSWORD, "office")
    moved = admin.admin("POST", "/hamlets/C1-C/merge", {"into": "C1-B"})
    admin.close()
    assert moved["moved"] == 3

    leader.sync()  # pushes the late one (into the retired hamlet: written into C1-B), pulls
    rows = leader.rows()["households"]
    assert {rows[h]["hamlet_id"] for h in [*homes, late]} == {"C1-B"}
    with leader.store.read() as conn:
        listed = {h.id for h in queries.hamlets(conn)}
        retired = conn.exec_driver_sql(
            "SELECT name, retired, merged_into FROM areas WHERE id = 'C1-C'"
        ).first()
    assert "C1-C" not in listed and "C1-B" in listed
    assert tuple(retired) == ("Ấp C", 1, "C1-B")  # the name stays for past reports
    assert_converged(leader)

    vol_b.sync()
    assert set(vol_b.rows()["households"]) >= {*homes, late}
    assert_converged(vol_b)
