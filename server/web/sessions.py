"""Signing in to the web view: a session cookie, its CSRF token, the login rate limit.

- The cookie holds a random token; the database (``web_sessions``) only its SHA-256, the user
  and the session's CSRF token. It is HttpOnly (no script reads it), SameSite=Strict (no other
  site's page sends it) and Secure when the request came over HTTPS: behind the TLS proxy,
  uvicorn (``proxy_headers``) takes the scheme from ``X-Forwarded-Proto`` when the proxy is a
  trusted address (``--forwarded-allow-ips``, 127.0.0.1 by default).
- Every form carries a CSRF token in a hidden field, checked on POST: the session's own once
  signed in; before that (the login form) one kept in a short-lived cookie of its own, so a
  foreign page cannot sign a browser in to an account of its choosing.
- A login goes through :func:`server.auth.check_password`: the API's rate limit, counted in
  the same table, so ten failures on the web and on the API together block the username.
- A new session at every sign-in; sign-out deletes it; a locked account or a reset password
  ends it (:func:`server.accounts.revoke_tokens`); it expires after
  ``GOCUA_WEB_SESSION_HOURS``.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from starlette.requests import Request
from starlette.responses import Response

from server.auth import load_user, token_hash
from server.models import users_t, web_sessions_t
from server.scope import AuthUser
from server.settings import Settings

SESSION_COOKIE = "gocua_session"
LOGIN_COOKIE = "gocua_login"
LANG_COOKIE = "gocua_lang"
LOGIN_COOKIE_SECONDS = 3600


@dataclass(frozen=True)
class Session:
    token_hash: str
    user: AuthUser
    csrf: str


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(
    response: Response, request: Request, name: str, value: str, max_age: int | None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=secure(request),
    )


def clear_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path="/", httponly=True, samesite="strict", secure=secure(request))


_SESSION = (
    sa.select(web_sessions_t.c.user_id, web_sessions_t.c.csrf, web_sessions_t.c.expires_at)
    .join(users_t, users_t.c.id == web_sessions_t.c.user_id)
    .where(web_sessions_t.c.token_hash == sa.bindparam("token_hash"), users_t.c.active.is_(True))
)


def load(conn: Connection, token: str | None) -> Session | None:
    """The live session of a cookie's token (its user active), else None."""
    if not token or len(token) > 200:
        return None
    hashed = token_hash(token)
    row = conn.execute(_SESSION, {"token_hash": hashed}).first()
    if row is None or row.expires_at <= time.time():
        return None
    user = load_user(conn, row.user_id)
    if user is None:
        return None
    return Session(hashed, user, row.csrf)


def create(conn: Connection, settings: Settings, user: AuthUser) -> tuple[str, Session]:
    token = secrets.token_urlsafe(32)
    now = time.time()
    session = Session(token_hash(token), user, secrets.token_urlsafe(32))
    conn.execute(
        sa.insert(web_sessions_t).values(
            token_hash=session.token_hash,
            user_id=user.id,
            csrf=session.csrf,
            created_at=now,
            expires_at=now + settings.web_session_hours * 3600,
        )
    )
    # Expired sessions of anyone go at the next sign-in: the table stays small.
    conn.execute(sa.delete(web_sessions_t).where(web_sessions_t.c.expires_at <= now))
    return token, session


def end(conn: Connection, session: Session) -> None:
    conn.execute(sa.delete(web_sessions_t).where(web_sessions_t.c.token_hash == session.token_hash))


def same(given: str | None, expected: str | None) -> bool:
    """A CSRF token as sent equals the expected one (in constant time)."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def login_token(request: Request) -> str:
    """The login form's CSRF token: the browser's current one, else a new one."""
    current = request.cookies.get(LOGIN_COOKIE, "")
    if 20 <= len(current) <= 100 and current.replace("-", "").replace("_", "").isalnum():
        return current
    return secrets.token_urlsafe(32)
