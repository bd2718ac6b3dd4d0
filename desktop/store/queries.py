"""Read queries the volunteer's window needs (SQLAlchemy Core, no Qt).

Lists are read in two steps so a model can hold 30,000 households without loading them: the
ordered ids first (:func:`household_ids`), then rows for the visible page only
(:func:`household_rows`). Everything here is a plain read in the caller's connection.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, text

from desktop.store.coverage import coverage_by_area
from desktop.store.facts import household_counts, sql_text
from desktop.store.fetch import plain_rows
from desktop.store.rows import pending_count
from desktop.store.search import search_empty_households, search_persons
from desktop.store.state_keys import LAST_SYNC_AT
from gocua.catalogue import Catalogue, Item
from gocua.coverage import ACTIVE_HOUSEHOLD, Tally, meets_rule, person_counts
from gocua.states import NOT_STARTED, OPEN_STATES
from gocua.text import natural_key
from gocua.validation import birth_year_of

HEADLINE_INDICATOR = "eid_adults"


@dataclass(frozen=True)
class HamletRow:
    id: str
    name: str
    households: int
    persons: int
    coverage: float | None = None  # headline indicator, percent; None until computed


@dataclass(frozen=True)
class HouseholdRow:
    id: str
    address: str
    head_name: str
    members: int
    phone: str | None
    status: str
    hamlet_id: str
    matched: str = ""  # the person a search found in this household


@dataclass(frozen=True)
class PersonRow:
    id: str
    full_name: str
    birth_date: str | None
    sex: str | None
    cccd: str | None
    phone: str | None
    relation: str | None
    has_smartphone: bool | None
    status: str
    note: str

    @property
    def birth_year(self) -> int | None:
        return birth_year_of(self.birth_date)


@dataclass(frozen=True)
class ItemState:
    state: str
    reason: str | None
    since: str | None


@dataclass(frozen=True)
class VisitRow:
    id: str
    visited_at: str
    volunteer: str
    outcome: str
    note: str
    follow_up_on: str | None
    items: list
    met_ids: list = field(default_factory=list)  # the persons met


@dataclass
class HouseholdPage:
    id: str
    hamlet_id: str
    hamlet_name: str
    address: str
    phone: str | None
    note: str
    status: str
    persons: list[PersonRow] = field(default_factory=list)
    states: dict[tuple[str, str], ItemState] = field(default_factory=dict)
    visits: list[VisitRow] = field(default_factory=list)

    def state_of(self, subject_id: str, item_code: str) -> str:
        found = self.states.get((subject_id, item_code))
        return found.state if found else NOT_STARTED

    def eligible(self, person: PersonRow, item: Item, ref_year: int) -> bool:
        return person_counts(person.status, self.status) and meets_rule(
            item, person.birth_year, person.has_smartphone, ref_year
        )

    def open_items(self, catalogue: Catalogue, ref_year: int) -> list[tuple[str, str]]:
        """(subject_id, item_code) of what each eligible person (and the household) still lacks."""
        out = []
        for person in self.persons:
            for item in catalogue.person_items():
                if self.eligible(person, item, ref_year) and (
                    self.state_of(person.id, item.code) in OPEN_STATES
                ):
                    out.append((person.id, item.code))
        for item in catalogue.household_items():
            if self.state_of(self.id, item.code) in OPEN_STATES:
                out.append((self.id, item.code))
        return out


@dataclass(frozen=True)
class FollowUpRow:
    household_id: str
    address: str
    hamlet_name: str
    follow_up_on: str
    note: str
    overdue_days: int


@dataclass(frozen=True)
class PendingRow:
    household_id: str
    person_id: str
    full_name: str
    address: str
    item_code: str
    since: str
    days: int
    reason: str | None


# -- hamlets ----------------------------------------------------------------------------------

HAMLETS_SQL = """
    SELECT a.id, a.name,
        (SELECT count(*) FROM households h
         WHERE h.hamlet_id = a.id AND h.deleted = 0) AS households,
        (SELECT count(*) FROM persons p
         WHERE p.area_id = a.id AND p.counted = 1) AS persons
    FROM areas a WHERE a.kind = 'hamlet' AND (a.retired = 0 OR EXISTS
        (SELECT 1 FROM households h WHERE h.hamlet_id = a.id AND h.deleted = 0))
    ORDER BY a.id
"""


def hamlets(conn: Connection) -> list[HamletRow]:
    """Every hamlet with its household and (counted) person numbers, by name; a hamlet the
    server retired (merged, split) only while households here are still in it."""
    return [HamletRow(*row) for row in conn.execute(text(HAMLETS_SQL))]


def hamlet_coverage(
    conn: Connection, catalogue: Catalogue, ref_year: int, indicator: str = HEADLINE_INDICATOR
) -> dict[str, float | None]:
    """The headline indicator's coverage percent per hamlet (and ``""`` for the commune)."""
    tallies = coverage_by_area(conn, catalogue, ref_year)
    out: dict[str, float | None] = {}
    total = Tally()
    for (area, code), tally in tallies.items():
        if code == indicator:
            out[area] = tally.percent
            total.add(tally)
    out[""] = total.percent
    return out


