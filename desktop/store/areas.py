"""The profile's areas: those a profile made offline types itself, and the commune it joined.

A profile made before its first sign-in holds a commune and hamlets of its own, with local ids
(``LOCAL``, ``LOCAL-01``, ...) and ``local`` set; the server knows none of them. Joining
(desktop.sync.join) maps them onto the server's and records the server commune in the sync
state; from then on the profile belongs to that commune only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from desktop.store import bulk
from desktop.store.state_keys import COMMUNE_ID
from gocua.text import normalize_name

LOCAL_COMMUNE = "LOCAL"


@dataclass(frozen=True)
class AreaRow:
    id: str
    kind: str
    name: str
    parent_id: str | None
    local: bool
    retired: bool


def offline_areas(commune: str, hamlets: list[str]) -> list[dict]:
    """The areas of a profile made before its first sync (ids the join will replace)."""
    commune = normalize_name(commune) or "Xã"
    areas = [
        {"id": LOCAL_COMMUNE, "kind": "commune", "name": commune, "parent_id": None, "local": True}
    ]
    names = [normalize_name(h) for h in hamlets if h.strip()]
    for n, name in enumerate(dict.fromkeys(names), start=1):
        areas.append(
            {
                "id": f"{LOCAL_COMMUNE}-{n:02d}",
                "kind": "hamlet",
                "name": name,
                "parent_id": LOCAL_COMMUNE,
                "local": True,
            }
        )
    return areas


def create_offline_areas(conn: Connection, commune: str, hamlets: list[str]) -> None:
    bulk.insert_areas(conn, offline_areas(commune, hamlets))


def all_areas(conn: Connection) -> list[AreaRow]:
    rows = conn.exec_driver_sql(
        "SELECT id, kind, name, parent_id, local, retired FROM areas ORDER BY kind, name"
    )
    return [AreaRow(i, k, n, p, bool(loc), bool(r)) for i, k, n, p, loc, r in rows]


def active_hamlets(conn: Connection) -> list[tuple[str, str]]:
    """``(id, name)`` of the hamlets not retired, by name (the follow-up list's choice)."""
    rows = conn.exec_driver_sql(
        "SELECT id, name FROM areas WHERE kind = 'hamlet' AND retired = 0 ORDER BY name"
    )
    return [(hamlet_id, name) for hamlet_id, name in rows]


def local_commune(conn: Connection) -> AreaRow | None:
    """The commune a profile made offline typed, until the profile joins the server's."""
    return next((a for a in all_areas(conn) if a.kind == "commune" and a.local), None)


def local_hamlets(conn: Connection) -> list[AreaRow]:
    return [a for a in all_areas(conn) if a.kind == "hamlet" and a.local]


def joined_commune(conn: Connection) -> str | None:
    """The server commune this profile belongs to (None before its first sign-in)."""
    return COMMUNE_ID.get(conn)


def commune_name(conn: Connection) -> str | None:
    """The name of the profile's commune as the profile knows it (server's, else typed)."""
    joined = joined_commune(conn)
    areas = [a for a in all_areas(conn) if a.kind == "commune"]
    named = next((a for a in areas if a.id == joined), None) or next(
        (a for a in areas if a.local), None
    )
    return named.name if named else None
