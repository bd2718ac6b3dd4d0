"""The support-item catalogue: the shipped file and the parser's checks."""

from __future__ import annotations

import copy
import tomllib

import pytest

from gocua.catalogue import (
    HOUSEHOLD,
    PERSON,
    CatalogueError,
    default_catalogue,
    load_catalogue,
    parse_catalogue,
)
from gocua.resources import resource_path
from gocua.states import REASON_STATES, STATES

# The starting set of SYNC.md ("Entities"), typed out here.
SYNC_MD_PERSON_ITEMS = {
    "vneid_l1",
    "vneid_l2",
    "bank_account",
    "smartca",
    "dvc_account",
    "ehealth_record",
    "cashless_utilities",
    "digital_skills",
    "allowance_to_bank",
}
SYNC_MD_HOUSEHOLD_ITEMS = {"fibre_internet", "zalo_group", "ecommerce"}
SYNC_MD_REASONS = {
    "no_smartphone",
    "no_chip_id",
    "under_age",
    "not_home",
    "refused",
    "waiting_police",
    "waiting_bank",
    "no_internet",
    "moved_away",
    "other",
}
# DESIGN.md "Indicators": default targets from the national plans.
DESIGN_TARGETS = {
    "eid_adults": 30.0,
    "bank_15plus": 75.0,
    "ehealth": 80.0,
    "smartphone": 80.0,
    "fibre_households": 85.0,
}


@pytest.fixture(scope="module")
def shipped():
    return default_catalogue()


def minimal() -> dict:
    """A small valid catalogue dict; tests break one entry at a time."""
    return {
        "version": 3,
        "items": [
            {
                "code": "p1",
                "level": "person",
                "name_vi": "Mục 1",
                "name_en": "Item 1",
                "min_age": 14,
                "needs_smartphone": True,
            },
            {"code": "h1", "level": "household", "name_vi": "Hộ 1", "name_en": "Household 1"},
        ],
        "reasons": [
            {"code": "r1", "name_vi": "Lý do", "name_en": "Reason", "states": ["declined"]},
        ],
        "indicators": [
            {
                "code": "i1",
                "name_vi": "Chỉ tiêu",
                "name_en": "Indicator",
                "item": "p1",
                "min_age": 18,
                "target": 50,
            },
            {
                "code": "i2",
                "name_vi": "Điện thoại",
                "name_en": "Phone",
                "attribute": "has_smartphone",
                "min_age": 15,
            },
        ],
    }


# -- the shipped file ---------------------------------------------------------------------------


def test_shipped_file_is_found_and_parses(shipped):
    path = resource_path("catalogue.toml")
    assert path.is_file()
    assert load_catalogue(path) == shipped
    assert shipped.version >= 1
    assert default_catalogue() is shipped  # cached


def test_every_sync_md_item_is_present_with_its_level(shipped):
    assert {i.code for i in shipped.person_items()} >= SYNC_MD_PERSON_ITEMS
    assert {i.code for i in shipped.household_items()} >= SYNC_MD_HOUSEHOLD_ITEMS
    for code in SYNC_MD_PERSON_ITEMS:
        assert shipped.has_item(code) and shipped.item(code).level == PERSON
    for code in SYNC_MD_HOUSEHOLD_ITEMS:
        assert shipped.item(code).level == HOUSEHOLD
    assert len({i.code for i in shipped.items}) == len(shipped.items)


def test_every_sync_md_reason_is_present(shipped):
    assert {r.code for r in shipped.reasons} >= SYNC_MD_REASONS
    for reason in shipped.reasons:
        # Reasons are for declined, not_eligible and pending only.
        assert reason.states and reason.states <= REASON_STATES, reason.code
    assert "pending" in shipped.reason("waiting_police").states
    assert "under_age" in {r.code for r in shipped.reasons if "not_eligible" in r.states}


def test_shipped_items_have_both_languages(shipped):
    for item in shipped.items:
        assert item.name("vi") and item.name("en") and item.short("vi") and item.short("en")
        assert item.name("en") == item.name_en and item.name() == item.name_vi
        assert item.min_age >= 0
    for thing in (*shipped.reasons, *shipped.indicators):
        assert thing.name("vi") and thing.name("en")


def test_design_md_default_targets(shipped):
    for code, target in DESIGN_TARGETS.items():
        assert shipped.indicator(code).target == target


def test_shipped_indicators_are_consistent_with_their_items(shipped):
    assert len({i.code for i in shipped.indicators}) == len(shipped.indicators)
    for indicator in shipped.indicators:
        assert (indicator.item is None) != (indicator.attribute is None)
        if indicator.item is not None:
            item = shipped.item(indicator.item)
            assert indicator.level == item.level
            assert indicator.min_age >= item.min_age  # narrows, never widens
            assert indicator.needs_smartphone == item.needs_smartphone
    # "Adults" with e-ID: the indicator's 18 beats the item's 14.
    assert shipped.item("vneid_l2").min_age == 14
    assert shipped.indicator("eid_adults").min_age == 18
    smartphone = shipped.indicator("smartphone")
    assert smartphone.attribute == "has_smartphone" and smartphone.level == PERSON
    assert not smartphone.needs_smartphone


def test_lookups(shipped):
    assert not shipped.has_item("nope") and not shipped.has_reason("nope")
    assert not shipped.has_indicator("nope")
    with pytest.raises(KeyError):
        shipped.item("nope")


# -- the parser ---------------------------------------------------------------------------------


