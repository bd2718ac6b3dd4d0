"""A commune's user accounts as its administrators manage them: list, add, change, deactivate,
reset a password. Every function runs inside the caller's transaction and audits what it
changes; the rules on roles and hamlets are the command line's too (:mod:`server.admin`).

A password made here is returned once, to be shown once; only its argon2 hash is stored, and
neither is ever written to the audit or a log.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gocua.text import normalize_name
from server import admin_audit, passwords
from server.auth import hasher
from server.errors import AdminError, ApiError
from server.models import (
    areas_t,
    login_failures_t,
    tokens_t,
    user_hamlets_t,
    users_t,
    web_sessions_t,
)
from server.scope import COMMUNE_ADMIN, LEADER, VOLUNTEER
from server.settings import Settings

# The roles a commune gives its own people (a province viewer is the province's to create).
COMMUNE_ROLES = (VOLUNTEER, LEADER, COMMUNE_ADMIN)
DISPLAY_NAME_MAX = 200
# Typed on any keyboard, also one set to Vietnamese input (which turns "aa" into "â").
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")


# -- rules shared with the command line -------------------------------------------------------


def check_role(role: str, field: str = "role") -> str:
    if role not in COMMUNE_ROLES:
        raise AdminError(f"must be one of {', '.join(COMMUNE_ROLES)}", field=field)
    return role


def check_hamlets(
    conn: Connection,
    role: str,
    commune_id: str,
    hamlet_ids: Iterable[str],
    field: str = "hamlet_ids",
) -> list[str]:
    """The hamlets a user of ``role`` is assigned: a volunteer needs at least one live hamlet
    of the commune; leaders and admins read the whole commune and are assigned none."""
    wanted = list(dict.fromkeys(hamlet_ids))
    if role != VOLUNTEER:
        if wanted:
            raise AdminError(
                "leaders and admins read the whole commune; give no hamlets", field=field
            )
        return []
    if not wanted:
        raise AdminError("a volunteer needs at least one hamlet", field=field)
    areas = {a.id: a for a in conn.execute(sa.select(areas_t).where(areas_t.c.id.in_(wanted)))}
    for hamlet_id in wanted:
        area = areas.get(hamlet_id)
        if area is None or area.kind != "hamlet" or area.parent_id != commune_id:
            raise AdminError(f"{hamlet_id} is not a hamlet of {commune_id}", field=field)
        if area.retired_at is not None:
            raise AdminError(f"hamlet {hamlet_id} is retired", field=field)
    return sorted(wanted)


def set_hamlets(conn: Connection, user_id: str, hamlet_ids: list[str]) -> None:
    conn.execute(sa.delete(user_hamlets_t).where(user_hamlets_t.c.user_id == user_id))
    if hamlet_ids:
        conn.execute(
            sa.insert(user_hamlets_t), [{"user_id": user_id, "hamlet_id": h} for h in hamlet_ids]
        )


def revoke_tokens(conn: Connection, user_id: str) -> int:
    """Every live token of the user: its next request is 401. The user's web view sessions
    end too (a reset password or a locked account signs the browser out as well)."""
    t = tokens_t.c
    result = conn.execute(
        sa.update(tokens_t).where(t.user_id == user_id, t.revoked.is_(False)).values(revoked=True)
    )
    conn.execute(sa.delete(web_sessions_t).where(web_sessions_t.c.user_id == user_id))
    return result.rowcount


def check_username(conn: Connection, username: str) -> str:
    if not _USERNAME.match(username):
        raise AdminError(
            "must be 1 to 100 letters a-z, digits, '.', '_', '@' or '-', "
            "starting with a letter or digit",
            field="username",
        )
    # Case aside: "Lan" and "lan" are one person to whoever reads the list.
    taken = conn.execute(
        sa.select(users_t.c.id).where(sa.func.lower(users_t.c.username) == username.lower())
    ).first()
    if taken is not None:
        raise AdminError(
            f"{username!r} is already taken", status=409, code="username_taken", field="username"
        )
    return username


def clean_display_name(name: str) -> str:
    cleaned = normalize_name(name)
    if not 1 <= len(cleaned) <= DISPLAY_NAME_MAX:
        raise AdminError(f"must be 1 to {DISPLAY_NAME_MAX} characters", field="display_name")
    if any(unicodedata.category(ch)[0] == "C" for ch in cleaned):
        raise AdminError("must not hold control characters", field="display_name")
    return cleaned


# -- reading ----------------------------------------------------------------------------------


def _hamlets_by_user(conn: Connection, user_ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {u: [] for u in user_ids}
    if user_ids:
        uh = user_hamlets_t.c
        query = sa.select(uh.user_id, uh.hamlet_id).where(uh.user_id.in_(user_ids))
        for user_id, hamlet_id in conn.execute(query.order_by(uh.user_id, uh.hamlet_id)):
            found[user_id].append(hamlet_id)
    return found


def _wire(row, hamlet_ids: list[str]) -> dict:
    return {
        "id": row.id,
        "username": row.username,
        "display_name": row.display_name,
        "role": row.role,
        "hamlet_ids": hamlet_ids,
        "active": bool(row.active),
    }


def list_users(conn: Connection, commune_id: str) -> list[dict]:
    # Sorted here, not by the database: the order must not depend on its collation.
    rows = conn.execute(sa.select(users_t).where(users_t.c.commune_id == commune_id))
    rows = sorted(rows, key=lambda r: r.username)
    hamlets = _hamlets_by_user(conn, [r.id for r in rows])
    return [_wire(r, hamlets[r.id]) for r in rows]


def user_of(conn: Connection, commune_id: str, user_id: str, lock: bool = False):
    query = sa.select(users_t).where(users_t.c.id == user_id)
    row = conn.execute(query.with_for_update() if lock else query).first()
    if row is None or row.commune_id != commune_id:
        raise ApiError(404, "not_found", f"no user {user_id} in your commune")
    return row


def one(conn: Connection, user_id: str) -> dict:
    row = conn.execute(sa.select(users_t).where(users_t.c.id == user_id)).one()
    return _wire(row, _hamlets_by_user(conn, [user_id])[user_id])


# -- changes ----------------------------------------------------------------------------------


def create(
    conn: Connection,
    settings: Settings,
    commune_id: str,
    *,
    username: str,
    display_name: str,
    role: str,
    hamlet_ids: list[str],
    user_id: str | None,
) -> tuple[dict, str]:
    """A new account with a generated password; returns it and the password (shown once)."""
    username = check_username(conn, username)
    display_name = clean_display_name(display_name)
    role = check_role(role)
    hamlets = check_hamlets(conn, role, commune_id, hamlet_ids)
    commune = conn.execute(sa.select(areas_t).where(areas_t.c.id == commune_id)).one()
    password = passwords.generate()
    new_id = str(uuid.uuid4())
    conn.execute(
        sa.insert(users_t).values(
            id=new_id,
            username=username,
            display_name=display_name,
            role=role,
            commune_id=commune_id,
            province_id=commune.parent_id,
            password_hash=hasher(settings).hash(password),
            active=True,
        )
    )
    set_hamlets(conn, new_id, hamlets)
    created = one(conn, new_id)
    admin_audit.record(
        conn,
        user_id=user_id,
        action="user.create",
        commune_id=commune_id,
        target=new_id,
        before={},
        after={k: v for k, v in created.items() if k != "id"},
    )
    return created, password


def update(
    conn: Connection, commune_id: str, target_id: str, changes: dict, user_id: str | None
) -> dict:
    """``changes`` holds the keys given: ``display_name``, ``role``, ``hamlet_ids``, ``active``.

    A change of role or hamlets changes what the user's devices read: their next pull answers
    ``reset_required`` (scope_changed). Deactivating revokes every token of the user."""
    row = user_of(conn, commune_id, target_id, lock=True)
    current = one(conn, target_id)
    role = check_role(changes["role"]) if "role" in changes else row.role
    if target_id == user_id and (role != row.role or changes.get("active") is False):
        raise AdminError(
            "you cannot change your own role or deactivate yourself; ask another admin",
            status=409,
            code="cannot_change_self",
        )
    new = dict(current)
    if "display_name" in changes:
        new["display_name"] = clean_display_name(changes["display_name"])
    new["role"] = role
    if "hamlet_ids" in changes:
        new["hamlet_ids"] = check_hamlets(conn, role, commune_id, changes["hamlet_ids"])
    elif role != row.role:
        # A new role keeps the hamlets only as a volunteer (who must have some).
        kept = current["hamlet_ids"] if role == VOLUNTEER else []
        new["hamlet_ids"] = check_hamlets(conn, role, commune_id, kept)
    if "active" in changes:
        new["active"] = bool(changes["active"])
    changed = [k for k in ("display_name", "role", "hamlet_ids", "active") if new[k] != current[k]]
    if not changed:
        return current
    values = {k: new[k] for k in changed if k != "hamlet_ids"}
    if values:
        conn.execute(sa.update(users_t).where(users_t.c.id == target_id).values(values))
    if "hamlet_ids" in changed:
        set_hamlets(conn, target_id, new["hamlet_ids"])
    revoked = revoke_tokens(conn, target_id) if new["active"] is False else 0
    after = {k: new[k] for k in changed}
    if revoked:
        after["tokens_revoked"] = revoked
    admin_audit.record(
        conn,
        user_id=user_id,
        action="user.deactivate" if "active" in changed and not new["active"] else "user.update",
        commune_id=commune_id,
        target=target_id,
        before={k: current[k] for k in changed},
        after=after,
    )
    return one(conn, target_id)


def assign_hamlets(conn: Connection, username: str, hamlet_ids: list[str]) -> dict:
    """The command line's ``set-hamlets``: the user's hamlets, audited as the command line's."""
    row = conn.execute(sa.select(users_t).where(users_t.c.username == username)).first()
    if row is None:
        raise AdminError(f"no user {username!r}", field="username")
    if row.commune_id is None:
        raise AdminError(f"{username} is a province viewer, who reads no hamlet's rows")
    return update(conn, row.commune_id, row.id, {"hamlet_ids": hamlet_ids}, None)


def reset_password(
    conn: Connection, settings: Settings, commune_id: str, target_id: str, user_id: str | None
) -> str:
    """A new generated password (returned, shown once): every token of the user is revoked
    and the username's failed logins are forgotten, so the new password works at once."""
    row = user_of(conn, commune_id, target_id, lock=True)
    password = passwords.generate()
    conn.execute(
        sa.update(users_t)
        .where(users_t.c.id == target_id)
        .values(password_hash=hasher(settings).hash(password))
    )
    revoked = revoke_tokens(conn, target_id)
    conn.execute(sa.delete(login_failures_t).where(login_failures_t.c.username == row.username))
    admin_audit.record(
        conn,
        user_id=user_id,
        action="user.reset_password",
        commune_id=commune_id,
        target=target_id,
        before={},
        after={"tokens_revoked": revoked},
    )
    return password
