"""The dashboard's figures: the core's coverage arithmetic, targets, volunteers, the visit log."""

from __future__ import annotations

import datetime as dt

from desktop.reports.follow_up import address_key, follow_up_rows, mask_cccd, mask_phone
from desktop.reports.summary import (
    BELOW,
    MET,
    NEAR,
    coverage_summary,
    dashboard_data,
    load_areas,
    load_targets,
    month_ends,
    never_visited,
    progress_series,
    vi_int,
    vi_percent,
    vi_points,
    volunteer_activity,
)
from desktop.services import ItemChange
from desktop.store.state_keys import LAST_SYNC_AT
from gocua.catalogue import default_catalogue
from gocua.coverage import Tally, roll_up, still_to_reach
from gocua.targets import resolve_target
from gocua.validation import parse_period
from tests.desktop.conftest import (
    COMMUNE,
    HAMLET_A,
    HAMLET_B,
    REF_YEAR,
    TODAY,
    as_pairs,
    member,
    reference_coverage,
)

CATALOGUE = default_catalogue()
PERIOD = str(REF_YEAR)


def test_summary_equals_the_core_arithmetic(demo_store):
    with demo_store.read() as conn:
        summary = coverage_summary(conn, CATALOGUE, PERIOD)
        reference = reference_coverage(conn)
        parents = {r[0]: r[1] for r in conn.exec_driver_sql("SELECT id, parent_id FROM areas")}
    cells = {key: Tally(c.eligible, c.covered) for key, c in summary.cells.items()}
    assert as_pairs(cells) == as_pairs(reference)
    rolled = roll_up(reference, parents)
    commune = summary.commune_id
    assert commune == "X9001" and summary.total_label == "Toàn xã"
    for code, total in summary.totals.items():
        assert (total.eligible, total.covered) == (
            rolled[(commune, code)].eligible,
            rolled[(commune, code)].covered,
        )
        assert total.to_reach == still_to_reach(total.covered, total.eligible, total.target)


def test_every_cell_and_total_takes_the_target_of_the_one_rule(services, store):
    """Targets at commune and hamlet level, for the year and a quarter: each cell shows what
    gocua.targets.resolve_target gives (the server's report applies the same function)."""
    services.register_household(
        HAMLET_A["id"],
        "Số 1",
        members=[member("Lê Văn An", birth_date="1980", has_smartphone=True)],
    )
    services.register_household(
        HAMLET_B["id"],
        "Số 2",
        members=[member("Lê Thị Bé", birth_date="1985", has_smartphone=True)],
    )
    services.set_target(COMMUNE["id"], "bank_15plus", PERIOD, 60)
    services.set_target(COMMUNE["id"], "ehealth", f"{PERIOD}-Q4", 50)
    services.set_target(HAMLET_A["id"], "bank_15plus", PERIOD, 90)
    services.set_target(HAMLET_B["id"], "bank_15plus", f"{PERIOD}-Q4", 40)
    with store.read() as conn:
        targets = load_targets(conn)
        parent_of = {a: r["parent_id"] for a, r in load_areas(conn).items()}
        summaries = {p: coverage_summary(conn, CATALOGUE, p) for p in (PERIOD, f"{PERIOD}-Q4")}
    for code, summary in summaries.items():
        period = parse_period(code)
        for (hamlet, indicator), cell in summary.cells.items():
            ind = CATALOGUE.indicator(indicator)
            assert cell.target == resolve_target(targets, parent_of, hamlet, ind, period)
        for indicator, cell in summary.totals.items():
            ind = CATALOGUE.indicator(indicator)
            assert cell.target == resolve_target(targets, parent_of, COMMUNE["id"], ind, period)
    year, q4 = summaries[PERIOD], summaries[f"{PERIOD}-Q4"]
    assert year.cell(HAMLET_A["id"], "bank_15plus").target == 90  # its own
    assert year.cell(HAMLET_B["id"], "bank_15plus").target == 60  # the commune's
    assert q4.cell(HAMLET_A["id"], "bank_15plus").target == 90  # its year's, in Q4
    assert q4.cell(HAMLET_B["id"], "bank_15plus").target == 40  # the quarter's own
    assert q4.cell(HAMLET_B["id"], "ehealth").target == 50  # the commune's quarter
    assert year.cell(HAMLET_B["id"], "ehealth").target == CATALOGUE.indicator("ehealth").target
    assert year.totals["bank_15plus"].target == 60
    assert year.totals["smartca"].target is None