# -- household lists --------------------------------------------------------------------------


def household_ids(conn: Connection, hamlet_id: str | None = None, live_only: bool = False):
    """Ids of a hamlet's households (all hamlets when ``None``), by hamlet, then by address as
    people read it (gocua.text.natural_key: "Số 2" before "Số 10")."""
    where = ["deleted = 0"]
    if hamlet_id:
        where.append("hamlet_id = :hamlet")
    if live_only:
        where.append(f"status = {sql_text(ACTIVE_HOUSEHOLD)}")
    sql = f"SELECT id, hamlet_id, address FROM households WHERE {' AND '.join(where)}"
    rows = plain_rows(conn.execute(text(sql), {"hamlet": hamlet_id}))
    rows.sort(key=lambda row: (row[1], _address_key(row[2]), row[0]))
    return [row[0] for row in rows]


@functools.lru_cache(maxsize=200_000)
def _address_key(address: str) -> tuple:
    # Cached: the list of a 100,000-person commune sorts its 27,000 addresses on every reload,
    # and addresses rarely change (~10 us a key to compute, a dictionary look-up to reuse).
    return natural_key(address)


ROWS_SQL = """
    SELECT h.id, h.address,
        coalesce((SELECT p.full_name FROM persons p WHERE p.household_id = h.id
                  AND p.deleted = 0 ORDER BY p.relation = 'head' DESC, p.seq LIMIT 1), '') AS head,
        (SELECT count(*) FROM persons p WHERE p.household_id = h.id AND p.deleted = 0) AS n,
        h.phone, h.status, h.hamlet_id
    FROM households h WHERE h.id IN ({ids})
"""


