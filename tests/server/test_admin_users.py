"""Commune administration of users: adding, changing, deactivating, resetting a password."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server import passwords
from tests.server.world import PASSWORD, Device, user_id

U = "/api/v1/admin/users"
AUDIT = "/api/v1/admin/audit"


def _login(http, username: str, password: str):
    return http.post(
        "/api/v1/auth/login", json={"username": username, "password": password, "device_name": "t"}
    )


def _new_user(admin: Device, **extra) -> dict:
    body = {"username": "lan", "display_name": "Chị  Lan", "role": "volunteer"}
    body["hamlet_ids"] = ["C1-B", "C1-A"]
    body.update(extra)
    answer = admin.post(U, body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_list_shows_the_communes_users_only(device):
    admin = device("admin")
    users = admin.get(U).json()["users"]
    assert [u["username"] for u in users] == [
        "admin",
        "leader",
        "vol_a",
        "vol_a2",
        "vol_a3",
        "vol_ab",
        "vol_b",
    ]
    assert users[5] == {
        "id": user_id("vol_ab"),
        "username": "vol_ab",
        "display_name": "Vol_Ab",
        "role": "volunteer",
        "hamlet_ids": ["C1-A", "C1-B"],
        "active": True,
    }


def test_create_shows_a_password_once_that_logs_in(device, http):
    admin = device("admin")
    answer = admin.post(
        U,
        {
            "username": "lan",
            "display_name": "Chị  Lan",
            "role": "volunteer",
            "hamlet_ids": ["C1-B"],
        },
    )
    assert answer.status_code == 201
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert set(body) == {"user", "password"}
    assert body["user"]["display_name"] == "Chị Lan" and body["user"]["hamlet_ids"] == ["C1-B"]
    assert body["user"]["active"] is True and body["user"]["role"] == "volunteer"
    assert _login(http, "lan", body["password"]).status_code == 200
    lan = Device(http, "lan", password=body["password"])
    assert lan.user["commune_id"] == "C1" and lan.user["hamlet_ids"] == ["C1-B"]
    # Shown once: never listed, never in the audit.
    assert body["password"] not in admin.get(U).text
    entry = admin.get(AUDIT).json()["entries"][0]
    assert entry["action"] == "user.create" and entry["target"] == body["user"]["id"]
    assert entry["after"] == {
        "username": "lan",
        "display_name": "Chị Lan",
        "role": "volunteer",
        "hamlet_ids": ["C1-B"],
        "active": True,
    }
    assert body["password"] not in admin.get(AUDIT).text and "argon2" not in admin.get(AUDIT).text


@pytest.mark.parametrize(
    "extra, status, code, field",
    [
        ({"username": "vol_a"}, 409, "username_taken", "username"),
        ({"username": "VOL_A"}, 409, "username_taken", "username"),
        ({"username": "chị lan"}, 422, "invalid_request", "username"),
        ({"username": ""}, 422, "invalid_request", "username"),
        ({"display_name": " "}, 422, "invalid_request", "display_name"),
        ({"role": "province_viewer"}, 422, "invalid_request", "role"),
        ({"role": "boss"}, 422, "invalid_request", "role"),
        ({"hamlet_ids": []}, 422, "invalid_request", "hamlet_ids"),
        ({"hamlet_ids": ["C2-A"]}, 422, "invalid_request", "hamlet_ids"),
        ({"hamlet_ids": ["C1"]}, 422, "invalid_request", "hamlet_ids"),
        ({"role": "leader", "hamlet_ids": ["C1-A"]}, 422, "invalid_request", "hamlet_ids"),
    ],
)
def test_create_refusals_name_the_field(http, extra, status, code, field):
    admin = Device(http, "admin")
    body = {"username": "lan", "display_name": "Lan", "role": "volunteer", "hamlet_ids": ["C1-A"]}
    answer = admin.post(U, {**body, **extra})
    assert answer.status_code == status, answer.text
    assert answer.json()["error"] == code and answer.json()["message"].startswith(f"{field}: ")
    assert admin.get(AUDIT).json()["entries"] == []


def test_a_retired_hamlet_is_not_assignable(device):
    admin = device("admin")
    assert admin.post("/api/v1/admin/hamlets/C1-C/retire", {}).status_code == 200
    answer = admin.post(
        U, {"username": "lan", "display_name": "Lan", "role": "volunteer", "hamlet_ids": ["C1-C"]}
    )
    assert answer.status_code == 422 and "C1-C is retired" in answer.json()["message"]


def test_patch_changes_name_role_and_hamlets_and_audits_them(device):
    admin, b = device("admin"), device("vol_b")
    cursor = b.pull_raw(None).json()["next_cursor"]
    target = f"{U}/{user_id('vol_b')}"
    moved = admin.patch(target, {"hamlet_ids": ["C1-C"], "display_name": "Anh Bảy"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["user"]["hamlet_ids"] == ["C1-C"]
    assert moved.json()["user"]["display_name"] == "Anh Bảy"
    # The volunteer's devices learn it at their next pull (a new scope: start over).
    assert b.pull_raw(cursor).json()["reason"] == "scope_changed"
    promoted = admin.patch(target, {"role": "leader"})
    assert promoted.json()["user"]["role"] == "leader"
    assert promoted.json()["user"]["hamlet_ids"] == []
    back = admin.patch(target, {"role": "volunteer"})
    assert back.status_code == 422 and back.json()["message"].startswith("hamlet_ids: ")
    assert admin.patch(target, {"role": "volunteer", "hamlet_ids": ["C1-B"]}).status_code == 200
    same = admin.patch(target, {"role": "volunteer"})
    assert same.status_code == 200
    entries = admin.get(AUDIT).json()["entries"]
    assert [(e["action"], e["before"], e["after"]) for e in entries] == [
        (
            "user.update",
            {"role": "leader", "hamlet_ids": []},
            {"role": "volunteer", "hamlet_ids": ["C1-B"]},
        ),
        (
            "user.update",
            {"role": "volunteer", "hamlet_ids": ["C1-C"]},
            {"role": "leader", "hamlet_ids": []},
        ),
        (
            "user.update",
            {"display_name": "Vol_B", "hamlet_ids": ["C1-B"]},
            {"display_name": "Anh Bảy", "hamlet_ids": ["C1-C"]},
        ),
    ]


def test_patch_refusals(device):
    admin = device("admin")
    me = f"{U}/{user_id('admin')}"
    for body in ({"role": "leader"}, {"active": False}):
        answer = admin.patch(me, body)
        assert answer.status_code == 409 and answer.json()["error"] == "cannot_change_self"
    assert admin.patch(me, {"display_name": "Chủ tịch"}).status_code == 200
    assert admin.patch(f"{U}/{user_id('leader2')}", {"display_name": "x"}).status_code == 404
    assert admin.patch(f"{U}/{user_id('viewer')}", {"display_name": "x"}).status_code == 404
    target = f"{U}/{user_id('vol_a')}"
    for body in ({"display_name": None}, {"active": "no"}, {"colour": "red"}, {"role": 3}):
        answer = admin.patch(target, body)
        assert answer.status_code == 422 and answer.json()["error"] == "invalid_request", body
    null = admin.patch(target, {"hamlet_ids": None}).json()
    assert null["message"].startswith("hamlet_ids: ")


def test_deactivation_revokes_tokens_and_blocks_login(served):
    admin, a = Device(served, "admin"), Device(served, "vol_a")
    assert a.get("/api/v1/sync/summary").status_code == 200
    off = admin.patch(f"{U}/{user_id('vol_a')}", {"active": False})
    assert off.status_code == 200 and off.json()["user"]["active"] is False
    answer = a.get("/api/v1/sync/summary")
    assert answer.status_code == 401 and answer.json()["error"] == "unauthorized"
    assert a.pull_raw(None).status_code == 401
    assert _login(served, "vol_a", PASSWORD).status_code == 401
    entry = admin.get(AUDIT).json()["entries"][0]
    assert entry["action"] == "user.deactivate"
    assert entry["before"] == {"active": True}
    assert entry["after"] == {"active": False, "tokens_revoked": 1}
    # Back on: the old password works again (the old tokens stay revoked).
    assert admin.patch(f"{U}/{user_id('vol_a')}", {"active": True}).status_code == 200
    assert _login(served, "vol_a", PASSWORD).status_code == 200
    assert a.get("/api/v1/sync/summary").status_code == 401


def test_password_reset(served, live_server):
    admin, b = Device(served, "admin"), Device(served, "vol_b")
    for _ in range(3):
        _login(served, "vol_b", "wrong guess")
    answer = admin.post(f"{U}/{user_id('vol_b')}/reset-password", {})
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    new = answer.json()["password"]
    assert _login(served, "vol_b", PASSWORD).status_code == 401
    assert _login(served, "vol_b", new).status_code == 200
    assert b.get("/api/v1/sync/summary").status_code == 401
    assert admin.post(f"{U}/{user_id('leader2')}/reset-password", {}).status_code == 404
    entry = admin.get(AUDIT).json()["entries"][0]
    assert entry["action"] == "user.reset_password" and entry["target"] == user_id("vol_b")
    assert entry["after"] == {"tokens_revoked": 1} and entry["before"] == {}
    assert new not in admin.get(AUDIT).text
    assert new not in live_server.log and PASSWORD not in live_server.log


@given(seed=st.integers(min_value=0, max_value=2**64))
def test_generated_passwords_are_easy_to_read_aloud(seed):
    password = passwords.generate(random.Random(seed).choice)
    groups = password.split("-")
    assert len(groups) == 3 and all(len(g) == 4 for g in groups)
    letters = password.replace("-", "")
    assert len(letters) >= 12 and set(letters) <= set(passwords.ALPHABET)
    # Nothing to mistake or to spell out awkwardly in Vietnamese.
    assert not set(password) & set("01ilofjwzIO ")
    assert password == password.lower()


def test_generated_passwords_differ():
    assert len({passwords.generate() for _ in range(200)}) == 200
