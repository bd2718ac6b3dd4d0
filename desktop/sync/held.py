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
    payloads: list[str] = field(default_factory=list)  # upserts' fields, as stored (JSON)
    base_version: int | None = None
    hlc: str = ""

    def fields(self) -> set[str]:
        """Every field the held upserts named (parsed only for a row being released)."""
        names: set[str] = set()
        for payload in self.payloads:
            names.update(json.loads(payload) if isinstance(payload, str) else payload)
        return names


def _rows(conn: Connection, sql: str, params: tuple = ()) -> list[tuple]:
    """Through the driver: this runs on every push over every held row (a profile may hold
    a whole hamlet it has not joined), and SQLAlchemy's rows cost 3x the query."""
    return conn.connection.driver_connection.execute(sql, params).fetchall()


def _held_row(conn: Connection, table: str, row_id: str) -> _Held:
    """The held mutations of one row, folded into what its new mutation needs."""
    held = _Held(table, row_id)
    for mutation_id, op, base, fields, stamp in _rows(
        conn,
        "SELECT id, op, base_version, fields, hlc FROM outbox "
        "WHERE state = 'held' AND row_id = ? AND table_name = ? ORDER BY id",
        (row_id, table),
    ):
        held.ids.append(mutation_id)
        held.base_version = base if held.base_version is None else min(held.base_version, base)
        held.hlc = max(held.hlc, stamp)
        if op == "upsert":
            held.payloads.append(fields)
    return held


def on_server(conn: Connection, table: str, row_id: str) -> bool:
    """Whether the server has the row: pulled (a version), or an upsert of it was accepted."""
    return row_id in _known(conn, {table: [row_id]})


def _chunks(ids: list[str], size: int = 900):
    for start in range(0, len(ids), size):  # SQLite's bound-parameter limit
        yield ids[start : start + size]


def _known(conn: Connection, wanted: dict[str, list[str]]) -> set[str]:
    """The ids among ``wanted`` (by table) the server has: pulled, or an upsert accepted."""
    found: set[str] = set()
    for table, ids in wanted.items():
        for chunk in _chunks(sorted(set(ids))):
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0]
                for r in conn.exec_driver_sql(
                    f"SELECT id FROM {table} WHERE version > 0 AND id IN ({marks}) UNION "
                    f"SELECT row_id FROM outbox WHERE state = 'acked' AND op = 'upsert' "
                    f"AND row_id IN ({marks})",
                    (*chunk, *chunk),
                )
            )
    return found


def _queued(conn: Connection, ids: list[str]) -> set[str]:
    """The ids among ``ids`` with an upsert waiting in the outbox (sent before what follows)."""
    found: set[str] = set()
    for chunk in _chunks(sorted(set(ids))):
        marks = ",".join("?" * len(chunk))
        found.update(
            r[0]
            for r in conn.exec_driver_sql(
                f"SELECT row_id FROM outbox WHERE state = 'pending' AND op = 'upsert' "
                f"AND row_id IN ({marks})",
                tuple(chunk),
            )
        )
    return found


# The held rows whose area could take them: a hamlet (or, for targets, an area) the server
# has, not retired without a successor, with the row each hangs on. One query: a profile may
# hold every row of a hamlet it has not joined, and this runs on every push; those rows stop
# here, in SQL. A row missing locally (evicted) has no area and is not a candidate.
_CANDIDATES = """
WITH held AS (
    SELECT table_name, row_id, min(id) AS first FROM outbox WHERE state = 'held'
    GROUP BY table_name, row_id
), placed AS (
    SELECT held.table_name, held.row_id, held.first, t.hamlet_id AS area_id,
           NULL AS parent_table, NULL AS parent_id
    FROM held JOIN households t ON held.table_name = 'households' AND t.id = held.row_id
    UNION ALL
    SELECT held.table_name, held.row_id, held.first, t.area_id, NULL, NULL
    FROM held JOIN targets t ON held.table_name = 'targets' AND t.id = held.row_id
    UNION ALL
    SELECT held.table_name, held.row_id, held.first, h.hamlet_id, 'households', t.household_id
    FROM held JOIN persons t ON held.table_name = 'persons' AND t.id = held.row_id
    LEFT JOIN households h ON h.id = t.household_id
    UNION ALL
    SELECT held.table_name, held.row_id, held.first, h.hamlet_id, 'households', t.household_id
    FROM held JOIN visits t ON held.table_name = 'visits' AND t.id = held.row_id
    LEFT JOIN households h ON h.id = t.household_id
    UNION ALL
    SELECT held.table_name, held.row_id, held.first, coalesce(h.hamlet_id, hp.hamlet_id),
           CASE t.subject_type WHEN 'person' THEN 'persons' ELSE 'households' END, t.subject_id
    FROM held JOIN support_items t ON held.table_name = 'support_items' AND t.id = held.row_id
    LEFT JOIN households h ON h.id = t.subject_id
    LEFT JOIN persons p ON p.id = t.subject_id
    LEFT JOIN households hp ON hp.id = p.household_id
)
SELECT placed.table_name, placed.row_id, placed.first, placed.area_id, a.kind, a.retired,
       a.merged_into, placed.parent_table, placed.parent_id
FROM placed JOIN areas a ON a.id = placed.area_id
WHERE a.local = 0 AND (a.retired = 0 OR a.merged_into IS NOT NULL)
"""


