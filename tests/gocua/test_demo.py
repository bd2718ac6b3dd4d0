"""The demo commune generator: deterministic, valid, realistic in shape."""

from __future__ import annotations

import collections
import datetime as dt

import pytest

from gocua import demo, ids
from gocua.catalogue import default_catalogue
from gocua.coverage import PersonFacts, person_counts_for
from gocua.protocol import TABLES, check_fields
from gocua.states import COVERED_STATES, REASON_STATES
from gocua.validation import cccd_birth_year, cccd_sex

TODAY = dt.date(2026, 11, 24)
PERSONS = 1000


@pytest.fixture(scope="module")
def commune() -> demo.DemoCommune:
    return demo.generate(demo.households_for_persons(PERSONS), seed=7, today=TODAY)


def as_dict(commune: demo.DemoCommune) -> dict:
    return {
        "areas": commune.areas,
        "users": commune.users,
        **commune.rows(),
    }


def test_deterministic_for_a_seed_and_a_day(commune):
    again = demo.generate(demo.households_for_persons(PERSONS), seed=7, today=TODAY)
    assert as_dict(again) == as_dict(commune)


def test_different_seeds_differ(commune):
    other = demo.generate(demo.households_for_persons(PERSONS), seed=8, today=TODAY)
    assert {p["id"] for p in other.persons}.isdisjoint({p["id"] for p in commune.persons})
    assert [p["full_name"] for p in other.persons] != [p["full_name"] for p in commune.persons]


def test_different_days_differ():
    a = demo.generate(50, seed=3, today=TODAY)
    b = demo.generate(50, seed=3, today=TODAY + dt.timedelta(days=400))
    assert [v["visited_at"] for v in a.visits] != [v["visited_at"] for v in b.visits]
    assert [t["period"] for t in b.targets] == ["2027"] * len(b.targets)


@pytest.mark.parametrize("seed", range(1, 25))
def test_eight_to_fifteen_hamlets(seed):
    commune = demo.generate(5, seed=seed, today=TODAY)
    hamlets = commune.hamlets
    assert 8 <= len(hamlets) <= 15
    assert len({h["id"] for h in hamlets}) == len(hamlets)
    assert all(h["parent_id"] == demo.COMMUNE["id"] for h in hamlets)


def test_hamlet_count_varies_with_the_seed():
    counts = {len(demo.generate(1, seed=s, today=TODAY).hamlets) for s in range(40)}
    assert len(counts) >= 4
    assert min(counts) >= 8 and max(counts) <= 15


def test_every_row_passes_check_fields(commune):
    catalogue = default_catalogue()
    problems = []
    for table, rows in commune.rows().items():
        assert table in TABLES
        for row in rows:
            fields = {k: v for k, v in row.items() if k != "id"}
            clean, errors = check_fields(table, row["id"], fields, catalogue=catalogue)
            if errors:
                problems.append((table, row["id"], [str(e) for e in errors]))
    assert problems == []


def test_about_seven_rows_per_person(commune):
    rows = sum(len(r) for r in commune.rows().values())
    assert 6.0 <= rows / len(commune.persons) <= 8.5
    # households_for_persons aims at the requested person count.
    assert 0.85 * PERSONS <= len(commune.persons) <= 1.15 * PERSONS


def test_households_for_persons():
    assert demo.households_for_persons(362) == 100
    assert demo.households_for_persons(0) == 1
    assert demo.households_for_persons(1) == 1


def test_requested_household_count(commune):
    assert len(commune.households) == demo.households_for_persons(PERSONS)
    assert len(demo.generate(17, seed=2, today=TODAY).households) == 17


def test_ids_unique_and_canonical(commune):
    for table, rows in commune.rows().items():
        row_ids = [r["id"] for r in rows]
        assert len(set(row_ids)) == len(row_ids), table
        assert all(ids.is_canonical_uuid(i) for i in row_ids), table


def test_references_hold(commune):
    hamlet_ids = {h["id"] for h in commune.hamlets}
    households = {h["id"]: h for h in commune.households}
    persons = {p["id"]: p for p in commune.persons}
    users = {u["id"]: u for u in commune.users}
    assert all(h["hamlet_id"] in hamlet_ids for h in households.values())
    assert all(p["household_id"] in households for p in persons.values())
    for item in commune.support_items:
        subjects = persons if item["subject_type"] == "person" else households
        assert item["subject_id"] in subjects
    for visit in commune.visits:
        household = households[visit["household_id"]]
        volunteer = users[visit["volunteer_id"]]
        assert volunteer["role"] == "volunteer"
        assert household["hamlet_id"] in volunteer["hamlet_ids"]


