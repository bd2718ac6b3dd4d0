"""Coverage per hamlet and indicator from the store, with the core's rules.

Three grouped index scans (persons, support items, households) over the coverage facts that
triggers keep (migration 0002); the catalogue's rules are then applied to the groups in
Python. The rules are gocua.coverage's and a test holds the two equal on the same data: a
person counts when present or away in a live, active household, has reached the minimum age
by year (an unknown birth year counts), and for smartphone items is not recorded without a
smartphone; a support item in ``not_eligible`` leaves the denominator; covered = done or
already_had.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, text

from gocua.catalogue import HOUSEHOLD, Catalogue, Indicator
from gocua.coverage import Tally, meets_age
from gocua.states import COVERED_STATES, NOT_ELIGIBLE

PERSON_GROUPS = """
    SELECT area_id, birth_year, has_smartphone, count(*) FROM persons
    WHERE counted = 1 GROUP BY area_id, birth_year, has_smartphone
"""
ITEM_GROUPS = """
    SELECT state, item_code, area_id, birth_year, has_smartphone, count(*) FROM support_items
    WHERE counted = 1 AND state IN ('done', 'already_had', 'not_eligible')
    GROUP BY state, item_code, area_id, birth_year, has_smartphone
"""
# Every hamlet with a live household gets its rows (as in the reference), even when none of
# its households is active any more; only the active ones are counted.
HOUSEHOLD_GROUPS = """
    SELECT hamlet_id, sum(status = 'active') FROM households
    WHERE deleted = 0 GROUP BY hamlet_id
"""


def _person_eligible(indicator: Indicator, birth_year, has_smartphone, ref_year: int) -> bool:
    if not meets_age(birth_year, indicator.min_age, ref_year):
        return False
    return not (indicator.needs_smartphone and has_smartphone == 0)


def coverage_by_area(
    conn: Connection, catalogue: Catalogue, ref_year: int
) -> dict[tuple[str, str], Tally]:
    """Tallies keyed by ``(hamlet_id, indicator_code)``, for every hamlet with a household."""
    persons = conn.execute(text(PERSON_GROUPS)).all()
    items = conn.execute(text(ITEM_GROUPS)).all()
    households = conn.execute(text(HOUSEHOLD_GROUPS)).all()

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
                if state == NOT_ELIGIBLE:
                    tally.eligible -= count
                elif state in COVERED_STATES:
                    tally.covered += count
            continue
        for area, birth_year, smartphone, count in persons:
            if _person_eligible(indicator, birth_year, smartphone, ref_year):
                tally = result[(area, indicator.code)]
                tally.eligible += count
                if indicator.attribute is not None and smartphone == 1:
                    tally.covered += count
        if indicator.attribute is not None:
            continue
        for state, area, birth_year, smartphone, count in items_by_code.get(indicator.item, ()):
            if not _person_eligible(indicator, birth_year, smartphone, ref_year):
                continue
            tally = result[(area, indicator.code)]
            if state == NOT_ELIGIBLE:
                tally.eligible -= count
            elif state in COVERED_STATES:
                tally.covered += count
    return result
