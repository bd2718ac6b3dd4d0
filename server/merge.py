"""SYNC.md's merge rule on one row, in memory: no database here, so it is easy to test.

Every field of a row keeps bookkeeping (``meta``): ``[version, client, hlc, user, touchers,
candidates]``: the version and writer of its current value, the devices that sent the field
since the last write made without concurrency, and (for the two policy fields) each of those
devices' latest value. A field a row was created without has no entry, which reads as
"version 0, never touched", so any later write of it is free of concurrency.

Why touchers rather than only "the last writer": SYNC.md's rule 2 lets a device keep editing a
field it wrote last. If another device sent the field in between and lost, that device's value
must still be weighed against the next edit, or the outcome would depend on the order in which
the pushes arrived. With touchers, the result is the same for every arrival order:

- other fields: the value with the latest ``(hlc, client_id)`` among the writes since the last
  clean one; a device's value that loses is stored as a conflict;
- ``support_items.state``: among each device's latest state, the highest rank, then later HLC;
- ``visits.items``: the union of each device's latest list; ``visits.met_ids`` likewise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from gocua.protocol import FIELDS, merge_met_ids, merge_visit_items
from gocua.states import RANK

# Provisional versions: a push computes its merges before it takes the version counter's lock
# (so that lock is held only while writing), numbering its changes PROVISIONAL + 1, + 2, ...;
# the real versions replace them once the block of versions is known.
PROVISIONAL = 1 << 60
RESOLVER = "server"  # the "client" of changes a leader makes by resolving a conflict


def is_policy_field(table: str, name: str) -> bool:
    return (table, name) in (("support_items", "state"), ("visits", "items"), ("visits", "met_ids"))


@dataclass
class FieldMeta:
    version: int = 0
    client: str = ""
    hlc: str = ""
    user: str | None = None
    touchers: list[str] = field(default_factory=list)
    candidates: dict[str, list] | None = None  # client -> [value, hlc] (policy fields)

    def dump(self) -> list:
        return [self.version, self.client, self.hlc, self.user, self.touchers, self.candidates]

    @classmethod
    def load(cls, raw: list | None) -> FieldMeta:
        return cls() if raw is None else cls(*raw)


@dataclass
class ConflictNote:
    field: str
    winning_value: Any
    losing_value: Any
    winner: str  # "client" | "server"
    winner_user: str | None
    loser_user: str | None


@dataclass
class Outcome:
    data: dict[str, Any]
    meta: dict[str, list]
    status: str  # "applied" | "merged" | "conflict"
    conflicts: list[ConflictNote]
    changed: dict[str, tuple[Any, Any]]  # field -> (before, after)


def _fold(table: str, name: str, candidates: dict[str, list]) -> Any:
    if table == "support_items":
        # Highest rank, then latest HLC (HLCs of different devices never tie: node differs).
        best = max(candidates.values(), key=lambda vh: (RANK[vh[0]], vh[1], vh[0]))
        return best[0]
    union = merge_met_ids if name == "met_ids" else merge_visit_items
    return reduce(union, (v for v, _ in candidates.values()), [])


def merge_upsert(
    table: str,
    data: dict[str, Any],
    meta: dict[str, list],
    fields: dict[str, Any],
    *,
    base_version: int,
    client: str,
    hlc: str,
    user: str | None,
    version: int,
) -> Outcome:
    """Merge validated ``fields`` into a live row (``data`` holds every field)."""
    data = dict(data)
    meta = dict(meta)
    status = "applied"
    conflicts: list[ConflictNote] = []
    changed: dict[str, tuple[Any, Any]] = {}
    for name in FIELDS[table]:
        if name not in fields:
            continue
        value, current = fields[name], data[name]
        m = FieldMeta.load(meta.get(name))
        quiet = m.version <= base_version  # nothing written since the device last saw the row
        clean = quiet or set(m.touchers) <= {client}
        touchers = [client] if quiet else sorted({*m.touchers, client})
        if is_policy_field(table, name):
            candidates = {} if quiet else dict(m.candidates or {})
            if not quiet and not candidates and m.touchers:
                # The current value came from a plain write: it is a candidate too.
                candidates[m.client] = [current, m.hlc]
            candidates[client] = [value, hlc]
            new = _fold(table, name, candidates)
            if len(candidates) > 1:
                status = "merged" if status == "applied" else status
            m = FieldMeta(version, client, hlc, user, touchers, candidates)
        elif clean:
            new = value
            m = FieldMeta(version, client, hlc, user, touchers)
        elif (hlc, client) > (m.hlc, m.client):
            new = value
            if current != value and m.client != client:
                conflicts.append(ConflictNote(name, value, current, "client", user, m.user))
            m = FieldMeta(version, client, hlc, user, touchers)
        else:
            new = current
            if current != value:
                conflicts.append(ConflictNote(name, current, value, "server", m.user, user))
            m = FieldMeta(m.version, m.client, m.hlc, m.user, touchers, m.candidates)
        meta[name] = m.dump()
        if new != current:
            changed[name] = (current, new)
            data[name] = new
    if conflicts:
        status = "conflict"
    return Outcome(data, meta, status, conflicts, changed)


def create_meta(
    fields: dict[str, Any], *, client: str, hlc: str, user: str | None, version: int
) -> dict[str, list]:
    """Bookkeeping of a created row: only the fields the device sent have a writer."""
    # FieldMeta(...).dump() as plain lists: a push of 500 creates built 5,000 dataclasses.
    return {name: [version, client, hlc, user, [client], None] for name in fields}


def server_written(
    table: str,
    data: dict[str, Any],
    meta: dict[str, list],
    names,
    *,
    version: int,
    hlc: str,
    user: str | None,
) -> None:
    """Bookkeeping of fields the server wrote itself (a leader's resolution, an admin's move
    of a household): the pseudo-device ``server`` is their writer, so an edit still in flight
    from a device that had not seen them is weighed against them, never applied silently."""
    for name in names:
        candidates = None
        if is_policy_field(table, name):
            candidates = {RESOLVER: [data[name], hlc]}
        meta[name] = FieldMeta(version, RESOLVER, hlc, user, [RESOLVER], candidates).dump()


def edited_since(meta: dict[str, list], base_version: int, client: str) -> FieldMeta | None:
    """The latest field write by another device after ``base_version`` (a delete's conflict)."""
    latest: FieldMeta | None = None
    for raw in meta.values():
        m = FieldMeta.load(raw)
        concurrent = m.version > base_version and set(m.touchers) - {client}
        if concurrent and (latest is None or m.version > latest.version):
            latest = m
    return latest


def relative(meta: dict[str, list], row_version: int) -> dict[str, list]:
    """The bookkeeping as stored: versions written with the row's latest version (still
    provisional when stored) become offsets from it, ``-1`` meaning the row's own version.

    A push then stores a row's bookkeeping before it knows its real versions (the block of
    versions is taken by the statement that writes, see :mod:`server.write_pg`);
    :func:`absolute` turns offsets back into versions when the row is read.
    """
    out = {}
    for name, raw in meta.items():
        if raw[0] > PROVISIONAL:
            raw = [raw[0] - row_version - 1, *raw[1:]]
        out[name] = raw
    return out


def absolute(meta: dict[str, list], row_version: int) -> dict[str, list]:
    """The inverse of :func:`relative`, given the row's stored (real) version."""
    for name, raw in meta.items():
        if raw[0] < 0:
            meta[name] = [row_version + raw[0] + 1, *raw[1:]]
    return meta


def realise(meta: dict[str, list], base: int) -> dict[str, list]:
    """Replace provisional versions by real ones (``base`` + the provisional offset)."""
    out = {}
    for name, raw in meta.items():
        if raw[0] > PROVISIONAL:
            raw = [base + raw[0] - PROVISIONAL, *raw[1:]]
        out[name] = raw
    return out
