"""Pulled changes keep the store's derived facts (coverage, kept by triggers) right: a device
that pulls another's deletes and moves counts exactly what its live rows say."""

from __future__ import annotations

from desktop.store.coverage import coverage_by_area
from gocua.catalogue import default_catalogue
from tests.desktop.conftest import REF_YEAR, as_pairs, reference_coverage
from tests.desktop.sync.conftest import assert_converged

CATALOGUE = default_catalogue()


def facts_agree(dev) -> None:
    with dev.store.read() as conn:
        kept = as_pairs(coverage_by_area(conn, CATALOGUE, REF_YEAR))
        assert kept == as_pairs(reference_coverage(conn, CATALOGUE, REF_YEAR))


def test_pulled_delete_and_move_keep_coverage_facts(server, device):
    a, b = device(server, "vol_a"), device(server, "vol_a2")
    home = a.services.register_household(
        "C1-A",
        "Số 4, đường đan",
        members=[
            {"full_name": "Hồ Văn Một", "birth_date": "1980", "has_smartphone": True},
            {"full_name": "Hồ Thị Hai", "birth_date": "1985", "has_smartphone": True},
        ],
    )
    other = a.services.register_household("C1-A", "Số 5, đường đan")
    one, two = sorted(a.rows()["persons"])
    for person in (one, two):
        a.services.set_item_state("person", person, "vneid_l1", "done")
        a.services.set_item_state("person", person, "vneid_l2", "done")
    a.sync()
    b.sync()
    facts_agree(b)

    a.services.delete_person(one)
    a.services.move_person(two, other)
    a.services.update_person(two, has_smartphone=False)
    a.sync()
    b.sync()
    facts_agree(a)
    facts_agree(b)
    assert_converged(b)
    assert home in b.rows()["households"]
