"""Commune administration of hamlets: who may, listing, adding, renaming, retiring, the audit."""

from __future__ import annotations

import shutil
import warnings
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gocua.text import fold
from server.api import create_app
from server.settings import Settings
from tests.server.world import CHEAP, Device, household, new_id

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

H = "/api/v1/admin/hamlets"
U = "/api/v1/admin/users"
AUDIT = "/api/v1/admin/audit"

# Every admin route with a body that would be valid for an admin.
WRITES = [
    ("post", H, {"name": "Ấp Mới"}),
    ("patch", f"{H}/C1-C", {"name": "Ấp Cờ"}),
    ("post", f"{H}/C1-B/merge", {"into": "C1-A"}),
    ("post", f"{H}/C1-B/split", {"parts": [{"name": "Ấp B2", "households": []}]}),
    ("post", f"{H}/C1-C/retire", None),
    ("post", U, {"username": "lan", "display_name": "Lan", "role": "leader", "hamlet_ids": []}),
    ("patch", f"{U}/ID", {"display_name": "X"}),
    ("post", f"{U}/ID/reset-password", None),
]
READS = [H, U, AUDIT]


def _call(d: Device, method: str, path: str, body):
    path = path.replace("ID", d.hello_answer["users"][0]["id"])
    if method == "post":
        return d.post(path, body if body is not None else {})
    return d.patch(path, body)


def _state(admin: Device) -> tuple:
    hamlets = admin.get(H).json()
    users = admin.get(U).json()
    audit = admin.get(AUDIT).json()
    return hamlets, users, audit


def test_volunteers_and_province_viewers_get_403_and_nothing_is_written(device):
    admin = device("admin")
    before = _state(admin)
    for username in ("vol_a", "viewer"):
        d = device(username)
        for method, path, body in WRITES:
            answer = _call(d, method, path, body)
            assert answer.status_code == 403, (username, path, answer.text)
            assert answer.json()["error"] == "forbidden" and answer.json()["message"]
        for path in READS:
            assert d.get(path).status_code == 403
    assert _state(admin) == before
    assert before[2]["entries"] == []


def test_a_leader_lists_and_adds_hamlets_and_nothing_else(device):
    leader = device("leader")
    assert leader.get(H).status_code == 200
    added = leader.post(H, {"name": "Ấp Mới"})
    assert added.status_code == 201, added.text
    for method, path, body in WRITES[1:]:
        answer = _call(leader, method, path, body)
        assert answer.status_code == 403, (path, answer.text)
    assert leader.get(U).status_code == 403 and leader.get(AUDIT).status_code == 403
    entries = device("admin").get(AUDIT).json()["entries"]
    assert [e["action"] for e in entries] == ["hamlet.create"]
    assert entries[0]["user_id"] == leader.user["id"]


def test_leaders_manage_lets_leaders_do_what_admins_do(settings):
    app = create_app(replace(settings, leaders_manage=True))
    try:
        with TestClient(app, raise_server_exceptions=False) as http:
            leader = Device(http, "leader")
            assert leader.get(U).status_code == 200
            renamed = leader.patch(f"{H}/C1-C", {"name": "Ấp Cờ"})
            assert renamed.status_code == 200 and renamed.json()["hamlet"]["name"] == "Ấp Cờ"
            assert leader.get(AUDIT).json()["entries"][0]["action"] == "hamlet.rename"
            # Still only in their own commune, and still not for volunteers.
            assert Device(http, "leader2").patch(f"{H}/C1-C", {"name": "X"}).status_code == 404
            assert Device(http, "vol_a").get(H).status_code == 403
    finally:
        app.state.engine.dispose()


def test_list_shows_counts_and_the_commune(device):
    a, admin = device("vol_a"), device("admin")
    hid = new_id()
    a.push_one("households", hid, household("C1-A"))
    gone = new_id()
    v = a.push_one("households", gone, household("C1-A"))["version"]
    a.push_one("households", gone, op="delete", base=v)
    listed = admin.get(H).json()
    assert listed["commune"] == {"id": "C1", "name": "Xã Một"}
    by_id = {h["id"]: h for h in listed["hamlets"]}
    assert set(by_id) == {"C1-A", "C1-B", "C1-C"}
    # vol_a, vol_a2, vol_a3 and vol_ab; the tombstone does not count.
    assert by_id["C1-A"] == {
        "id": "C1-A",
        "name": "Ấp A",
        "retired": False,
        "merged_into": None,
        "households": 1,
        "volunteers": 4,
    }
    assert by_id["C1-C"]["households"] == 0 and by_id["C1-C"]["volunteers"] == 0
    other = device("leader2").get(H).json()
    assert [h["id"] for h in other["hamlets"]] == ["C2-A"]


