"""Accent-insensitive person search over the FTS5 index of migration 0002.

Each word the user types must match the start of a word in the name or the address (folded,
so ``duc`` finds ``Đức``); a run of digits matches a number of the address ("so 12 to 3"
finds "Số 12, tổ 3", and not "Số 120"), the start of a phone number or the last digits of a
CCCD (indexed reversed).

The index holds persons. A household nobody has been added to yet (the volunteer registers the
address first) is found by :func:`search_empty_households`, by the same rules over its address
and phone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

from gocua.text import fold

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PersonHit:
    person_id: str
    full_name: str
    birth_date: str | None
    household_id: str
    address: str
    hamlet_id: str
    hamlet_name: str


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for what the user typed; ``None`` if nothing searchable."""
    terms = []
    for word in _WORD.findall(fold(query)):
        if word.isdigit():
            terms.append(f'(address : "{word}" OR digits : "{word}"* OR digits : "r{word[::-1]}"*)')
        else:
            terms.append(f'{{name address}} : "{word}"*')
    return " AND ".join(terms) or None


SEARCH_SQL = """
    SELECT p.id, p.full_name, p.birth_date, h.id, h.address, h.hamlet_id, a.name
    FROM person_search s
    JOIN persons p ON p.seq = s.rowid
    JOIN households h ON h.id = p.household_id
    LEFT JOIN areas a ON a.id = h.hamlet_id
    WHERE person_search MATCH :match AND p.deleted = 0 AND h.deleted = 0
    {hamlet_filter}
    ORDER BY s.rank
    LIMIT :limit
"""


def search_persons(
    conn: Connection, query: str, limit: int = 50, hamlet_id: str | None = None
) -> list[PersonHit]:
    match = match_expression(query)
    if match is None:
        return []
    sql = SEARCH_SQL.format(hamlet_filter="AND h.hamlet_id = :hamlet" if hamlet_id else "")
    params = {"match": match, "limit": limit, "hamlet": hamlet_id}
    return [PersonHit(*row) for row in conn.execute(text(sql), params)]


def matches_household(query: str, address: str, phone: str | None) -> bool:
    """The index's rules for one household's own address and phone."""
    words = _WORD.findall(fold(query))
    if not words:
        return False
    own = _WORD.findall(fold(address))
    digits = re.sub(r"\D", "", phone or "")
    for word in words:
        if word.isdigit():
            if word not in own and not (digits and digits.startswith(word)):
                return False
        elif not any(w.startswith(word) for w in own):
            return False
    return True


EMPTY_HOUSEHOLDS_SQL = """
    SELECT h.id, h.hamlet_id, h.address, h.phone FROM households h
    WHERE h.deleted = 0
      AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.household_id = h.id AND p.deleted = 0)
"""
# Finding the households with nobody in them scans every household (37 ms on 27,624); a search
# runs at each pause in typing. The list is kept per database connection and read again only
# when the database changed: SQLite's data_version moves when another connection commits, the
# connection's total_changes when it writes itself.
_EMPTY: dict[int, tuple[object, tuple[int, int], list[tuple[str, str, str, str | None]]]] = {}


def _empty_households(conn: Connection) -> list[tuple[str, str, str, str | None]]:
    raw = conn.connection.dbapi_connection
    stamp = (conn.exec_driver_sql("PRAGMA data_version").scalar(), raw.total_changes)
    kept = _EMPTY.get(id(raw))
    if kept is not None and kept[0] is raw and kept[1] == stamp:
        return kept[2]
    rows = [tuple(row) for row in conn.execute(text(EMPTY_HOUSEHOLDS_SQL))]
    if len(_EMPTY) > 16:  # connections of stores closed since
        _EMPTY.clear()
    _EMPTY[id(raw)] = (raw, stamp, rows)
    return rows


def search_empty_households(
    conn: Connection, query: str, hamlet_id: str | None = None, limit: int = 50
) -> list[str]:
    """Ids of the households without anybody in them that the query finds (by address order)."""
    hits = sorted(
        (address, hid)
        for hid, hamlet, address, phone in _empty_households(conn)
        if (hamlet_id is None or hamlet == hamlet_id) and matches_household(query, address, phone)
    )
    return [hid for _address, hid in hits[:limit]]
