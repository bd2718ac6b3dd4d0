"""Who may read and write what (SYNC.md's roles and scope), computed once per request."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from server.models import areas_t

VOLUNTEER, LEADER, COMMUNE_ADMIN, PROVINCE_VIEWER = (
    "volunteer",
    "leader",
    "commune_admin",
    "province_viewer",
)
ROLES = (VOLUNTEER, LEADER, COMMUNE_ADMIN, PROVINCE_VIEWER)
LEADERS = frozenset({LEADER, COMMUNE_ADMIN})


@dataclass(frozen=True)
class AuthUser:
    id: str
    username: str
    display_name: str
    role: str
    commune_id: str | None
    province_id: str | None
    hamlet_ids: tuple[str, ...]

    def wire(self, commune_name: str | None) -> dict:
        """The ``user`` of the login and hello answers. ``commune_name`` (an extension of
        SYNC.md: the join dialog names both communes) is null for province viewers."""
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "commune_id": self.commune_id,
            "commune_name": commune_name if self.commune_id else None,
            "hamlet_ids": list(self.hamlet_ids),
        }

    @property
    def is_leader(self) -> bool:
        return self.role in LEADERS


@dataclass(frozen=True)
class Scope:
    read_areas: frozenset[str]
    write_areas: frozenset[str]
    writes_targets: bool
    signature: str  # changes when the user's scope changes: an old cursor then resets
    # Leaders read their whole commune: rows are then found by commune, not by area list.
    commune_id: str | None = None


def read_scope(user: AuthUser) -> Scope:
    """What a user reads, without a query: the whole commune for leaders (rows never leave a
    commune, since a move needs write scope on both hamlets), else the assigned hamlets and
    the commune's own targets."""
    if user.role == PROVINCE_VIEWER or not user.commune_id:
        return Scope(frozenset(), frozenset(), False, "none")
    if user.is_leader:
        return Scope(
            frozenset(), frozenset(), True, _sig(f"commune:{user.commune_id}"), user.commune_id
        )
    hamlets = frozenset(user.hamlet_ids)
    signature = _sig("hamlets:" + ",".join(sorted(hamlets)))
    return Scope(hamlets | {user.commune_id}, frozenset(), False, signature)


def hamlets_of(conn: Connection, commune_id: str) -> list[str]:
    query = sa.select(areas_t.c.id).where(
        areas_t.c.parent_id == commune_id, areas_t.c.kind == "hamlet"
    )
    return list(conn.execute(query).scalars())


def load_scope(conn: Connection, user: AuthUser) -> Scope:
    if user.role == PROVINCE_VIEWER or not user.commune_id:
        return Scope(frozenset(), frozenset(), False, "none")
    if user.is_leader:
        areas = frozenset([user.commune_id, *hamlets_of(conn, user.commune_id)])
        return Scope(areas, areas, True, _sig(f"commune:{user.commune_id}"), user.commune_id)
    hamlets = frozenset(user.hamlet_ids)
    # A volunteer also reads the commune's own targets (figures, not personal data) so the
    # dashboard can show them; writes stay inside the assigned hamlets.
    signature = _sig("hamlets:" + ",".join(sorted(hamlets)))
    return Scope(hamlets | {user.commune_id}, hamlets, False, signature)


def _sig(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def area_subtree(conn: Connection, root: str) -> dict[str, dict]:
    """The area and everything below it, as ``{id: {id, kind, name, parent_id}}``."""
    found: dict[str, dict] = {}
    frontier = [root]
    first = conn.execute(sa.select(areas_t).where(areas_t.c.id == root)).mappings().first()
    if first is None:
        return found
    found[root] = dict(first)
    while frontier:
        rows = conn.execute(sa.select(areas_t).where(areas_t.c.parent_id.in_(frontier)))
        frontier = []
        for row in rows.mappings():
            if row["id"] not in found:
                found[row["id"]] = dict(row)
                frontier.append(row["id"])
    return found


def ancestors(conn: Connection, area_id: str | None) -> list[dict]:
    out: list[dict] = []
    seen: set[str] = set()
    while area_id and area_id not in seen:
        seen.add(area_id)
        row = conn.execute(sa.select(areas_t).where(areas_t.c.id == area_id)).mappings().first()
        if row is None:
            break
        out.append(dict(row))
        area_id = row["parent_id"]
    return out


def report_areas(conn: Connection, user: AuthUser) -> frozenset[str]:
    """Areas whose aggregate reports this user may read."""
    if user.role == PROVINCE_VIEWER and user.province_id:
        return frozenset(area_subtree(conn, user.province_id))
    if user.is_leader and user.commune_id:
        return frozenset(area_subtree(conn, user.commune_id))
    return frozenset()
