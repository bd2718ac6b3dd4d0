"""Re-import: the persons and households the store already has, found again in a list.

A commune imports its list, works with it, then gets an updated list and imports that. The
rows of people already there update them instead of adding them twice. A row is a stored
person when:

1. it has that person's CCCD; else
2. its household is a stored household (one of its members has a CCCD of that household; or
   two of its members have the folded name and birth year of persons of that household, or
   one does and the address is the same) and that household has a person of the same folded
   name and birth year (or the same name, where one side has no birth year and no one else in
   the household has that name).

A found person is **unchanged** when the list says nothing the store does not already say,
else **changed**, with only the fields that differ to write: a field the list leaves empty is
never cleared, and a birth year does not replace the full date the store has. A household's
address and phone change the same way, and its hamlet only where the list names the hamlet
itself (a cell, a hamlet row or the sheet's name; not the dialog's default). Everyone else is
**new**. Persons the store has and the list lacks are left as they are.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection

from desktop.reports.importer.model import (
    CHANGED,
    ERROR,
    NEW,
    UNCHANGED,
    PlannedHousehold,
    RowResult,
)
from gocua.text import fold, match_key

_COMPARED = ("full_name", "birth_date", "sex", "cccd", "phone", "relation", "note")


@dataclass(slots=True)
class Stored:
    id: str
    household_id: str
    hamlet_id: str
    folded: str
    birth_year: int | None
    fields: dict


@dataclass
class StoredHousehold:
    id: str
    hamlet_id: str
    address: str
    phone: str | None


class StoredPersons:
    def __init__(self, conn: Connection):
        # Straight on the sqlite3 connection: 100,000 rows without SQLAlchemy's row objects.
        raw = conn.connection.driver_connection
        self.households: dict[str, StoredHousehold] = {
            i: StoredHousehold(i, hamlet, address, phone)
            for i, hamlet, address, phone in raw.execute(
                "SELECT id, hamlet_id, address, phone FROM households WHERE deleted = 0"
            )
        }
        self.by_cccd: dict[str, Stored] = {}
        self.by_name: dict[tuple[str, str, int | None], list[Stored]] = defaultdict(list)
        self.by_household: dict[str, list[Stored]] = defaultdict(list)
        # The search index holds every name folded already (migration 0002).
        query = """SELECT p.id, p.household_id, p.full_name, s.name, p.birth_date, p.birth_year,
                          p.sex, p.cccd, p.phone, p.relation, p.note
                   FROM persons p LEFT JOIN person_search s ON s.rowid = p.seq
                   WHERE p.deleted = 0"""
        for (
            pid,
            hid,
            name,
            folded,
            birth,
            year,
            sex,
            cccd,
            phone,
            relation,
            note,
        ) in conn.exec_driver_sql(query):
            household = self.households.get(hid)
            if household is None:
                continue
            fields = {
                "full_name": name,
                "birth_date": birth,
                "sex": sex,
                "cccd": cccd,
                "phone": phone,
                "relation": relation,
                "note": note,
            }
            person = Stored(pid, hid, household.hamlet_id, folded or fold(name), year, fields)
            if cccd:
                self.by_cccd[cccd] = person
            self.by_name[(household.hamlet_id, person.folded, year)].append(person)
            self.by_household[hid].append(person)


def _year(row: RowResult) -> int | None:
    birth = row.person.get("birth_date")
    return int(birth[:4]) if birth else None


def _changes(planned: dict, stored: dict) -> dict:
    """The fields the list says differently from the store (never a blank, never a less
    precise birth date)."""
    changes = {}
    for name in _COMPARED:
        value = planned.get(name)
        if value in (None, ""):
            continue
        old = stored.get(name)
        if name == "birth_date" and old and len(value) == 4 and old[:4] == value:
            continue
        if value != old:
            changes[name] = value
    return changes


def match(conn: Connection, households: list[PlannedHousehold], rows: list[RowResult]) -> None:
    """Set each valid row's ``change`` (and ``person_id``, ``changed_fields``) and each
    household's ``existing_id`` and ``changes``."""
    stored = StoredPersons(conn)
    claimed: dict[str, RowResult] = {}
    for household in households:
        members = household.valid_rows
        if not members:
            continue
        household.existing_id = _stored_household(household, members, stored)
        if household.existing_id:
            _household_changes(household, stored.households[household.existing_id])
        in_household = list(stored.by_household.get(household.existing_id or "", []))
        for row in members:
            person = stored.by_cccd.get(row.person.get("cccd") or "")
            if person is None and household.existing_id:
                person = _in_household(row, in_household, claimed)
            if person is not None and person.id in claimed:
                other = claimed[person.id]
                row.errors.append(
                    f"Cùng một người đã có với dòng {other.line}"
                    + (f" (trang “{other.sheet}”)" if other.sheet != row.sheet else "")
                )
                row.fate = ERROR
                continue
            if person is None:
                row.change = NEW
                continue
            claimed[person.id] = row
            row.person_id = person.id
            changes = _changes(row.person, person.fields)
            if household.existing_id and person.household_id != household.existing_id:
                changes["household_id"] = household.existing_id
            row.changed_fields = changes
            row.change = CHANGED if changes else UNCHANGED


def _stored_household(
    household: PlannedHousehold, members: list[RowResult], stored: StoredPersons
) -> str | None:
    """The stored household this one is: the one a member's CCCD is in; else one holding
    persons of the same folded name and birth year as two of its members, or as one of them
    at the same address (a name and a year alone are not enough: in a commune of 100,000,
    two people of one name and year in one hamlet are common)."""
    by_cccd = Counter(
        stored.by_cccd[r.person["cccd"]].household_id
        for r in members
        if r.person.get("cccd") in stored.by_cccd
    )
    if by_cccd:
        return by_cccd.most_common(1)[0][0]
    if not household.hamlet_id:
        return None
    named: Counter[str] = Counter()
    for row in members:
        key = (household.hamlet_id, fold(row.person["full_name"]), _year(row))
        named.update({p.household_id for p in stored.by_name.get(key, ())})
    address = match_key(household.address)
    best, best_rank = None, (0, False)
    for household_id, count in named.items():
        same_address = match_key(stored.households[household_id].address) == address
        if count >= 2 or same_address:
            rank = (count, same_address)
            if rank > best_rank:
                best, best_rank = household_id, rank
    return best


def _in_household(row: RowResult, persons: list[Stored], claimed: dict) -> Stored | None:
    name, year = fold(row.person["full_name"]), _year(row)
    free = [p for p in persons if p.id not in claimed and p.folded == name]
    exact = [p for p in free if p.birth_year == year]
    if len(exact) == 1:
        return exact[0]
    if len(free) == 1 and (year is None or free[0].birth_year is None):
        return free[0]
    return None


def _household_changes(household: PlannedHousehold, old: StoredHousehold) -> None:
    changes = {}
    if household.address and match_key(household.address) != match_key(old.address):
        changes["address"] = household.address
    if household.phone and household.phone != old.phone:
        changes["phone"] = household.phone
    explicit = household.hamlet_source in ("cell", "section", "sheet")
    if explicit and household.hamlet_id and household.hamlet_id != old.hamlet_id:
        changes["hamlet_id"] = household.hamlet_id
    household.changes = changes
