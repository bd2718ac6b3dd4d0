"""Coverage per hamlet and indicator from the store, with the core's rule (gocua.coverage).

Three grouped index scans (persons, support items, households) over the coverage facts that
triggers keep (``counted``, ``area_id``: SQL generated from the core's rule in
desktop.store.facts); the rest of the rule is applied to the groups with the core's own
functions (:func:`meets_rule`: age and smartphone; :func:`leaves_denominator`,
:func:`is_covered`: the item's state). tests/desktop/test_coverage_sql.py holds the facts
equal to :func:`gocua.coverage.person_standing` person by person, and the tallies equal to
:func:`gocua.coverage.compute_coverage`.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, text

from desktop.store.facts import TALLIED_STATES, sql_text
from desktop.store.fetch import plain_rows
from gocua.catalogue import HOUSEHOLD, Catalogue
from gocua.coverage import ACTIVE_HOUSEHOLD, Tally, is_covered, leaves_denominator, meets_rule

PERSON_GROUPS = """
    SELECT area_id, birth_year, has_smartphone, count(*) FROM persons
    WHERE counted = 1 GROUP BY area_id, birth_year, has_smartphone
"""
ITEM_GROUPS = f"""
    SELECT state, item_code, area_id, birth_year, has_smartphone, count(*) FROM support_items
    WHERE counted = 1 AND state IN {TALLIED_STATES}
    GROUP BY state, item_code, area_id, birth_year, has_smartphone
"""
# Every hamlet with a live household gets its rows (as in the reference), even when none of
# its households is active any more; only the active ones are counted.
HOUSEHOLD_GROUPS = f"""
    SELECT hamlet_id, sum(status = {sql_text(ACTIVE_HOUSEHOLD)}) FROM households
    WHERE deleted = 0 GROUP BY hamlet_id
"""


def coverage_by_area(
    conn: Connection, catalogue: Catalogue, ref_year: int
) -> dict[tuple[str, str], Tally]:
    """Tallies keyed by ``(hamlet_id, indicator_code)``, for every hamlet with a household."""
    persons = plain_rows(conn.execute(text(PERSON_GROUPS)))
    items = plain_rows(conn.execute(text(ITEM_GROUPS)))
    households = plain_rows(conn.execute(text(HOUSEHOLD_GROUPS)))

    items_by_code: dict[str, list] = defaultdict(list)
    for state, code, area, birth_year, smartphone, count in items:
        items_by_code[code].append((state, area, birth_year, smartphone, count))

    result: dict[tuple[str, str], Tally] = {}
    areas = {row[0] for row in households} | {row[0] for row in persons}
    for indicator in catalogue.indicators:
        for area in areas:
            result[(area, indicator.code)] = Tally()
        if indicator.level == HOUSEHOLD:
            for area, count in households:
                result[(area, indicator.code)].eligible += count
            for state, area, _, _, count in items_by_code.get(indicator.item, ()):
                tally = result[(area, indicator.code)]
                if leaves_denominator(state):
                    tally.eligible -= count
                elif is_covered(state):
                    tally.covered += count
            continue
        for area, birth_year, smartphone, count in persons:
            if meets_rule(indicator, birth_year, smartphone, ref_year):
                tally = result[(area, indicator.code)]
                tally.eligible += count
                if indicator.attribute is not None and smartphone:
                    tally.covered += count
        if indicator.attribute is not None:
            continue
        for state, area, birth_year, smartphone, count in items_by_code.get(indicator.item, ()):
            if not meets_rule(indicator, birth_year, smartphone, ref_year):
                continue
            tally = result[(area, indicator.code)]
            if leaves_denominator(state):
                tally.eligible -= count
            elif is_covered(state):
                tally.covered += count
    return result
