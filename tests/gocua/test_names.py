"""One table of names: every state and outcome named in both languages, with a short form."""

from __future__ import annotations

from gocua import names
from gocua.catalogue import default_catalogue
from gocua.coverage import BELOW, MET, NEAR, NO_TARGET, NOBODY
from gocua.states import STATES, VISIT_OUTCOMES

CATALOGUE = default_catalogue()


def test_every_state_and_outcome_has_both_names_and_a_short_form():
    assert set(names.STATE_NAMES) == set(STATES)
    assert set(names.OUTCOME_NAMES) == set(VISIT_OUTCOMES)
    for table in (names.STATE_NAMES, names.OUTCOME_NAMES):
        for lang in ("vi", "en"):
            full = [n.name(lang) for n in table.values()]
            short = [n.short(lang) for n in table.values()]
            assert all(full) and all(short)
            assert len(set(full)) == len(full)  # no two states read the same
            assert len(set(short)) == len(short)
            assert all(len(s) <= 10 for s in short if table is names.STATE_NAMES)


def test_the_names_the_exports_and_the_app_used_to_disagree_on():
    assert names.state_name("done") == "Đã xong" and names.state_short("done") == "Xong"
    assert names.state_name("already_had") == "Đã có sẵn"
    assert names.state_name("not_eligible") == "Không thuộc diện"
    assert names.state_name("not_eligible", "en") == "Not eligible"
    assert names.outcome_name("met") == "Gặp được"
    assert names.state_name("unknown_code") == "unknown_code"  # shown, not lost


def test_target_statuses_and_indicator_headings():
    assert [names.target_status_name(s) for s in (MET, NEAR, BELOW, NO_TARGET, NOBODY)] == [
        "Đạt",
        "Gần đạt",
        "Chưa đạt",
        "",
        "",
    ]
    assert names.indicator_short(CATALOGUE, "smartphone") == "Điện thoại TM (15+)"
    assert names.indicator_short(CATALOGUE, "smartphone", "en") == "Smartphone (15+)"
    assert names.indicator_short(CATALOGUE, "eid_adults") == "VNeID 2 (18+)"
    for indicator in CATALOGUE.indicators:
        assert names.indicator_name(indicator) == indicator.name_vi
        assert names.indicator_name(indicator, "en") == indicator.name_en
