"""A profile made offline joins the signed-in user's commune before anything is sent (SYNC.md).

The profile typed its commune and hamlets itself (desktop.store.areas, local ids). On the
first ``hello`` the engine stops with :class:`JoinRequired` and the :class:`JoinPlan`: each
local hamlet beside the server's, matched by folded name ("ap binh minh" = "Ấp Bình Minh").
The user (the join dialog, or ``gocua sync --join``) confirms or changes each match, may have a
leader create the missing hamlets on the server, or leaves a hamlet unmatched; then
:func:`apply_join` rewrites the area ids in the rows and in every unsent outbox payload in one
transaction. Rows of a hamlet left unmatched stay on the device, held
(desktop.sync.held), until a later join matches it (a joined profile keeps offering that).

An account of another commune is refused before anything is written (:func:`check_commune`):
a profile never holds two communes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import Connection

from desktop.store import bulk
from desktop.store.areas import joined_commune, local_commune, local_hamlets
from desktop.store.identity import LEADER_ROLES
from desktop.store.state_keys import ACCEPTED_COMMUNE, COMMUNE_ID, MUTATION_OFFSET
from desktop.sync import errors
from gocua import ids
from gocua.areas import COMMUNE_WORDS, area_key, match_by_name, same_area


@dataclass(frozen=True)
class ServerHamlet:
    id: str
    name: str


@dataclass(frozen=True)
class LocalHamlet:
    id: str
    name: str
    households: int
    match: str | None  # the server hamlet of the same folded name, when exactly one


@dataclass(frozen=True)
class JoinPlan:
    commune_id: str
    commune_name: str
    local_commune_name: str | None  # typed in the profile; None once joined
    role: str
    hamlets: tuple[LocalHamlet, ...]
    server_hamlets: tuple[ServerHamlet, ...]
    areas: tuple[dict, ...] = field(repr=False, default=())  # hello's, stored by the join
    last_mutation_id: int = 0

    @property
    def first_join(self) -> bool:
        return self.local_commune_name is not None

    @property
    def can_create(self) -> bool:
        return self.role in LEADER_ROLES

    def default_mapping(self) -> dict[str, str | None]:
        return {h.id: h.match for h in self.hamlets}

    def server_name(self, hamlet_id: str | None) -> str | None:
        return next((h.name for h in self.server_hamlets if h.id == hamlet_id), None)

    def text_vi(self) -> str:
        """The plan as ``gocua sync`` prints it."""
        lines = [f"Xã trên máy chủ: {self.commune_name} ({self.commune_id})"]
        if self.first_join:
            lines.append(f"Xã của hồ sơ: {self.local_commune_name}")
        for hamlet in self.hamlets:
            target = self.server_name(hamlet.match)
            where = f"→ {target} ({hamlet.match})" if target else "→ (chưa ghép: giữ lại trên máy)"
            lines.append(f"  {hamlet.name} [{hamlet.households} hộ] {where}")
        lines.append(
            "Ấp trên máy chủ: " + ", ".join(f"{h.name} ({h.id})" for h in self.server_hamlets)
        )
        return "\n".join(lines)


def check_commune(
    conn: Connection, user: Mapping, username: str = "", areas: tuple[dict, ...] = ()
) -> None:
    """Refuse an account of another commune than the profile's, before anything is written.
    The server commune's name comes with the user (login, hello) or among hello's ``areas``;
    an older server that sends neither is checked by id only, once the profile has joined."""
    server_id = user.get("commune_id")
    if not server_id:
        return
    server_name = user.get("commune_name") or next(
        (a["name"] for a in areas if a.get("id") == server_id), None
    )
    joined = joined_commune(conn)
    if joined:
        if joined != server_id:
            own = _area_name(conn, joined) or joined
            raise errors.WrongCommune(
                own, server_name or server_id, username or user.get("username", "")
            )
        return
    local = local_commune(conn)
    if local is None or server_name is None or ACCEPTED_COMMUNE.get(conn) == server_id:
        return
    typed = area_key(local.name, "commune")
    if typed and typed not in COMMUNE_WORDS and not same_area(local.name, server_name, "commune"):
        raise errors.WrongCommune(
            local.name, server_name, username or user.get("username", ""), server_id=server_id
        )


def accept_commune(conn: Connection, commune_id: str) -> None:
    """The user says the server's commune is the profile's, though the names differ."""
    ACCEPTED_COMMUNE.set(conn, commune_id)


def _area_name(conn: Connection, area_id: str) -> str | None:
    return conn.exec_driver_sql("SELECT name FROM areas WHERE id = ?", (area_id,)).scalar()


def plan_join(conn: Connection, answer: Mapping) -> JoinPlan | None:
    """What joining would do, from a ``hello`` answer; None when the profile has nothing local."""
    user = answer["user"]
    commune_id = user.get("commune_id")
    local = local_commune(conn)
    hamlets = local_hamlets(conn)
    if not commune_id or (local is None and not hamlets):
        return None
    areas = tuple(answer.get("areas", []))
    commune_name = next(
        (a["name"] for a in areas if a["id"] == commune_id), user.get("commune_name") or commune_id
    )
    server = tuple(
        ServerHamlet(a["id"], a["name"])
        for a in areas
        if a["kind"] == "hamlet" and a.get("parent_id") == commune_id and not a.get("retired")
    )
    counts = dict(
        conn.exec_driver_sql(
            "SELECT hamlet_id, count(*) FROM households WHERE deleted = 0 GROUP BY hamlet_id"
        ).all()
    )
    candidates = [(h.id, h.name) for h in server]
    planned = tuple(
        LocalHamlet(h.id, h.name, int(counts.get(h.id, 0)), match_by_name(h.name, candidates))
        for h in hamlets
    )
    return JoinPlan(
        commune_id=commune_id,
        commune_name=commune_name,
        local_commune_name=local.name if local is not None else None,
        role=user.get("role", ""),
        hamlets=planned,
        server_hamlets=server,
        areas=areas,
        last_mutation_id=int(answer.get("last_mutation_id") or 0),
    )


@dataclass
class JoinResult:
    matched: int = 0  # local hamlets mapped onto the server's
    unmatched: int = 0
    households: int = 0  # rows whose hamlet changed
    targets: int = 0
    mutations: int = 0  # outbox payloads rewritten


def apply_join(
    conn: Connection,
    plan: JoinPlan,
    mapping: Mapping[str, str | None],
    created: tuple[dict, ...] = (),
) -> JoinResult:
    """Join in the caller's one transaction: store the server's areas (and the hamlets just
    ``created`` there), move every row and unsent payload off the mapped local hamlets, and
    make the profile the server commune's. Hamlets mapped to None stay local, under it."""
    mapping = {**plan.default_mapping(), **mapping}
    known = {h.id for h in plan.server_hamlets} | {a["id"] for a in created}
    local_ids = {h.id for h in plan.hamlets}
    for local_id, server_id in mapping.items():
        if local_id not in local_ids:
            raise ValueError(f"{local_id} is not a local hamlet of this profile")
        if server_id is not None and server_id not in known:
            raise ValueError(f"{server_id} is not a hamlet of commune {plan.commune_id}")
    bulk.insert_areas(conn, [*plan.areas, *created])
    result = JoinResult()
    moves = {local: server for local, server in mapping.items() if server is not None}
    local = local_commune(conn)
    if local is not None:
        moves[local.id] = plan.commune_id
    offset = MUTATION_OFFSET.get(conn) or 0
    result.mutations = _rewrite_outbox(conn, moves, plan.last_mutation_id + offset)
    for old, new in moves.items():
        result.households += conn.exec_driver_sql(
            "UPDATE households SET hamlet_id = ? WHERE hamlet_id = ?", (new, old)
        ).rowcount
        result.targets += _move_targets(conn, old, new)
    result.matched = len([h for h in plan.hamlets if mapping[h.id] is not None])
    # Hamlets left unmatched stay local, now under the server's commune: one commune only.
    conn.exec_driver_sql(
        "UPDATE areas SET parent_id = ? WHERE local = 1 AND kind = 'hamlet'", (plan.commune_id,)
    )
    for gone in moves:
        conn.exec_driver_sql("DELETE FROM areas WHERE local = 1 AND id = ?", (gone,))
    result.unmatched = conn.exec_driver_sql(
        "SELECT count(*) FROM areas WHERE local = 1 AND kind = 'hamlet'"
    ).scalar()
    COMMUNE_ID.set(conn, plan.commune_id)
    return result


