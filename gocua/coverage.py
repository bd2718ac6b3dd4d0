"""Coverage arithmetic: coverage = (done + already_had) / eligible, per area and indicator.

This is the reference: the desktop store computes the same figures in SQL for speed and a test
holds the two equal; the server's reports use it directly. Ages are counted the way commune
registers count them, by year: a person's age in a period is the period's year minus the birth
year. A person with no birth year is counted as eligible (they still need help).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from gocua.catalogue import HOUSEHOLD, Catalogue, Indicator, Item
from gocua.states import COVERED_STATES, NOT_ELIGIBLE

ACTIVE_HOUSEHOLD = "active"
COUNTED_PERSON_STATUSES = frozenset({"present", "away"})


@dataclass(frozen=True)
class PersonFacts:
    id: str
    household_id: str
    birth_year: int | None
    has_smartphone: bool | None
    status: str = "present"


@dataclass(frozen=True)
class HouseholdFacts:
    id: str
    area_id: str
    status: str = ACTIVE_HOUSEHOLD


@dataclass
class Tally:
    eligible: int = 0
    covered: int = 0

    @property
    def percent(self) -> float | None:
        return coverage_percent(self.covered, self.eligible)

    def add(self, other: Tally) -> None:
        self.eligible += other.eligible
        self.covered += other.covered


def coverage_percent(covered: int, eligible: int) -> float | None:
    """Percent with one decimal; ``None`` when nobody is eligible (not 0%, not 100%)."""
    if eligible <= 0:
        return None
    return round(100.0 * covered / eligible, 1)


def still_to_reach(covered: int, eligible: int, target_percent: float | None) -> int:
    """How many more people (or households) must be covered to meet the target."""
    if target_percent is None or eligible <= 0:
        return 0
    needed = math.ceil(eligible * target_percent / 100.0 - 1e-9)
    return max(0, needed - covered)


def meets_age(birth_year: int | None, min_age: int, ref_year: int) -> bool:
    return birth_year is None or ref_year - birth_year >= min_age


def person_counts_for(
    item: Item | Indicator, person: PersonFacts, household_active: bool, ref_year: int
) -> bool:
    """Whether a person is in the denominator of an item or indicator, before its state."""
    if not household_active or person.status not in COUNTED_PERSON_STATUSES:
        return False
    if not meets_age(person.birth_year, item.min_age, ref_year):
        return False
    return not (item.needs_smartphone and person.has_smartphone is False)


def compute_coverage(
    catalogue: Catalogue,
    households: Iterable[HouseholdFacts],
    persons: Iterable[PersonFacts],
    states: Mapping[tuple[str, str], str],
    ref_year: int,
    indicators: Iterable[Indicator] | None = None,
) -> dict[tuple[str, str], Tally]:
    """Tallies keyed by ``(area_id, indicator_code)`` for every area that has a household.

    ``states`` maps ``(subject_id, item_code)`` to the support item's state; a missing entry
    is ``not_started``.
    """
    indicators = tuple(indicators or catalogue.indicators)
    household_by_id = {h.id: h for h in households}
    result: dict[tuple[str, str], Tally] = {}
    for household in household_by_id.values():
        for indicator in indicators:
            result.setdefault((household.area_id, indicator.code), Tally())
    for indicator in indicators:
        if indicator.level != HOUSEHOLD:
            continue
        for household in household_by_id.values():
            if household.status != ACTIVE_HOUSEHOLD:
                continue
            state = states.get((household.id, indicator.item))
            if state == NOT_ELIGIBLE:
                continue
            tally = result[(household.area_id, indicator.code)]
            tally.eligible += 1
            tally.covered += state in COVERED_STATES
    person_indicators = [i for i in indicators if i.level != HOUSEHOLD]
    for person in persons:
        household = household_by_id.get(person.household_id)
        if household is None:
            continue
        active = household.status == ACTIVE_HOUSEHOLD
        for indicator in person_indicators:
            if not person_counts_for(indicator, person, active, ref_year):
                continue
            tally = result[(household.area_id, indicator.code)]
            if indicator.attribute is not None:
                tally.eligible += 1
                tally.covered += person.has_smartphone is True
                continue
            state = states.get((person.id, indicator.item))
            if state == NOT_ELIGIBLE:
                continue
            tally.eligible += 1
            tally.covered += state in COVERED_STATES
    return result


def roll_up(
    tallies: Mapping[tuple[str, str], Tally], parent_of: Mapping[str, str | None]
) -> dict[tuple[str, str], Tally]:
    """Add each area's tallies into its ancestors' (hamlet → commune → province)."""
    total: dict[tuple[str, str], Tally] = {}
    for (area, code), tally in tallies.items():
        node: str | None = area
        while node is not None:
            total.setdefault((node, code), Tally()).add(tally)
            node = parent_of.get(node)
    return total
