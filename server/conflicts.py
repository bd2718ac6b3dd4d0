"""``GET /conflicts`` and ``POST /conflicts/{id}/resolve``: a leader settles what merges kept."""

from __future__ import annotations

import json
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from gocua import hlc as hlc_mod
from gocua.catalogue import Catalogue
from gocua.protocol import check_fields
from server.auth import iso_utc
from server.db import read, run_transaction
from server.errors import ApiError, forbidden
from server.merge import server_written
from server.models import conflicts_t, records_t
from server.scope import AuthUser
from server.store import Changes, load_rows

_MISSING = object()


def _require_leader(user: AuthUser) -> None:
    if not user.is_leader or not user.commune_id:
        raise forbidden("only leaders and admins of a commune see conflicts")


def wire(row) -> dict:
    return {
        "id": row.id,
        "table": row.tbl,
        "row_id": row.row_id,
        "field": row.field,
        "winning_value": json.loads(row.winning_value),
        "losing_value": json.loads(row.losing_value),
        "winner_user": row.winner_user,
        "loser_user": row.loser_user,
        "created_at": row.created_at,
        "status": row.status,
    }


def list_conflicts(engine: Engine, user: AuthUser, status: str) -> dict:
    _require_leader(user)
    c = conflicts_t.c

    def work(conn: Connection) -> dict:
        rows = conn.execute(
            sa.select(conflicts_t)
            .where(c.commune_id == user.commune_id, c.status == status)
            .order_by(c.created_at, c.id)
        )
        return {"conflicts": [wire(row) for row in rows]}

    return read(engine, work)


def resolve(
    engine: Engine,
    clock: hlc_mod.Clock,
    catalogue: Catalogue,
    user: AuthUser,
    conflict_id: str,
    body: dict,
) -> dict:
    _require_leader(user)

    def work(conn: Connection) -> dict:
        conflict = conn.execute(
            sa.select(conflicts_t).where(conflicts_t.c.id == conflict_id).with_for_update()
        ).first()
        if conflict is None or conflict.commune_id != user.commune_id:
            raise ApiError(404, "not_found", "no such conflict in your commune")
        restore_kind = conflict.field == "_deleted"
        if restore_kind:
            if set(body) != {"restore"} or not isinstance(body["restore"], bool):
                raise _invalid(
                    "body", 'an edit of a deleted row is resolved with {"restore": bool}'
                )
            decision: Any = body["restore"]
        else:
            if set(body) != {"value"}:
                raise _invalid("body", 'resolve with {"value": ...}')
            decision = body["value"]
        if conflict.status == "resolved":
            if json.loads(conflict.resolved_value) == decision:
                return wire(conflict)
            raise ApiError(409, "already_resolved", "this conflict was resolved with another value")
        found = load_rows(
            conn, sa.and_(records_t.c.tbl == conflict.tbl, records_t.c.id == conflict.row_id)
        )
        if not found:
            raise ApiError(404, "not_found", "the conflict's row no longer exists")
        row = found[0]
        changes = Changes()
        stamp = clock.now()
        if restore_kind:
            if decision and row.deleted:
                _restore(changes, row, json.loads(conflict.losing_value), stamp, user, catalogue)
        else:
            _write_value(changes, row, conflict.field, decision, stamp, user, catalogue)
        changes.flush(conn)
        now = iso_utc(time.time())
        conn.execute(
            sa.update(conflicts_t)
            .where(conflicts_t.c.id == conflict_id)
            .values(
                status="resolved",
                resolved_value=json.dumps(decision),
                resolved_by=user.id,
                resolved_at=now,
            )
        )
        updated = conn.execute(sa.select(conflicts_t).where(conflicts_t.c.id == conflict_id)).one()
        return wire(updated)

    return run_transaction(engine, work, immediate=True)


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(
        422,
        "invalid_request",
        f"{field}: {message}",
        details=[{"field": field, "message": message}],
    )


def _validated(row, fields: dict, catalogue: Catalogue) -> dict:
    clean, errors = check_fields(row.tbl, row.id, fields, current=row.data, catalogue=catalogue)
    if errors:
        raise ApiError(
            422,
            "invalid_request",
            "; ".join(str(e) for e in errors),
            details=[{"field": e.field, "message": e.message_en} for e in errors],
        )
    return clean


def _written_meta(row, names, version: int, stamp: str, user: AuthUser) -> None:
    # A leader's decision counts as a write by another device for every device that has not
    # seen it yet, so a stale edit arriving later is weighed against it, not silently applied.
    server_written(row.tbl, row.data, row.meta, names, version=version, hlc=stamp, user=user.id)


def _write_value(
    changes: Changes, row, field: str, value: Any, stamp: str, user: AuthUser, catalogue: Catalogue
) -> None:
    if row.deleted:
        raise ApiError(409, "row_deleted", "the row was deleted since; restore it first")
    clean = _validated(row, {field: value}, catalogue)
    version = changes.next_version()
    before = row.data.get(field, _MISSING)
    row.data = {**row.data, **clean}
    _written_meta(row, clean, version, stamp, user)
    changes.touch(row, version)
    changes.audit(
        row,
        version,
        "resolve",
        {field: before},
        {field: row.data[field]},
        user=user.id,
        client=None,
        mutation=None,
    )


def _restore(
    changes: Changes, row, kept: dict, stamp: str, user: AuthUser, catalogue: Catalogue
) -> None:
    clean = _validated(row, kept, catalogue)
    version = changes.next_version()
    row.deleted = False
    row.meta.pop("_deleted", None)
    row.data = {**row.data, **clean}
    _written_meta(row, clean, version, stamp, user)
    changes.touch(row, version)
    changes.audit(row, version, "restore", {}, clean, user=user.id, client=None, mutation=None)
