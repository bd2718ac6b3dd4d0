"""A commune's hamlets as its administrators manage them: list, add, rename, merge, split,
retire. Every function runs inside the caller's transaction and audits what it changes.

Hamlets are never deleted: a retired one keeps its id and name (reports of past periods still
name it, and devices keep it for them). ``merged_into`` says where its households went, so a
device that still sends a household to it lands in the right place (:mod:`server.push`).
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gocua import hlc as hlc_mod
from gocua.text import fold, normalize_name
from server import admin_audit, relocate
from server.errors import AdminError, ApiError
from server.models import areas_t, records_t, user_hamlets_t, users_t

NAME_MAX = 200
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


# -- names and ids ----------------------------------------------------------------------------


def clean_name(name: str, field: str = "name") -> str:
    """A hamlet's name as stored: NFC, single spaces, 1..200 characters, no control ones."""
    cleaned = normalize_name(name)
    if not 1 <= len(cleaned) <= NAME_MAX:
        raise AdminError(f"must be 1 to {NAME_MAX} characters", field=field)
    if any(unicodedata.category(ch)[0] == "C" for ch in cleaned):
        raise AdminError("must not hold control characters", field=field)
    return cleaned


def _live_names(conn: Connection, commune_id: str) -> dict[str, str]:
    """Folded name -> id of the commune's live hamlets."""
    a = areas_t.c
    rows = conn.execute(
        sa.select(a.id, a.name).where(
            a.parent_id == commune_id, a.kind == "hamlet", a.retired_at.is_(None)
        )
    )
    return {fold(name): hamlet_id for hamlet_id, name in rows}


def _name_taken(name: str, owner: str, field: str) -> AdminError:
    return AdminError(
        f"{name!r} is already the name of hamlet {owner} (accents and case aside)",
        status=409,
        code="name_taken",
        field=field,
        hamlet_id=owner,
    )


def check_name_free(
    conn: Connection, commune_id: str, name: str, field: str = "name", *, ignore: Iterable = ()
) -> None:
    owner = _live_names(conn, commune_id).get(fold(name))
    if owner is not None and owner not in set(ignore):
        raise _name_taken(name, owner, field)


def _id_taken(conn: Connection, area_id: str) -> bool:
    return conn.execute(sa.select(areas_t.c.id).where(areas_t.c.id == area_id)).first() is not None


def check_new_id(conn: Connection, area_id: str, field: str = "id") -> str:
    if not _ID.match(area_id):
        raise AdminError(
            "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
            field=field,
        )
    if _id_taken(conn, area_id):
        raise AdminError(
            f"area id {area_id} is already used", status=409, code="id_taken", field=field
        )
    return area_id


def next_id(conn: Connection, commune_id: str, reserved: Iterable[str] = ()) -> str:
    """``f"{commune_id}-{n:02d}"`` with n one past the highest such id (retired ones count:
    an id is never given twice), skipping ``reserved``."""
    pattern = re.compile(re.escape(commune_id) + r"-(\d+)")
    like = sa.select(areas_t.c.id).where(areas_t.c.id.like(f"{commune_id}-%"))
    numbers = [int(m.group(1)) for i in conn.execute(like).scalars() if (m := pattern.fullmatch(i))]
    n = max(numbers, default=0) + 1
    reserved = set(reserved)
    while (candidate := f"{commune_id}-{n:02d}") in reserved or _id_taken(conn, candidate):
        n += 1
    return candidate


# -- reading ----------------------------------------------------------------------------------


def lock_commune(conn: Connection, commune_id: str, field: str = "commune"):
    """The commune's row, locked: one administrative change of a commune at a time, so two
    admins cannot both add "Ấp 3" (PostgreSQL; SQLite's writers are serialised anyway)."""
    row = conn.execute(
        sa.select(areas_t).where(areas_t.c.id == commune_id).with_for_update()
    ).first()
    if row is None or row.kind != "commune":
        raise AdminError(f"no commune {commune_id}", field=field)
    return row


def hamlet_of(conn: Connection, commune_id: str, hamlet_id: str):
    """A hamlet of this commune (live or retired), else 404: other communes' are not shown."""
    row = conn.execute(sa.select(areas_t).where(areas_t.c.id == hamlet_id)).first()
    if row is None or row.kind != "hamlet" or row.parent_id != commune_id:
        raise ApiError(404, "not_found", f"no hamlet {hamlet_id} in your commune")
    return row