def test_cell_status_against_the_target(services, store):
    hid = services.register_household(
        HAMLET_A["id"], "Số 1", members=[member(f"Người {i}", birth_date="1980") for i in range(10)]
    )
    with store.read() as conn:
        persons = [
            r[0]
            for r in conn.exec_driver_sql("SELECT id FROM persons WHERE household_id = ?", (hid,))
        ]
    for pid in persons[:7]:
        services.set_item_state("person", pid, "bank_account", "done")
    for percent, status in ((70, MET), (75, NEAR), (90, BELOW)):
        services.set_target(HAMLET_A["id"], "bank_15plus", PERIOD, percent)
        with store.read() as conn:
            cell = coverage_summary(conn, CATALOGUE, PERIOD).cell(HAMLET_A["id"], "bank_15plus")
        assert (cell.percent, cell.status) == (70.0, status)
        assert cell.to_reach == max(0, -(-10 * percent // 100) - 7)


def test_hamlet_filter_keeps_only_that_hamlet(demo_store):
    with demo_store.read() as conn:
        whole = coverage_summary(conn, CATALOGUE, PERIOD)
        one = coverage_summary(conn, CATALOGUE, PERIOD, ["X9001-01"])
    assert [h for h, _ in one.hamlets] == ["X9001-01"]
    assert one.totals["ehealth"].eligible == whole.cell("X9001-01", "ehealth").eligible


def test_volunteers_visits_and_households_never_visited(services, store):
    today = TODAY
    visited = services.register_household(HAMLET_A["id"], "Số 1", members=[member("Lê Văn An")])
    services.register_household(HAMLET_A["id"], "Số 3", members=[member("Lê Văn Ba")])
    services.register_household(HAMLET_B["id"], "Số 2", members=[member("Lê Văn Cư")])
    now = dt.datetime.combine(today, dt.time(9, 0))
    services.log_visit(visited, "met", visited_at=now)
    services.log_visit(visited, "not_home", visited_at=now - dt.timedelta(days=40))
    with store.read() as conn:
        activity = volunteer_activity(conn, parse_period(PERIOD), today)
        unvisited = never_visited(conn)
    assert len(activity) == 1
    me = activity[0]
    assert (me.visits_week, me.visits_month, me.households_reached) == (1, 1, 1)
    assert me.last_sync is None and me.stale  # nothing of theirs came back from the server
    with store.write() as conn:
        LAST_SYNC_AT.set(conn, f"{today.isoformat()}T01:30:00+00:00")
    with store.read() as conn:
        me = volunteer_activity(conn, parse_period(PERIOD), today)[0]
    assert me.last_sync == f"{today.isoformat()}T08:30:00+07:00" and not me.stale
    assert sorted(h.address for h in unvisited) == ["Số 2", "Số 3"]


def test_progress_rebuilt_from_the_visit_log(services, store):
    hid = services.register_household(
        HAMLET_A["id"],
        "Số 1",
        members=[member("Lê Văn An", birth_date="1980"), member("Lê Thị Bé", birth_date="1982")],
    )
    with store.read() as conn:
        a, b = [r[0] for r in conn.exec_driver_sql("SELECT id FROM persons ORDER BY full_name")]
    year = REF_YEAR
    first = dt.datetime(year, 1, 10, 9, 0)
    second = dt.datetime(year, 2, 10, 9, 0)
    services.log_visit(
        hid, "met", [ItemChange("person", a, "bank_account", "done")], visited_at=first
    )
    services.log_visit(
        hid, "met", [ItemChange("person", b, "bank_account", "already_had")], visited_at=second
    )
    period = parse_period(PERIOD)
    today = dt.date(year, 3, 15)
    with store.read() as conn:
        series = progress_series(conn, CATALOGUE, "bank_15plus", period, today)
    assert series.points[:3] == [
        (dt.date(year, 1, 31), 1, 2),
        (dt.date(year, 2, 28 if year % 4 else 29), 2, 2),
        (today, 2, 2),
    ]
    with store.read() as conn:
        assert not progress_series(conn, CATALOGUE, "smartphone", period, today).available


def test_progress_ends_at_the_current_coverage_on_the_demo(demo_store):
    with demo_store.read() as conn:
        data = dashboard_data(conn, CATALOGUE, PERIOD, TODAY, "eid_adults")
    _, covered, eligible = data.progress.points[-1]
    total = data.summary.totals["eid_adults"]
    assert (covered, eligible) == (total.covered, total.eligible)


def test_month_ends_of_a_quarter():
    assert month_ends(parse_period("2025-Q2"), dt.date(2026, 1, 1)) == [
        dt.date(2025, 4, 30),
        dt.date(2025, 5, 31),
        dt.date(2025, 6, 30),
    ]


def test_follow_up_list_shows_what_is_missing_and_why_in_walking_order(services, store):
    h10 = services.register_household(
        HAMLET_A["id"],
        "Số 10, đường đan",
        members=[
            member(
                "Trần Văn Mười",
                birth_date="1970",
                has_smartphone=True,
                cccd="092070123456",
                phone="0912345678",
            )
        ],
    )
    services.register_household(
        HAMLET_A["id"],
        "Số 2, đường đan",
        members=[member("Trần Văn Hai", birth_date="1990", has_smartphone=False)],
    )
    services.register_household(
        HAMLET_A["id"], "Số 1, kênh Xáng", members=[member("Bé Na", birth_date=str(REF_YEAR - 3))]
    )
    with store.read() as conn:
        muoi = conn.exec_driver_sql(
            "SELECT id FROM persons WHERE household_id = ?", (h10,)
        ).scalar()
    services.set_item_state("person", muoi, "vneid_l2", "pending", "waiting_police")
    services.set_item_state("person", muoi, "bank_account", "done")
    services.set_item_state("person", muoi, "smartca", "not_eligible", "no_chip_id")
    services.log_visit(h10, "not_home")
    with store.read() as conn:
        rows = follow_up_rows(conn, CATALOGUE, REF_YEAR, [HAMLET_A["id"]])
    people = [r for r in rows if r.person_id]
    assert [r.full_name for r in people] == ["Trần Văn Hai", "Trần Văn Mười", "Bé Na"]
    muoi_row = people[1]
    codes = {m.item_code: m for m in muoi_row.missing}
    assert "bank_account" not in codes and "smartca" not in codes
    assert codes["vneid_l2"].state == "pending"
    assert "VNeID 2: Đang chờ – Chờ công an phê duyệt" in muoi_row.missing_text(CATALOGUE)
    assert "Không có nhà" in muoi_row.last_visit_text()
    hai = {m.item_code for m in people[0].missing}
    assert "vneid_l2" not in hai and "bank_account" in hai  # no smartphone: not eligible
    assert {m.item_code for m in people[2].missing} == {"ehealth_record"}  # a 3-year-old
    assert muoi_row.cccd_shown(False) == "*********456" and muoi_row.cccd_shown(True)[:3] == "092"
    assert muoi_row.phone_shown(False) == "091*****78"


def test_address_order_and_masks():
    addresses = ["Số 10, hẻm 3", "Số 2, hẻm 3", "Số 1, đường đan", "nhà 5 hẻm 3"]
    assert sorted(addresses, key=address_key) == [
        "Số 1, đường đan",
        "Số 2, hẻm 3",
        "nhà 5 hẻm 3",
        "Số 10, hẻm 3",
    ]
    assert mask_cccd(None) == "" and mask_phone("") == ""
    assert (vi_int(12345), vi_percent(40.94), vi_percent(None)) == ("12.345", "40,9", "—")
    assert (vi_points(2.5), vi_points(-1.0), vi_points(0.0)) == ("+2,5", "−1,0", "0,0")


def test_follow_up_counts_are_the_list_counted(demo_store):
    from collections import Counter

    from desktop.reports.follow_up import follow_up_counts

    with demo_store.read() as conn:
        for scope in (None, ["X9001-02"]):
            rows = follow_up_rows(conn, CATALOGUE, REF_YEAR, scope)
            listed = Counter(
                (r.hamlet_id, m.item_code, m.state, m.reason) for r in rows for m in r.missing
            )
            counted = {
                (c.hamlet_id, c.item_code, c.state, c.reason): c.count
                for c in follow_up_counts(conn, CATALOGUE, REF_YEAR, scope)
            }
            assert listed and dict(listed) == counted
