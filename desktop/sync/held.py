"""Rows the server refused for a cause the device can fix: held, never lost (SYNC.md).

A mutation rejected with ``forbidden_scope``, ``unknown_reference`` or ``unknown_area`` (a
hamlet the server does not know, a household that has not reached it yet, a hamlet outside the
user's scope) is marked ``held``: the row stays as the volunteer left it, and once the cause is
gone (the profile joined its commune, the parent reached the server, the user's hamlets
changed, the user moved the row) :func:`release_ready` queues the row's current values again
as one new mutation, and the held ones become ``superseded``.

Any other rejection is a value the user must edit (``rejected``); the user's next edit of such
a row is sent whole when the server never took the row (desktop.store.rows.record_upsert), and
a later accepted mutation that carries the refused fields supersedes the refusal.

The rule for "the cause is gone" does not trust the stored code: it checks what blocks the row
now. Its area must be a hamlet (or, for targets, an area) the server has, not retired, inside
the user's write scope, and the row it hangs on (a person's household, an item's subject, a
visit's household) must be on the server or queued before it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from sqlalchemy import Connection

from desktop.store.rows import append_outbox, fetch_row
from gocua.protocol import FIELDS, TABLES, refusal_text

FIXABLE = frozenset({"forbidden_scope", "unknown_reference", "unknown_area"})
HELD, REJECTED, SUPERSEDED = "held", "rejected", "superseded"


@dataclass(frozen=True)
class WriteScope:
    """Where the signed-in user may write: ``hamlets`` None means every hamlet of the commune."""

    hamlets: frozenset[str] | None
    targets: bool

    def allows(self, area_id: str, kind: str) -> bool:
        if kind == "hamlet":
            return self.hamlets is None or area_id in self.hamlets
        return self.targets  # a commune: only its targets are written there


def state_for(code: str | None, row_held: bool) -> str:
    """The outbox state of a refused mutation: held when the device can fix the cause (or its
    row is held already: an edit of a row the server never took fails for the same cause)."""
    return HELD if code in FIXABLE or row_held else REJECTED


def has_refused(conn: Connection) -> bool:
    found = conn.exec_driver_sql("SELECT 1 FROM outbox WHERE state = 'rejected' LIMIT 1")
    return found.first() is not None


def held_row_ids(conn: Connection, row_ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(row_ids), 900):
        chunk = row_ids[start : start + 900]
        marks = ",".join("?" * len(chunk))
        found.update(
            r[0]
            for r in conn.exec_driver_sql(
                f"SELECT DISTINCT row_id FROM outbox WHERE state = 'held' AND row_id IN ({marks})",
                tuple(chunk),
            )
        )
    return found


@dataclass
class _Held:
    table: str
    row_id: str
    ids: list[int] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)
    base_version: int | None = None
    hlc: str = ""
    deleted: bool = False


def _held(conn: Connection) -> dict[tuple[str, str], _Held]:
    rows = conn.exec_driver_sql(
        "SELECT id, table_name, row_id, op, base_version, fields, hlc FROM outbox "
        "WHERE state = 'held' ORDER BY id"
    )
    found: dict[tuple[str, str], _Held] = {}
    for mutation_id, table, row_id, op, base, fields, stamp in rows:
        held = found.setdefault((table, row_id), _Held(table, row_id))
        held.ids.append(mutation_id)
        held.base_version = base if held.base_version is None else min(held.base_version, base)
        held.hlc = max(held.hlc, stamp)
        held.deleted = op == "delete"
        if op == "upsert":
            held.fields.update(json.loads(fields) if isinstance(fields, str) else fields)
    return found


def on_server(conn: Connection, table: str, row_id: str) -> bool:
    """Whether the server has the row: pulled (a version), or an upsert of it was accepted."""
    version = conn.exec_driver_sql(f"SELECT version FROM {table} WHERE id = ?", (row_id,)).scalar()
    if version:
        return True
    return (
        conn.exec_driver_sql(
            "SELECT 1 FROM outbox WHERE row_id = ? AND op = 'upsert' AND state = 'acked' LIMIT 1",
            (row_id,),
        ).first()
        is not None
    )


def _queued(conn: Connection, row_id: str) -> bool:
    return (
        conn.exec_driver_sql(
            "SELECT 1 FROM outbox WHERE row_id = ? AND op = 'upsert' AND state = 'pending' LIMIT 1",
            (row_id,),
        ).first()
        is not None
    )


def placement(
    conn: Connection, table: str, row_id: str
) -> tuple[str | None, tuple[str, str] | None]:
    """The area a row belongs to and the row it hangs on (``(table, id)``), from local rows."""
    one = lambda sql: conn.exec_driver_sql(sql, (row_id,)).first()  # noqa: E731
    if table == "households":
        row = one("SELECT hamlet_id FROM households WHERE id = ?")
        return (row[0] if row else None), None
    if table == "targets":
        row = one("SELECT area_id FROM targets WHERE id = ?")
        return (row[0] if row else None), None
    if table in ("persons", "visits"):
        row = one(
            f"SELECT t.household_id, h.hamlet_id FROM {table} t "
            "LEFT JOIN households h ON h.id = t.household_id WHERE t.id = ?"
        )
        return (row[1], ("households", row[0])) if row else (None, None)
    row = one(
        "SELECT s.subject_type, s.subject_id, coalesce(h.hamlet_id, hp.hamlet_id) "
        "FROM support_items s LEFT JOIN households h ON h.id = s.subject_id "
        "LEFT JOIN persons p ON p.id = s.subject_id "
        "LEFT JOIN households hp ON hp.id = p.household_id WHERE s.id = ?"
    )
    if row is None:
        return None, None
    parent = "persons" if row[0] == "person" else "households"
    return row[2], (parent, row[1])


def blocker(conn: Connection, table: str, row_id: str, scope: WriteScope) -> str | None:
    """What keeps a row from the server now, as a SYNC.md code; None when nothing does."""
    area_id, parent = placement(conn, table, row_id)
    area = conn.exec_driver_sql(
        "SELECT kind, local, retired, merged_into FROM areas WHERE id = ?", (area_id,)
    ).first()
    if area is None or area[1] or (area[2] and not area[3]):
        return "unknown_area"
    if not scope.allows(area_id, area[0]) and not (area[2] and scope.allows(area[3], "hamlet")):
        return "forbidden_scope"
    if parent is not None:
        parent_table, parent_id = parent
        if parent_id in held_row_ids(conn, [parent_id]):
            return "unknown_reference"
        if not (on_server(conn, parent_table, parent_id) or _queued(conn, parent_id)):
            return "unknown_reference"
    return None


def release_ready(conn: Connection, scope: WriteScope) -> int:
    """Queue again every held row whose cause is gone, parents before children (households,
    persons, support items, visits, targets: a row is sent after what it hangs on). Returns
    how many rows were queued or, when nothing is left to send, settled."""
    held = _held(conn)
    order = {table: n for n, table in enumerate(TABLES)}
    released = 0
    for key in sorted(held, key=lambda k: (order[k[0]], held[k].ids[0])):
        item = held[key]
        if blocker(conn, item.table, item.row_id, scope) is not None:
            continue
        _resend(conn, item)
        released += 1
    return released


def _resend(conn: Connection, item: _Held) -> None:
    current = fetch_row(conn, item.table, item.row_id)
    known = on_server(conn, item.table, item.row_id)
    if current is not None and current["deleted"]:
        if known:
            append_outbox(conn, item.hlc, item.table, item.row_id, "delete", current["version"], {})
    elif current is not None:
        if known:
            # Only what the volunteer changed, from the version it was changed at: a value
            # someone else changed since is a concurrent edit for the merge rule, not ours.
            fields = {name: current[name] for name in sorted(item.fields) if name in current}
            base = item.base_version or 0
        else:
            fields = {name: current[name] for name in FIELDS[item.table]}
            base = 0
        append_outbox(conn, item.hlc, item.table, item.row_id, "upsert", base, fields)
    marks = ",".join("?" * len(item.ids))
    conn.exec_driver_sql(
        f"UPDATE outbox SET state = 'superseded' WHERE id IN ({marks})", tuple(item.ids)
    )


def settle_rejected(conn: Connection, accepted: list[tuple[int, str, str, dict]]) -> None:
    """A refused value stops counting once a later accepted mutation of its row carries every
    refused field (or deletes the row, or creates it whole). ``accepted``: ``(outbox id,
    row_id, op, fields)`` of mutations the server just took."""
    if not accepted:
        return
    by_row: dict[str, list[tuple[int, str, dict]]] = defaultdict(list)
    for mutation_id, row_id, op, fields in accepted:
        by_row[row_id].append((mutation_id, op, fields))
    ids = list(by_row)
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        marks = ",".join("?" * len(chunk))
        refused = conn.exec_driver_sql(
            f"SELECT id, row_id, fields FROM outbox WHERE state = 'rejected' AND row_id IN ({marks})",
            tuple(chunk),
        ).all()
        for mutation_id, row_id, fields in refused:
            fields = json.loads(fields) if isinstance(fields, str) else fields
            if any(
                later > mutation_id and (op == "delete" or set(fields) <= set(carried))
                for later, op, carried in by_row[row_id]
            ):
                conn.exec_driver_sql(
                    "UPDATE outbox SET state = 'superseded' WHERE id = ?", (mutation_id,)
                )


@dataclass(frozen=True)
class Counts:
    unsent: int
    held: int  # rows
    rejected: int  # rows


def counts(conn: Connection) -> Counts:
    row = conn.exec_driver_sql(
        "SELECT sum(state = 'pending'), count(DISTINCT CASE WHEN state = 'held' THEN row_id END), "
        "count(DISTINCT CASE WHEN state = 'rejected' THEN row_id END) FROM outbox "
        "WHERE state IN ('pending', 'held', 'rejected')"
    ).first()
    return Counts(int(row[0] or 0), int(row[1] or 0), int(row[2] or 0))


TABLE_NAMES = {
    "households": ("Hộ", "Household"),
    "persons": ("Người", "Person"),
    "support_items": ("Hạng mục", "Support item"),
    "visits": ("Lần thăm", "Visit"),
    "targets": ("Chỉ tiêu", "Target"),
}


@dataclass(frozen=True)
class HeldItem:
    """One row the server does not have as the device has it, described by what the volunteer
    knows: the household's address, the person's name, the item; never by ids."""

    table: str
    row_id: str
    state: str  # "held": sent again by itself; "rejected": waits for the user's edit
    code: str | None
    message: str | None
    since: str
    household_id: str | None
    address: str | None
    hamlet: str | None
    person: str | None
    item_code: str | None
    detail: str | None  # a visit's time, a target's indicator and period

    def reason(self, lang: str = "vi") -> str:
        return refusal_text(self.code, lang)

    def as_dict(self) -> dict:
        return {**asdict(self), "reason": self.reason()}

    def text_vi(self) -> str:
        what = TABLE_NAMES.get(self.table, (self.table,))[0]
        parts = [what]
        if self.address:
            parts.append(f"{self.address}" + (f" ({self.hamlet})" if self.hamlet else ""))
        if self.person:
            parts.append(self.person)
        if self.item_code:
            parts.append(_item_name(self.item_code))
        if self.table == "targets" and self.detail:
            code, _, period = self.detail.partition(" ")
            parts.append(f"{_indicator_name(code)} ({period})")
        elif self.detail:
            parts.append(self.detail)
        then = "đang giữ, sẽ tự gửi lại" if self.state == HELD else "cần sửa"
        return " — ".join(parts) + f": {self.reason()} ({then})"


def _indicator_name(code: str) -> str:
    from gocua.catalogue import default_catalogue

    catalogue = default_catalogue()
    return catalogue.indicator(code).name_vi if catalogue.has_indicator(code) else code


def _item_name(code: str) -> str:
    from gocua.catalogue import default_catalogue

    try:
        return default_catalogue().item(code).name_vi
    except KeyError:
        return code


_HELD_LIST = """
WITH refused AS (
    SELECT table_name, row_id, state, min(created_at) AS since,
           (SELECT o2.result_code FROM outbox o2 WHERE o2.row_id = o.row_id
              AND o2.state = o.state ORDER BY o2.id LIMIT 1) AS code,
           (SELECT o2.result_message FROM outbox o2 WHERE o2.row_id = o.row_id
              AND o2.state = o.state ORDER BY o2.id LIMIT 1) AS message
    FROM outbox o WHERE state IN ('held', 'rejected') GROUP BY table_name, row_id, state
)
SELECT r.table_name, r.row_id, r.state, r.code, r.message, r.since,
       coalesce(h.id, pv.household_id, vh.household_id, ip.household_id, ih.id),
       coalesce(h.address, ph.address, vhh.address, iph.address, ih.address),
       coalesce(a.name, pa.name, va.name, ipa.name, iha.name, ta.name),
       coalesce(pv.full_name, ip.full_name),
       i.item_code,
       coalesce(vh.visited_at, t.indicator_code || ' ' || t.period)
