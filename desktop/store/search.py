"""Accent-insensitive person search over the FTS5 index of migration 0002.

Each word the user types must match the start of a word in the name or the address (folded,
so ``duc`` finds ``Đức``); a run of digits also matches the start of a phone number or the
last digits of a CCCD (indexed reversed).
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
            terms.append(f'(digits : "{word}"* OR digits : "r{word[::-1]}"*)')
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
