"""A leader sees the same figures in the app's dashboard and in the server's coverage report.

One generated commune (gocua.demo) with targets at commune and hamlet level, for the year and
for quarters, is loaded on the server (server.admin.bulk_load) and into a desktop profile
(desktop.demo_profile.load_commune: the same rows, as a first pull leaves them). For the year
and for quarters (the current one, and the first, which has ended unless it is the current
one), every hamlet's row and the commune's are equal field by field: eligible, covered,
percent and target; on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.demo_profile import load_commune
from desktop.reports.summary import coverage_summary
from desktop.store import Store
from gocua import demo, ids
from gocua.catalogue import default_catalogue
from server import admin
from server.db import create_engine
from server.settings import Settings
from tests.server.world import CHEAP, PASSWORD, Device

CATALOGUE = default_catalogue()
TODAY = dt.date.today()
YEAR = str(TODAY.year)
QUARTER = f"{YEAR}-Q{(TODAY.month - 1) // 3 + 1}"
FIRST_QUARTER = f"{YEAR}-Q1"


def commune_with_targets() -> demo.DemoCommune:
    commune = demo.generate(90, seed=23, today=TODAY)
    commune_id = demo.COMMUNE["id"]
    first, second, third = (h["id"] for h in commune.hamlets[:3])
    targets = {  # on top of the demo's commune targets for the year (the national defaults)
        (commune_id, "smartca", YEAR): 20,  # an indicator without a national default
        (commune_id, "ehealth", QUARTER): 60,  # the commune's quarter
        (commune_id, "vneid_l1", FIRST_QUARTER): 35,
        (first, "bank_15plus", YEAR): 90,  # a hamlet's year, and so its quarters
        (second, "bank_15plus", QUARTER): 40,  # a hamlet's quarter
        (second, "eid_adults", FIRST_QUARTER): 45,
        (third, "smartphone", YEAR): 95,
        (third, "smartphone", QUARTER): 70,  # the quarter's own before the year's
        (third, "fibre_households", "2020"): 10,  # another year's: never applies
    }
    for (area, code, period), percent in targets.items():
        commune.targets.append(
            {
                "id": ids.target_id(area, code, period),
                "area_id": area,
                "indicator_code": code,
                "period": period,
                "percent": percent,
            }
        )
    return commune


def server_rows(leader: Device, period: str) -> dict[tuple[str, str], tuple]:
    answer = leader.get(
        "/api/v1/reports/coverage", params={"area": demo.COMMUNE["id"], "period": period}
    )
    assert answer.status_code == 200, answer.text
    return {
        (r["area_id"], r["indicator_code"]): (
            r["eligible"],
            r["covered"],
            r["percent"],
            r["target"],
        )
        for r in answer.json()["rows"]
    }


def dashboard_rows(store: Store, period: str) -> dict[tuple[str, str], tuple]:
    with store.read() as conn:
        summary = coverage_summary(conn, CATALOGUE, period)
    cells = [*summary.cells.values(), *summary.totals.values()]
    return {
        (c.area_id, c.indicator_code): (c.eligible, c.covered, c.percent, c.target) for c in cells
    }


@pytest.fixture
def loaded(db_url, http, tmp_path):
    """The commune on the server (through the app under test) and in a desktop profile."""
    commune = commune_with_targets()
    engine = create_engine(db_url)
    try:
        admin.load_areas(engine, commune.areas)
        leader = next(u for u in commune.users if u["role"] == "leader")
        admin.add_user(
            engine,
            Settings(database_url=db_url, **CHEAP),
            leader["username"],
            PASSWORD,
            "leader",
            commune_id=leader["commune_id"],
            user_id=leader["id"],
        )
        admin.bulk_load(engine, commune.rows())
    finally:
        engine.dispose()
    path = tmp_path / "leader.db"
    load_commune(path, commune, TODAY)
    store = Store.open(path)
    yield Device(http, leader["username"]), store, commune
    store.close()


@pytest.mark.parametrize("period", sorted({YEAR, QUARTER, FIRST_QUARTER}))
def test_the_dashboard_and_the_servers_report_agree_row_for_row(loaded, period):
    leader, store, commune = loaded
    on_server, in_app = server_rows(leader, period), dashboard_rows(store, period)
    areas = {demo.COMMUNE["id"], *(h["id"] for h in commune.hamlets)}
    assert {area for area, _ in on_server} == areas
    assert set(on_server) == set(in_app)
    for key, figures in in_app.items():
        assert on_server[key] == figures, key
    # Something to compare: people counted, and targets from every level and period.
    assert sum(e for (area, _), (e, *_) in in_app.items() if area == demo.COMMUNE["id"]) > 0
    first, second, third = (h["id"] for h in commune.hamlets[:3])
    assert in_app[(first, "bank_15plus")][3] == 90
    assert in_app[(third, "smartphone")][3] == (70 if period == QUARTER else 95)
    assert in_app[(second, "bank_15plus")][3] == (40 if period == QUARTER else 75)