def _retired(hamlet_id: str, field: str | None = None) -> AdminError:
    return AdminError(
        f"hamlet {hamlet_id} is retired", status=409, code="hamlet_retired", field=field
    )


def wire(conn: Connection, rows) -> list[dict]:
    """Hamlets as the API shows them, with their live households and active assigned users."""
    rows = list(rows)
    ids = [row.id for row in rows]
    households: dict[str, int] = {}
    volunteers: dict[str, int] = {}
    if ids:
        r = records_t.c
        households = dict(
            conn.execute(
                sa.select(r.scope_area, sa.func.count())
                .where(r.scope_area.in_(ids), r.tbl == "households", r.deleted.is_(False))
                .group_by(r.scope_area)
            ).all()
        )
        uh = user_hamlets_t.c
        volunteers = dict(
            conn.execute(
                sa.select(uh.hamlet_id, sa.func.count())
                .join(users_t, users_t.c.id == uh.user_id)
                .where(uh.hamlet_id.in_(ids), users_t.c.active.is_(True))
                .group_by(uh.hamlet_id)
            ).all()
        )
    return [
        {
            "id": row.id,
            "name": row.name,
            "retired": row.retired_at is not None,
            "merged_into": row.merged_into,
            "households": households.get(row.id, 0),
            "volunteers": volunteers.get(row.id, 0),
        }
        for row in rows
    ]


def _one(conn: Connection, hamlet_id: str) -> dict:
    row = conn.execute(sa.select(areas_t).where(areas_t.c.id == hamlet_id)).one()
    return wire(conn, [row])[0]


def list_hamlets(conn: Connection, commune_id: str) -> dict:
    """Live hamlets first, then retired ones, each by name as a Vietnamese reader sorts it."""
    a = areas_t.c
    commune = conn.execute(sa.select(a.id, a.name).where(a.id == commune_id)).one()
    rows = conn.execute(sa.select(areas_t).where(a.parent_id == commune_id, a.kind == "hamlet"))
    rows = sorted(rows, key=lambda r: (r.retired_at is not None, fold(r.name), r.id))
    return {"commune": {"id": commune.id, "name": commune.name}, "hamlets": wire(conn, rows)}


# -- changes ----------------------------------------------------------------------------------


def _insert(conn: Connection, commune_id: str, hamlet_id: str, name: str) -> None:
    conn.execute(
        sa.insert(areas_t).values(
            id=hamlet_id, kind="hamlet", name=name, parent_id=commune_id, created_at=time.time()
        )
    )


def create(
    conn: Connection,
    commune_id: str,
    name: str,
    hamlet_id: str | None,
    user_id: str | None,
) -> dict:
    lock_commune(conn, commune_id)
    name = clean_name(name)
    check_name_free(conn, commune_id, name)
    hamlet_id = (
        check_new_id(conn, hamlet_id) if hamlet_id is not None else next_id(conn, commune_id)
    )
    _insert(conn, commune_id, hamlet_id, name)
    admin_audit.record(
        conn,
        user_id=user_id,
        action="hamlet.create",
        commune_id=commune_id,
        target=hamlet_id,
        before={},
        after={"id": hamlet_id, "name": name},
    )
    return _one(conn, hamlet_id)


def rename(
    conn: Connection, commune_id: str, hamlet_id: str, name: str, user_id: str | None
) -> dict:
    lock_commune(conn, commune_id)
    row = hamlet_of(conn, commune_id, hamlet_id)
    name = clean_name(name)
    check_name_free(conn, commune_id, name, ignore=[hamlet_id])
    if name != row.name:
        conn.execute(sa.update(areas_t).where(areas_t.c.id == hamlet_id).values(name=name))
        admin_audit.record(
            conn,
            user_id=user_id,
            action="hamlet.rename",
            commune_id=commune_id,
            target=hamlet_id,
            before={"name": row.name},
            after={"name": name},
        )
    return _one(conn, hamlet_id)


def _assigned(conn: Connection, hamlet_id: str) -> list[str]:
    uh = user_hamlets_t.c
    query = sa.select(uh.user_id).where(uh.hamlet_id == hamlet_id).order_by(uh.user_id)
    return list(conn.execute(query).scalars())