def test_create_generates_ids_and_refuses_folded_duplicates(device):
    admin = device("admin")
    first = admin.post(H, {"name": "  Ấp   Bình  Minh "})
    assert first.status_code == 201
    assert first.json()["hamlet"] == {
        "id": "C1-01",
        "name": "Ấp Bình Minh",
        "retired": False,
        "merged_into": None,
        "households": 0,
        "volunteers": 0,
    }
    assert admin.post(H, {"name": "Ấp 2"}).json()["hamlet"]["id"] == "C1-02"
    explicit = admin.post(H, {"name": "Ấp Chín", "id": "C1-09"})
    assert explicit.status_code == 201 and explicit.json()["hamlet"]["id"] == "C1-09"
    assert admin.post(H, {"name": "Ấp Mười"}).json()["hamlet"]["id"] == "C1-10"
    taken = admin.post(H, {"name": "AP BINH MINH"})
    assert taken.status_code == 409
    assert taken.json()["error"] == "name_taken" and taken.json()["hamlet_id"] == "C1-01"
    assert taken.json()["message"].startswith("name: ")
    # An id used anywhere, also in another commune, is taken.
    other = admin.post(H, {"name": "Ấp Khác", "id": "C2-A"})
    assert other.status_code == 409 and other.json()["error"] == "id_taken"
    # Another commune may have a hamlet of the same name.
    assert device("leader2").post(H, {"name": "Ấp Bình Minh"}).status_code == 201


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Ấp\x00"}, "name"),
        ({"name": "Ấp", "id": "has space"}, "id"),
        ({"name": "Ấp", "id": ""}, "id"),
    ],
)
def test_bad_hamlet_input_names_the_field(http, body, field):
    admin = Device(http, "admin")
    answer = admin.post(H, body)
    assert answer.status_code == 422, answer.text
    error = answer.json()
    assert error["error"] == "invalid_request"
    assert error["details"][0]["field"] == field or error["message"].startswith(field)


def test_strict_bodies_refuse_unknown_keys_and_wrong_types(device):
    admin = device("admin")
    for body in ({"name": "Ấp", "colour": "red"}, {"name": 5}, {}):
        answer = admin.post(H, body)
        assert answer.status_code == 422 and answer.json()["error"] == "invalid_request"


def test_rename(device):
    admin = device("admin")
    renamed = admin.patch(f"{H}/C1-C", {"name": "Ấp Cây Dừa"})
    assert renamed.status_code == 200 and renamed.json()["hamlet"]["name"] == "Ấp Cây Dừa"
    # Its own name in another spelling is not a clash; another hamlet's is.
    assert admin.patch(f"{H}/C1-C", {"name": "ap cay dua"}).status_code == 200
    clash = admin.patch(f"{H}/C1-C", {"name": "ấp a"})
    assert clash.status_code == 409 and clash.json()["error"] == "name_taken"
    assert admin.patch(f"{H}/C2-A", {"name": "X"}).status_code == 404
    assert admin.patch(f"{H}/NOPE", {"name": "X"}).status_code == 404
    entries = admin.get(AUDIT).json()["entries"]
    assert [(e["action"], e["before"], e["after"]) for e in entries] == [
        ("hamlet.rename", {"name": "Ấp Cây Dừa"}, {"name": "ap cay dua"}),
        ("hamlet.rename", {"name": "Ấp C"}, {"name": "Ấp Cây Dừa"}),
    ]


def test_retire_only_an_empty_hamlet_and_not_a_volunteers_only_one(device):
    admin, b = device("admin"), device("vol_b")
    hid = new_id()
    b.push_one("households", hid, household("C1-B"))
    full = admin.post(f"{H}/C1-B/retire", {})
    assert full.status_code == 409
    assert full.json()["error"] == "hamlet_not_empty" and full.json()["households"] == 1
    stranded = admin.post(f"{H}/C1-01/retire", {})
    assert stranded.status_code == 404
    made = admin.post(H, {"name": "Ấp Tạm"}).json()["hamlet"]["id"]
    assert admin.patch(f"{U}/{b.user['id']}", {"hamlet_ids": [made]}).status_code == 200
    blocked = admin.post(f"{H}/{made}/retire", {})
    assert blocked.status_code == 409 and blocked.json()["error"] == "hamlet_has_volunteers"
    assert blocked.json()["volunteers"] == ["vol_b"]
    assert admin.patch(f"{U}/{b.user['id']}", {"hamlet_ids": ["C1-B", made]}).status_code == 200
    retired = admin.post(f"{H}/{made}/retire", {})
    assert retired.status_code == 200, retired.text
    assert retired.json()["hamlet"]["retired"] is True
    assert retired.json()["hamlet"]["merged_into"] is None
    assert admin.get(f"{U}").json()["users"]  # still listed
    mine = next(u for u in admin.get(U).json()["users"] if u["username"] == "vol_b")
    assert mine["hamlet_ids"] == ["C1-B"]
    again = admin.post(f"{H}/{made}/retire", {})
    assert again.status_code == 409 and again.json()["error"] == "hamlet_retired"
    # A retired hamlet's name is free again, and it is listed after the live ones.
    assert admin.post(H, {"name": "Ấp Tạm"}).status_code == 201
    assert admin.get(H).json()["hamlets"][-1]["id"] == made


