"""Follow-up lists: per hamlet, who still lacks which eligible item and why.

One row per person (and one per household for the household-level items) with every item
still open for them: not started, guided, pending at an outside agency, or declined. Items
covered (done, already had) and items marked not eligible are left out, and so are items the
person is not eligible for by the catalogue's rules (age, no smartphone). Rows come sorted
for a walking route: by hamlet, then by street and house number.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, text

from desktop.store.facts import sql_list, sql_text
from desktop.store.fetch import plain_rows
from gocua.catalogue import PERSON, Catalogue, Item
from gocua.coverage import ACTIVE_HOUSEHOLD, is_covered, leaves_denominator, meets_rule
from gocua.dates import date_text
from gocua.names import outcome_name, state_name
from gocua.states import NOT_STARTED, REASON_STATES, STATES
from gocua.text import fold

HOUSEHOLD_LABEL = "(Cả hộ)"
ACTIVE = sql_text(ACTIVE_HOUSEHOLD)
# The states a follow-up list shows with their reason, and every other state.
_LISTED_REASONS = {s for s in REASON_STATES if not (is_covered(s) or leaves_denominator(s))}
_WITH_REASON = sql_list(_LISTED_REASONS)
_WITHOUT_REASON = sql_list(set(STATES) - _LISTED_REASONS)
_HOUSE_NUMBER = re.compile(r"^\s*(?:số\s*|so\s*|nhà\s*)?(\d+)([a-z/]*\d*)\s*[,\-]?\s*(.*)$", re.I)


def address_key(address: str) -> tuple:
    """Street first, then the house number as a number: "Số 2, hẻm 3" before "Số 10, hẻm 3"."""
    match = _HOUSE_NUMBER.match(address or "")
    if match:
        return (fold(match.group(3)), int(match.group(1)), fold(match.group(2)))
    return (fold(address), 0, "")


def mask_cccd(cccd: str | None) -> str:
    """Only the last three digits show: ``*********789``."""
    if not cccd:
        return ""
    return "*" * (len(cccd) - 3) + cccd[-3:]


def mask_phone(phone: str | None) -> str:
    """The network prefix and the last two digits show: ``091*****78``."""
    if not phone:
        return ""
    return phone[:3] + "*" * max(0, len(phone) - 5) + phone[-2:]


@dataclass(frozen=True)
class Missing:
    item_code: str
    state: str
    reason: str | None

    def describe(self, catalogue: Catalogue) -> str:
        item = catalogue.item(self.item_code)
        label = state_name(self.state)
        if self.reason and catalogue.has_reason(self.reason):
            label = f"{label} – {catalogue.reason(self.reason).name_vi}"
        return f"{item.short_vi}: {label}"


@dataclass(frozen=True)
class FollowUpRow:
    hamlet_id: str
    hamlet_name: str
    household_id: str
    address: str
    person_id: str | None  # None for the household's own items
    full_name: str
    birth_year: int | None
    cccd: str | None
    phone: str | None
    missing: tuple[Missing, ...]
    last_visit: str | None  # ISO timestamp
    last_outcome: str | None
    follow_up_on: str | None

    def missing_text(self, catalogue: Catalogue) -> str:
        return "; ".join(m.describe(catalogue) for m in self.missing)

    def last_visit_text(self) -> str:
        if not self.last_visit:
            return "Chưa thăm"
        return f"{date_text(self.last_visit)} – {outcome_name(self.last_outcome)}"

    def follow_up_text(self) -> str:
        """The revisit date as a Vietnamese form writes it (``27/10/2026``)."""
        return date_text(self.follow_up_on)

    def cccd_shown(self, unmask: bool) -> str:
        return (self.cccd or "") if unmask else mask_cccd(self.cccd)

    def phone_shown(self, unmask: bool) -> str:
        return (self.phone or "") if unmask else mask_phone(self.phone)


def _in_clause(column: str, values: list[str] | None, params: dict) -> str:
    if values is None:
        return ""
    names = []
    for index, value in enumerate(values):
        params[f"a{index}"] = value
        names.append(f":a{index}")
    return f" AND {column} IN ({', '.join(names) or 'NULL'})"


def follow_up_rows(
    conn: Connection,
    catalogue: Catalogue,
    ref_year: int,
    hamlet_ids: Iterable[str] | None = None,
) -> list[FollowUpRow]:
    wanted = None if hamlet_ids is None else sorted(set(hamlet_ids))
    names = dict(conn.execute(text("SELECT id, name FROM areas")).all())
    params: dict = {}
    households = {
        r[0]: r
        for r in conn.execute(
            text(
                "SELECT id, hamlet_id, address, phone FROM households "
                f"WHERE deleted = 0 AND status = {ACTIVE}" + _in_clause("hamlet_id", wanted, params)
            ),
            params,
        )
    }
    last_visit: dict[str, tuple] = {}
    params = {}
    visits_sql = (
        "SELECT v.household_id, v.visited_at, v.outcome, v.follow_up_on FROM visits v"
        + ("" if wanted is None else " JOIN households h ON h.id = v.household_id")
        + " WHERE v.deleted = 0"
        + _in_clause("h.hamlet_id", wanted, params)
        + " ORDER BY v.household_id, v.visited_at"
    )
    for household_id, visited_at, outcome, follow_up in conn.execute(text(visits_sql), params):
        if household_id in households:
            last_visit[household_id] = (visited_at, outcome, follow_up)
    states: dict[str, dict[str, tuple[str, str | None]]] = defaultdict(dict)
    params = {}
    for subject, code, state, reason in conn.execute(
        text(
            "SELECT subject_id, item_code, state, reason FROM support_items "
            "WHERE deleted = 0 AND counted = 1" + _in_clause("area_id", wanted, params)
        ),
        params,
    ):
        states[subject][code] = (state, reason)

    person_items = catalogue.person_items()
    household_items = catalogue.household_items()
    rows: list[tuple[tuple, FollowUpRow]] = []
    keys: dict[str, tuple] = {}

    def missing_of(subject: str, items: Iterable[Item], birth_year=None, phone=None, person=True):
        own = states.get(subject, {})
        found = []
        for item in items:
            if person and not meets_rule(item, birth_year, phone, ref_year):
                continue
            state, reason = own.get(item.code, (NOT_STARTED, None))
            if is_covered(state) or leaves_denominator(state):
                continue
            found.append(Missing(item.code, state, reason))
        return tuple(found)

    def add(h, person_id, name, birth_year, cccd, phone, missing) -> None:
        visit = last_visit.get(h[0], (None, None, None))
        key = keys.get(h[0])
        if key is None:
            key = keys[h[0]] = (fold(names.get(h[1], h[1])), address_key(h[2]), h[0])
        row = FollowUpRow(
            h[1],
            names.get(h[1], h[1]),
            h[0],
            h[2],
            person_id,
            name,
            birth_year,
            cccd,
            phone,
            missing,
            *visit,
        )
        rows.append(((*key, person_id is not None, name), row))

    for h in households.values():
        if missing := missing_of(h[0], household_items, person=False):
            add(h, None, HOUSEHOLD_LABEL, None, None, h[3], missing)
    params = {}
    for pid, household_id, name, birth_year, cccd, phone, smartphone in conn.execute(
        text(
            "SELECT id, household_id, full_name, birth_year, cccd, phone, has_smartphone "
            "FROM persons WHERE counted = 1 AND deleted = 0" + _in_clause("area_id", wanted, params)
        ),
        params,
    ):
        h = households.get(household_id)
        if h is None:
            continue
        if missing := missing_of(pid, person_items, birth_year, smartphone):
            add(h, pid, name, birth_year, cccd, phone or h[3], missing)
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]


def persons_in_scope(conn: Connection, hamlet_ids: Iterable[str] | None = None) -> int:
    """How many counted persons a follow-up list of these hamlets would go through."""
    params: dict = {}
    wanted = None if hamlet_ids is None else sorted(set(hamlet_ids))
    return int(
        conn.execute(
            text(
                "SELECT count(*) FROM persons WHERE counted = 1"
                + _in_clause("area_id", wanted, params)
            ),
            params,
        ).scalar_one()
    )


@dataclass(frozen=True)
class OpenCount:
    """How many eligible people (or households) of a hamlet are at one open state of an item."""

    hamlet_id: str
    item_code: str
    state: str
    reason: str | None
    count: int


def follow_up_counts(
    conn: Connection,
    catalogue: Catalogue,
    ref_year: int,
    hamlet_ids: Iterable[str] | None = None,
) -> list[OpenCount]:
    """The follow-up list counted instead of listed: per hamlet, item, open state and reason.

    The same rules as :func:`follow_up_rows` (eligible by age and smartphone, a missing row is
    ``not_started``), from grouped scans, so a whole commune costs a fraction of a second.
    """
    wanted = None if hamlet_ids is None else set(hamlet_ids)
    chosen = None if wanted is None else sorted(wanted)
    params: dict = {}
    in_area = _in_clause("area_id", chosen, params)
    persons = plain_rows(
        conn.execute(
            text(
                "SELECT area_id, birth_year, has_smartphone, count(*) FROM persons WHERE counted = 1"
                + in_area
                + " GROUP BY area_id, birth_year, has_smartphone"
            ),
            params,
        )
    )
    households = plain_rows(
        conn.execute(
            text(
                f"SELECT hamlet_id, count(*) FROM households WHERE deleted = 0 AND status = {ACTIVE}"
                + _in_clause("hamlet_id", chosen, params)
                + " GROUP BY hamlet_id"
            ),
            params,
        )
    )
    # Scans in the order of the coverage index: states without reasons need no table lookup;
    # only the listed states with a reason (pending, declined) are read for it.
    items = plain_rows(
        conn.execute(
            text(
                "SELECT area_id, item_code, state, NULL, birth_year, has_smartphone, count(*) "
                f"FROM support_items WHERE counted = 1 AND state IN {_WITHOUT_REASON}"
                + in_area
                + " GROUP BY state, item_code, area_id, birth_year, has_smartphone "
                "UNION ALL "
                "SELECT area_id, item_code, state, reason, birth_year, has_smartphone, count(*) "
                f"FROM support_items WHERE counted = 1 AND state IN {_WITH_REASON}"
                + in_area
                + " GROUP BY state, item_code, area_id, birth_year, has_smartphone, reason"
            ),
            params,
        )
    )
    eligible: dict[tuple[str, str], int] = defaultdict(int)
    for item in catalogue.person_items():
        for area, birth_year, phone, count in persons:
            if meets_rule(item, birth_year, phone, ref_year):
                eligible[(area, item.code)] += count
    for item in catalogue.household_items():
        for area, count in households:
            eligible[(area, item.code)] += count
    by_state: dict[tuple[str, str, str, str | None], int] = defaultdict(int)
    recorded: dict[tuple[str, str], int] = defaultdict(int)
    for area, code, state, reason, birth_year, phone, count in items:
        if not catalogue.has_item(code):
            continue
        item = catalogue.item(code)
        if item.level == PERSON and not meets_rule(item, birth_year, phone, ref_year):
            continue
        recorded[(area, code)] += count
        if is_covered(state) or leaves_denominator(state):
            continue
        by_state[(area, code, state, reason)] += count
    for (area, code), total in eligible.items():
        implicit = total - recorded.get((area, code), 0)
        if implicit > 0:
            by_state[(area, code, NOT_STARTED, None)] += implicit
    order = {item.code: i for i, item in enumerate(catalogue.items)}
    result = [
        OpenCount(area, code, state, reason, count)
        for (area, code, state, reason), count in by_state.items()
        if count and (wanted is None or area in wanted)
    ]
    result.sort(key=lambda c: (c.hamlet_id, order.get(c.item_code, 99), c.state, c.reason or ""))
    return result
