"""Coverage arithmetic, against a small commune whose figures are worked out by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gocua.catalogue import default_catalogue, parse_catalogue
from gocua.coverage import (
    HouseholdFacts,
    PersonFacts,
    Tally,
    compute_coverage,
    coverage_percent,
    meets_rule,
    person_counts_for,
    roll_up,
    still_to_reach,
)

REF_YEAR = 2026
H1, H2, COMMUNE, PROVINCE = "X9001-01", "X9001-02", "X9001", "T90"
PARENT_OF = {H1: COMMUNE, H2: COMMUNE, COMMUNE: PROVINCE, PROVINCE: None}

HOUSEHOLDS = [
    HouseholdFacts("h1", H1),
    HouseholdFacts("h2", H1),
    HouseholdFacts("h3", H2),
    HouseholdFacts("h4", H2, status="moved"),  # not active: nobody in it counts
]
PERSONS = [
    # id, household, birth year, has smartphone, status
    PersonFacts("p1", "h1", 2008, True),  # 18 in 2026 (by year, whatever the birthday)
    PersonFacts("p2", "h1", 2009, False),  # 17
    PersonFacts("p3", "h1", None, None, "away"),  # unknown age and phone: eligible
    PersonFacts("p4", "h2", 1950, False),  # 76, no smartphone
    PersonFacts("p5", "h2", 1980, True, "moved"),  # not counted
    PersonFacts("p6", "h3", 1990, True, "deceased"),  # not counted
    PersonFacts("p7", "h3", 2011, None),  # 15
    PersonFacts("p8", "h3", 1985, True),  # 41
    PersonFacts("p9", "h4", 1970, True),  # household moved: not counted
    PersonFacts("p10", "h-unknown", 1970, True),  # no such household: ignored
]
STATES = {
    ("p1", "vneid_l2"): "done",
    ("p2", "vneid_l2"): "done",  # 17: under the indicator's 18
    ("p3", "vneid_l2"): "pending",
    ("p4", "vneid_l2"): "declined",  # no smartphone: out of the item anyway
    ("p5", "vneid_l2"): "done",
    ("p8", "vneid_l2"): "not_eligible",  # leaves the denominator
    ("p9", "vneid_l2"): "done",
    ("p1", "bank_account"): "already_had",
    ("p2", "bank_account"): "not_started",
    ("p4", "bank_account"): "done",
    ("p6", "bank_account"): "done",
    ("p7", "bank_account"): "not_eligible",
    ("p8", "bank_account"): "declined",
    ("p4", "ehealth_record"): "done",
    ("h1", "fibre_internet"): "done",
    ("h2", "fibre_internet"): "not_eligible",
    ("h3", "fibre_internet"): "already_had",
    ("h4", "fibre_internet"): "done",
}

# Worked out by hand: (eligible, covered).
#
# eid_adults (item vneid_l2: min age 14, needs a smartphone; the indicator raises it to 18):
#   H1: p1 18, phone, done -> 1/1; p2 17 -> out; p3 unknown year and phone -> in, pending;
#       p4 has_smartphone False -> out; p5 moved -> out.            = 2 eligible, 1 covered
#   H2: p6 deceased, p7 15 < 18, p8 not_eligible, p9 in a moved household.  = 0, 0
# bank_15plus (bank_account, min 15, no phone needed):
#   H1: p1 already_had (cov), p2 17 not_started, p3 unknown year no row, p4 76 done (cov).
#                                                                      = 4 eligible, 2 covered
#   H2: p7 15 but not_eligible -> out; p8 declined; p6, p9 out.       = 1 eligible, 0 covered
# smartphone (attribute, min 15): covered = has_smartphone is True, None stays in.
#   H1: p1 True, p2 False, p3 None (unknown year), p4 False.        = 4 eligible, 1 covered
#   H2: p7 None, p8 True.                                             = 2 eligible, 1 covered
# fibre_households (household item):
#   H1: h1 done, h2 not_eligible -> out.                              = 1 eligible, 1 covered
#   H2: h3 already_had, h4 moved -> out.                              = 1 eligible, 1 covered
# ehealth (ehealth_record, min 0):
#   H1: p1, p2, p3, p4; p4 done.                                      = 4 eligible, 1 covered
#   H2: p7, p8.                                                       = 2 eligible, 0 covered
EXPECTED = {
    (H1, "eid_adults"): (2, 1),
    (H2, "eid_adults"): (0, 0),
    (H1, "bank_15plus"): (4, 2),
    (H2, "bank_15plus"): (1, 0),
    (H1, "smartphone"): (4, 1),
    (H2, "smartphone"): (2, 1),
    (H1, "fibre_households"): (1, 1),
    (H2, "fibre_households"): (1, 1),
    (H1, "ehealth"): (4, 1),
    (H2, "ehealth"): (2, 0),
}


@pytest.fixture(scope="module")
def catalogue():
    return default_catalogue()


@pytest.fixture(scope="module")
def tallies(catalogue):
    return compute_coverage(catalogue, HOUSEHOLDS, PERSONS, STATES, REF_YEAR)


def pair(tally: Tally) -> tuple[int, int]:
    return tally.eligible, tally.covered


@pytest.mark.parametrize(("key", "expected"), sorted(EXPECTED.items()))
def test_hand_worked_commune(tallies, key, expected):
    assert pair(tallies[key]) == expected


def test_every_indicator_of_every_area_with_a_household(tallies, catalogue):
    codes = {i.code for i in catalogue.indicators}
    assert set(tallies) == {(area, code) for area in (H1, H2) for code in codes}
    assert COMMUNE not in {area for area, _ in tallies}


def test_percentages(tallies):
    assert tallies[(H1, "eid_adults")].percent == 50.0
    assert tallies[(H2, "eid_adults")].percent is None  # nobody eligible: not 0%, not 100%
    assert tallies[(H2, "bank_15plus")].percent == 0.0
    assert tallies[(H1, "smartphone")].percent == 25.0
    assert tallies[(H2, "fibre_households")].percent == 100.0


def test_roll_up_sums_hamlets_into_commune_and_province(tallies):
    total = roll_up(tallies, PARENT_OF)
    for code in ("eid_adults", "bank_15plus", "smartphone", "fibre_households", "ehealth"):
        h1, h2 = EXPECTED[(H1, code)], EXPECTED[(H2, code)]
        summed = (h1[0] + h2[0], h1[1] + h2[1])
        assert pair(total[(COMMUNE, code)]) == summed
        assert pair(total[(PROVINCE, code)]) == summed
        assert pair(total[(H1, code)]) == h1
    assert pair(total[(COMMUNE, "bank_15plus")]) == (5, 2)
    assert total[(COMMUNE, "smartphone")].percent == 33.3  # 2 of 6
    # The inputs are not modified.
    assert pair(tallies[(H1, "bank_15plus")]) == (4, 2)


def test_roll_up_unknown_parent_stops():
    total = roll_up({("orphan", "x"): Tally(3, 1)}, {})
    assert {k: pair(v) for k, v in total.items()} == {("orphan", "x"): (3, 1)}


def test_roll_up_two_communes_stay_apart():
    tallies = {("a1", "x"): Tally(2, 1), ("b1", "x"): Tally(5, 5)}
    parents = {"a1": "A", "b1": "B", "A": "P", "B": "P"}
    total = roll_up(tallies, parents)
    assert pair(total[("A", "x")]) == (2, 1)
    assert pair(total[("B", "x")]) == (5, 5)
    assert pair(total[("P", "x")]) == (7, 6)


def test_indicator_subset(catalogue):
    only = [catalogue.indicator("bank_15plus")]
    result = compute_coverage(catalogue, HOUSEHOLDS, PERSONS, STATES, REF_YEAR, indicators=only)
    assert {k: pair(v) for k, v in result.items()} == {
        (H1, "bank_15plus"): (4, 2),
        (H2, "bank_15plus"): (1, 0),
    }


def test_age_is_counted_by_year(catalogue):
    # Born on 31 December 2008 or 1 January 2008: 18 in 2026 either way; 17 in 2025.
    household = [HouseholdFacts("h", H1)]
    person = [PersonFacts("p", "h", 2008, True)]
    states = {("p", "vneid_l2"): "done"}
    only = [catalogue.indicator("eid_adults")]
    now = compute_coverage(catalogue, household, person, states, 2026, indicators=only)
    before = compute_coverage(catalogue, household, person, states, 2025, indicators=only)
    assert pair(now[(H1, "eid_adults")]) == (1, 1)
    assert pair(before[(H1, "eid_adults")]) == (0, 0)


def test_household_only_area_still_listed(catalogue):
    result = compute_coverage(
        catalogue, [HouseholdFacts("h", "X9001-09", status="gone")], [], {}, REF_YEAR
    )
    assert all(pair(t) == (0, 0) for t in result.values())
    assert {area for area, _ in result} == {"X9001-09"}


def test_missing_state_is_not_started(catalogue):
    result = compute_coverage(
        catalogue, [HouseholdFacts("h", H1)], [PersonFacts("p", "h", 1990, True)], {}, REF_YEAR
    )
    assert pair(result[(H1, "bank_15plus")]) == (1, 0)
    assert pair(result[(H1, "fibre_households")]) == (1, 0)
    assert pair(result[(H1, "smartphone")]) == (1, 1)


# -- eligibility --------------------------------------------------------------------------------


def test_meets_rule_counts_age_by_year(catalogue):
    adults, everyone = catalogue.indicator("eid_adults"), catalogue.indicator("ehealth")
    assert (adults.min_age, everyone.min_age) == (18, 0)
    assert meets_rule(adults, 2008, True, 2026)  # 18 in 2026, whatever the birthday
    assert not meets_rule(adults, 2009, True, 2026)
    assert meets_rule(adults, None, True, 2026)  # unknown birth year: eligible
    assert meets_rule(everyone, 2026, None, 2026)


def test_needs_smartphone_excludes_false_but_not_none(catalogue):
    item = catalogue.item("vneid_l1")
    assert item.needs_smartphone

    def counts(phone, status="present", active=True):
        return person_counts_for(item, PersonFacts("p", "h", 1990, phone, status), active, 2026)

    assert counts(True)
    assert counts(None)
    assert not counts(False)
    assert counts(True, "away")
    assert not counts(True, "moved")
    assert not counts(True, "deceased")
    assert not counts(True, active=False)
    # An item that needs no smartphone ignores the flag.
    no_phone = catalogue.item("bank_account")
    assert person_counts_for(no_phone, PersonFacts("p", "h", 1990, False), True, 2026)


def test_custom_catalogue_min_age_and_smartphone():
    cat = parse_catalogue(
        {
            "items": [
                {
                    "code": "app",
                    "level": "person",
                    "name_vi": "a",
                    "name_en": "a",
                    "min_age": 60,
                    "needs_smartphone": True,
                }
            ],
            "indicators": [{"code": "app", "name_vi": "a", "name_en": "a", "item": "app"}],
        }
    )
    persons = [
        PersonFacts("old", "h", 1960, True),  # 66: in
        PersonFacts("young", "h", 1970, True),  # 56: out
        PersonFacts("nophone", "h", 1950, False),  # out
        PersonFacts("unknown", "h", None, None),  # in
    ]
    states = {("old", "app"): "done", ("unknown", "app"): "already_had"}
    result = compute_coverage(cat, [HouseholdFacts("h", "a")], persons, states, 2026)
    assert pair(result[("a", "app")]) == (2, 2)


# -- percentages and targets --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("covered", "eligible", "percent"),
    [
        (0, 0, None),
        (5, 0, None),
        (0, 3, 0.0),
        (1, 3, 33.3),
        (2, 3, 66.7),
        (3, 3, 100.0),
        (1, 8, 12.5),
        (7, 9, 77.8),
    ],
)
def test_coverage_percent(covered, eligible, percent):
    assert coverage_percent(covered, eligible) == percent


@pytest.mark.parametrize(
    ("covered", "eligible", "target", "more"),
    [
        (2, 4, 75, 1),  # 3 of 4 needed
        (0, 10, 30, 3),  # exactly 3.0: not 4
        (5, 7, 80, 1),  # 5.6 -> 6
        (9, 10, 80, 0),  # already past it
        (0, 0, 80, 0),  # nobody eligible
        (1, 10, None, 0),  # no target
        (0, 3, 100, 3),
        (0, 1000, 57.3, 573),
    ],
)
def test_still_to_reach(covered, eligible, target, more):
    assert still_to_reach(covered, eligible, target) == more


@settings(deadline=None, max_examples=200)
@given(st.integers(0, 100_000), st.integers(0, 1000), st.data())
def test_still_to_reach_is_the_least_that_meets_the_target(eligible, tenths, data):
    covered = data.draw(st.integers(0, eligible))
    target = tenths / 10
    more = still_to_reach(covered, eligible, target)
    if eligible == 0:
        assert more == 0
        return
    goal = Fraction(tenths, 10) * eligible / 100  # exact arithmetic
    assert covered + more >= goal
    if more > 0:
        assert covered + more - 1 < goal


def test_tally():
    tally = Tally(4, 1)
    tally.add(Tally(2, 2))
    assert pair(tally) == (6, 3) and tally.percent == 50.0
    assert Tally().percent is None
