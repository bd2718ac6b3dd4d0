"""``POST /sync/push``: at-most-once mutations, merged field by field, in one transaction."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from gocua import hlc as hlc_mod
from gocua import ids
from gocua.catalogue import Catalogue
from gocua.protocol import TABLES, check_fields, full_row
from server import schema
from server.db import run_transaction
from server.errors import ApiError, forbidden
from server.merge import ConflictNote, FieldMeta, create_meta, edited_since, merge_upsert
from server.models import areas_t, clients_t, mutations_t, records_t, users_t
from server.scope import PROVINCE_VIEWER, AuthUser, load_scope
from server.store import Changes, RowState, load_rows, lock_rows

_HASHED = ("hlc", "table", "row_id", "op", "base_version", "fields")


def payload_hash(mutation: dict) -> str:
    """What makes two sends of one mutation id "the same mutation"."""
    try:
        canonical = orjson.dumps({k: mutation.get(k) for k in _HASHED}, option=orjson.OPT_SORT_KEYS)
    except (orjson.JSONEncodeError, TypeError):  # integers past 64 bits, always for one input
        return legacy_payload_hash(mutation)
    return hashlib.sha256(canonical).hexdigest()


def _same_payload(stored: str, h: str, mutation: dict) -> bool:
    """Whether a stored hash is this mutation's, in today's form or the legacy one."""
    return stored == h or stored == legacy_payload_hash(mutation)


def legacy_payload_hash(mutation: dict) -> str:
    """The hash stored before 2026-12 (the standard library's JSON, 5x slower): a mutation
    applied then and sent again after the upgrade is still recognised as the same one."""
    canonical = json.dumps(
        {k: mutation.get(k) for k in _HASHED}, sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class Rejected(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class Placement:
    scope_area: str
    commune_id: str
    household_id: str | None
    subject_id: str | None


# Built once, with parameters (building a statement cost more than running it).
_LOCK_CLIENT = (
    sa.select(clients_t).where(clients_t.c.id == sa.bindparam("client_id")).with_for_update()
)
_AREA = sa.select(areas_t).where(areas_t.c.id == sa.bindparam("area_id"))
_COMMUNE_USERS = sa.select(users_t.c.id).where(users_t.c.commune_id == sa.bindparam("commune_id"))


class Pusher:
    """Applies one device's new mutations inside the push transaction."""

    def __init__(
        self,
        conn: Connection,
        user: AuthUser,
        client_id: str,
        clock: hlc_mod.Clock,
        catalogue: Catalogue,
    ):
        self.conn, self.user, self.client_id = conn, user, client_id
        self.clock, self.catalogue = clock, catalogue
        self.scope = load_scope(conn, user)
        self.changes = Changes()
        self.cache: dict[tuple[str, str], RowState | None] = {}
        self.areas: dict[str, Any] = {}
        self.commune_users: dict[str, set[str]] = {}
        # The clock observes the push's latest stamp once (stamps compare in time order):
        # observing each of 500 stamps in turn leaves it no later, and cost 5% of a push.
        self.skew_limit = clock.skew_limit()
        self.latest_stamp = ""

    def observe_stamps(self) -> None:
        if self.latest_stamp:
            self.clock.observe(self.latest_stamp)
            self.latest_stamp = ""

    # -- lookups ------------------------------------------------------------------------------

    def prefetch(self, mutations: list[dict]) -> None:
        """Load and lock, in one query, every row the mutations name or refer to."""
        keys: set[tuple[str, str]] = set()
        for m in mutations:
            keys.add((m["table"], m["row_id"]))
            fields = m["fields"] if isinstance(m["fields"], dict) else {}
            for name in ("household_id", "subject_id"):
                if isinstance(fields.get(name), str):
                    keys.add(("households", fields[name]))
                    if name == "subject_id":
                        keys.add(("persons", fields[name]))
        # Only well-formed keys reach the database (a malformed one is rejected later).
        keys = {
            k
            for k in keys
            if k not in self.cache and k[0] in TABLES and ids.is_canonical_uuid(k[1])
        }
        if not keys:
            return
        pairs = sorted(keys)  # one lock order for every push: fewer deadlocks
        found = lock_rows(self.conn, pairs)
        self.cache.update(dict.fromkeys(pairs))
        self.cache.update({(r.tbl, r.id): r for r in found})

    def row(self, tbl: str, row_id: str) -> RowState | None:
        key = (tbl, row_id)
        if key not in self.cache:
            found = load_rows(self.conn, sa.and_(records_t.c.tbl == tbl, records_t.c.id == row_id))
            self.cache[key] = found[0] if found else None
        return self.cache[key]

    def area(self, area_id: Any):
        if not isinstance(area_id, str):
            return None
        if area_id not in self.areas:
            self.areas[area_id] = self.conn.execute(_AREA, {"area_id": area_id}).first()
        return self.areas[area_id]

    def users_of(self, commune_id: str) -> set[str]:
        if commune_id not in self.commune_users:
            found = self.conn.execute(_COMMUNE_USERS, {"commune_id": commune_id}).scalars()
            self.commune_users[commune_id] = set(found)
        return self.commune_users[commune_id]

    def live_hamlet(self, hamlet_id: Any) -> Any:
        """The hamlet a household sent to ``hamlet_id`` belongs in: itself while it is live
        (or unknown: :meth:`place` rejects that), else the hamlet it was merged into (and so on,
        should that one have been merged too). A retired hamlet that was not merged (emptied
        and retired, or split) has no answer: the device holds the row until it is moved."""
        seen = set()
        area = self.area(hamlet_id)
        while area is not None and area.kind == "hamlet" and area.retired_at is not None:
            seen.add(area.id)
            target = None if area.merged_into in seen else self.area(area.merged_into)
            if target is None:
                raise Rejected("unknown_area", f"hamlet_id: hamlet {hamlet_id} is retired")
            area = target
        return hamlet_id if area is None else area.id

    def parent(self, tbl: str, row_id: str, field: str) -> RowState:
        found = self.row(tbl, row_id)
        if found is None:
            raise Rejected("unknown_reference", f"{field}: no such {tbl[:-1]} {row_id}")
        return found

    def place(self, tbl: str, row_id: str, data: dict) -> Placement:
        """Where a row belongs, from its references (and whether those exist)."""
        if tbl == "households":
            hamlet = self.area(data["hamlet_id"])
            if hamlet is None or hamlet.kind != "hamlet":
                raise Rejected("unknown_area", f"hamlet_id: no such hamlet {data['hamlet_id']}")
            return Placement(hamlet.id, hamlet.parent_id, row_id, None)
        if tbl == "targets":
            area = self.area(data["area_id"])
            if area is None or area.kind not in ("commune", "hamlet"):
                raise Rejected(
                    "unknown_area", f"area_id: no such commune or hamlet {data['area_id']}"
                )
            commune = area.id if area.kind == "commune" else area.parent_id
            return Placement(area.id, commune, None, None)
        if tbl == "support_items":
            if data["subject_type"] == "household":
                subject = self.parent("households", data["subject_id"], "subject_id")
            else:
                subject = self.parent("persons", data["subject_id"], "subject_id")
            return Placement(
                subject.scope_area, subject.commune_id, subject.household_id, subject.id
            )
        household = self.parent("households", data["household_id"], "household_id")
        return Placement(household.scope_area, household.commune_id, household.id, None)

    # -- one mutation -------------------------------------------------------------------------

    def apply(self, m: dict) -> dict:
        try:
            return self._apply(m)
        except Rejected as error:
            return {
                "id": m["id"],
                "status": "rejected",
                "code": error.code,
                "message": error.message,
            }

    def _apply(self, m: dict) -> dict:
        tbl, row_id = m["table"], m["row_id"]
        if tbl not in TABLES:
            raise Rejected("unknown_table", f"table: unknown table {tbl!r}")
        if not ids.is_canonical_uuid(row_id):
            raise Rejected("invalid_id", "row_id: must be a lower-case UUID")
        if not hlc_mod.is_valid(m["hlc"]):
            raise Rejected("invalid_value", "hlc: must be an HLC stamp 0000000000000-0000-node")
        result: dict[str, Any] = {"id": m["id"]}
        stamp = m["hlc"]
        if hlc_mod.millis_of(stamp) > self.skew_limit:
            self.observe_stamps()  # now() must pass the stamps this push has brought so far
            stamp = self.clock.now()
            result["warning"] = "clock_skew"
        elif stamp > self.latest_stamp:
            self.latest_stamp = stamp
        if tbl == "targets" and not self.scope.writes_targets:
            raise Rejected("forbidden_scope", "table: only leaders may write targets")
        row = self.row(tbl, row_id)
        if row is not None and row.scope_area not in self.scope.write_areas:
            raise Rejected("forbidden_scope", f"row_id: {tbl} row outside your write scope")
        if m["op"] == "delete":
            return self._delete(m, row, stamp, result)
        return self._upsert(m, row, stamp, result)

    def _delete(self, m: dict, row: RowState | None, stamp: str, result: dict) -> dict:
        if row is None or row.deleted:
            # Deleting what is not there (or no longer there) is done already.
            if row is not None:
                result["version"] = row.version
            return {**result, "status": "applied"}
        version = self.changes.next_version()
        edited = edited_since(row.meta, m["base_version"], self.client_id)
        status = "applied"
        if edited is not None:
            note = ConflictNote("_deleted", True, row.data, "client", self.user.id, edited.user)
            cid = self.changes.conflict(row, note)
            result["conflicts"] = [{"conflict_id": cid, "field": "_deleted", "winner": "client"}]
            status = "conflict"
        row.deleted = True
        row.meta["_deleted"] = [version, self.client_id, stamp, self.user.id, [], None]
        self.changes.touch(row, version)
        self.changes.audit(
            row,
            version,
            "delete",
            {},
            {},
            user=self.user.id,
            client=self.client_id,
            mutation=m["id"],
        )
        return {**result, "status": status, "version": version}

    def _upsert(self, m: dict, row: RowState | None, stamp: str, result: dict) -> dict:
        tbl, row_id = m["table"], m["row_id"]
        clean, errors = check_fields(
            tbl,
            row_id,
            m["fields"],
            current=None if row is None else row.data,
            catalogue=self.catalogue,
        )
        if errors:
            raise Rejected(errors[0].code, "; ".join(str(e) for e in errors))
        if row is not None and row.deleted:
            return self._upsert_on_tombstone(row, clean, result)
        redirected = False
        if tbl == "households" and "hamlet_id" in clean:
            hamlet = self.live_hamlet(clean["hamlet_id"])
            redirected = hamlet != clean["hamlet_id"]
            clean["hamlet_id"] = hamlet
        if redirected:
            # The device chose a hamlet that has since been merged: the household goes where
            # the hamlet's households went, and the device learns it from the warning and from
            # pulling the row back. SYNC.md's clock_skew keeps the key if both apply.
            result.setdefault("warning", "hamlet_merged")
        proposed = full_row(tbl, {**(row.data if row else {}), **clean})
        placement = self.place(tbl, row_id, proposed)
        if placement.scope_area not in self.scope.write_areas:
            raise Rejected("forbidden_scope", f"{_scope_field(tbl)}: outside your write scope")
        volunteer = clean.get("volunteer_id") if tbl == "visits" else None
        if volunteer is not None and volunteer not in self.users_of(placement.commune_id):
            raise Rejected("invalid_value", "volunteer_id: must be a user of the commune")
        version = self.changes.next_version()
        if row is None:
            row = RowState(
                tbl,
                row_id,
                placement.scope_area,
                placement.commune_id,
                placement.household_id,
                placement.subject_id,
                version,
                False,
                proposed,
                create_meta(
                    clean, client=self.client_id, hlc=stamp, user=self.user.id, version=version
                ),
                in_db=False,
            )
            self.cache[(tbl, row_id)] = row
            self.changes.touch(row, version)
            self.changes.audit(
                row,
                version,
                "create",
                {},
                proposed,
                user=self.user.id,
                client=self.client_id,
                mutation=m["id"],
            )
            return {**result, "status": "merged" if redirected else "applied", "version": version}
        outcome = merge_upsert(
            tbl,
            row.data,
            row.meta,
            clean,
            base_version=m["base_version"],
            client=self.client_id,
            hlc=stamp,
            user=self.user.id,
            version=version,
        )
        row.data, row.meta = outcome.data, outcome.meta
        self.changes.touch(row, version)
        if outcome.changed:
            before = {k: b for k, (b, _) in outcome.changed.items()}
            after = {k: a for k, (_, a) in outcome.changed.items()}
            self.changes.audit(
                row,
                version,
                "update",
                before,
                after,
                user=self.user.id,
                client=self.client_id,
                mutation=m["id"],
            )
        final = self.place(tbl, row_id, row.data)
        if final.scope_area != row.scope_area or final.household_id != row.household_id:
            self._move(row, final, version)
        status = "merged" if redirected and outcome.status == "applied" else outcome.status
        result.update(status=status, version=version)
        if outcome.conflicts:
            result["conflicts"] = [
                {
                    "conflict_id": self.changes.conflict(row, note),
                    "field": note.field,
                    "winner": note.winner,
                }
                for note in outcome.conflicts
            ]
        return result

    def _upsert_on_tombstone(self, row: RowState, clean: dict, result: dict) -> dict:
        deleter = FieldMeta.load(row.meta.get("_deleted")).user
        note = ConflictNote("_deleted", True, clean, "server", deleter, self.user.id)
        cid = self.changes.conflict(row, note)
        result["conflicts"] = [{"conflict_id": cid, "field": "_deleted", "winner": "server"}]
        return {**result, "status": "conflict", "version": row.version}

    def _move(self, row: RowState, to: Placement, version: int) -> None:
        """A household (or a person) changed place: it and every row under it follow."""
        moved = [row]
        if row.tbl in ("households", "persons"):
            column = records_t.c.household_id if row.tbl == "households" else records_t.c.subject_id
            for dep in load_rows(self.conn, sa.and_(column == row.id, records_t.c.id != row.id)):
                self.cache.setdefault((dep.tbl, dep.id), dep)
            for dep in list(self.cache.values()):
                if dep is None or dep is row:
                    continue
                key = dep.household_id if row.tbl == "households" else dep.subject_id
                if key == row.id:
                    moved.append(dep)
        for item in moved:
            if item.scope_area != to.scope_area:
                self.changes.evict(item.scope_area, item, version)
            item.scope_area, item.commune_id = to.scope_area, to.commune_id
            item.household_id = to.household_id
            self.changes.touch(item, version)


def _scope_field(tbl: str) -> str:
    return {"households": "hamlet_id", "targets": "area_id", "support_items": "subject_id"}.get(
        tbl, "household_id"
    )


def push(
    engine: Engine,
    clock: hlc_mod.Clock,
    catalogue: Catalogue,
    authorize: Callable[[Connection], AuthUser],
    body: dict,
) -> dict:
    """``authorize`` checks the token inside the push's transaction (one transaction, not two)."""
    mutations = body["mutations"]
    hashes = [payload_hash(m) for m in mutations]

    def work(conn: Connection) -> dict:
        user = authorize(conn)
        if user.role == PROVINCE_VIEWER:
            raise forbidden("province viewers do not push")
        epoch = schema.epoch(conn)
        if body["epoch"] != epoch:
            raise ApiError(409, "epoch_mismatch", "the server's database changed", epoch=epoch)
        client = conn.execute(_LOCK_CLIENT, {"client_id": body["client_id"]}).first()
        if client is None or client.user_id != user.id:
            raise ApiError(409, "client_mismatch", "this client_id is not registered to you")
        last = client.last_mutation_id
        results = _duplicates(conn, body["client_id"], mutations, hashes, last)
        fresh = [(m, h) for m, h in zip(mutations, hashes, strict=True) if m["id"] > last]
        if fresh and fresh[0][0]["id"] > last + 1:
            raise ApiError(409, "mutation_gap", f"expected mutation {last + 1}", expected=last + 1)
        if not fresh:
            return {"last_mutation_id": last, "results": results}
        pusher = Pusher(conn, user, body["client_id"], clock, catalogue)
        pusher.prefetch([m for m, _ in fresh])
        applied = [(pusher.apply(m), h) for m, h in fresh]
        pusher.observe_stamps()
        now = time.time()
        stored = [
            {
                "client_id": body["client_id"],
                "mutation_id": result["id"],
                "payload_hash": h,
                "result": result,
                "created_at": now,
            }
            for result, h in applied
        ]
        last = fresh[-1][0]["id"]
        pusher.changes.flush(conn, stored, body["client_id"], last, commit=True)
        for result, _ in applied:
            if "version" in result:
                result["version"] = pusher.changes.real(result["version"])
            results.append(result)
        return {"last_mutation_id": last, "results": results}

    answer = run_transaction(engine, work, immediate=True)
    answer["server_hlc"] = clock.now()
    return answer


def _duplicates(
    conn: Connection, client_id: str, mutations: list[dict], hashes: list[str], last: int
) -> list[dict]:
    old = {m["id"]: h for m, h in zip(mutations, hashes, strict=True) if m["id"] <= last}
    if not old:
        return []
    by_id = {m["id"]: m for m in mutations}
    stored = {
        row.mutation_id: row
        for row in conn.execute(
            sa.select(mutations_t).where(
                mutations_t.c.client_id == client_id, mutations_t.c.mutation_id.in_(list(old))
            )
        )
    }
    results = []
    for mutation_id, h in old.items():
        row = stored.get(mutation_id)
        if row is not None and not _same_payload(row.payload_hash, h, by_id[mutation_id]):
            raise ApiError(
                409,
                "client_mismatch",
                f"mutation {mutation_id} was applied before with another payload",
            )
        result: dict[str, Any] = {"id": mutation_id, "status": "duplicate"}
        if row is not None:
            original = json.loads(row.result)
            for key in ("version", "conflicts", "code", "message"):
                if key in original:
                    result[key] = original[key]
        results.append(result)
    return results
