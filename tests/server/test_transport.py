"""Transport: login and tokens, the rate limit, JSON errors everywhere, size limit, gzip,
protocol version, health and an unreachable database."""

from __future__ import annotations

import gzip
import json
import time
import warnings

import pytest

from server.api import create_app
from server.models import tokens_t
from server.settings import Settings
from tests.server.world import CHEAP, PASSWORD, Device, household, new_id
from tests.support.postgres import free_port

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def _login(http, username="vol_a", password=PASSWORD):
    return http.post(
        "/api/v1/auth/login", json={"username": username, "password": password, "device_name": "t"}
    )


def test_login_answers_token_user_and_expiry(http):
    answer = _login(http)
    assert answer.status_code == 200
    body = answer.json()
    assert len(body["token"]) >= 40 and body["expires_at"].endswith("Z")
    assert body["user"]["username"] == "vol_a" and body["user"]["hamlet_ids"] == ["C1-A"]
    assert answer.headers["content-type"] == "application/json; charset=utf-8"


def test_wrong_password_and_unknown_user_are_invalid_credentials(http):
    for username, password in (("vol_a", "nope"), ("nobody", PASSWORD)):
        answer = _login(http, username, password)
        assert answer.status_code == 401
        assert answer.json()["error"] == "invalid_credentials"


def test_ten_failures_lock_the_username_even_for_the_right_password(http):
    for _ in range(10):
        assert _login(http, "vol_b", "wrong").status_code == 401
    answer = _login(http, "vol_b", PASSWORD)
    assert answer.status_code == 429
    body = answer.json()
    assert body["error"] == "too_many_attempts"
    assert isinstance(body["retry_after"], int) and 800 < body["retry_after"] <= 900
    assert _login(http, "vol_a").status_code == 200  # other usernames are not affected


def test_logout_revokes_the_token(http):
    d = Device(http, "vol_a")
    assert d.post("/api/v1/auth/logout", {}).status_code == 204
    answer = d.get("/api/v1/sync/summary")
    assert answer.status_code == 401 and answer.json()["error"] == "unauthorized"


def test_missing_malformed_and_expired_tokens_are_401(http, app):
    assert http.get("/api/v1/sync/summary").status_code == 401
    assert http.get("/api/v1/sync/summary", headers={"Authorization": "Basic x"}).status_code == 401
    bogus = {"Authorization": "Bearer not-a-token"}
    assert http.get("/api/v1/sync/summary", headers=bogus).json()["error"] == "unauthorized"
    token = _login(http).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert http.get("/api/v1/sync/summary", headers=bearer).status_code == 200
    # Its expiry moved into the past (rather than a zero lifetime and a sleep: no clock race).
    with app.state.engine.begin() as conn:
        conn.execute(tokens_t.update().values(expires_at=time.time() - 1))
    answer = http.get("/api/v1/sync/summary", headers=bearer)
    assert answer.status_code == 401 and answer.json()["error"] == "unauthorized"


def test_unsupported_protocol_is_426(http):
    d = Device(http, "vol_a")
    answer = d.post("/api/v1/sync/hello", {"client_id": None, "app_version": "9", "protocol": 2})
    assert answer.status_code == 426
    assert answer.json()["error"] == "upgrade_required" and answer.json()["min_protocol"] == 1


def test_hello_checks_the_token_before_the_protocol(http):
    body = {"client_id": None, "app_version": "9", "protocol": 2}
    answer = http.post(
        "/api/v1/sync/hello", json=body, headers={"Authorization": "Bearer not-a-token"}
    )
    assert answer.status_code == 401 and answer.json()["error"] == "unauthorized"
    assert http.post("/api/v1/sync/hello", json=body).status_code == 401


def test_hello_keeps_a_known_client_and_refuses_another_users(http):
    a = Device(http, "vol_a")
    assert a.hello(a.client_id)["client_id"] == a.client_id
    b = Device(http, "vol_b")
    answer = b.post(
        "/api/v1/sync/hello", {"client_id": a.client_id, "app_version": "t", "protocol": 1}
    )
    assert (answer.status_code, answer.json()["error"]) == (409, "client_mismatch")
    lost = new_id()  # registered as it is: say, a registration a restored backup lost
    assert b.hello(lost)["client_id"] == lost


def test_json_errors_for_unknown_paths_and_methods(http):
    missing = http.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    wrong_method = http.get("/api/v1/sync/push")
    assert wrong_method.status_code == 405 and wrong_method.json()["error"] == "method_not_allowed"


def test_body_over_8_mib_is_413(http):
    d = Device(http, "vol_a")
    big = {"client_id": d.client_id, "epoch": d.epoch, "mutations": [], "pad": "x" * (8 << 20)}
    answer = d.post("/api/v1/sync/push", big)
    assert answer.status_code == 413 and answer.json()["error"] == "too_large"
    bomb = gzip.compress(b" " * (9 << 20))
    answer = http.post(
        "/api/v1/sync/push",
        content=bomb,
        headers={**d.headers, "Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert answer.status_code == 413


def test_gzip_response_when_asked(http):
    d = Device(http, "vol_a")
    for _ in range(10):
        d.push_one("households", new_id(), household())
    answer = d.http.post(
        "/api/v1/sync/pull",
        json={"client_id": d.client_id, "cursor": None},
        headers={**d.headers, "Accept-Encoding": "gzip"},
    )
    assert answer.headers["content-encoding"] == "gzip"
    assert len(answer.json()["changes"]) == 10


def test_healthz(http):
    answer = http.get("/api/v1/healthz")
    assert answer.json() == {"status": "ok", "database": "ok"}


@pytest.mark.postgres
def test_unreachable_database_is_503_with_retry_after():
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nothing"
    app = create_app(Settings(database_url=url, **CHEAP))
    with TestClient(app, raise_server_exceptions=False) as http:
        health = http.get("/api/v1/healthz")
        assert health.status_code == 503 and health.json()["database"] == "unreachable"
        body = {"client_id": new_id(), "epoch": new_id(), "mutations": []}
        push = http.post("/api/v1/sync/push", json=body, headers={"Authorization": "Bearer x"})
        assert push.status_code == 503 and push.json()["error"] == "unavailable"
        assert int(push.headers["retry-after"]) > 0
    app.state.engine.dispose()
    _ = json


def test_nul_characters_and_huge_numbers_are_never_a_500(http):
    d = Device(http, "vol_a")
    login = _login(http, "vol\x00a")
    assert login.status_code in (401, 422)
    hello = d.post("/api/v1/sync/hello", {"client_id": "x\x00y", "app_version": "t", "protocol": 1})
    assert hello.status_code in (200, 422)
    pushed = d.push_raw({**d.mutation("households", new_id(), household()), "row_id": "a\x00"})
    assert pushed.status_code == 200 and pushed.json()["results"][0]["code"] == "invalid_id"
    leader = Device(http, "leader")
    assert leader.get("/api/v1/history/households/a%00b").status_code in (404, 422)
    assert leader.post("/api/v1/conflicts/a%00b/resolve", {"value": 1}).status_code in (404, 422)
    report = leader.get("/api/v1/reports/coverage", params={"area": "C\x001", "period": "2026"})
    assert report.status_code in (403, 422)
    import base64

    cursor = base64.urlsafe_b64encode(json.dumps([0, 10**30, "", "", "x", "y"]).encode()).decode()
    assert d.pull_raw(cursor).json()["error"] == "reset_required"