def test_audit_is_newest_first_limited_and_per_commune(device):
    admin = device("admin")
    for n in range(3):
        admin.post(H, {"name": f"Ấp số {n}"})
    entries = admin.get(AUDIT, params={"limit": 2}).json()["entries"]
    assert [e["after"]["name"] for e in entries] == ["Ấp số 2", "Ấp số 1"]
    assert set(entries[0]) == {"id", "at", "user_id", "action", "target", "before", "after"}
    assert entries[0]["at"].endswith("Z") and entries[0]["user_id"] == admin.user["id"]
    assert entries[0]["target"] == entries[0]["after"]["id"]
    for bad in (0, 1001, "x"):
        assert admin.get(AUDIT, params={"limit": bad}).status_code == 422


# Names a commune may type: Vietnamese letters in both cases, spaces, digits.
_letters = st.sampled_from(
    list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯáàảãạấầẩẫậéèẻẽẹíìóòốồớờúùứừýỳ")
)
# Up to 90 symbols of at most 2 characters: always within the 200 a name may have.
_symbols = st.one_of(_letters, st.sampled_from([" ", "  ", "1", "2"]))
_names = st.lists(_symbols, min_size=1, max_size=90).map("".join)


@given(names=st.lists(_names, min_size=1, max_size=6))
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_names_clash_exactly_when_they_fold_alike(
    sqlite_template, tmp_path_factory, names
):
    path = tmp_path_factory.mktemp("names") / "db.sqlite"
    shutil.copy(sqlite_template, path)
    app = create_app(Settings(database_url=f"sqlite:///{path}", **CHEAP))
    try:
        with TestClient(app, raise_server_exceptions=False) as http:
            admin = Device(http, "admin")
            live = {fold(n) for n in ("Ấp A", "Ấp B", "Ấp C")}
            for name in names:
                answer = admin.post(H, {"name": name})
                folded = fold(name)
                if not folded:
                    assert answer.status_code == 422
                elif folded in live:
                    assert answer.status_code == 409 and answer.json()["error"] == "name_taken"
                else:
                    assert answer.status_code == 201, answer.text
                    assert fold(answer.json()["hamlet"]["name"]) == folded
                    live.add(folded)
    finally:
        app.state.engine.dispose()


def test_every_write_is_audited_with_who_what_before_after_and_no_password(device):
    admin, b = device("admin"), device("vol_b")
    hid = new_id()
    b.push_one("households", hid, household("C1-B"))
    vol_b = b.user["id"]
    steps = [
        ("post", H, {"name": "Ấp Một"}),
        ("patch", f"{H}/C1-01", {"name": "Ấp Một Mới"}),
        ("post", f"{H}/C1-01/retire", {}),
        ("post", f"{H}/C1-B/split", {"parts": [{"name": "B2", "households": [hid]}]}),
        ("post", f"{H}/C1-02/merge", {"into": "C1-B"}),
        ("post", U, {"username": "lan", "display_name": "Lan", "role": "leader"}),
        ("patch", f"{U}/{vol_b}", {"display_name": "Bảy"}),
        ("post", f"{U}/{vol_b}/reset-password", {}),
        ("patch", f"{U}/{vol_b}", {"active": False}),
    ]
    secrets = []
    for method, path, body in steps:
        answer = admin.post(path, body) if method == "post" else admin.patch(path, body)
        assert answer.status_code in (200, 201), (path, answer.text)
        secrets.append(answer.json().get("password"))
    lan = next(u for u in admin.get(U).json()["users"] if u["username"] == "lan")["id"]
    entries = admin.get(AUDIT).json()["entries"][::-1]
    assert [(e["action"], e["target"]) for e in entries] == [
        ("hamlet.create", "C1-01"),
        ("hamlet.rename", "C1-01"),
        ("hamlet.retire", "C1-01"),
        ("hamlet.split", "C1-B"),
        ("hamlet.merge", "C1-02"),
        ("user.create", lan),
        ("user.update", vol_b),
        ("user.reset_password", vol_b),
        ("user.deactivate", vol_b),
    ]
    assert {e["user_id"] for e in entries} == {admin.user["id"]}
    assert entries[1]["before"] == {"name": "Ấp Một"}
    assert entries[1]["after"] == {"name": "Ấp Một Mới"}
    assert entries[2]["before"]["retired"] is False and entries[2]["after"]["retired"] is True
    assert entries[3]["after"]["parts"] == [{"id": "C1-02", "name": "B2", "households": 1}]
    assert entries[4]["after"]["merged_into"] == "C1-B" and entries[4]["after"]["moved"] == 1
    assert entries[6]["before"] == {"display_name": "Vol_B"}
    assert entries[8]["after"]["active"] is False
    text = admin.get(AUDIT).text
    assert all(s not in text for s in secrets if s) and "argon2" not in text
    assert sum(1 for s in secrets if s) == 2
