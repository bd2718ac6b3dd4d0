"""Accounts: argon2 password hashes, random bearer tokens stored hashed, login rate limit.

The rate limit lives in the database (``login_failures``) so it holds across worker
processes: after ``login_max_failures`` failures for one username within the window, that
username gets 429, even with the right password, until the oldest failure leaves the window.
"""

from __future__ import annotations

import functools
import hashlib
import math
import secrets
import time
from datetime import UTC, datetime

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection

from server.errors import ApiError, unauthorized
from server.models import areas_t, login_failures_t, tokens_t, user_hamlets_t, users_t
from server.scope import AuthUser
from server.settings import Settings

# Verified against when the username does not exist, so both cases take the same time.
_DUMMY_PASSWORD = "not a real password"


def hasher(settings: Settings) -> PasswordHasher:
    return PasswordHasher(
        time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib, parallelism=1
    )


@functools.cache
def _dummy_hash(time_cost: int, memory_kib: int) -> str:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1).hash(
        _DUMMY_PASSWORD
    )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def iso_utc(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")


def _user(row, hamlets) -> AuthUser:
    return AuthUser(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        commune_id=row.commune_id,
        province_id=row.province_id,
        hamlet_ids=tuple(hamlets),
    )


# Built once: every sync request authenticates, and building these statements anew each time
# cost more than running them (SQLAlchemy's expression construction, measured per pull).
_HAMLETS = (
    sa.select(user_hamlets_t.c.hamlet_id)
    .where(user_hamlets_t.c.user_id == sa.bindparam("user_id"))
    .order_by(user_hamlets_t.c.hamlet_id)
)
_TOKEN_USER = (
    sa.select(users_t, tokens_t.c.expires_at, tokens_t.c.revoked)
    .join(tokens_t, tokens_t.c.user_id == users_t.c.id)
    .where(tokens_t.c.token_hash == sa.bindparam("token_hash"))
)


def _hamlets(conn: Connection, user_id: str) -> list[str]:
    return list(conn.execute(_HAMLETS, {"user_id": user_id}).scalars())


def load_user(conn: Connection, user_id: str) -> AuthUser | None:
    row = conn.execute(sa.select(users_t).where(users_t.c.id == user_id)).first()
    if row is None or not row.active:
        return None
    return _user(row, _hamlets(conn, user_id))


def authenticate(conn: Connection, authorization: str | None) -> AuthUser:
    """The user of a ``Bearer`` token, or 401."""
    if not authorization:
        raise unauthorized("missing bearer token")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("malformed authorization header")
    # One round trip for token and user (every request pays it); hamlets only if assigned.
    row = conn.execute(_TOKEN_USER, {"token_hash": token_hash(token.strip())}).first()
    if row is None or row.revoked or row.expires_at <= time.time():
        raise unauthorized()
    if not row.active:
        raise unauthorized("account disabled")
    return _user(row, _hamlets(conn, row.id) if row.role == "volunteer" else [])


def check_password(
    conn: Connection, settings: Settings, username: str, password: str
) -> AuthUser | ApiError:
    """The user whose password this is, under the login rate limit: 429 raised while the
    username is blocked; a wrong password is counted and returned as 401 (returned, not
    raised: the failure must be committed to count towards the limit). The API's login and
    the web view's both go through here."""
    now = time.time()
    window_start = now - settings.login_window_seconds
    failures = list(
        conn.execute(
            sa.select(login_failures_t.c.at)
            .where(login_failures_t.c.username == username, login_failures_t.c.at > window_start)
            .order_by(login_failures_t.c.at)
        ).scalars()
    )
    if len(failures) >= settings.login_max_failures:
        # Blocked until enough failures have left the window to drop below the limit.
        unblock = failures[len(failures) - settings.login_max_failures]
        retry_after = max(1, math.ceil(unblock + settings.login_window_seconds - now))
        raise ApiError(
            429,
            "too_many_attempts",
            f"too many failed logins for this username; retry in {retry_after} s",
            headers={"Retry-After": str(retry_after)},
            retry_after=retry_after,
        )
    row = conn.execute(sa.select(users_t).where(users_t.c.username == username)).mappings().first()
    ph = hasher(settings)
    ok = False
    try:
        if row is not None and row["active"]:
            ok = ph.verify(row["password_hash"], password)
        else:
            ph.verify(_dummy_hash(settings.argon2_time_cost, settings.argon2_memory_kib), password)
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        conn.execute(sa.insert(login_failures_t).values(username=username, at=now))
        return ApiError(401, "invalid_credentials", "wrong username or password")
    conn.execute(sa.delete(login_failures_t).where(login_failures_t.c.username == username))
    user = load_user(conn, row["id"])
    assert user is not None
    return user


def login(
    conn: Connection, settings: Settings, username: str, password: str, device_name: str
) -> dict | ApiError:
    user = check_password(conn, settings, username, password)
    if isinstance(user, ApiError):
        return user
    now = time.time()
    token = secrets.token_urlsafe(32)
    expires = now + settings.token_ttl_hours * 3600
    conn.execute(
        sa.insert(tokens_t).values(
            token_hash=token_hash(token),
            user_id=user.id,
            device_name=device_name[:200],
            created_at=now,
            expires_at=expires,
            revoked=False,
        )
    )
    commune_name = None
    if user.commune_id:
        commune_name = conn.execute(
            sa.select(areas_t.c.name).where(areas_t.c.id == user.commune_id)
        ).scalar()
    return {"token": token, "expires_at": iso_utc(expires), "user": user.wire(commune_name)}


def logout(conn: Connection, authorization: str) -> None:
    token = authorization.partition(" ")[2].strip()
    conn.execute(
        sa.update(tokens_t).where(tokens_t.c.token_hash == token_hash(token)).values(revoked=True)
    )