def _reassign(conn: Connection, hamlet_id: str, to: list[str], keep: bool) -> list[str]:
    """Users assigned to ``hamlet_id`` also get ``to``; ``keep`` False takes it from them."""
    users = _assigned(conn, hamlet_id)
    uh = user_hamlets_t.c
    for user_id in users:
        have = set(conn.execute(sa.select(uh.hamlet_id).where(uh.user_id == user_id)).scalars())
        new = [h for h in to if h not in have]
        if new:
            conn.execute(
                sa.insert(user_hamlets_t), [{"user_id": user_id, "hamlet_id": h} for h in new]
            )
    if not keep:
        conn.execute(sa.delete(user_hamlets_t).where(uh.hamlet_id == hamlet_id))
    return users


def _retire(conn: Connection, hamlet_id: str, merged_into: str | None) -> None:
    conn.execute(
        sa.update(areas_t)
        .where(areas_t.c.id == hamlet_id)
        .values(retired_at=time.time(), merged_into=merged_into)
    )


def retire(conn: Connection, commune_id: str, hamlet_id: str, user_id: str | None) -> dict:
    relocate.hold_pushes(conn)
    lock_commune(conn, commune_id)
    row = hamlet_of(conn, commune_id, hamlet_id)
    if row.retired_at is not None:
        raise _retired(hamlet_id)
    left = len(relocate.live_households(conn, hamlet_id))
    if left:
        raise AdminError(
            f"hamlet {hamlet_id} still has {left} households; merge or split it instead",
            status=409,
            code="hamlet_not_empty",
            households=left,
        )
    stranded = _only_hamlet_of(conn, hamlet_id)
    if stranded:
        raise AdminError(
            f"hamlet {hamlet_id} is the only hamlet of {', '.join(stranded)}; "
            "assign them another hamlet first",
            status=409,
            code="hamlet_has_volunteers",
            volunteers=stranded,
        )
    users = _reassign(conn, hamlet_id, [], keep=False)
    _retire(conn, hamlet_id, None)
    admin_audit.record(
        conn,
        user_id=user_id,
        action="hamlet.retire",
        commune_id=commune_id,
        target=hamlet_id,
        before={"name": row.name, "retired": False, "users": users},
        after={"retired": True, "users": []},
    )
    return _one(conn, hamlet_id)


def _only_hamlet_of(conn: Connection, hamlet_id: str) -> list[str]:
    """Usernames of active volunteers who would be left with no hamlet without this one."""
    uh = user_hamlets_t.c
    u = users_t.c
    mine = sa.select(uh.user_id).where(uh.hamlet_id == hamlet_id)
    count = (
        sa.select(sa.func.count())
        .select_from(user_hamlets_t)
        .where(uh.user_id == u.id)
        .scalar_subquery()
    )
    query = (
        sa.select(u.username)
        .where(u.id.in_(mine), u.active.is_(True), u.role == "volunteer", count == 1)
        .order_by(u.username)
    )
    return list(conn.execute(query).scalars())


def merge(
    conn: Connection,
    clock: hlc_mod.Clock,
    commune_id: str,
    hamlet_id: str,
    into: str,
    user_id: str | None,
) -> tuple[int, dict]:
    """Hamlet ``hamlet_id`` (B) into ``into`` (A): B's live households move to A, B's users
    are assigned to A instead, B is retired with ``merged_into`` A. B's targets stay."""
    relocate.hold_pushes(conn)
    lock_commune(conn, commune_id)
    source = hamlet_of(conn, commune_id, hamlet_id)
    if source.retired_at is not None:
        raise _retired(hamlet_id)
    if into == hamlet_id:
        raise AdminError("a hamlet cannot be merged into itself", code="same_hamlet", field="into")
    target = conn.execute(sa.select(areas_t).where(areas_t.c.id == into)).first()
    if target is None or target.kind != "hamlet" or target.parent_id != commune_id:
        raise AdminError(
            f"{into} is not a hamlet of {commune_id}", code="unknown_area", field="into"
        )
    if target.retired_at is not None:
        raise _retired(into, "into")
    households = relocate.live_households(conn, hamlet_id)
    moved = relocate.move_households(conn, clock, households, into, commune_id, user_id)
    users = _reassign(conn, hamlet_id, [into], keep=False)
    _retire(conn, hamlet_id, into)
    admin_audit.record(
        conn,
        user_id=user_id,
        action="hamlet.merge",
        commune_id=commune_id,
        target=hamlet_id,
        before={"name": source.name, "retired": False, "households": len(households)},
        after={"retired": True, "merged_into": into, "moved": moved, "users": users},
    )
    return moved, _one(conn, into)


