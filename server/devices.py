"""``POST /sync/hello``: register the device, tell it the epoch, its areas and colleagues."""

from __future__ import annotations

import time
import uuid

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from gocua import ids
from server.db import run_transaction
from server.errors import ApiError
from server.models import clients_t, state_t, users_t
from server.scope import AuthUser, ancestors, area_subtree


def hello(engine: Engine, user: AuthUser, client_id: str | None, app_version: str) -> dict:
    def work(conn: Connection) -> dict:
        chosen = client_id
        row = None
        if chosen is not None:
            row = conn.execute(sa.select(clients_t).where(clients_t.c.id == chosen)).first()
            if row is not None and row.user_id != user.id:
                raise ApiError(409, "client_mismatch", "this client_id belongs to another user")
        if row is None:
            # An unknown id (say, a device whose registration a restored backup lost) is
            # registered as it is when it is a well-formed UUID, which keeps the device's HLC
            # node; anything else gets a fresh id.
            if chosen is None or not ids.is_canonical_uuid(chosen):
                chosen = str(uuid.uuid4())
            conn.execute(sa.insert(clients_t).values(
                id=chosen, user_id=user.id, app_version=app_version[:50],
                created_at=time.time(), last_mutation_id=0,
            ))  # fmt: skip
            last = 0
        else:
            last = row.last_mutation_id
            conn.execute(sa.update(clients_t).where(clients_t.c.id == chosen)
                         .values(app_version=app_version[:50]))  # fmt: skip
        epoch = conn.execute(sa.select(state_t.c.epoch).where(state_t.c.id == 1)).scalar_one()
        return {"client_id": chosen, "epoch": epoch, "user": user.wire(),
                "areas": _areas(conn, user), "users": _users(conn, user),
                "last_mutation_id": last}  # fmt: skip

    return run_transaction(engine, work)


def _areas(conn: Connection, user: AuthUser) -> list[dict]:
    found: dict[str, dict] = {}
    if user.role == "province_viewer" and user.province_id:
        found.update(area_subtree(conn, user.province_id))
        roots = [user.province_id]
    elif user.is_leader and user.commune_id:
        found.update(area_subtree(conn, user.commune_id))
        roots = [user.commune_id]
    else:
        roots = list(user.hamlet_ids) + ([user.commune_id] if user.commune_id else [])
    for root in roots:
        for area in ancestors(conn, root):
            found[area["id"]] = area
    order = {"province": 0, "commune": 1, "hamlet": 2}
    return sorted(
        ({k: a[k] for k in ("id", "kind", "name", "parent_id")} for a in found.values()),
        key=lambda a: (order.get(a["kind"], 3), a["id"]),
    )


def _users(conn: Connection, user: AuthUser) -> list[dict]:
    if not user.commune_id:
        return [{"id": user.id, "display_name": user.display_name, "role": user.role}]
    rows = conn.execute(
        sa.select(users_t.c.id, users_t.c.display_name, users_t.c.role)
        .where(users_t.c.commune_id == user.commune_id)
        .order_by(users_t.c.display_name, users_t.c.id)
    )
    return [{"id": r.id, "display_name": r.display_name, "role": r.role} for r in rows]
