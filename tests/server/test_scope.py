"""Roles and scope: volunteers stay in their hamlets, viewers see aggregates only."""

from __future__ import annotations

from gocua import ids
from tests.server.world import household, new_id, person


def test_volunteer_of_hamlet_a_neither_reads_nor_writes_hamlet_b(device):
    a, b = device("vol_a"), device("vol_b")
    in_b = new_id()
    b.push_one("households", in_b, household("C1-B"))
    assert [c for c in a.pull_all(None) if c["id"] == in_b] == []
    assert a.get("/api/v1/sync/summary").json()["tables"]["households"]["count"] == 0
    # Neither creating in B, nor editing B's row, nor adding a person to B's household.
    assert a.push_one("households", new_id(), household("C1-B"))["code"] == "forbidden_scope"
    assert a.push_one("households", in_b, {"note": "x"})["code"] == "forbidden_scope"
    assert a.push_one("households", in_b, op="delete")["code"] == "forbidden_scope"
    assert a.push_one("persons", new_id(), person(in_b))["code"] == "forbidden_scope"
    sid = ids.support_item_id(in_b, "zalo_group")
    item = {
        "subject_type": "household",
        "subject_id": in_b,
        "item_code": "zalo_group",
        "state": "done",
    }
    assert a.push_one("support_items", sid, item)["code"] == "forbidden_scope"


def test_targets_are_for_leaders(device):
    leader, a = device("leader"), device("vol_a")
    target = {"area_id": "C1", "indicator_code": "ehealth", "period": "2026", "percent": 85}
    tid = ids.target_id("C1", "ehealth", "2026")
    assert a.push_one("targets", tid, target)["code"] == "forbidden_scope"
    assert leader.push_one("targets", tid, target)["status"] == "applied"
    wrong = leader.push_one("targets", new_id(), target)
    assert wrong["code"] == "invalid_id"
    elsewhere = {**target, "area_id": "C2"}
    other = leader.push_one("targets", ids.target_id("C2", "ehealth", "2026"), elsewhere)
    assert other["code"] == "forbidden_scope"
    # Volunteers read the commune's targets (figures, not personal data).
    assert [c["id"] for c in a.pull_all(None)] == [tid]


def test_leader_reads_the_whole_commune_but_not_another(device):
    a, b, leader, leader2 = device("vol_a"), device("vol_b"), device("leader"), device("leader2")
    ha, hb = new_id(), new_id()
    a.push_one("households", ha, household("C1-A"))
    b.push_one("households", hb, household("C1-B"))
    assert {c["id"] for c in leader.pull_all(None)} == {ha, hb}
    assert leader2.pull_all(None) == []
    assert leader2.push_one("households", ha, {"note": "x"})["code"] == "forbidden_scope"


def test_province_viewer_reads_no_personal_rows(device):
    viewer = device("viewer")
    assert viewer.pull_raw(None).status_code == 403
    assert viewer.pull_raw(None).json()["error"] == "forbidden"
    assert viewer.push_raw(viewer.mutation("households", new_id(), household())).status_code == 403
    assert viewer.get("/api/v1/sync/summary").status_code == 403
    assert viewer.get("/api/v1/conflicts").status_code == 403
    report = viewer.get("/api/v1/reports/coverage", params={"area": "P1", "period": "2026"})
    assert report.status_code == 200
    assert {r["area_id"] for r in report.json()["rows"]} == {"P1", "C1", "C2"}


def test_hello_lists_the_scope_areas_and_the_communes_users(device):
    a, viewer = device("vol_a"), device("viewer")
    assert {x["id"] for x in a.hello_answer["areas"]} == {"P1", "C1", "C1-A"}
    users = {u["display_name"] for u in a.hello_answer["users"]}
    assert "Leader" in users and "Leader2" not in users
    assert set(a.hello_answer["users"][0]) == {"id", "display_name", "role"}
    assert {x["id"] for x in viewer.hello_answer["areas"]} == {
        "P1",
        "C1",
        "C1-A",
        "C1-B",
        "C1-C",
        "C2",
        "C2-A",
    }


def test_login_and_hello_name_the_commune_and_list_its_retired_hamlets(device):
    admin = device("admin")
    made = admin.post("/api/v1/admin/hamlets", {"name": "Ấp Cũ"}).json()["hamlet"]["id"]
    assert admin.post(f"/api/v1/admin/hamlets/{made}/retire", {}).status_code == 200
    a, viewer, leader = device("vol_a"), device("viewer"), device("leader")
    assert a.user["commune_name"] == "Xã Một"
    assert a.hello_answer["user"] == a.user
    assert viewer.user["commune_name"] is None
    assert viewer.hello_answer["user"]["commune_name"] is None
    # A volunteer keeps the names of the commune's retired hamlets for past reports.
    areas = {x["id"]: x for x in a.hello_answer["areas"]}
    assert set(areas) == {"P1", "C1", "C1-A", made}
    assert areas[made] == {
        "id": made,
        "kind": "hamlet",
        "name": "Ấp Cũ",
        "parent_id": "C1",
        "retired": True,
        "merged_into": None,
    }
    assert areas["C1-A"]["retired"] is False and areas["C1-A"]["merged_into"] is None
    assert made in {x["id"] for x in leader.hello_answer["areas"]}
    assert made in {x["id"] for x in viewer.hello_answer["areas"]}
    assert made not in {x["id"] for x in device("leader2").hello_answer["areas"]}