def household_rows(conn: Connection, ids: Sequence[str]) -> dict[str, HouseholdRow]:
    """The list rows of the given households (one query per 500 ids)."""
    out: dict[str, HouseholdRow] = {}
    ids = list(ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        params = {f"i{n}": value for n, value in enumerate(chunk)}
        sql = ROWS_SQL.format(ids=", ".join(f":{key}" for key in params))
        for row in conn.execute(text(sql), params):
            out[row[0]] = HouseholdRow(*row)
    return out


def hamlet_households(conn: Connection, hamlet_id: str) -> list[HouseholdRow]:
    """The live (not deleted) households of one hamlet, by address as people read it: what an
    administrator assigns when a hamlet is split (a moved-away household is still live)."""
    rows = household_rows(conn, household_ids(conn, hamlet_id))
    return sorted(rows.values(), key=lambda row: (_address_key(row.address), row.id))


def search_households(
    conn: Connection, query: str, hamlet_id: str | None = None, limit: int = 200
) -> list[tuple[str, str]]:
    """(household_id, matched person's name) for a search, best match first, one per household."""
    seen: dict[str, str] = {}
    for hit in search_persons(conn, query, limit=limit, hamlet_id=hamlet_id):
        seen.setdefault(hit.household_id, hit.full_name)
    for household_id in search_empty_households(conn, query, hamlet_id, limit - len(seen)):
        seen.setdefault(household_id, "")  # nobody in it yet: found by its address
    return list(seen.items())


def household_list(
    conn: Connection, query: str, hamlet_id: str | None = None, limit: int = 200
) -> tuple[str, list[str], dict[str, str]]:
    """What the window's list shows: ``(query, ids, {id: matched name})``, the search's results
    when ``query`` is given (best match first), else the hamlet's households in address order."""
    if query:
        found = search_households(conn, query, hamlet_id, limit)
        return query, [hid for hid, _ in found], dict(found)
    return "", household_ids(conn, hamlet_id), {}


def move_targets(conn: Connection, query: str, limit: int = 50) -> list[tuple[str, str, str]]:
    """``(household id, address, matched name)`` for the move-person dialog's search."""
    found = search_households(conn, query, limit=limit)
    rows = household_rows(conn, [hid for hid, _ in found])
    return [(hid, rows[hid].address, name) for hid, name in found if hid in rows]


# -- one household ----------------------------------------------------------------------------

PERSON_COLUMNS = (
    "id, full_name, birth_date, sex, cccd, phone, relation, has_smartphone, status, note"
)


def household_page(conn: Connection, household_id: str) -> HouseholdPage | None:
    row = conn.execute(
        text(
            "SELECT h.id, h.hamlet_id, coalesce(a.name, h.hamlet_id), h.address, h.phone, "
            "h.note, h.status FROM households h LEFT JOIN areas a ON a.id = h.hamlet_id "
            "WHERE h.id = :id AND h.deleted = 0"
        ),
        {"id": household_id},
    ).first()
    if row is None:
        return None
    page = HouseholdPage(*row)
    persons = conn.execute(
        text(
            f"SELECT {PERSON_COLUMNS} FROM persons WHERE household_id = :id AND deleted = 0 "
            "ORDER BY relation = 'head' DESC, birth_date IS NULL, birth_date, seq"
        ),
        {"id": household_id},
    )
    page.persons = [
        PersonRow(*r[:7], None if r[7] is None else bool(r[7]), *r[8:]) for r in persons
    ]
    subjects = [household_id, *(p.id for p in page.persons)]
    params = {f"s{n}": value for n, value in enumerate(subjects)}
    items = conn.execute(
        text(
            "SELECT subject_id, item_code, state, reason, state_since FROM support_items "
            f"WHERE deleted = 0 AND subject_id IN ({', '.join(':' + k for k in params)})"
        ),
        params,
    )
    page.states = {(r[0], r[1]): ItemState(r[2], r[3], r[4]) for r in items}
    visits = conn.execute(
        text(
            "SELECT v.id, v.visited_at, coalesce(u.display_name, ''), v.outcome, v.note, "
            "v.follow_up_on, v.items, v.met_ids FROM visits v "
            "LEFT JOIN users u ON u.id = v.volunteer_id "
            "WHERE v.household_id = :id AND v.deleted = 0 ORDER BY v.visited_at DESC"
        ),
        {"id": household_id},
    )
    page.visits = [VisitRow(*r[:6], _json_list(r[6]), _json_list(r[7])) for r in visits]
    return page


# -- follow-ups -------------------------------------------------------------------------------

FOLLOW_UPS_SQL = f"""
    SELECT v.household_id, h.address, coalesce(a.name, h.hamlet_id), v.follow_up_on, v.note
    FROM visits v
    JOIN households h ON h.id = v.household_id AND {household_counts("h")}
    LEFT JOIN areas a ON a.id = h.hamlet_id
    WHERE v.follow_up_on <= :today AND v.deleted = 0 {{hamlet_filter}}
      AND NOT EXISTS (SELECT 1 FROM visits later
                      WHERE later.household_id = v.household_id
                        AND later.visited_at > v.visited_at AND later.deleted = 0)
    ORDER BY v.follow_up_on, h.address
    LIMIT :limit
"""


def follow_ups_due(
    conn: Connection, today: dt.date, hamlet_id: str | None = None, limit: int = 5000
) -> list[FollowUpRow]:
    """Revisits due today or overdue: households whose latest visit asked for a follow-up,
    longest overdue first."""
    sql = FOLLOW_UPS_SQL.format(hamlet_filter="AND h.hamlet_id = :hamlet" if hamlet_id else "")
    params = {"today": today.isoformat(), "hamlet": hamlet_id, "limit": limit}
    out = []
    for r in conn.execute(text(sql), params):
        overdue = (today - dt.date.fromisoformat(r[3])).days
        out.append(FollowUpRow(*r, overdue_days=overdue))
    return out


def follow_up_lists(
    conn: Connection, today: dt.date, days: int, hamlet_id: str | None = None
) -> tuple[list[FollowUpRow], list[PendingRow]]:
    """The "Cần quay lại" tab's two lists, in one read: revisits due, and items pending
    longer than ``days`` days."""
    return follow_ups_due(conn, today, hamlet_id), pending_longer_than(conn, today, days, hamlet_id)


@dataclass(frozen=True)
class LocalStatus:
    """The status bar of a window without the sync: changes not sent, the last sync."""

    unsent: int
    last_sync_at: str | None


def local_status(conn: Connection) -> LocalStatus:
    return LocalStatus(pending_count(conn), LAST_SYNC_AT.get(conn))


PENDING_SQL = """
    SELECT p.household_id, p.id, p.full_name, h.address, s.item_code, s.state_since, s.reason
    FROM support_items s
    JOIN persons p ON p.id = s.subject_id AND p.deleted = 0
    JOIN households h ON h.id = p.household_id AND h.deleted = 0
    WHERE s.state = 'pending' AND s.deleted = 0 AND s.subject_type = 'person'
      AND s.state_since <= :cutoff {hamlet_filter}
    ORDER BY s.state_since, p.full_name
    LIMIT :limit
"""


def pending_longer_than(
    conn: Connection, today: dt.date, days: int, hamlet_id: str | None = None, limit: int = 2000
) -> list[PendingRow]:
    """Persons with an item ``pending`` for more than ``days`` days, oldest first."""
    cutoff = (today - dt.timedelta(days=days + 1)).isoformat()
    sql = PENDING_SQL.format(hamlet_filter="AND h.hamlet_id = :hamlet" if hamlet_id else "")
    params = {"cutoff": cutoff, "hamlet": hamlet_id, "limit": limit}
    out = []
    for r in conn.execute(text(sql), params):
        since = r[5]
        age = (today - dt.date.fromisoformat(since)).days if since else 0
        out.append(PendingRow(r[0], r[1], r[2], r[3], r[4], since or "", age, r[6]))
    return out


def _json_list(value) -> list:
    return (json.loads(value) if isinstance(value, str) else value) or []
