"""Commune administration from the app: the ``/api/v1/admin/`` endpoints (docs/protocol.md,
"Commune administration") as plain calls, without Qt.

Each call opens a client with the profile's server and token, makes one or a few requests and
closes it; errors are :mod:`desktop.sync.errors` (a refusal is ``Refused`` with the server's
``code`` and ``payload``). Nothing here logs or keeps a password: :meth:`AdminApi.create_user`
and :meth:`AdminApi.reset_password` hand it to the caller, who shows it once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from desktop.store import state_keys
from desktop.sync.client import SyncClient
from desktop.sync.session import SyncSession

COMMUNE_ADMIN = "commune_admin"
LEADER = "leader"
VOLUNTEER = "volunteer"
# The roles a commune gives its own people, in the order the app offers them.
ROLES = (VOLUNTEER, LEADER, COMMUNE_ADMIN)
# Who may open the administration: an admin does everything, a leader lists and adds hamlets
# (the server allows a leader no more unless it runs with GOCUA_LEADERS_MANAGE).
ADMIN_ROLES = (COMMUNE_ADMIN, LEADER)
AUDIT_LIMIT = 300


@dataclass
class Snapshot:
    """What the administration window shows, read in one go."""

    commune: dict
    hamlets: list[dict]
    users: list[dict] = field(default_factory=list)  # commune admins only
    audit: list[dict] = field(default_factory=list)  # commune admins only
    self_id: str | None = None  # the signed-in user's id (they cannot lock themself)


def _id(value: str) -> str:
    return quote(value, safe="")


class AdminApi:
    """One profile's administration calls (a leader may list and add hamlets only)."""

    def __init__(self, session: SyncSession):
        self.session = session

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        client: SyncClient = self.session._client()
        try:
            return client.admin(method, path, body)
        finally:
            client.close()

    # -- reading ----------------------------------------------------------------------------

    def snapshot(self, full: bool, audit_limit: int = AUDIT_LIMIT) -> Snapshot:
        """Hamlets, and with ``full`` (commune admins) users and the audit too; one client."""
        client: SyncClient = self.session._client()
        try:
            answer = client.admin("GET", "/hamlets")
            snapshot = Snapshot(answer["commune"], answer["hamlets"])
            if full:
                snapshot.users = client.admin("GET", "/users")["users"]
                snapshot.audit = client.admin("GET", f"/audit?limit={audit_limit}")["entries"]
        finally:
            client.close()
        with self.session.store.read() as conn:
            snapshot.self_id = state_keys.USER_ID.get(conn)
        return snapshot

    # -- hamlets ----------------------------------------------------------------------------

    def create_hamlet(self, name: str) -> dict:
        return self._call("POST", "/hamlets", {"name": name})["hamlet"]

    def rename_hamlet(self, hamlet_id: str, name: str) -> dict:
        return self._call("PATCH", f"/hamlets/{_id(hamlet_id)}", {"name": name})["hamlet"]

    def merge_hamlet(self, hamlet_id: str, into: str) -> dict:
        """``{"moved": n, "hamlet": target}``."""
        return self._call("POST", f"/hamlets/{_id(hamlet_id)}/merge", {"into": into})

    def split_hamlet(self, hamlet_id: str, parts: list[dict], retire: bool) -> dict:
        """``parts``: ``[{"name", "households": [ids]}]``; answers ``{"hamlets", "moved"}``."""
        body = {"parts": parts, "retire": retire}
        return self._call("POST", f"/hamlets/{_id(hamlet_id)}/split", body)

    def retire_hamlet(self, hamlet_id: str) -> dict:
        return self._call("POST", f"/hamlets/{_id(hamlet_id)}/retire")["hamlet"]

    # -- users ------------------------------------------------------------------------------

    def create_user(
        self, username: str, display_name: str, role: str, hamlet_ids: list[str]
    ) -> tuple[dict, str]:
        """The new user and their generated password (to be shown once, never kept)."""
        body = {
            "username": username,
            "display_name": display_name,
            "role": role,
            "hamlet_ids": list(hamlet_ids),
        }
        answer = self._call("POST", "/users", body)
        return answer["user"], answer["password"]

    def update_user(self, user_id: str, changes: dict) -> dict:
        """``changes``: any of ``display_name``, ``role``, ``hamlet_ids``, ``active``."""
        return self._call("PATCH", f"/users/{_id(user_id)}", changes)["user"]

    def reset_password(self, user_id: str) -> str:
        return self._call("POST", f"/users/{_id(user_id)}/reset-password")["password"]