FROM refused r
LEFT JOIN households h ON r.table_name = 'households' AND h.id = r.row_id
LEFT JOIN areas a ON a.id = h.hamlet_id
LEFT JOIN persons pv ON r.table_name = 'persons' AND pv.id = r.row_id
LEFT JOIN households ph ON ph.id = pv.household_id
LEFT JOIN areas pa ON pa.id = ph.hamlet_id
LEFT JOIN visits vh ON r.table_name = 'visits' AND vh.id = r.row_id
LEFT JOIN households vhh ON vhh.id = vh.household_id
LEFT JOIN areas va ON va.id = vhh.hamlet_id
LEFT JOIN support_items i ON r.table_name = 'support_items' AND i.id = r.row_id
LEFT JOIN persons ip ON i.subject_type = 'person' AND ip.id = i.subject_id
LEFT JOIN households iph ON iph.id = ip.household_id
LEFT JOIN areas ipa ON ipa.id = iph.hamlet_id
LEFT JOIN households ih ON i.subject_type = 'household' AND ih.id = i.subject_id
LEFT JOIN areas iha ON iha.id = ih.hamlet_id
LEFT JOIN targets t ON r.table_name = 'targets' AND t.id = r.row_id
LEFT JOIN areas ta ON ta.id = t.area_id
ORDER BY r.state, 8, CASE r.table_name WHEN 'households' THEN 0 WHEN 'persons' THEN 1
    WHEN 'support_items' THEN 2 WHEN 'visits' THEN 3 ELSE 4 END, 10, r.since
"""


def held_list(conn: Connection) -> list[HeldItem]:
    """Every held or refused row, households first by address, then their persons."""
    return [HeldItem(*row) for row in conn.exec_driver_sql(_HELD_LIST)]