def test_minimal_catalogue_parses():
    cat = parse_catalogue(minimal())
    assert cat.version == 3
    assert [i.code for i in cat.person_items()] == ["p1"]
    assert [i.code for i in cat.household_items()] == ["h1"]
    p1 = cat.item("p1")
    assert (p1.min_age, p1.needs_smartphone, p1.needs_chip_id) == (14, True, False)
    assert p1.short_vi == "Mục 1" and p1.short_en == "Item 1"  # short names default to names
    i1 = cat.indicator("i1")
    assert (i1.level, i1.min_age, i1.needs_smartphone, i1.target) == (PERSON, 18, True, 50.0)
    i2 = cat.indicator("i2")
    assert (i2.level, i2.min_age, i2.needs_smartphone, i2.target) == (PERSON, 15, False, None)
    assert cat.reason("r1").states == {"declined"}


def test_indicator_min_age_never_widens_the_item():
    data = minimal()
    data["indicators"][0]["min_age"] = 5
    assert parse_catalogue(data).indicator("i1").min_age == 14


def test_empty_catalogue_parses():
    cat = parse_catalogue({})
    assert (cat.version, cat.items, cat.reasons, cat.indicators) == (1, (), (), ())


def broken(section: str, index: int, **changes) -> dict:
    data = copy.deepcopy(minimal())
    entry = data[section][index]
    for key, value in changes.items():
        if value is _DELETE:
            del entry[key]
        else:
            entry[key] = value
    return data


_DELETE = object()


@pytest.mark.parametrize(
    ("data", "names"),
    [
        (broken("items", 0, level=_DELETE), "p1"),
        (broken("items", 0, level="village"), "p1"),
        (broken("items", 0, name_vi=_DELETE), "p1"),
        (broken("items", 0, name_en=42), "p1"),
        (broken("items", 1, code=7), "7"),
        (broken("items", 0, min_age="fourteen"), "p1"),
        (broken("items", 0, min_age=True), "p1"),
        (broken("items", 0, min_age=-1), "p1"),
        (broken("items", 0, needs_smartphone="false"), "p1"),
        (broken("items", 0, needs_chip_id=1), "p1"),
        (broken("items", 0, short_vi=["x"]), "p1"),
        (broken("items", 1, code="p1"), "p1"),  # duplicate code
        (broken("reasons", 0, states=["declined", "finished"]), "r1"),
        (broken("reasons", 0, states="declined"), "r1"),
        (broken("reasons", 0, name_en=_DELETE), "r1"),
        (broken("indicators", 0, attribute="has_smartphone"), "i1"),  # both
        (broken("indicators", 0, item=_DELETE), "i1"),  # neither
        (broken("indicators", 0, item="p9"), "p9"),
        (broken("indicators", 1, attribute="has_tv"), "i2"),
        (broken("indicators", 0, target=120), "i1"),
        (broken("indicators", 0, target=-1), "i1"),
        (broken("indicators", 0, target="most"), "i1"),
        (broken("indicators", 0, min_age="adult"), "i1"),
        (broken("indicators", 1, name_vi=_DELETE), "i2"),
        (broken("indicators", 1, code="i1"), "i1"),  # duplicate code
    ],
)
def test_parse_rejects_malformed_entry_naming_it(data, names):
    with pytest.raises(CatalogueError) as excinfo:
        parse_catalogue(data)
    assert names in str(excinfo.value)


def test_parse_rejects_duplicate_reason_naming_it():
    data = minimal()
    data["reasons"].append(dict(data["reasons"][0]))
    with pytest.raises(CatalogueError, match="r1"):
        parse_catalogue(data)


def test_catalogue_error_is_a_value_error():
    assert issubclass(CatalogueError, ValueError)


def test_load_catalogue_reports_bad_toml(tmp_path):
    path = tmp_path / "catalogue.toml"
    path.write_text("[[items]\ncode = ", encoding="utf-8")
    with pytest.raises(CatalogueError) as excinfo:
        load_catalogue(path)
    assert str(path) in str(excinfo.value)


def test_load_catalogue_edited_copy(tmp_path):
    # A province edits the data file: a new item and a changed target, no code change.
    text = resource_path("catalogue.toml").read_text(encoding="utf-8")
    text = text.replace("target = 85", "target = 90")
    text += '\n[[items]]\ncode = "solar_pay"\nlevel = "household"\nname_vi = "X"\nname_en = "Y"\n'
    path = tmp_path / "catalogue.toml"
    path.write_text(text, encoding="utf-8")
    cat = load_catalogue(path)
    assert cat.indicator("fibre_households").target == 90.0
    assert cat.item("solar_pay").level == HOUSEHOLD
    assert len(cat.items) == len(default_catalogue().items) + 1
    assert tomllib.loads(text)["version"] == cat.version


def test_states_of_reasons_are_known_states(shipped):
    for reason in shipped.reasons:
        assert reason.states <= set(STATES)


def test_resources_dir_honours_environment(tmp_path, monkeypatch):
    from gocua import resources

    (tmp_path / "catalogue.toml").write_text("version = 9\n", encoding="utf-8")
    monkeypatch.setenv("GOCUA_RESOURCES", str(tmp_path))
    resources.resources_dir.cache_clear()
    try:
        assert resources.resources_dir() == tmp_path
        assert load_catalogue(resources.resource_path("catalogue.toml")).version == 9
        # A folder without the catalogue is skipped for the next candidate.
        monkeypatch.setenv("GOCUA_RESOURCES", str(tmp_path / "empty"))
        resources.resources_dir.cache_clear()
        assert resources.resources_dir() != tmp_path / "empty"
        assert (resources.resources_dir() / "catalogue.toml").is_file()
    finally:
        monkeypatch.undo()
        resources.resources_dir.cache_clear()