def _rewrite_outbox(conn: Connection, moves: Mapping[str, str], sent_up_to: int) -> int:
    """Rewrite area ids in the payloads the server has not applied: queued ones past what it
    has (one it has would be a changed payload, refused as a copied database), held and
    refused ones (sent again as new mutations)."""
    rows = conn.exec_driver_sql(
        "SELECT id, table_name, row_id, fields FROM outbox WHERE table_name IN "
        "('households', 'targets') AND (state IN ('held', 'rejected') OR "
        "(state = 'pending' AND id > ?))",
        (sent_up_to,),
    ).all()
    changed = 0
    for mutation_id, table, row_id, raw in rows:
        fields = json.loads(raw) if isinstance(raw, str) else dict(raw)
        if table == "households":
            if fields.get("hamlet_id") not in moves:
                continue
            fields["hamlet_id"] = moves[fields["hamlet_id"]]
        else:
            # A target's id is derived from its area: a moved target is another row, and an
            # edit of its percent alone names the area only through the row.
            target = conn.exec_driver_sql(
                "SELECT area_id, indicator_code, period FROM targets WHERE id = ?", (row_id,)
            ).first()
            area = fields.get("area_id") or (target[0] if target else None)
            if area not in moves:
                continue
            if "area_id" in fields:
                fields["area_id"] = moves[area]
            indicator = fields.get("indicator_code") or (target[1] if target else None)
            period = fields.get("period") or (target[2] if target else None)
            if indicator and period:
                row_id = ids.target_id(moves[area], indicator, period)
        conn.exec_driver_sql(
            "UPDATE outbox SET fields = ?, row_id = ? WHERE id = ?",
            (json.dumps(fields, ensure_ascii=False), row_id, mutation_id),
        )
        changed += 1
    return changed


def _move_targets(conn: Connection, old: str, new: str) -> int:
    rows = conn.exec_driver_sql(
        "SELECT id, indicator_code, period, percent FROM targets WHERE area_id = ?", (old,)
    ).all()
    for old_id, indicator, period, percent in rows:
        new_id = ids.target_id(new, indicator, period)
        exists = conn.exec_driver_sql("SELECT 1 FROM targets WHERE id = ?", (new_id,)).first()
        if exists:  # the server's target for that area: the typed figure is an edit of it
            conn.exec_driver_sql("UPDATE targets SET percent = ? WHERE id = ?", (percent, new_id))
            conn.exec_driver_sql("DELETE FROM targets WHERE id = ?", (old_id,))
        else:
            conn.exec_driver_sql(
                "UPDATE targets SET id = ?, area_id = ? WHERE id = ?", (new_id, new, old_id)
            )
    return len(rows)