@dataclass(frozen=True)
class Part:
    name: str
    households: list[str]
    id: str | None = None


def split(
    conn: Connection,
    clock: hlc_mod.Clock,
    commune_id: str,
    hamlet_id: str,
    parts: list[Part],
    retire_source: bool,
    user_id: str | None,
) -> tuple[list[dict], int]:
    """New hamlets carved out of ``hamlet_id`` (B), each taking the households listed for it.

    B's users get every new hamlet too, so nobody loses the households they looked after
    (an admin narrows it afterwards); with ``retire_source`` every live household of B must
    be listed, B is retired (no ``merged_into``: its households went several ways) and taken
    from its users."""
    relocate.hold_pushes(conn)
    lock_commune(conn, commune_id)
    source = hamlet_of(conn, commune_id, hamlet_id)
    if source.retired_at is not None:
        raise _retired(hamlet_id)
    names = _part_names(conn, commune_id, hamlet_id, parts, retire_source)
    live = relocate.live_households(conn, hamlet_id)
    _check_part_households(hamlet_id, parts, set(live), retire_source)
    explicit = [check_new_id(conn, p.id, f"parts.{i}.id") for i, p in enumerate(parts) if p.id]
    if len(set(explicit)) != len(explicit):
        raise AdminError("two parts have the same id", status=409, code="id_taken", field="parts")
    created, moved = [], 0
    for part, name in zip(parts, names, strict=True):
        new_id = part.id or next_id(conn, commune_id, reserved=explicit)
        _insert(conn, commune_id, new_id, name)
        moved += relocate.move_households(conn, clock, part.households, new_id, commune_id, user_id)
        created.append(new_id)
    users = _reassign(conn, hamlet_id, created, keep=not retire_source)
    if retire_source:
        _retire(conn, hamlet_id, None)
    admin_audit.record(
        conn,
        user_id=user_id,
        action="hamlet.split",
        commune_id=commune_id,
        target=hamlet_id,
        before={"name": source.name, "retired": False, "households": len(live)},
        after={
            "retired": retire_source,
            "parts": [
                {"id": new_id, "name": name, "households": len(part.households)}
                for new_id, name, part in zip(created, names, parts, strict=True)
            ],
            "moved": moved,
            "users": users,
        },
    )
    rows = conn.execute(sa.select(areas_t).where(areas_t.c.id.in_(created))).all()
    by_id = {row.id: row for row in rows}
    return wire(conn, [by_id[i] for i in created]), moved


def _part_names(
    conn: Connection, commune_id: str, hamlet_id: str, parts: list[Part], retire_source: bool
) -> list[str]:
    live = _live_names(conn, commune_id)
    if retire_source:  # B's name is free once B is retired
        live = {k: v for k, v in live.items() if v != hamlet_id}
    names, seen = [], {}
    for i, part in enumerate(parts):
        field = f"parts.{i}.name"
        name = clean_name(part.name, field)
        folded = fold(name)
        if folded in live:
            raise _name_taken(name, live[folded], field)
        if folded in seen:
            raise AdminError(
                f"{name!r} is also the name of parts.{seen[folded]}",
                status=409,
                code="name_taken",
                field=field,
            )
        seen[folded] = i
        names.append(name)
    return names


def _check_part_households(
    hamlet_id: str, parts: list[Part], live: set[str], retire_source: bool
) -> None:
    listed: dict[str, str] = {}
    for i, part in enumerate(parts):
        for j, household_id in enumerate(part.households):
            field = f"parts.{i}.households.{j}"
            if household_id not in live:
                raise AdminError(
                    f"{household_id} is not a live household of {hamlet_id}", field=field
                )
            if household_id in listed:
                raise AdminError(
                    f"{household_id} is also listed in {listed[household_id]}", field=field
                )
            listed[household_id] = f"parts.{i}"
    left = len(live) - len(listed)
    if retire_source and left:
        raise AdminError(
            f"{left} live households of {hamlet_id} are in no part; retiring it needs them all",
            code="households_left",
            field="parts",
            households=left,
        )
