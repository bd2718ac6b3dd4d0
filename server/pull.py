"""``POST /sync/pull`` and ``GET /sync/summary``: the keyset-paged change feed of a scope.

A cursor is ``base64url(json([snapshot, version, table, id, epoch8, scope_sig]))``: the
position of the last change sent, the snapshot version ``S`` fixed by the first page of a
null-cursor pull (tombstones and evictions at or below ``S`` are left out), and what the
cursor is only valid for: the database's epoch and the user's scope.
"""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from gocua import PROTOCOL_VERSION
from gocua.protocol import EMPTY_CHECKSUM, FIELDS, TABLES, derived_id, table_checksum
from server import devices
from server.db import read
from server.errors import ApiError, forbidden
from server.models import clients_t, evictions_t, records_t, state_t
from server.scope import AuthUser, Scope, read_scope


def encode_cursor(snapshot: int, position: tuple[int, str, str], epoch: str, sig: str) -> str:
    raw = json.dumps([snapshot, *position, epoch[:8], sig], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, epoch: str, sig: str) -> tuple[int, tuple[int, str, str]]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        snapshot, version, tbl, row_id, cursor_epoch, cursor_sig = json.loads(raw)
        if not all(isinstance(x, int) and 0 <= x < 2**62 for x in (snapshot, version)):
            raise ValueError
        if "\x00" in tbl + row_id:
            raise ValueError
        if not all(isinstance(x, str) for x in (tbl, row_id, cursor_epoch, cursor_sig)):
            raise ValueError
    except (ValueError, TypeError, UnicodeDecodeError):
        raise reset("invalid_cursor", "the cursor is not one this server gave") from None
    if cursor_epoch != epoch[:8]:
        raise reset("epoch_changed", "the server's database was restored or reset")
    if cursor_sig != sig:
        raise reset("scope_changed", "your hamlets or role changed")
    return snapshot, (version, tbl, row_id)


def reset(reason: str, message: str) -> ApiError:
    return ApiError(409, "reset_required", message + "; pull from a null cursor", reason=reason)


def _after(columns, position: tuple[int, str, str]):
    version, tbl, row_id = columns
    v, t, i = position
    # Spelt out rather than a row-value comparison so both databases use the version index.
    return sa.and_(version >= v, sa.or_(version > v, tbl > t, sa.and_(tbl == t, row_id > i)))


_POSITION = (sa.bindparam("v"), sa.bindparam("t"), sa.bindparam("i"))

# The statements of a pull are built once, with parameters: a no-op pull is the most frequent
# request of all, and building them anew each time cost more than the database's work.
_CLIENT_AND_STATE = (
    sa.select(clients_t.c.user_id, clients_t.c.last_mutation_id, state_t.c.epoch, state_t.c.version)
    .select_from(state_t)
    .outerjoin(clients_t, clients_t.c.id == sa.bindparam("client_id"))
    .where(state_t.c.id == 1)
)


def _client_and_state(conn: Connection, user: AuthUser, client_id: str):
    """The device's last mutation id, and the epoch and version, in one round trip."""
    row = conn.execute(_CLIENT_AND_STATE, {"client_id": client_id}).one()
    if row.user_id is None or row.user_id != user.id:
        raise ApiError(409, "client_mismatch", "this client_id is not registered to you")
    return row.last_mutation_id, row


@dataclass(frozen=True)
class Options:
    """What a device that knows the extensions of docs/protocol.md may add to a pull.

    ``epoch`` and ``directory`` make it a *checked* pull (what ``hello`` would tell the device,
    asked in the same request): a stale epoch is 409 ``epoch_mismatch``, a directory digest
    that differs comes back in the answer, and an answer with no change and no new position
    leaves ``next_cursor`` out. ``columns``: the page column by column (:func:`_columns`).
    ``count``: a page with more after it says how many rows are left (``remaining``)."""

    epoch: str | None = None
    directory: str | None = None
    protocol: int | None = None
    columns: bool = False
    count: bool = False

    @property
    def checked(self) -> bool:
        return self.epoch is not None or self.directory is not None


PLAIN = Options()


