"""``POST /sync/hello``: register the device, tell it the epoch, its areas and colleagues."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from gocua import ids
from server import schema
from server.db import read, run_transaction
from server.errors import ApiError
from server.jsontext import dumps
from server.models import clients_t, users_t
from server.scope import AuthUser

# Built once, with parameters: every sync starts with a hello, and building these statements
# anew each time cost more than running them.
_CLIENT = sa.select(clients_t).where(clients_t.c.id == sa.bindparam("client_id"))
_COLLEAGUES = (
    sa.select(users_t.c.id, users_t.c.display_name, users_t.c.role)
    .where(users_t.c.commune_id == sa.bindparam("commune_id"))
    .order_by(users_t.c.display_name, users_t.c.id)
)


def hello(
    engine: Engine,
    authorize: Callable[[Connection], AuthUser],
    client_id: str | None,
    app_version: str,
) -> dict:
    """Every sync starts here, so a known device whose app version did not change is answered
    from one read-only transaction, the token's check included: no write, no commit to flush,
    no write lock on SQLite."""

    def known(conn: Connection) -> tuple[AuthUser, dict | None]:
        user = authorize(conn)
        if client_id is None:
            return user, None
        row = conn.execute(_CLIENT, {"client_id": client_id}).first()
        if row is None or row.user_id != user.id or row.app_version != app_version[:50]:
            return user, None  # registered, refused or updated by the writing transaction below
        return user, _answer(conn, user, client_id, row.last_mutation_id)

    user, answer = read(engine, known)
    if answer is None:
        answer = run_transaction(engine, _register(user, client_id, app_version))
    return answer


def _answer(conn: Connection, user: AuthUser, client_id: str, last: int) -> dict:
    epoch = schema.epoch(conn)
    answer = {"client_id": client_id, "epoch": epoch, **_directory(conn, user)}
    answer["last_mutation_id"] = last
    answer["directory"] = digest(answer)
    return answer


def _directory(conn: Connection, user: AuthUser) -> dict:
    """What hello tells a device about its user, areas and colleagues."""
    areas = _areas(conn, user)
    commune_name = next((a["name"] for a in areas if a["id"] == user.commune_id), None)
    return {"user": user.wire(commune_name), "areas": areas, "users": _users(conn, user)}


def digest(answer: dict) -> str:
    """16 hex digits that change when hello's ``user``, ``areas`` or ``users`` change: a
    device keeps hello's answer and says hello again only when a checked pull's digest
    differs from the one it holds (docs/protocol.md, "Checked pulls")."""
    text = dumps([answer["user"], answer["areas"], answer["users"]])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def directory_digest(conn: Connection, user: AuthUser) -> str:
    """:func:`digest` of what a hello would answer now (the same queries, no write)."""
    return digest(_directory(conn, user))


def _register(user: AuthUser, client_id: str | None, app_version: str):
    def work(conn: Connection) -> dict:
        chosen = client_id
        row = None
        if chosen is not None:
            row = conn.execute(_CLIENT, {"client_id": chosen}).first()
            if row is not None and row.user_id != user.id:
                raise ApiError(409, "client_mismatch", "this client_id belongs to another user")
        if row is None:
            # An unknown id (say, a device whose registration a restored backup lost) is
            # registered as it is when it is a well-formed UUID, which keeps the device's HLC
            # node; anything else gets a fresh id.
            if chosen is None or not ids.is_canonical_uuid(chosen):
                chosen = str(uuid.uuid4())
            conn.execute(
                sa.insert(clients_t).values(
                    id=chosen,
                    user_id=user.id,
                    app_version=app_version[:50],
                    created_at=time.time(),
                    last_mutation_id=0,
                )
            )
            last = 0
        else:
            last = row.last_mutation_id
            conn.execute(
                sa.update(clients_t)
                .where(clients_t.c.id == chosen)
                .values(app_version=app_version[:50])
            )
        return _answer(conn, user, chosen, last)

    return work


_AREAS = sa.text("""
WITH RECURSIVE
    down(id) AS (SELECT id FROM areas WHERE id IN :below
                 UNION SELECT a.id FROM areas a JOIN down ON a.parent_id = down.id),
    up(id, parent_id) AS (SELECT id, parent_id FROM areas WHERE id IN :roots
                          UNION SELECT a.id, a.parent_id FROM areas a JOIN up ON a.id = up.parent_id)
SELECT id, kind, name, parent_id, retired_at, merged_into FROM areas
WHERE id IN (SELECT id FROM down UNION SELECT id FROM up)
   OR (parent_id = :commune AND kind = 'hamlet' AND retired_at IS NOT NULL)
""").bindparams(sa.bindparam("below", expanding=True), sa.bindparam("roots", expanding=True))


def _areas(conn: Connection, user: AuthUser) -> list[dict]:
    """The areas of the user's scope (a leader's commune or a viewer's province with all below
    it; a volunteer's hamlets and commune) and their ancestors, in one recursive query; and
    the commune's retired hamlets, whose names a device keeps for reports of past periods.
    ``retired`` and ``merged_into`` extend SYNC.md's area (old devices ignore them)."""
    if user.role == "province_viewer" and user.province_id:
        below = [user.province_id]
    elif user.is_leader and user.commune_id:
        below = [user.commune_id]
    else:
        below = []
    roots = below or list(user.hamlet_ids) + ([user.commune_id] if user.commune_id else [])
    if not roots:
        return []
    params = {"below": below or [""], "roots": roots, "commune": user.commune_id or ""}
    areas = [
        {
            "id": r.id,
            "kind": r.kind,
            "name": r.name,
            "parent_id": r.parent_id,
            "retired": r.retired_at is not None,
            "merged_into": r.merged_into,
        }
        for r in conn.execute(_AREAS, params)
    ]
    order = {"province": 0, "commune": 1, "hamlet": 2}
    return sorted(areas, key=lambda a: (order.get(a["kind"], 3), a["id"]))


def _users(conn: Connection, user: AuthUser) -> list[dict]:
    if not user.commune_id:
        return [{"id": user.id, "display_name": user.display_name, "role": user.role}]
    rows = conn.execute(_COLLEAGUES, {"commune_id": user.commune_id})
    return [{"id": r.id, "display_name": r.display_name, "role": r.role} for r in rows]
