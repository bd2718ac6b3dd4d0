"""The audit of commune administration: every change to a hamlet or a user, who made it,
and the values before and after. Written in the transaction of the change it records."""

from __future__ import annotations

import json
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from server.auth import iso_utc
from server.jsontext import dumps
from server.models import admin_audit_t

# Never stored, whatever a caller passes: the audit is read by every admin of the commune.
_SECRET_KEYS = frozenset({"password", "password_hash"})


def record(
    conn: Connection,
    *,
    user_id: str | None,
    action: str,
    commune_id: str,
    target: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    """``user_id`` None: the command line."""
    conn.execute(
        sa.insert(admin_audit_t).values(
            at=iso_utc(time.time()),
            user_id=user_id,
            action=action,
            commune_id=commune_id,
            target=target,
            before=dumps(_public(before)),
            after=dumps(_public(after)),
        )
    )


def _public(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in _SECRET_KEYS}


def entries(conn: Connection, commune_id: str, limit: int) -> list[dict]:
    """The commune's entries, newest first."""
    a = admin_audit_t.c
    rows = conn.execute(
        sa.select(admin_audit_t)
        .where(a.commune_id == commune_id)
        .order_by(a.id.desc())
        .limit(limit)
    )
    return [
        {
            "id": r.id,
            "at": r.at,
            "user_id": r.user_id,
            "action": r.action,
            "target": r.target,
            "before": json.loads(r.before),
            "after": json.loads(r.after),
        }
        for r in rows
    ]
