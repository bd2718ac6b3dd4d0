"""Who is eligible, and coverage = (done + already_had) / eligible, per area and indicator.

This is the one rule: the server's reports use it directly; the desktop store keeps the part
that depends on households and statuses in trigger-maintained SQL facts (generated from the
constants here, and tested against :func:`person_standing` person by person) and applies the
rest with :func:`meets_rule` for speed; the follow-up lists use the same functions. Ages are
counted the way commune registers count them, by year: a person's age in a period is the
period's year minus the birth year. A person with no birth year is counted as eligible (they
still need help).
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


# -- who is eligible: the one rule --------------------------------------------------------------
#
# The store keeps part of it in SQL (desktop/store/facts.py generates that SQL from the
# constants above; tests/desktop/test_coverage_sql.py holds the trigger-kept facts equal to
# these functions person by person) and applies the rest to grouped rows with these functions.


def household_counts(status: str | None) -> bool:
    """A household counts when it is there (``None``: absent or deleted) and active."""
    return status == ACTIVE_HOUSEHOLD


def person_counts(person_status: str, household_status: str | None) -> bool:
    """A person counts at all when present or away, in a household that counts."""
    return household_counts(household_status) and person_status in COUNTED_PERSON_STATUSES


def meets_rule(
    rule: Item | Indicator, birth_year: int | None, has_smartphone: bool | int | None, ref_year: int
) -> bool:
    """A counted person is in an item's or indicator's denominator: old enough by year (an
    unknown birth year counts: they still need help), and for smartphone items not recorded
    as having none (unknown counts). ``has_smartphone`` may be SQLite's 0/1."""
    if birth_year is not None and ref_year - birth_year < rule.min_age:
        return False
    return not (rule.needs_smartphone and has_smartphone is not None and not has_smartphone)


def leaves_denominator(state: str | None) -> bool:
    """A support item marked not eligible takes its subject out of the denominator."""
    return state == NOT_ELIGIBLE


def is_covered(state: str | None) -> bool:
    return state in COVERED_STATES


@dataclass(frozen=True)
class Standing:
    """Where one person (or household) stands in one indicator."""

    eligible: bool
    covered: bool


NOT_COUNTED = Standing(False, False)
COVERED = Standing(True, True)
NOT_COVERED = Standing(True, False)


def person_standing(
    indicator: Indicator,
    person: PersonFacts,
    household_status: str | None,
    state: str | None,
    ref_year: int,
) -> Standing:
    """One person in one person-level indicator. ``household_status`` is their household's
    (``None``: absent or deleted); ``state`` the support item's (``None``: not started)."""
    if not person_counts(person.status, household_status):
        return NOT_COUNTED
    return _counted_person_standing(indicator, person, state, ref_year)


def _counted_person_standing(
    indicator: Indicator, person: PersonFacts, state: str | None, ref_year: int
) -> Standing:
    if not meets_rule(indicator, person.birth_year, person.has_smartphone, ref_year):
        return NOT_COUNTED
    if indicator.attribute is not None:
        return COVERED if person.has_smartphone else NOT_COVERED
    if leaves_denominator(state):
        return NOT_COUNTED
    return COVERED if is_covered(state) else NOT_COVERED


def household_standing(
    indicator: Indicator, household_status: str | None, state: str | None
) -> Standing:
    """One household in one household-level indicator."""
    if not household_counts(household_status) or leaves_denominator(state):
        return NOT_COUNTED
    return COVERED if is_covered(state) else NOT_COVERED


def person_counts_for(
    item: Item | Indicator, person: PersonFacts, household_active: bool, ref_year: int
) -> bool:
    """Whether a person is in the denominator of an item or indicator, before its state."""
    household_status = ACTIVE_HOUSEHOLD if household_active else None
    if not person_counts(person.status, household_status):
        return False
    return meets_rule(item, person.birth_year, person.has_smartphone, ref_year)


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
            state = states.get((household.id, indicator.item))
            _add(
                result[(household.area_id, indicator.code)],
                household_standing(indicator, household.status, state),
            )
    person_indicators = [i for i in indicators if i.level != HOUSEHOLD]
    for person in persons:
        household = household_by_id.get(person.household_id)
        if household is None or not person_counts(person.status, household.status):
            continue  # person_standing would say NOT_COUNTED for every indicator
        for indicator in person_indicators:
            state = None if indicator.item is None else states.get((person.id, indicator.item))
            standing = _counted_person_standing(indicator, person, state, ref_year)
            if standing.eligible:
                _add(result[(household.area_id, indicator.code)], standing)
    return result


def _add(tally: Tally, standing: Standing) -> None:
    tally.eligible += standing.eligible
    tally.covered += standing.covered


# -- a figure against its target ------------------------------------------------------------------

MET, NEAR, BELOW, NO_TARGET, NOBODY = "met", "near", "below", "no_target", "nobody"
# A figure within this many points below its target is "near" (amber), further below "below".
NEAR_POINTS = 10.0


def target_status(percent: float | None, target: float | None) -> str:
    """``nobody`` (no one eligible), ``no_target``, ``met``, ``near`` or ``below``."""
    if percent is None:
        return NOBODY
    if target is None:
        return NO_TARGET
    if percent >= target:
        return MET
    return NEAR if percent >= target - NEAR_POINTS else BELOW


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
