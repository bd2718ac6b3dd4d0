"""Likely duplicates: the same household or person added on two devices (SYNC.md, "Duplicates
across devices"). Read-only queries, no Qt; the merge itself is desktop.services.merge.

The rule, over the rows this profile holds (live rows only: ``deleted = 0``):

- **Households**, in one hamlet, whose heads have the same name and whose addresses are the
  same, both compared by :func:`gocua.text.match_key` (accents, case, spacing and punctuation
  ignored). The head is the person the household list shows as head: the one with relation
  ``head``, else the first entered. A household without any person has no head and is never
  matched by name.
- **Households**, in any hamlet, whose heads have the same CCCD.
- **Persons** with the same CCCD (12 digits, one per citizen), in any household of the profile,
  unless their two households are listed as a pair themselves (merging those households merges
  the two persons).

The statuses (moved, gone, deceased, away) do not exclude a record: a CCCD names one citizen
however their records are marked, and a household marked moved by one volunteer and added
again by another is the duplicate this is for. Each side shows its status, so the leader keeps
the right one.

A pair the leader dismissed ("không phải trùng") is remembered in ``duplicate_dismissals``
(migration 0007), on this device, and not listed again.

Grouping happens in SQL (``GROUP BY`` over the keys, the ``gocua_key`` SQL function being
:func:`gocua.text.match_key`); only the groups with two or more rows come back, and details are
read for the listed pairs alone.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from desktop.store.rows import now_utc

HOUSEHOLD = "household"
PERSON = "person"
# Why a pair is listed.
NAME_ADDRESS = "name_address"  # same head name and address in one hamlet
HEAD_CCCD = "head_cccd"  # the heads have the same CCCD
CCCD = "cccd"  # two persons with the same CCCD

# Every live household with its head (the household list's rule: relation "head" first, then
# the first entered) and the keys it is matched by; then the groups of two or more.
_HOUSEHOLD_GROUPS = """
    WITH heads AS (
        SELECT household_id, full_name, cccd,
               row_number() OVER (PARTITION BY household_id
                                  ORDER BY relation = 'head' DESC, seq) AS n
        FROM persons WHERE deleted = 0
    ),
    keyed AS MATERIALIZED (
        SELECT h.id, h.hamlet_id, gocua_key(hd.full_name) AS name_key,
               gocua_key(h.address) AS address_key, hd.cccd
        FROM households h JOIN heads hd ON hd.household_id = h.id AND hd.n = 1
        WHERE h.deleted = 0
    )
    SELECT 'name_address', group_concat(id, ' ') FROM keyed WHERE name_key != ''
    GROUP BY hamlet_id, name_key, address_key HAVING count(*) > 1
    UNION ALL
    SELECT 'head_cccd', group_concat(id, ' ') FROM keyed WHERE cccd IS NOT NULL
    GROUP BY cccd HAVING count(*) > 1
"""
# Persons sharing a CCCD (the index on persons.cccd gives them in order), with their households.
_PERSON_GROUPS = """
    SELECT group_concat(p.id || ':' || p.household_id, ' ')
    FROM persons p JOIN households h ON h.id = p.household_id AND h.deleted = 0
    WHERE p.deleted = 0 AND p.cccd IS NOT NULL
    GROUP BY p.cccd HAVING count(*) > 1
