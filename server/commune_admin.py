"""``/api/v1/admin/``: commune administration over HTTP (docs/protocol.md, "Commune
administration"). Who may call what, the request bodies and one transaction per change; the
rules themselves are in :mod:`server.hamlets` and :mod:`server.accounts`.

Every route is scoped to the caller's own commune. A ``commune_admin`` may do everything; a
``leader`` may list and add hamlets (a device's join dialog adds the hamlets a profile made
offline is missing), and everything else only where the server allows it
(``GOCUA_LEADERS_MANAGE``). Volunteers and province viewers get 403 and nothing is written.
"""

# No ``from __future__ import annotations``: FastAPI reads the routes' annotations, which
# name the ``User`` dependency given to add_routes.

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import Field
from sqlalchemy.engine import Engine

from gocua import hlc as hlc_mod
from server import accounts, admin_audit, hamlets
from server.body import Strict
from server.db import read, run_transaction
from server.errors import BODY_ERRORS, COMMON, JSON, AdminError, documented, forbidden
from server.scope import COMMUNE_ADMIN, LEADER, AuthUser
from server.settings import Settings

AUDIT_LIMIT_MAX = 1000
# A password is in the answer: no proxy or browser may keep a copy.
_NO_STORE = {"Cache-Control": "no-store"}

AreaId = Annotated[str, Field(min_length=1, max_length=64)]
Name = Annotated[str, Field(max_length=1000)]  # the real limits come after normalising


class HamletIn(Strict):
    name: Name
    id: AreaId | None = None


class RenameIn(Strict):
    name: Name


class MergeIn(Strict):
    into: AreaId


class PartIn(Strict):
    name: Name
    id: AreaId | None = None
    households: list[Annotated[str, Field(max_length=64)]] = Field(max_length=100_000)


class SplitIn(Strict):
    parts: list[PartIn] = Field(min_length=1, max_length=50)
    retire: bool = False


class UserIn(Strict):
    username: Annotated[str, Field(max_length=100)]
    display_name: Name
    role: Annotated[str, Field(max_length=40)]
    hamlet_ids: list[AreaId] = Field(default_factory=list, max_length=1000)


class UserPatch(Strict):
    display_name: Name | None = None
    role: Annotated[str, Field(max_length=40)] | None = None
    hamlet_ids: list[AreaId] | None = Field(default=None, max_length=1000)
    active: bool | None = None

    def given(self) -> dict[str, Any]:
        """The keys the body holds; an explicit null is not a value here."""
        changes = {}
        for name in sorted(self.model_fields_set):
            value = getattr(self, name)
            if value is None:
                raise AdminError("must not be null (leave the key out to keep it)", field=name)
            changes[name] = value
        return changes


def allowed(user: AuthUser, settings: Settings, *, leaders: bool = False) -> str:
    """The caller's commune, if the caller may do this there (``leaders``: any leader may)."""
    if user.commune_id and (
        user.role == COMMUNE_ADMIN or (user.role == LEADER and (leaders or settings.leaders_manage))
    ):
        return user.commune_id
    if user.role == LEADER:
        raise forbidden("only the commune's admins manage this (GOCUA_LEADERS_MANAGE is off)")
    raise forbidden("only a commune's admins and leaders manage it")


def add_routes(
    router: APIRouter, engine: Engine, settings: Settings, clock: hlc_mod.Clock, User: Any
) -> None:
    """Add the ``/admin/`` routes to ``router``; ``User`` is the authenticated-user dependency."""
    HamletId = Annotated[str, Path(max_length=64)]
    UserId = Annotated[str, Path(max_length=64)]
    reads = documented(*COMMON, 403)
    writes = documented(*COMMON, 403, 404, 409, *BODY_ERRORS)

    def write(work):
        return run_transaction(engine, work)

    @router.get("/admin/hamlets", responses=reads)
    def list_hamlets(user: User) -> dict:
        commune = allowed(user, settings, leaders=True)
        return read(engine, lambda conn: hamlets.list_hamlets(conn, commune))

    @router.post("/admin/hamlets", status_code=201, responses=writes)
    def create_hamlet(body: HamletIn, user: User) -> dict:
        commune = allowed(user, settings, leaders=True)
        made = write(lambda conn: hamlets.create(conn, commune, body.name, body.id, user.id))
        return {"hamlet": made}

    @router.patch("/admin/hamlets/{hamlet_id}", responses=writes)
    def rename_hamlet(hamlet_id: HamletId, body: RenameIn, user: User) -> dict:
        commune = allowed(user, settings)
        renamed = write(lambda conn: hamlets.rename(conn, commune, hamlet_id, body.name, user.id))
        return {"hamlet": renamed}

    @router.post("/admin/hamlets/{hamlet_id}/merge", responses=writes)
    def merge_hamlet(hamlet_id: HamletId, body: MergeIn, user: User) -> dict:
        commune = allowed(user, settings)
        moved, target = write(
            lambda conn: hamlets.merge(conn, clock, commune, hamlet_id, body.into, user.id)
        )
        return {"moved": moved, "hamlet": target}

    @router.post("/admin/hamlets/{hamlet_id}/split", responses=writes)
    def split_hamlet(hamlet_id: HamletId, body: SplitIn, user: User) -> dict:
        commune = allowed(user, settings)
        parts = [hamlets.Part(p.name, list(p.households), p.id) for p in body.parts]
        made, moved = write(
            lambda conn: hamlets.split(conn, clock, commune, hamlet_id, parts, body.retire, user.id)
        )
        return {"hamlets": made, "moved": moved}

    @router.post("/admin/hamlets/{hamlet_id}/retire", responses=writes)
    def retire_hamlet(hamlet_id: HamletId, user: User) -> dict:
        commune = allowed(user, settings)
        return {"hamlet": write(lambda conn: hamlets.retire(conn, commune, hamlet_id, user.id))}

    @router.get("/admin/users", responses=reads)
    def list_users(user: User) -> dict:
        commune = allowed(user, settings)
        return {"users": read(engine, lambda conn: accounts.list_users(conn, commune))}

    @router.post("/admin/users", status_code=201, responses=writes)
    def create_user(body: UserIn, user: User) -> JSON:
        commune = allowed(user, settings)
        made, password = write(
            lambda conn: accounts.create(
                conn,
                settings,
                commune,
                username=body.username,
                display_name=body.display_name,
                role=body.role,
                hamlet_ids=list(body.hamlet_ids),
                user_id=user.id,
            )
        )
        return JSON({"user": made, "password": password}, status_code=201, headers=_NO_STORE)

    @router.patch("/admin/users/{user_id}", responses=writes)
    def update_user(user_id: UserId, body: UserPatch, user: User) -> dict:
        commune = allowed(user, settings)
        changes = body.given()
        changed = write(lambda conn: accounts.update(conn, commune, user_id, changes, user.id))
        return {"user": changed}

    @router.post("/admin/users/{user_id}/reset-password", responses=writes)
    def reset_password(user_id: UserId, user: User) -> JSON:
        commune = allowed(user, settings)
        password = write(
            lambda conn: accounts.reset_password(conn, settings, commune, user_id, user.id)
        )
        return JSON({"password": password}, headers=_NO_STORE)

    @router.get("/admin/audit", responses=documented(*COMMON, 403, 422))
    def audit(user: User, limit: Annotated[int, Query(ge=1, le=AUDIT_LIMIT_MAX)] = 100) -> dict:
        commune = allowed(user, settings)
        return {"entries": read(engine, lambda conn: admin_audit.entries(conn, commune, limit))}
