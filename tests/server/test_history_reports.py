"""The audit history of a row, and coverage reports computed with gocua.coverage."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from gocua import ids, validation
from gocua.catalogue import default_catalogue
from gocua.coverage import HouseholdFacts, PersonFacts, compute_coverage, roll_up
from gocua.dates import now_vn
from gocua.targets import resolve_target
from server import report_hamlets
from server.models import areas_t, history_t
from tests.server.world import AREAS, household, new_id, person


def test_history_records_who_which_device_and_before_after(device):
    a, b, leader = device("vol_a"), device("vol_a2"), device("leader")
    hid = new_id()
    v = a.push_one("households", hid, household(address="Số 1"))["version"]
    v = b.push_one("households", hid, {"address": "Số 2"}, base=v)["version"]
    a.push_one("households", hid, op="delete", base=v)
    answer = leader.get(f"/api/v1/history/households/{hid}")
    assert answer.status_code == 200
    entries = answer.json()["entries"]
    assert [e["op"] for e in entries] == ["create", "update", "delete"]
    assert entries[0]["after"]["address"] == "Số 1" and entries[0]["user_id"] == a.user["id"]
    assert entries[1]["before"] == {"address": "Số 1"} and entries[1]["after"] == {
        "address": "Số 2"
    }
    assert entries[1]["client_id"] == b.client_id and entries[1]["mutation_id"] == 1
    assert entries[1]["at"].endswith("Z")
    assert a.get(f"/api/v1/history/households/{hid}").status_code == 403
    assert device("leader2").get(f"/api/v1/history/households/{hid}").status_code == 403
    assert leader.get(f"/api/v1/history/households/{new_id()}").status_code == 404
    assert leader.get(f"/api/v1/history/cows/{hid}").status_code == 404


def _person(household_id, year, smartphone):
    return person(household_id, birth_date=str(year), has_smartphone=smartphone)


def test_coverage_agrees_with_gocua_and_shows_no_personal_data(device):
    a, b, leader = device("vol_a"), device("vol_b"), device("leader")
    facts = []
    for d, hamlet in ((a, "C1-A"), (b, "C1-B")):
        hid = new_id()
        people = [(new_id(), 1980, True), (new_id(), 2015, False), (new_id(), 1950, None)]
        d.push(
            d.mutation("households", hid, household(hamlet)),
            *(d.mutation("persons", p, _person(hid, y, s)) for p, y, s in people),
        )
        states = {}
        for (pid, _, _), state in zip(people, ("done", "guided", "already_had"), strict=True):
            item = {
                "subject_type": "person",
                "subject_id": pid,
                "item_code": "bank_account",
                "state": state,
            }
            d.push_one("support_items", ids.support_item_id(pid, "bank_account"), item)
            states[(pid, "bank_account")] = state
        facts.append((HouseholdFacts(hid, hamlet), people, states))
    target = {"area_id": "C1", "indicator_code": "bank_15plus", "period": "2026", "percent": 90}
    leader.push_one("targets", ids.target_id("C1", "bank_15plus", "2026"), target)
    answer = leader.get("/api/v1/reports/coverage", params={"area": "C1", "period": "2026"})
    assert answer.status_code == 200
    report = answer.json()
    assert report["area"] == "C1" and report["period"] == "2026"
    rows = {(r["area_id"], r["indicator_code"]): r for r in report["rows"]}
    assert {area for area, _ in rows} == {"C1", "C1-A", "C1-B", "C1-C"}
    catalogue = default_catalogue()
    households = [f[0] for f in facts]
    persons = [PersonFacts(p, f[0].id, y, s) for f in facts for p, y, s in f[1]]
    states = {k: v for f in facts for k, v in f[2].items()}
    expected = roll_up(
        compute_coverage(catalogue, households, persons, states, 2026),
        {"C1-A": "C1", "C1-B": "C1", "C1": None},
    )
    for (area, code), tally in expected.items():
        got = rows[(area, code)]
        assert (got["eligible"], got["covered"], got["percent"]) == (
            tally.eligible,
            tally.covered,
            tally.percent,
        )
    assert rows[("C1", "bank_15plus")]["target"] == 90
    assert rows[("C1-A", "bank_15plus")]["target"] == 90  # the commune's (gocua.targets)
    assert rows[("C1-A", "ehealth")]["target"] == 80  # the catalogue's default
    assert rows[("C1-C", "bank_15plus")]["eligible"] == 0
    assert rows[("C1-C", "bank_15plus")]["percent"] is None
    assert set(report["rows"][0]) == {
        "area_id",
        "area_name",
        "indicator_code",
        "indicator_name",
        "eligible",
        "covered",
        "percent",
        "target",
    }


def test_every_row_takes_the_target_of_the_one_rule(device):
    """Targets at commune and hamlet level, for a year and a quarter: each row of the report
    (a commune's, a hamlet's, a province's) carries what gocua.targets.resolve_target gives,
    the rule the app's dashboard applies."""
    leader, viewer = device("leader"), device("viewer")
    year = str(now_vn().year)
    set_here = {
        ("C1", "bank_15plus", year): 60,
        ("C1", "ehealth", f"{year}-Q2"): 50,
        ("C1-A", "bank_15plus", year): 90,
        ("C1-B", "bank_15plus", f"{year}-Q2"): 40,
    }
    for (area, code, period), percent in set_here.items():
        row = {"area_id": area, "indicator_code": code, "period": period, "percent": percent}
        leader.push_one("targets", ids.target_id(area, code, period), row)
    parent_of = {a["id"]: a["parent_id"] for a in AREAS}
    catalogue = default_catalogue()
    for who, area, period in (
        (leader, "C1", year),
        (leader, "C1", f"{year}-Q2"),
        (leader, "C1-B", f"{year}-Q2"),  # a hamlet's report inherits from its commune
        (viewer, "P1", f"{year}-Q2"),
    ):
        rows = _coverage(who, area, period)
        parsed = validation.parse_period(period)
        for (row_area, code), row in rows.items():
            expected = resolve_target(
                set_here, parent_of, row_area, catalogue.indicator(code), parsed
            )
            assert row["target"] == expected, (area, period, row_area, code)
    q2 = _coverage(leader, "C1", f"{year}-Q2")
    assert q2[("C1-A", "bank_15plus")]["target"] == 90  # its year's, in Q2
    assert q2[("C1-B", "bank_15plus")]["target"] == 40  # the quarter's own
    assert q2[("C1-C", "bank_15plus")]["target"] == 60  # the commune's year
    assert q2[("C1-C", "ehealth")]["target"] == 50  # the commune's quarter
    assert _coverage(leader, "C1", year)[("C1-C", "ehealth")]["target"] == 80  # the default


def test_coverage_scope_and_validation(device):
    leader, a = device("leader"), device("vol_a")
    params = {"area": "C2", "period": "2026"}
    assert leader.get("/api/v1/reports/coverage", params=params).status_code == 403
    params = {"area": "C1", "period": "2026"}
    assert a.get("/api/v1/reports/coverage", params=params).status_code == 403
    bad = leader.get("/api/v1/reports/coverage", params={"area": "C1", "period": "26"})
    assert bad.status_code == 422 and bad.json()["error"] == "invalid_request"
    quarter = leader.get("/api/v1/reports/coverage", params={"area": "C1-A", "period": "2026-Q3"})
    assert quarter.status_code == 200 and {r["area_id"] for r in quarter.json()["rows"]} == {"C1-A"}


def _coverage(d, area: str, period: str) -> dict:
    answer = d.get("/api/v1/reports/coverage", params={"area": area, "period": period})
    assert answer.status_code == 200, answer.text
    return {(r["area_id"], r["indicator_code"]): r for r in answer.json()["rows"]}


def _households(report: dict) -> dict[str, int]:
    """Active households per area: fibre_households counts every one of them."""
    return {a: r["eligible"] for (a, code), r in report.items() if code == "fibre_households"}


def test_reports_after_a_merge_keep_past_periods_under_the_hamlets_of_their_time(device, db_url):
    a, b, leader, admin = device("vol_a"), device("vol_b"), device("leader"), device("admin")
    a.push_one("households", new_id(), household("C1-A"))
    in_b = [new_id(), new_id()]
    for hid in in_b:
        b.push_one("households", hid, household("C1-B"))
    assert admin.post("/api/v1/admin/hamlets/C1-B/merge", {"into": "C1-A"}).status_code == 200
    year = now_vn().year

    last_year = _households(_coverage(leader, "C1", str(year - 1)))
    assert last_year == {"C1": 3, "C1-A": 1, "C1-B": 2, "C1-C": 0}
    assert _households(_coverage(leader, "C1-B", str(year - 1))) == {"C1-B": 2}
    assert _households(_coverage(leader, "C1-A", f"{year - 1}-Q4")) == {"C1-A": 1}
    this_year = _households(_coverage(leader, "C1", str(year)))
    assert this_year == {"C1": 3, "C1-A": 3, "C1-C": 0}
    assert _households(_coverage(leader, "C1", str(year + 1))) == this_year

    # A hamlet made now has no rows for last year, and does for this one.
    assert admin.post("/api/v1/admin/hamlets", {"name": "Ấp Mới"}).status_code == 201
    assert "C1-01" not in _households(_coverage(leader, "C1", str(year - 1)))
    assert _households(_coverage(leader, "C1", str(year)))["C1-01"] == 0

    # Had the merge been made last year, last year's end would find them in A already, and
    # B (retired before the year's start) would have no rows in the year after it.
    engine = sa.create_engine(db_url)
    moved_at = dt.datetime(year - 1, 6, 1, tzinfo=dt.UTC)
    with engine.begin() as conn:
        conn.execute(
            sa.update(history_t)
            .where(history_t.c.op == "move")
            .values(at=moved_at.isoformat().replace("+00:00", "Z"))
        )
        conn.execute(
            sa.update(areas_t)
            .where(areas_t.c.id == "C1-B")
            .values(retired_at=dt.datetime(year - 2, 6, 1, tzinfo=dt.UTC).timestamp())
        )
    engine.dispose()
    assert _households(_coverage(leader, "C1", str(year - 1))) == {"C1": 3, "C1-A": 3, "C1-C": 0}


def test_a_period_ends_at_midnight_after_its_last_day_in_vietnam():
    def span(code: str, now: dt.datetime) -> report_hamlets.Window:
        return report_hamlets.window(validation.parse_period(code), now.timestamp())

    utc = dt.UTC
    year = span("2025", dt.datetime(2025, 12, 31, 16, 59, 59, tzinfo=utc))
    assert year.start == dt.datetime(2024, 12, 31, 17, tzinfo=utc).timestamp()
    assert year.end == dt.datetime(2025, 12, 31, 17, tzinfo=utc).timestamp()
    assert not year.ended
    assert span("2025", dt.datetime(2025, 12, 31, 17, tzinfo=utc)).ended
    q1 = span("2026-Q1", dt.datetime(2026, 3, 31, 17, tzinfo=utc))
    assert q1.ended and q1.start == dt.datetime(2025, 12, 31, 17, tzinfo=utc).timestamp()

    ended = report_hamlets.Window(100.0, 200.0, True)
    current = report_hamlets.Window(100.0, 200.0, False)

    def hamlet(created=None, retired=None):
        return {"created_at": created, "retired_at": retired}

    assert report_hamlets.shown(hamlet(), ended) and report_hamlets.shown(hamlet(), current)
    assert report_hamlets.shown(hamlet(retired=150.0), ended)  # retired during the period
    assert not report_hamlets.shown(hamlet(retired=100.0), ended)  # retired before it
    assert not report_hamlets.shown(hamlet(retired=150.0), current)  # today's hamlets only
    assert report_hamlets.shown(hamlet(created=199.0), ended)
    assert not report_hamlets.shown(hamlet(created=200.0), ended)  # made after its end
