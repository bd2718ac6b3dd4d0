"""The standard test world (areas and users) and a simulated device speaking SYNC.md.

Used by the server tests with an in-process ``TestClient`` or a real server over ``httpx``
(both have the same ``post``/``get`` API).
"""

from __future__ import annotations

import gzip
import json
import uuid
from typing import Any

from gocua import hlc
from server import admin, schema
from server.db import create_engine
from server.settings import Settings

PASSWORD = "pw-for-tests"
CHEAP = {"argon2_time_cost": 1, "argon2_memory_kib": 1024}

AREAS = [
    {"id": "P1", "kind": "province", "name": "Tỉnh Một", "parent_id": None},
    {"id": "C1", "kind": "commune", "name": "Xã Một", "parent_id": "P1"},
    {"id": "C1-A", "kind": "hamlet", "name": "Ấp A", "parent_id": "C1"},
    {"id": "C1-B", "kind": "hamlet", "name": "Ấp B", "parent_id": "C1"},
    {"id": "C1-C", "kind": "hamlet", "name": "Ấp C", "parent_id": "C1"},
    {"id": "C2", "kind": "commune", "name": "Xã Hai", "parent_id": "P1"},
    {"id": "C2-A", "kind": "hamlet", "name": "Ấp Hai A", "parent_id": "C2"},
]
# username -> (role, commune, hamlets, province)
USERS = {
    "leader": ("leader", "C1", [], None),
    "admin": ("commune_admin", "C1", [], None),
    "vol_a": ("volunteer", "C1", ["C1-A"], None),
    "vol_a2": ("volunteer", "C1", ["C1-A"], None),
    "vol_a3": ("volunteer", "C1", ["C1-A"], None),
    "vol_b": ("volunteer", "C1", ["C1-B"], None),
    "vol_ab": ("volunteer", "C1", ["C1-A", "C1-B"], None),
    "leader2": ("leader", "C2", [], None),
    "viewer": ("province_viewer", None, [], "P1"),
}


def user_id(username: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"gocua-test/{username}"))


def prepare_world(url: str) -> None:
    """Migrate an empty database and add the standard areas and users."""
    engine = create_engine(url)
    settings = Settings(database_url=url, **CHEAP)
    try:
        schema.upgrade(engine)
        admin.load_areas(engine, AREAS)
        for username, (role, commune, hamlets, province) in USERS.items():
            admin.add_user(
                engine,
                settings,
                username,
                PASSWORD,
                role,
                commune_id=commune,
                hamlet_ids=hamlets,
                province_id=province,
                display_name=username.title(),
                user_id=user_id(username),
            )
    finally:
        engine.dispose()


def new_id() -> str:
    return str(uuid.uuid4())


class Device:
    """One laptop: logged in, registered by hello, numbering its own mutations."""

    def __init__(self, http, username: str, password: str = PASSWORD, client_id: str | None = None):
        self.http, self.username = http, username
        answer = http.post(
            "/api/v1/auth/login",
            json={"username": username, "password": password, "device_name": f"{username}-laptop"},
        )
        assert answer.status_code == 200, answer.text
        self.token = answer.json()["token"]
        self.user = answer.json()["user"]
        self.headers = {"Authorization": f"Bearer {self.token}"}
        self.hello_answer = self.hello(client_id)
        self.client_id = self.hello_answer["client_id"]
        self.epoch = self.hello_answer["epoch"]
        self.next_id = self.hello_answer["last_mutation_id"] + 1
        self.clock = hlc.Clock(hlc.node_for_client(self.client_id))
        self.cursor: str | None = None

    def hello(self, client_id: str | None = None) -> dict:
        answer = self.post(
            "/api/v1/sync/hello", {"client_id": client_id, "app_version": "test", "protocol": 1}
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    def post(self, path: str, body: Any, **kwargs):
        return self.http.post(path, json=body, headers=self.headers, **kwargs)

    def get(self, path: str, **kwargs):
        return self.http.get(path, headers=self.headers, **kwargs)

    def patch(self, path: str, body: Any, **kwargs):
        return self.http.patch(path, json=body, headers=self.headers, **kwargs)

    def mutation(
        self,
        table: str,
        row_id: str,
        fields: dict | None = None,
        *,
        op: str = "upsert",
        base: int = 0,
        stamp: str | None = None,
    ) -> dict:
        m = {
            "id": self.next_id,
            "hlc": stamp or self.clock.now(),
            "table": table,
            "row_id": row_id,
            "op": op,
            "base_version": base,
            "fields": fields or {},
        }
        self.next_id += 1
        return m

    def push_raw(self, *mutations: dict, epoch: str | None = None, gzipped: bool = False):
        body = {
            "client_id": self.client_id,
            "epoch": epoch or self.epoch,
            "mutations": list(mutations),
        }
        if gzipped:
            payload = gzip.compress(json.dumps(body).encode())
            headers = {
                **self.headers,
                "Content-Encoding": "gzip",
                "Content-Type": "application/json",
            }
            return self.http.post("/api/v1/sync/push", content=payload, headers=headers)
        return self.post("/api/v1/sync/push", body)

    def push(self, *mutations: dict) -> list[dict]:
        answer = self.push_raw(*mutations)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        self.clock.observe(body["server_hlc"])
        return body["results"]

    def push_one(self, table: str, row_id: str, fields: dict | None = None, **kw) -> dict:
        return self.push(self.mutation(table, row_id, fields, **kw))[0]

    def pull_raw(self, cursor: str | None = None, limit: int = 1000):
        return self.post(
            "/api/v1/sync/pull", {"client_id": self.client_id, "cursor": cursor, "limit": limit}
        )

    def pull_all(self, cursor: str | None = ..., limit: int = 1000) -> list[dict]:
        """Every page from ``cursor`` (default: this device's saved cursor)."""
        cursor = self.cursor if cursor is ... else cursor
        changes: list[dict] = []
        while True:
            answer = self.pull_raw(cursor, limit)
            assert answer.status_code == 200, answer.text
            page = answer.json()
            changes.extend(page["changes"])
            cursor = page["next_cursor"]
            if not page["has_more"]:
                break
        self.cursor = cursor
        return changes


def household(hamlet: str = "C1-A", address: str = "Số 1, đường đan") -> dict:
    return {"hamlet_id": hamlet, "address": address}


def person(household_id: str, name: str = "Nguyễn Văn An", **extra) -> dict:
    return {"household_id": household_id, "full_name": name, **extra}
