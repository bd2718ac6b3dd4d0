"""Administration used by the command line, the demo, tests and benchmarks: areas, users,
and bulk loading of rows (with versions from the global counter, as a push would get)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gocua.protocol import TABLES, full_row
from server import accounts, tallies
from server.auth import hasher
from server.errors import AdminError
from server.jsontext import dumps
from server.models import areas_t, records_t, state_t, users_t
from server.scope import PROVINCE_VIEWER, ROLES, VOLUNTEER
from server.settings import Settings

AREA_KINDS = ("province", "commune", "hamlet")


def load_areas(engine: Engine, areas: Iterable[dict]) -> int:
    """Insert or rename areas (ids are stable codes; names change when communes merge)."""
    count = 0
    with engine.begin() as conn:
        for area in areas:
            if area.get("kind") not in AREA_KINDS or not area.get("id") or not area.get("name"):
                raise AdminError(
                    f"bad area {area!r}: needs id, kind (province|commune|hamlet), name"
                )
            values = {
                "kind": area["kind"],
                "name": area["name"],
                "parent_id": area.get("parent_id"),
            }
            exists = conn.execute(sa.select(areas_t.c.id).where(areas_t.c.id == area["id"])).first()
            if exists:
                conn.execute(sa.update(areas_t).where(areas_t.c.id == area["id"]).values(values))
            else:
                conn.execute(sa.insert(areas_t).values(id=area["id"], **values))
            count += 1
    return count


def load_areas_file(engine: Engine, path: str) -> int:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict) or not isinstance(data.get("areas"), list):
        raise AdminError(f'{path}: expected {{"areas": [...]}}')
    return load_areas(engine, data["areas"])


def add_user(
    engine: Engine,
    settings: Settings,
    username: str,
    password: str,
    role: str,
    *,
    commune_id: str | None = None,
    hamlet_ids: Iterable[str] = (),
    province_id: str | None = None,
    display_name: str | None = None,
    user_id: str | None = None,
) -> str:
    """Create the user, or update role, areas and password of an existing one. Returns its id."""
    import uuid

    hamlet_ids = list(hamlet_ids)
    if role not in ROLES:
        raise AdminError(f"role must be one of {', '.join(ROLES)}")
    if not password:
        raise AdminError("the password must not be empty")
    with engine.begin() as conn:
        kinds = {a.id: a for a in conn.execute(sa.select(areas_t))}
        if role == PROVINCE_VIEWER:
            if not province_id or getattr(kinds.get(province_id), "kind", None) != "province":
                raise AdminError("a province viewer needs --province with a known province id")
            commune_id, hamlet_ids = None, []
        else:
            if not commune_id or getattr(kinds.get(commune_id), "kind", None) != "commune":
                raise AdminError("this role needs --commune with a known commune id")
            # Leaders and admins read the whole commune: hamlets given for them are ignored.
            assigned = hamlet_ids if role == VOLUNTEER else []
            hamlet_ids = accounts.check_hamlets(conn, role, commune_id, assigned, "--hamlets")
            province_id = getattr(kinds.get(commune_id), "parent_id", None)
        values = {
            "display_name": display_name or username,
            "role": role,
            "commune_id": commune_id,
            "province_id": province_id,
            "password_hash": hasher(settings).hash(password),
            "active": True,
        }
        existing = conn.execute(
            sa.select(users_t.c.id).where(users_t.c.username == username)
        ).scalar()
        if existing:
            if display_name is None:
                values.pop("display_name")
            conn.execute(sa.update(users_t).where(users_t.c.id == existing).values(values))
            new_id = existing
        else:
            new_id = user_id or str(uuid.uuid4())
            conn.execute(sa.insert(users_t).values(id=new_id, username=username, **values))
        accounts.set_hamlets(conn, new_id, hamlet_ids)
    return new_id


def bulk_load(engine: Engine, tables: dict[str, list[dict]], batch: int = 5000) -> int:
    """Insert rows (``{"id", **fields}``, already valid) the way a push would store them.

    Rows get consecutive versions from the counter. Their fields have no writer recorded,
    so any device's edit of them is free of concurrency. Returns the number of rows.
    """
    total = sum(len(tables.get(t, [])) for t in TABLES)
    if not total:
        return 0
    now = time.time()
    with engine.begin() as conn:
        top = conn.execute(
            sa.update(state_t)
            .where(state_t.c.id == 1)
            .values(version=state_t.c.version + total)
            .returning(state_t.c.version)
        ).scalar_one()
        version = top - total
        areas = {a.id: a for a in conn.execute(sa.select(areas_t))}
        place: dict[str, tuple[str, str | None]] = {}  # row id -> (hamlet, household)
        pending: list[dict] = []
        loaded: list[tuple[tuple[str, str], tuple]] = []  # what the tallies must add
        for tbl in TABLES:
            for row in tables.get(tbl, []):
                version += 1
                data = full_row(tbl, row)
                scope, household, subject = _placement(tbl, row, data, place)
                area = areas.get(scope)
                if area is None:
                    raise AdminError(f"{tbl} {row['id']}: unknown area {scope}")
                commune = area.id if area.kind == "commune" else area.parent_id
                facts = tallies.facts(tbl, row["id"], scope, commune, household, False, data)
                if facts is not None:
                    loaded.append(((tbl, row["id"]), facts))
                pending.append(
                    {
                        "tbl": tbl,
                        "id": row["id"],
                        "scope_area": scope,
                        "commune_id": commune,
                        "household_id": household,
                        "subject_id": subject,
                        "version": version,
                        "deleted": False,
                        "data": dumps(data),
                        "meta": "{}",
                        "updated_at": now,
                    }
                )
                if len(pending) >= batch:
                    conn.execute(sa.insert(records_t), pending)
                    pending = []
        if pending:
            conn.execute(sa.insert(records_t), pending)
        tallies.apply(conn, tallies.loaded_delta(conn, loaded))
    if engine.dialect.name == "postgresql":
        # Fresh statistics, or the planner guesses a big import is tiny and pulls sort it all.
        with engine.connect() as conn:
            conn.execute(sa.text("ANALYZE records"))
            conn.commit()
    return total


def _placement(tbl: str, row: dict, data: dict, place: dict) -> tuple[str, str | None, str | None]:
    if tbl == "households":
        place[row["id"]] = (data["hamlet_id"], row["id"])
        return data["hamlet_id"], row["id"], None
    if tbl == "persons":
        hamlet, household = place[data["household_id"]]
        place[row["id"]] = (hamlet, household)
        return hamlet, household, None
    if tbl == "support_items":
        hamlet, household = place[data["subject_id"]]
        return hamlet, household, data["subject_id"]
    if tbl == "visits":
        hamlet, household = place[data["household_id"]]
        return hamlet, household, None
    return data["area_id"], None, None
