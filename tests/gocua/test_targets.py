"""The one target rule: the area's own, else the nearest ancestor's; a quarter's, else its year's;
else the catalogue's default. The app's dashboard and the server's report both apply it
(tests/desktop/reports/test_summary.py, tests/server/test_history_reports.py and
tests/test_reports_agree.py hold them to it)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gocua.catalogue import default_catalogue
from gocua.targets import period_chain, resolve_target
from gocua.validation import parse_period

CATALOGUE = default_catalogue()
BANK = CATALOGUE.indicator("bank_15plus")  # national default 75
SMARTCA = CATALOGUE.indicator("smartca")  # no national default
PARENT_OF = {"H1": "C", "H2": "C", "C": "P", "P": None}
YEAR, Q2 = parse_period("2026"), parse_period("2026-Q2")


def target(targets, area, period, indicator=BANK):
    return resolve_target(targets, PARENT_OF, area, indicator, period)


def test_period_chain():
    assert period_chain(YEAR) == ("2026",)
    assert period_chain(Q2) == ("2026-Q2", "2026")


@pytest.mark.parametrize(
    ("targets", "area", "period", "expected"),
    [
        ({}, "H1", YEAR, 75.0),  # nothing set: the national default
        ({("H1", "bank_15plus", "2026"): 90}, "H1", YEAR, 90.0),  # its own
        ({("C", "bank_15plus", "2026"): 60}, "H1", YEAR, 60.0),  # its commune's
        ({("C", "bank_15plus", "2026"): 60}, "H1", Q2, 60.0),  # the commune's year, in Q2
        ({("H1", "bank_15plus", "2026"): 90}, "H1", Q2, 90.0),  # its year's, in Q2
        ({("H1", "bank_15plus", "2026-Q2"): 40}, "H1", Q2, 40.0),  # the quarter's own
        ({("H1", "bank_15plus", "2026-Q2"): 40}, "H1", YEAR, 75.0),  # not the year's
        ({("H1", "bank_15plus", "2026-Q1"): 40}, "H1", Q2, 75.0),  # not another quarter's
        ({("H1", "bank_15plus", "2025"): 40}, "H1", YEAR, 75.0),  # not another year's
        ({("H2", "bank_15plus", "2026"): 40}, "H1", YEAR, 75.0),  # not a sibling's
        ({("H1", "bank_15plus", "2026"): 90}, "C", YEAR, 75.0),  # not a child's
        # The nearer area wins over the finer period: the hamlet's year before the commune's Q2.
        (
            {("H1", "bank_15plus", "2026"): 90, ("C", "bank_15plus", "2026-Q2"): 50},
            "H1",
            Q2,
            90.0,
        ),
        ({("P", "bank_15plus", "2026"): 70}, "H1", YEAR, 70.0),  # all the way up
        ({("C", "bank_15plus", "2026"): 0}, "H1", YEAR, 0.0),  # a target of 0 is a target
        ({}, None, YEAR, 75.0),  # no area (a selection across communes)
        ({}, "unknown", YEAR, 75.0),
    ],
)
def test_the_rule(targets, area, period, expected):
    assert target(targets, area, period) == expected


def test_no_default_and_nothing_set_is_no_target():
    assert target({}, "H1", YEAR, SMARTCA) is None
    assert target({("C", "smartca", "2026"): 20}, "H1", Q2, SMARTCA) == 20.0


def test_a_cycle_in_the_areas_ends():
    assert resolve_target({}, {"A": "B", "B": "A"}, "A", BANK, YEAR) == 75.0


AREAS = st.sampled_from(["H1", "H2", "C", "P"])
PERIODS = st.sampled_from(["2026", "2026-Q1", "2026-Q2", "2025"])
TARGETS = st.dictionaries(
    st.tuples(AREAS, st.just("bank_15plus"), PERIODS), st.integers(0, 100).map(float)
)


@given(TARGETS, AREAS, st.sampled_from([YEAR, Q2]))
def test_the_answer_is_the_nearest_set_target(targets, area, period):
    found = target(targets, area, period)
    chain = []
    node = area
    while node is not None:
        chain.append(node)
        node = PARENT_OF[node]
    candidates = [
        targets[(a, "bank_15plus", p)]
        for a in chain
        for p in period_chain(period)
        if (a, "bank_15plus", p) in targets
    ]
    assert found == (candidates[0] if candidates else BANK.target)