"""
_DISMISSED = "SELECT kind, first_id, second_id FROM duplicate_dismissals"
_DISMISS = (
    "INSERT OR IGNORE INTO duplicate_dismissals (kind, first_id, second_id, dismissed_at) "
    "VALUES (?, ?, ?, ?)"
)


@dataclass(frozen=True)
class Candidate:
    """A listed pair by ids alone (``first`` < ``second``)."""

    kind: str  # HOUSEHOLD | PERSON
    first: str
    second: str
    reason: str  # NAME_ADDRESS | HEAD_CCCD | CCCD


@dataclass(frozen=True)
class HouseholdSide:
    id: str
    hamlet_id: str
    hamlet_name: str
    address: str
    status: str
    phone: str | None
    head_name: str
    head_cccd: str | None
    members: tuple[str, ...]  # full names, the head first
    visits: int
    items: int  # live support items of the household and of its members


@dataclass(frozen=True)
class PersonSide:
    id: str
    household_id: str
    full_name: str
    birth_date: str | None
    cccd: str | None
    relation: str | None
    status: str
    address: str  # of the person's household
    hamlet_name: str
    visits: int  # visits of the household that touched this person
    items: int


@dataclass(frozen=True)
class DuplicatePair:
    kind: str
    reason: str
    left: HouseholdSide | PersonSide  # the fuller record: the one a merge would likely keep
    right: HouseholdSide | PersonSide

    @property
    def key(self) -> tuple[str, str, str]:
        first, second = sorted((self.left.id, self.right.id))
        return self.kind, first, second


def pair_key(kind: str, a: str, b: str) -> tuple[str, str, str]:
    first, second = sorted((a, b))
    return kind, first, second


def dismissed(conn: Connection) -> set[tuple[str, str, str]]:
    return {tuple(row) for row in conn.exec_driver_sql(_DISMISSED)}


def dismiss(conn: Connection, kind: str, a: str, b: str) -> None:
    """Remember, on this device, that the two records are not duplicates."""
    if kind not in (HOUSEHOLD, PERSON):
        raise ValueError(f"unknown kind {kind!r}")
    conn.exec_driver_sql(_DISMISS, (*pair_key(kind, a, b), now_utc()))


def _pairs(ids: Iterable[str]) -> Iterable[tuple[str, str]]:
    return itertools.combinations(sorted(set(ids)), 2)


def candidates(conn: Connection) -> list[Candidate]:
    """Every listed pair, by ids: households first, then persons (dismissed pairs left out)."""
    skip = dismissed(conn)
    found: dict[tuple[str, str, str], Candidate] = {}
    for reason, grouped in conn.exec_driver_sql(_HOUSEHOLD_GROUPS):
        for a, b in _pairs(grouped.split(" ")):
            key = (HOUSEHOLD, a, b)
            # One pair may match on both rules: the CCCD is the stronger, and said first.
            if key not in skip and (key not in found or reason == HEAD_CCCD):
                found[key] = Candidate(HOUSEHOLD, a, b, reason)
    household_pairs = {(c.first, c.second) for c in found.values()}
    for (grouped,) in conn.exec_driver_sql(_PERSON_GROUPS):
        homes = dict(entry.split(":") for entry in grouped.split(" "))
        for a, b in _pairs(homes):
            key = (PERSON, a, b)
            if key in skip or tuple(sorted((homes[a], homes[b]))) in household_pairs:
                continue
            found[key] = Candidate(PERSON, a, b, CCCD)
    return list(found.values())


def count_duplicates(conn: Connection) -> int:
    return len(candidates(conn))


def find_duplicates(conn: Connection) -> list[DuplicatePair]:
    """Every listed pair with what the leader compares: households (by hamlet and address),
    then persons (by name)."""
    listed = candidates(conn)
    households = _household_sides(
        conn, {i for c in listed if c.kind == HOUSEHOLD for i in (c.first, c.second)}
    )
    persons = _person_sides(
        conn, {i for c in listed if c.kind == PERSON for i in (c.first, c.second)}
    )
    out = []
    for c in listed:
        sides = households if c.kind == HOUSEHOLD else persons
        a, b = sides.get(c.first), sides.get(c.second)
        if a is None or b is None:
            continue
        left, right = sorted((a, b), key=_fuller)
        out.append(DuplicatePair(c.kind, c.reason, left, right))
    out.sort(key=_order)
    return out


def _fuller(side: HouseholdSide | PersonSide) -> tuple:
    members = len(side.members) if isinstance(side, HouseholdSide) else 0
    return (-(side.visits + side.items), -members, side.id)


def _order(pair: DuplicatePair) -> tuple:
    left = pair.left
    if isinstance(left, HouseholdSide):
        return (0, left.hamlet_name, left.address, left.id)
    return (1, left.full_name, left.id)


def _chunks(ids: Sequence[str], size: int = 500) -> Iterable[tuple[list[str], str]]:
    for start in range(0, len(ids), size):
        chunk = list(ids[start : start + size])
        yield chunk, ", ".join("?" for _ in chunk)


_HOUSEHOLD_DETAILS = """
    SELECT h.id, h.hamlet_id, coalesce(a.name, h.hamlet_id), h.address, h.status, h.phone,
        (SELECT count(*) FROM visits v WHERE v.household_id = h.id AND v.deleted = 0),
        (SELECT count(*) FROM support_items s WHERE s.subject_id = h.id AND s.deleted = 0)
        + (SELECT count(*) FROM persons p JOIN support_items s ON s.subject_id = p.id
           WHERE p.household_id = h.id AND p.deleted = 0 AND s.deleted = 0)
    FROM households h LEFT JOIN areas a ON a.id = h.hamlet_id
    WHERE h.deleted = 0 AND h.id IN ({marks})
"""
_MEMBERS = """
    SELECT household_id, full_name, cccd FROM persons
    WHERE deleted = 0 AND household_id IN ({marks})
    ORDER BY household_id, relation = 'head' DESC, seq
"""


def _household_sides(conn: Connection, ids: set[str]) -> dict[str, HouseholdSide]:
    ordered = sorted(ids)
    members: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    rows = []
    for chunk, marks in _chunks(ordered):
        rows.extend(conn.exec_driver_sql(_HOUSEHOLD_DETAILS.format(marks=marks), tuple(chunk)))
        for household_id, name, cccd in conn.exec_driver_sql(
            _MEMBERS.format(marks=marks), tuple(chunk)
        ):
            members[household_id].append((name, cccd))
    out = {}
    for hid, hamlet_id, hamlet_name, address, status, phone, visits, items in rows:
        people = members.get(hid, [])
        head_name, head_cccd = people[0] if people else ("", None)
        out[hid] = HouseholdSide(
            hid,
            hamlet_id,
            hamlet_name,
            address,
            status,
            phone,
            head_name,
            head_cccd,
            tuple(name for name, _ in people),
            int(visits),
            int(items),
        )
    return out


_PERSON_DETAILS = """
    SELECT p.id, p.household_id, p.full_name, p.birth_date, p.cccd, p.relation, p.status,
        h.address, coalesce(a.name, h.hamlet_id),
        (SELECT count(*) FROM visits v WHERE v.household_id = p.household_id
         AND v.deleted = 0 AND instr(v.items, p.id) > 0),
        (SELECT count(*) FROM support_items s WHERE s.subject_id = p.id AND s.deleted = 0)
    FROM persons p JOIN households h ON h.id = p.household_id
    LEFT JOIN areas a ON a.id = h.hamlet_id
    WHERE p.deleted = 0 AND p.id IN ({marks})
"""


def _person_sides(conn: Connection, ids: set[str]) -> dict[str, PersonSide]:
    out = {}
    for chunk, marks in _chunks(sorted(ids)):
        for row in conn.exec_driver_sql(_PERSON_DETAILS.format(marks=marks), tuple(chunk)):
            out[row[0]] = PersonSide(*row[:9], int(row[9]), int(row[10]))
    return out
