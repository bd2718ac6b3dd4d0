"""Every setting of the server, read from environment variables (one place, one table).

| variable | default | meaning |
|---|---|---|
| ``GOCUA_DATABASE_URL`` | SQLite file ``server.sqlite`` in ``user_data_dir("gocua-server")`` | SQLAlchemy URL; ``postgresql://`` or ``postgresql+psycopg://`` for production |
| ``GOCUA_HOST`` | ``127.0.0.1`` | address ``serve`` binds |
| ``GOCUA_PORT`` | ``8765`` | port ``serve`` binds |
| ``GOCUA_WORKERS`` | ``1`` | uvicorn worker processes for ``serve`` (PostgreSQL only; SQLite keeps 1) |
| ``GOCUA_TOKEN_TTL_HOURS`` | ``720`` (30 days) | lifetime of a login token; field laptops stay offline for days |
| ``GOCUA_ALLOWED_ORIGINS`` | empty | comma-separated CORS origins; empty sends no CORS headers |
| ``GOCUA_MAX_BODY_BYTES`` | ``8388608`` (8 MiB) | largest request body, before and after gzip |
| ``GOCUA_LOGIN_MAX_FAILURES`` | ``10`` | failed logins per username within the window before 429 |
| ``GOCUA_LOGIN_WINDOW_SECONDS`` | ``900`` | the rate-limit window |
| ``GOCUA_ARGON2_TIME_COST`` | ``3`` | argon2id iterations |
| ``GOCUA_ARGON2_MEMORY_KIB`` | ``65536`` | argon2id memory; tests lower it to keep logins cheap |
| ``GOCUA_DB_POOL_SIZE`` | ``10`` | connections per process (PostgreSQL) |
| ``GOCUA_LOG_LEVEL`` | ``info`` | uvicorn log level |
| ``GOCUA_LEADERS_MANAGE`` | ``0`` | ``1``: team leaders may do all commune administration an admin does (else they only list and add hamlets) |
| ``GOCUA_WEB_SESSION_HOURS`` | ``12`` | lifetime of a web view sign-in (a browser at a commune office is shared) |
| ``GOCUA_TALLIES`` | ``1`` | ``0`` stops keeping the coverage tallies in pushes: only to measure what they cost; the web view's figures are then wrong until ``gocua-server rebuild-tallies`` |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs


def default_database_url() -> str:
    folder = Path(platformdirs.user_data_dir("gocua-server"))
    return f"sqlite:///{folder / 'server.sqlite'}"


def _bool(env: dict, name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SystemExit(f"{name} must be 1 or 0, not {raw!r}")


def _int(env: dict, name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be an integer, not {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=default_database_url)
    host: str = "127.0.0.1"
    port: int = 8765
    workers: int = 1
    token_ttl_hours: int = 720
    allowed_origins: tuple[str, ...] = ()
    max_body_bytes: int = 8 * 1024 * 1024
    login_max_failures: int = 10
    login_window_seconds: int = 900
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    db_pool_size: int = 10
    log_level: str = "info"
    leaders_manage: bool = False
    web_session_hours: int = 12
    tallies: bool = True

    @classmethod
    def from_env(cls, env: dict | None = None, **overrides) -> Settings:
        env = dict(os.environ if env is None else env)
        origins = tuple(
            o.strip() for o in env.get("GOCUA_ALLOWED_ORIGINS", "").split(",") if o.strip()
        )
        settings = cls(
            database_url=env.get("GOCUA_DATABASE_URL") or default_database_url(),
            host=env.get("GOCUA_HOST") or "127.0.0.1",
            port=_int(env, "GOCUA_PORT", 8765),
            workers=_int(env, "GOCUA_WORKERS", 1),
            token_ttl_hours=_int(env, "GOCUA_TOKEN_TTL_HOURS", 720),
            allowed_origins=origins,
            max_body_bytes=_int(env, "GOCUA_MAX_BODY_BYTES", 8 * 1024 * 1024),
            login_max_failures=_int(env, "GOCUA_LOGIN_MAX_FAILURES", 10),
            login_window_seconds=_int(env, "GOCUA_LOGIN_WINDOW_SECONDS", 900),
            argon2_time_cost=_int(env, "GOCUA_ARGON2_TIME_COST", 3),
            argon2_memory_kib=_int(env, "GOCUA_ARGON2_MEMORY_KIB", 65536),
            db_pool_size=_int(env, "GOCUA_DB_POOL_SIZE", 10),
            log_level=env.get("GOCUA_LOG_LEVEL") or "info",
            leaders_manage=_bool(env, "GOCUA_LEADERS_MANAGE", False),
            web_session_hours=_int(env, "GOCUA_WEB_SESSION_HOURS", 12),
            tallies=_bool(env, "GOCUA_TALLIES", True),
        )
        overrides = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **overrides)
