"""``GET /history/{table}/{id}``: the audit trail of one row, for its commune's leaders."""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from gocua.protocol import TABLES
from server.db import read
from server.errors import ApiError, forbidden
from server.models import history_t, records_t
from server.scope import AuthUser


def row_history(engine: Engine, user: AuthUser, table: str, row_id: str) -> dict:
    if not user.is_leader or not user.commune_id:
        raise forbidden("only leaders and admins read a row's history")
    if table not in TABLES:
        raise ApiError(404, "not_found", f"no table {table!r}")

    def work(conn: Connection) -> dict:
        owner = conn.execute(
            sa.select(records_t.c.commune_id).where(
                records_t.c.tbl == table, records_t.c.id == row_id
            )
        ).scalar()
        if owner is None:
            raise ApiError(404, "not_found", "no such row")
        if owner != user.commune_id:
            raise forbidden("this row is outside your commune")
        h = history_t.c
        rows = conn.execute(
            sa.select(history_t).where(h.tbl == table, h.row_id == row_id).order_by(h.version, h.id)
        )
        entries = [
            {
                "version": r.version,
                "op": r.op,
                "user_id": r.user_id,
                "client_id": r.client_id,
                "mutation_id": r.mutation_id,
                "at": r.at,
                "before": json.loads(r.before),
                "after": json.loads(r.after),
            }
            for r in rows
        ]
        return {"table": table, "id": row_id, "entries": entries}

    return read(engine, work)