def pull(
    engine: Engine,
    authorize: Callable[[Connection], AuthUser],
    client_id: str,
    cursor: str | None,
    limit: int,
    server_hlc,
    options: Options = PLAIN,
) -> bytes:
    """``authorize`` checks the token inside the pull's own transaction: a no-op pull is the
    most frequent request of all, and one transaction instead of two halves its cost."""

    def work(conn: Connection) -> bytes:
        user = authorize(conn)
        if options.protocol is not None and options.protocol != PROTOCOL_VERSION:
            raise ApiError(
                426,
                "upgrade_required",
                f"this server speaks protocol {PROTOCOL_VERSION}",
                min_protocol=PROTOCOL_VERSION,
                max_protocol=PROTOCOL_VERSION,
            )
        if not user.commune_id or user.role == "province_viewer":
            raise forbidden("province viewers read reports, not rows")
        last, state = _client_and_state(conn, user, client_id)
        if options.epoch is not None and options.epoch != state.epoch:
            raise ApiError(
                409, "epoch_mismatch", "the server's database was restored", epoch=state.epoch
            )
        extra = ""
        if options.directory is not None:
            directory = devices.directory_digest(conn, user)
            if directory != options.directory:
                extra += f',"directory":"{directory}"'
        scope = read_scope(user)
        if cursor is None:
            snapshot, position = state.version, (0, "", "")
        else:
            snapshot, position = decode_cursor(cursor, state.epoch, scope.signature)
        items = _page(conn, scope, snapshot, position, limit + 1)
        has_more = len(items) > limit
        items = items[:limit]
        if items:
            position = items[-1][:3]
        if has_more and options.count:
            extra += f',"remaining":{_remaining(conn, scope, snapshot, position)}'
        if items or cursor is None or not options.checked:
            next_cursor = encode_cursor(snapshot, position, state.epoch, scope.signature)
            extra += f',"next_cursor":"{next_cursor}"'
        changes = _columns(items) if options.columns and items else _rows(items)
        body = (
            f"{{{changes}{extra},"
            f'"has_more":{"true" if has_more else "false"},"last_mutation_id":{last},'
            f'"server_hlc":"{server_hlc()}"}}'
        )
        return body.encode()

    return read(engine, work)


def _rows(items: list[tuple]) -> str:
    """SYNC.md's page: one object per change, the row's stored JSON as it is."""
    parts = []
    for version, tbl, row_id, op, data in items:
        head = f'{{"table":"{tbl}","id":"{row_id}","op":"{op}","version":{version}'
        parts.append(f'{head},"row":{data}}}' if op == "upsert" else head + "}")
    return '"changes":[' + ",".join(parts) + "]"


def _derived_id(tbl: str, row: dict) -> str | None:
    if tbl not in ("support_items", "targets"):
        return None
    try:
        return derived_id(tbl, row)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _columns(items: list[tuple]) -> str:
    """The page column by column (docs/protocol.md, "Column pages"): per table the ids, the
    versions as differences from the one before, and each field's values; ``null`` for the
    id of a support item or target whose id is the one derived from its fields. Field names
    and keys once per page instead of once per row, like values side by side, and no
    derivable UUIDs: 22 bytes a row gzipped instead of 56 (docs/performance.md)."""
    tables: dict[str, dict] = {}
    removed = []
    for version, tbl, row_id, op, data in items:
        if op != "upsert":
            removed.append({"table": tbl, "id": row_id, "op": op, "version": version})
            continue
        table = tables.get(tbl)
        names = FIELDS.get(tbl)
        row = orjson.loads(data)
        if table is None:
            if names is None:  # a table this server version does not describe: its keys
                names = dict.fromkeys(row)
            table = tables[tbl] = {
                "id": [],
                "version": [],
                "row": {name: [] for name in names},
                "_last": 0,
                "_names": names,
            }
        table["id"].append(None if _derived_id(tbl, row) == row_id else row_id)
        table["version"].append(version - table["_last"])
        table["_last"] = version
        for name, default in table["_names"].items():
            table["row"][name].append(row.get(name, default))
    for table in tables.values():
        del table["_last"], table["_names"]
    page = {"format": "columns", "tables": tables, "removed": removed}
    return orjson.dumps(page).decode()[1:-1]


def _count_statement(in_scope):
    r = records_t.c
    return sa.select(sa.func.count()).where(
        in_scope,
        _after((r.version, r.tbl, r.id), _POSITION),
        sa.or_(r.deleted.is_(False), r.version > sa.bindparam("snapshot")),
    )


_COUNT_OF_COMMUNE = _count_statement(records_t.c.commune_id == sa.bindparam("commune"))
_COUNT_OF_AREAS = _count_statement(
    records_t.c.scope_area.in_(sa.bindparam("areas", expanding=True))
)