def release_ready(conn: Connection, scope: WriteScope) -> int:
    """Queue again every held row that nothing blocks now (desktop.sync.held's rule), parents
    before children (households, persons, support items, visits, targets), so a row released
    here frees the rows that hang on it in the same call. Returns how many rows were queued
    or, when nothing was left to send, settled."""
    candidates = [
        row
        for row in _rows(conn, _CANDIDATES)
        if scope.allows(row[3], row[4]) or (row[5] and scope.allows(row[6], "hamlet"))
    ]
    if not candidates:
        return 0
    parents: dict[str, list[str]] = defaultdict(list)
    for *_, parent_table, parent_id in candidates:
        if parent_id is not None:
            parents[parent_table].append(parent_id)
    known = _known(conn, parents)
    queued = _queued(conn, [i for ids in parents.values() for i in ids])
    # Parents deleted here before the server ever had them: what hangs on them can never be
    # created there (a support item of a person entered by mistake and deleted). Settled.
    gone = _deleted(
        conn, {t: [i for i in ids if i not in known | queued] for t, ids in parents.items()}
    )
    # Held rows block what hangs on them; one released here no longer does.
    blocked = {r[0] for r in _rows(conn, "SELECT DISTINCT row_id FROM outbox WHERE state='held'")}
    order = {table: n for n, table in enumerate(TABLES)}
    released = 0
    for table, row_id, _first, *_, parent_id in sorted(
        candidates, key=lambda r: (order[r[0]], r[2])
    ):
        held = _held_row(conn, table, row_id)
        if parent_id is not None and parent_id in gone:
            # Its parent is gone for good: the row goes with it, here too (a local tombstone:
            # the store's triggers stop counting it; the server never had it).
            _supersede(conn, held)
            conn.exec_driver_sql(f"UPDATE {table} SET deleted = 1 WHERE id = ?", (row_id,))
            gone.add(row_id)
        elif parent_id is not None and (
            parent_id in blocked or not (parent_id in known or parent_id in queued)
        ):
            continue
        elif _resend(conn, held):
            queued.add(row_id)
        else:  # deleted here, never on the server: nothing to send, nor for its children
            gone.add(row_id)
        blocked.discard(row_id)
        released += 1
    return released


def _deleted(conn: Connection, wanted: dict[str, list[str]]) -> set[str]:
    found: set[str] = set()
    for table, ids in wanted.items():
        for chunk in _chunks(sorted(set(ids))):
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id FROM {table} WHERE deleted = 1 AND id IN ({marks})"
            found.update(r[0] for r in _rows(conn, sql, tuple(chunk)))
    return found


def _resend(conn: Connection, item: _Held) -> bool:
    """One new mutation carrying the row as it is now; False when there is nothing to send
    (the row was deleted here before the server had it). The held mutations are settled."""
    current = fetch_row(conn, item.table, item.row_id)
    known = on_server(conn, item.table, item.row_id)
    sent = False
    if current is not None and current["deleted"]:
        if known:
            append_outbox(conn, item.hlc, item.table, item.row_id, "delete", current["version"], {})
            sent = True
    elif current is not None:
        if known:
            # Only what the volunteer changed, from the version it was changed at: a value
            # someone else changed since is a concurrent edit for the merge rule, not ours.
            fields = {name: current[name] for name in sorted(item.fields()) if name in current}
            base = item.base_version or 0
        else:
            fields = {name: current[name] for name in FIELDS[item.table]}
            base = 0
        append_outbox(conn, item.hlc, item.table, item.row_id, "upsert", base, fields)
        sent = True
    _supersede(conn, item)
    return sent


def _supersede(conn: Connection, item: _Held) -> None:
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