def test_every_hamlet_has_one_volunteer(commune):
    assigned = collections.Counter(
        h for u in commune.users if u["role"] == "volunteer" for h in u["hamlet_ids"]
    )
    assert set(assigned) == {h["id"] for h in commune.hamlets}
    assert set(assigned.values()) == {1}
    assert sum(u["role"] == "leader" for u in commune.users) == 1
    assert all(u["commune_id"] == demo.COMMUNE["id"] for u in commune.users)
    assert demo.user_id("tnv.an") == demo.user_id("tnv.an") != demo.user_id("tnv.binh")


def test_one_head_per_household(commune):
    heads = collections.Counter(
        p["household_id"] for p in commune.persons if p["relation"] == "head"
    )
    assert set(heads) == {h["id"] for h in commune.households}
    assert set(heads.values()) == {1}


def test_cccds_agree_with_birth_year_and_sex(commune):
    with_cccd = [p for p in commune.persons if p["cccd"]]
    assert len(with_cccd) > len(commune.persons) // 3
    for person in with_cccd:
        assert cccd_birth_year(person["cccd"]) == int(person["birth_date"][:4])
        assert cccd_sex(person["cccd"]) == person["sex"]
        assert TODAY.year - int(person["birth_date"][:4]) >= 14


def test_support_items_only_for_eligible_persons(commune):
    catalogue = default_catalogue()
    households = {h["id"]: h for h in commune.households}
    persons = {p["id"]: p for p in commune.persons}
    for item in commune.support_items:
        if item["subject_type"] == "household":
            assert households[item["subject_id"]]["status"] == "active"
            continue
        person = persons[item["subject_id"]]
        facts = PersonFacts(
            person["id"],
            person["household_id"],
            int(person["birth_date"][:4]),
            person["has_smartphone"],
            person["status"],
        )
        active = households[person["household_id"]]["status"] == "active"
        assert person_counts_for(catalogue.item(item["item_code"]), facts, active, TODAY.year)
        assert item["id"] == ids.support_item_id(item["subject_id"], item["item_code"])


def test_reasons_only_where_the_state_takes_one(commune):
    for item in commune.support_items:
        assert (item["reason"] is not None) == (item["state"] in REASON_STATES)


def test_visit_items_match_the_support_items(commune):
    state_of = {(i["subject_id"], i["item_code"]): i["state"] for i in commune.support_items}
    households = {h["id"]: h for h in commune.households}
    for visit in commune.visits:
        if visit["outcome"] != "met":
            assert visit["items"] == []
        for entry in visit["items"]:
            assert state_of[(entry["subject_id"], entry["item_code"])] == entry["state"]
        when = dt.datetime.fromisoformat(visit["visited_at"])
        assert when.utcoffset() == dt.timedelta(hours=7)
        assert TODAY - dt.timedelta(days=180) <= when.date() < TODAY
        if households[visit["household_id"]]["status"] != "active":
            assert visit["outcome"] == "moved"


def test_realistic_shape(commune):
    persons = commune.persons
    mean_size = len(persons) / len(commune.households)
    assert 3.0 <= mean_size <= 4.2
    present = sum(p["status"] == "present" for p in persons) / len(persons)
    assert 0.8 <= present <= 0.98
    states = collections.Counter(i["state"] for i in commune.support_items)
    covered = sum(states[s] for s in COVERED_STATES) / sum(states.values())
    assert 0.4 <= covered <= 0.8
    assert states["pending"] > 0 and states["declined"] > 0
    assert {"m", "f"} == {p["sex"] for p in persons}


def test_targets_are_the_catalogue_defaults(commune):
    catalogue = default_catalogue()
    expected = {i.code: i.target for i in catalogue.indicators if i.target is not None}
    got = {t["indicator_code"]: t["percent"] for t in commune.targets}
    assert got == expected
    for target in commune.targets:
        assert target["area_id"] == demo.COMMUNE["id"] and target["period"] == "2026"
        assert target["id"] == ids.target_id(demo.COMMUNE["id"], target["indicator_code"], "2026")


def test_area_tree(commune):
    kinds = collections.Counter(a["kind"] for a in commune.areas)
    assert kinds["province"] == 1 and kinds["commune"] == 1
    by_id = {a["id"]: a for a in commune.areas}
    for area in commune.areas:
        if area["parent_id"] is not None:
            assert area["parent_id"] in by_id