def _remaining(conn: Connection, scope: Scope, snapshot: int, position) -> int:
    """Rows after ``position`` (evictions not counted): for the device's estimate of the
    time a pull has left. Asked once per pull, on a page that has more after it."""
    version, tbl, row_id = position
    params = {"v": version, "t": tbl, "i": row_id, "snapshot": snapshot}
    if scope.commune_id is not None:
        return conn.execute(_COUNT_OF_COMMUNE, {**params, "commune": scope.commune_id}).scalar()
    params["areas"] = sorted(scope.read_areas)
    return conn.execute(_COUNT_OF_AREAS, params).scalar()


def _in_scope(scope: Scope):
    r = records_t.c
    if scope.commune_id is not None:
        return r.commune_id == scope.commune_id
    return r.scope_area.in_(sorted(scope.read_areas))


def _page_statement(in_scope):
    r = records_t.c
    return (
        sa.select(r.version, r.tbl, r.id, r.deleted, r.data)
        .where(
            in_scope,
            _after((r.version, r.tbl, r.id), _POSITION),
            sa.or_(r.deleted.is_(False), r.version > sa.bindparam("snapshot")),
        )
        .order_by(r.version, r.tbl, r.id)
        .limit(sa.bindparam("n"))
    )


_PAGE_OF_COMMUNE = _page_statement(records_t.c.commune_id == sa.bindparam("commune"))
_PAGE_OF_AREAS = _page_statement(records_t.c.scope_area.in_(sa.bindparam("areas", expanding=True)))


def _page(conn: Connection, scope: Scope, snapshot: int, position, n: int) -> list[tuple]:
    version, tbl, row_id = position
    params = {"v": version, "t": tbl, "i": row_id, "snapshot": snapshot, "n": n}
    if scope.commune_id is not None:
        result = conn.execute(_PAGE_OF_COMMUNE, {**params, "commune": scope.commune_id})
    else:
        params["areas"] = sorted(scope.read_areas)
        result = conn.execute(_PAGE_OF_AREAS, params)
    # Straight from the driver: these columns need no conversion (``deleted`` is only tested
    # for truth), and a first pull reads 140,000 of them.
    rows = result.cursor.fetchall()
    result.close()
    items = [(v, t, i, "delete" if deleted else "upsert", data) for v, t, i, deleted, data in rows]
    if scope.commune_id is None:
        items.extend(_evictions(conn, params))
        items.sort(key=lambda item: item[:3])
    return items[:n]


def _evictions_statement():
    r = records_t.c
    e = evictions_t.c
    areas = sa.bindparam("areas", expanding=True)
    still_here = (
        sa.select(sa.literal(1))
        .where(r.tbl == e.tbl, r.id == e.row_id, r.scope_area.in_(areas))
        .exists()
    )
    top = sa.func.max(e.version)
    return (
        sa.select(top, e.tbl, e.row_id)
        .where(e.scope_area.in_(areas), ~still_here)
        .group_by(e.tbl, e.row_id)
        .having(sa.and_(top > sa.bindparam("snapshot"), _after((top, e.tbl, e.row_id), _POSITION)))
        .order_by(top, e.tbl, e.row_id)
        .limit(sa.bindparam("n"))
    )


_EVICTIONS = _evictions_statement()


def _evictions(conn: Connection, params: dict) -> list:
    # Only for hamlet-scoped readers: a row never leaves a commune (see read_scope).
    evicted = conn.execute(_EVICTIONS, params).all()
    return [(v, t, i, "evict", None) for v, t, i in evicted]


def summary(engine: Engine, user: AuthUser) -> dict:
    if not user.commune_id or user.role == "province_viewer":
        raise forbidden("province viewers read reports, not rows")

    def work(conn: Connection) -> dict:
        scope = read_scope(user)
        version = conn.execute(sa.select(state_t.c.version).where(state_t.c.id == 1)).scalar_one()
        pairs: dict[str, list[tuple[str, int]]] = defaultdict(list)
        r = records_t.c
        query = sa.select(r.tbl, r.id, r.version).where(_in_scope(scope), r.deleted.is_(False))
        found = conn.execute(query)
        rows = found.cursor.fetchall()  # the driver's tuples, for 142,000 rows of a commune
        found.close()
        for tbl, row_id, row_version in rows:
            pairs[tbl].append((row_id, row_version))
        tables = {
            name: {
                "count": len(pairs[name]),
                "checksum": table_checksum(pairs[name]) if pairs[name] else EMPTY_CHECKSUM,
            }
            for name in TABLES
        }
        return {"version": version, "tables": tables}

    return read(engine, work)
