"""What the team leader's dashboard and the exports show, computed once and Qt-free.

- :func:`coverage_summary`: hamlets x indicators with coverage, the target that applies
  (:func:`gocua.targets.resolve_target`, as in the server's report), the number still to
  reach; the commune's total row. The tallies are the store's
  :func:`desktop.store.coverage.coverage_by_area`, which a test holds equal to the core's
  :func:`gocua.coverage.compute_coverage`; totals are the core's :func:`roll_up` arithmetic.
- :func:`volunteer_activity`: per volunteer, visits this week and this month, households
  reached in the period, and the newest of their visits the server has seen (stale data shows).
- :func:`never_visited`: active households without any visit.
- :func:`progress_series`: one indicator's coverage over time, rebuilt from the visit log.

A period (``YYYY`` or ``YYYY-Qn``) chooses the reference year for ages, the targets, and the
window of the visit statistics. Coverage itself is the current state of the support items.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from desktop.reports.follow_up import address_key
from desktop.store.coverage import coverage_by_area
from desktop.store.facts import household_counts
from desktop.store.fetch import plain_rows
from desktop.store.state_keys import LAST_SYNC_AT, LOCAL_USER_ID, USER_ID
from gocua.catalogue import HOUSEHOLD, Catalogue, Indicator
from gocua.coverage import (
    BELOW,
    MET,
    NEAR,
    Tally,
    coverage_percent,
    is_covered,
    leaves_denominator,
    meets_rule,
    still_to_reach,
    target_status,
)
from gocua.dates import in_vietnam
from gocua.targets import resolve_target
from gocua.validation import Period, parse_period

# Data a volunteer has not synced for this long is flagged as stale.
STALE_DAYS = 7

# Green, amber, red: the colours of a cell against its target, in every view and export.
STATUS_COLOURS_HEX = {MET: "#C6EFCE", NEAR: "#FFEB9C", BELOW: "#FFC7CE"}


@dataclass(frozen=True)
class Cell:
    """One area's figure for one indicator."""

    area_id: str
    indicator_code: str
    eligible: int
    covered: int
    target: float | None

    @property
    def percent(self) -> float | None:
        return coverage_percent(self.covered, self.eligible)

    @property
    def to_reach(self) -> int:
        return still_to_reach(self.covered, self.eligible, self.target)

    @property
    def status(self) -> str:
        return target_status(self.percent, self.target)


@dataclass
class CoverageSummary:
    period: Period
    commune_id: str | None
    commune_name: str
    hamlets: list[tuple[str, str]]  # (id, name), sorted by name
    indicators: tuple[Indicator, ...]
    cells: dict[tuple[str, str], Cell]
    totals: dict[str, Cell]  # by indicator code: the commune's row (or the chosen hamlets')
    total_label: str = "Toàn xã"

    def cell(self, hamlet_id: str, indicator_code: str) -> Cell:
        return self.cells[(hamlet_id, indicator_code)]

    def figures(self) -> dict[str, dict]:
        """The total row as plain data (logged with every export, compared by the next)."""
        return {
            code: {
                "eligible": c.eligible,
                "covered": c.covered,
                "percent": c.percent,
                "target": c.target,
            }
            for code, c in self.totals.items()
        }


def load_areas(conn: Connection) -> dict[str, dict]:
    rows = conn.execute(text("SELECT id, kind, name, parent_id FROM areas")).mappings()
    return {r["id"]: dict(r) for r in rows}


def load_targets(conn: Connection) -> dict[tuple[str, str, str], float]:
    """``(area_id, indicator_code, period) -> percent`` of every live target row."""
    rows = conn.execute(
        text("SELECT area_id, indicator_code, period, percent FROM targets WHERE deleted = 0")
    )
    return {(a, c, p): float(v) for a, c, p, v in rows}


def areas_and_targets(
    conn: Connection,
) -> tuple[dict[str, dict], dict[tuple[str, str, str], float]]:
    """The areas and every target row, in one read (the targets editor's grid)."""
    return load_areas(conn), load_targets(conn)


def coverage_summary(
    conn: Connection,
    catalogue: Catalogue,
    period: str | Period,
    hamlet_ids: Iterable[str] | None = None,
) -> CoverageSummary:
    period = period if isinstance(period, Period) else parse_period(period)
    tallies = coverage_by_area(conn, catalogue, period.year)
    areas = load_areas(conn)
    parent_of = {a: r["parent_id"] for a, r in areas.items()}
    targets = load_targets(conn)
    hamlet_set = {a for a, _ in tallies} | {a for a, r in areas.items() if r["kind"] == "hamlet"}
    if hamlet_ids is not None:
        wanted = set(hamlet_ids)
        hamlet_set &= wanted
    hamlets = sorted(
        ((h, areas.get(h, {}).get("name", h)) for h in hamlet_set), key=lambda p: (p[1], p[0])
    )
    parents = {areas.get(h, {}).get("parent_id") for h, _ in hamlets} - {None}
    commune_id = next(iter(parents)) if len(parents) == 1 else None
    commune_name = areas.get(commune_id, {}).get("name", "") if commune_id else ""
    cells: dict[tuple[str, str], Cell] = {}
    totals_tally = {ind.code: Tally() for ind in catalogue.indicators}
    for hamlet_id, _ in hamlets:
        for ind in catalogue.indicators:
            tally = tallies.get((hamlet_id, ind.code), Tally())
            totals_tally[ind.code].add(tally)
            target = resolve_target(targets, parent_of, hamlet_id, ind, period)
            cells[(hamlet_id, ind.code)] = Cell(
                hamlet_id, ind.code, tally.eligible, tally.covered, target
            )
    whole_commune = hamlet_ids is None
    total_area = commune_id if whole_commune or len(hamlets) != 1 else hamlets[0][0]
    totals = {
        ind.code: Cell(
            total_area or "",
            ind.code,
            totals_tally[ind.code].eligible,
            totals_tally[ind.code].covered,
            resolve_target(targets, parent_of, total_area, ind, period),
        )
        for ind in catalogue.indicators
    }
    label = "Toàn xã" if whole_commune else ("Tổng" if len(hamlets) != 1 else hamlets[0][1])
    return CoverageSummary(
        period, commune_id, commune_name, hamlets, catalogue.indicators, cells, totals, label
    )


# -- volunteers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VolunteerActivity:
    user_id: str
    name: str
    visits_week: int
    visits_month: int
    households_reached: int  # distinct households met in the period
    last_sync: str | None  # ISO timestamp of the newest data of theirs the server has seen
    stale: bool


def week_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=today.weekday())


def volunteer_activity(
    conn: Connection, period: Period, today: dt.date, hamlet_ids: Iterable[str] | None = None
) -> list[VolunteerActivity]:
    """Every volunteer of the commune (and anyone else who logged a visit), busiest first.

    "Last sync" is the newest visit of theirs that came back from the server (``version > 0``);
    for the signed-in user of this device it is the device's own last sync when newer.
    """
    params = {
        "week": week_start(today).isoformat(),
        "month": today.replace(day=1).isoformat(),
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }
    hamlet_filter = join = ""
    if hamlet_ids is not None:
        join = " JOIN households h ON h.id = v.household_id"
        names = sorted(hamlet_ids)
        hamlet_filter = (
            " AND h.hamlet_id IN (" + ",".join(f":h{i}" for i in range(len(names))) + ")"
        )
        params.update({f"h{i}": h for i, h in enumerate(names)})
    rows = conn.execute(
        text(f"""
        SELECT v.volunteer_id,
               sum(substr(v.visited_at, 1, 10) >= :week),
               sum(substr(v.visited_at, 1, 10) >= :month),
               count(DISTINCT CASE WHEN v.outcome = 'met'
                     AND substr(v.visited_at, 1, 10) BETWEEN :start AND :end
                     THEN v.household_id END),
               max(CASE WHEN v.version > 0 THEN v.visited_at END)
        FROM visits v{join}
        WHERE v.deleted = 0{hamlet_filter}
        GROUP BY v.volunteer_id""").bindparams(**params)
    ).all()
    users = conn.execute(text("SELECT id, display_name, role FROM users")).all()
    names = {u.id: u.display_name for u in users}
    me = USER_ID.get(conn) or LOCAL_USER_ID.get(conn)
    my_sync = LAST_SYNC_AT.get(conn)
    found = {r[0]: r for r in rows}
    ids = list(found) + [u.id for u in users if u.role == "volunteer" and u.id not in found]
    result = []
    for uid in ids:
        _, week, month, reached, last = found.get(uid, (uid, 0, 0, 0, None))
        if uid == me and my_sync and _newer(my_sync, last):
            last = _local(my_sync)
        stale = last is None or _days_since(last, today) > STALE_DAYS
        result.append(
            VolunteerActivity(
                uid,
                names.get(uid, uid),
                int(week or 0),
                int(month or 0),
                int(reached or 0),
                last,
                stale,
            )
        )
    result.sort(key=lambda v: (-v.visits_month, v.name))
    return result


def _local(stamp: str) -> str:
    """An ISO timestamp in Vietnam's time (the sync engine writes UTC, visits local time)."""
    moment = in_vietnam(stamp)
    return stamp if moment is None else moment.isoformat(timespec="seconds")


def _newer(stamp: str, than: str | None) -> bool:
    if than is None:
        return True
    try:
        a, b = (dt.datetime.fromisoformat(x) for x in (stamp, than))
        a = a if a.tzinfo else a.replace(tzinfo=dt.UTC)
        b = b if b.tzinfo else b.replace(tzinfo=dt.UTC)
        return a > b
    except ValueError:
        return stamp > than


def _days_since(stamp: str, today: dt.date) -> int:
    try:
        return (today - dt.date.fromisoformat(stamp[:10])).days
    except ValueError:
        return 10**6


# -- households never visited -------------------------------------------------------------------


@dataclass(frozen=True)
class UnvisitedHousehold:
    household_id: str
    hamlet_id: str
    address: str


def never_visited(
    conn: Connection, hamlet_ids: Iterable[str] | None = None
) -> list[UnvisitedHousehold]:
    """Active households without a visit in the log. The probe reads only the visits' index
    (8x faster than reading each visit row), so a visit later deleted as entered by mistake
    still counts: visits are a log, appended and practically never deleted."""
    rows = plain_rows(
        conn.execute(
            text(f"""
        SELECT h.id, h.hamlet_id, h.address FROM households h
        WHERE {household_counts("h")}
          AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.household_id = h.id)
        """)
        )
    )
    wanted = None if hamlet_ids is None else set(hamlet_ids)
    found = [UnvisitedHousehold(*r) for r in rows if wanted is None or r[1] in wanted]
    found.sort(key=lambda h: (h.hamlet_id, address_key(h.address)))
    return found


# -- progress over time -------------------------------------------------------------------------


@dataclass
class ProgressSeries:
    indicator_code: str
    points: list[tuple[dt.date, int, int]] = field(default_factory=list)  # (day, covered, eligible)
    available: bool = True  # False for an attribute indicator: the visit log does not hold it

    def percents(self) -> list[tuple[dt.date, float | None]]:
        return [(day, coverage_percent(c, e)) for day, c, e in self.points]


def month_ends(period: Period, today: dt.date, months: int = 12) -> list[dt.date]:
    """Ends of the months from the period's start (at most ``months`` back) to today."""
    last = min(period.end, today)
    points: list[dt.date] = []
    year, month = last.year, last.month
    while len(points) < months:
        first = dt.date(year, month, 1)
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        points.append(min(nxt - dt.timedelta(days=1), last))
        if first <= period.start:
            break
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return points[::-1]


def progress_series(
    conn: Connection,
    catalogue: Catalogue,
    indicator_code: str,
    period: Period,
    today: dt.date,
    hamlet_ids: Iterable[str] | None = None,
    eligible: int | None = None,
) -> ProgressSeries:
    """Coverage at each month's end, replaying the visits' item states in time order.

    A subject counts as covered on a day when the newest visit entry for the item up to that
    day has a covered state. The denominator is today's eligible count (``eligible``, from
    the summary) so the last point matches the table when every change came with a visit.
    """
    indicator = catalogue.indicator(indicator_code)
    series = ProgressSeries(indicator_code)
    if indicator.item is None:
        series.available = False
        return series
    wanted = None if hamlet_ids is None else set(hamlet_ids)
    facts = {}
    for subject, area, birth_year, phone, counted, state in conn.execute(
        text("""SELECT subject_id, area_id, birth_year, has_smartphone, counted, state
                FROM support_items WHERE item_code = :item AND deleted = 0"""),
        {"item": indicator.item},
    ):
        if not counted or leaves_denominator(state) or (wanted is not None and area not in wanted):
            continue
        if indicator.level != HOUSEHOLD and not meets_rule(
            indicator, birth_year, phone, period.year
        ):
            continue
        facts[subject] = area
    entries = plain_rows(
        conn.execute(
            text("""SELECT substr(v.visited_at, 1, 10), j.value ->> 'subject_id', j.value ->> 'state'
                FROM visits v, json_each(v.items) j
                WHERE v.deleted = 0 AND instr(v.items, :quoted) > 0
                  AND j.value ->> 'item_code' = :item
                ORDER BY v.visited_at"""),
            {"item": indicator.item, "quoted": f'"{indicator.item}"'},
        )
    )
    points = month_ends(period, today)
    if eligible is None:
        eligible = len(facts)
    state_of: dict[str, bool] = {}
    covered = 0
    index = 0
    for point in points:
        stop = point.isoformat()
        while index < len(entries) and entries[index][0] <= stop:
            _, subject, state = entries[index]
            index += 1
            if subject not in facts:
                continue
            now = is_covered(state)
            before = state_of.get(subject, False)
            covered += int(now) - int(before)
            state_of[subject] = now
        series.points.append((point, covered, eligible))
    return series


# -- everything at once ---------------------------------------------------------------------------


@dataclass
class DashboardData:
    summary: CoverageSummary
    volunteers: list[VolunteerActivity]
    unvisited: list[UnvisitedHousehold]
    unvisited_by_hamlet: dict[str, int]
    progress: ProgressSeries | None
    today: dt.date


def dashboard_data(
    conn: Connection,
    catalogue: Catalogue,
    period: str | Period,
    today: dt.date,
    indicator_code: str | None = None,
    hamlet_ids: Iterable[str] | None = None,
) -> DashboardData:
    period = period if isinstance(period, Period) else parse_period(period)
    hamlets = None if hamlet_ids is None else list(hamlet_ids)
    summary = coverage_summary(conn, catalogue, period, hamlets)
    unvisited = never_visited(conn, hamlets)
    by_hamlet: dict[str, int] = defaultdict(int)
    for household in unvisited:
        by_hamlet[household.hamlet_id] += 1
    progress = None
    if indicator_code:
        progress = progress_series(
            conn,
            catalogue,
            indicator_code,
            period,
            today,
            hamlets,
            summary.totals[indicator_code].eligible,
        )
    return DashboardData(
        summary,
        volunteer_activity(conn, period, today, hamlets),
        unvisited,
        dict(by_hamlet),
        progress,
        today,
    )


# -- numbers as a Vietnamese report writes them -----------------------------------------------------


def vi_int(value: int | None) -> str:
    """``12.345``: a dot groups thousands in Vietnamese."""
    return "" if value is None else f"{value:,}".replace(",", ".")


def vi_percent(value: float | None) -> str:
    """``40,9``: a comma before the decimals; ``—`` when nobody is eligible."""
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


def vi_points(value: float | None) -> str:
    """A change in percentage points with its sign: ``+2,5``, ``−1,0``, ``0,0``."""
    if value is None:
        return ""
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return sign + f"{abs(value):.1f}".replace(".", ",")


def dashboard_parts(
    catalogue: Catalogue,
    period: Period,
    today: dt.date,
    hamlet_ids: Iterable[str] | None = None,
    *,
    with_volunteers: bool = True,
) -> list[Callable[[Connection], Any]]:
    """The dashboard's first step as parts that read at once, each on its own connection
    (SQLite lets go of the GIL while it scans): the coverage summary, the households never
    visited and, with ``with_volunteers``, the volunteers' activity. The app runs them as
    tasks (desktop.ui.tasks ``run_all``); :func:`dashboard_from_parts` puts them together."""
    hamlets = None if hamlet_ids is None else list(hamlet_ids)
    parts: list[Callable[[Connection], Any]] = [
        lambda c: coverage_summary(c, catalogue, period, hamlets),
        lambda c: never_visited(c, hamlets),
    ]
    if with_volunteers:
        parts.append(lambda c: volunteer_activity(c, period, today, hamlets))
    return parts


def dashboard_from_parts(results: list[Any], today: dt.date) -> DashboardData:
    summary, unvisited = results[0], results[1]
    volunteers = results[2] if len(results) > 2 else []
    by_hamlet: dict[str, int] = defaultdict(int)
    for household in unvisited:
        by_hamlet[household.hamlet_id] += 1
    return DashboardData(summary, volunteers, unvisited, dict(by_hamlet), None, today)


def dashboard_detail_parts(
    catalogue: Catalogue,
    period: Period,
    today: dt.date,
    indicator_code: str,
    eligible: int | None = None,
    hamlet_ids: Iterable[str] | None = None,
) -> list[Callable[[Connection], Any]]:
    """The second step's parts: the volunteers' activity and one indicator's progress."""
    hamlets = None if hamlet_ids is None else list(hamlet_ids)
    return [
        lambda c: volunteer_activity(c, period, today, hamlets),
        lambda c: progress_series(c, catalogue, indicator_code, period, today, hamlets, eligible),
    ]


def _read_with(store, fn):
    def run():
        with store.read() as conn:
            return fn(conn)

    return run


def dashboard_data_concurrently(
    store,
    catalogue: Catalogue,
    period: str | Period,
    today: dt.date,
    hamlet_ids: Iterable[str] | None = None,
    *,
    with_volunteers: bool = True,
) -> DashboardData:
    """:func:`dashboard_data` without the progress series, its :func:`dashboard_parts` read at
    once on their own connections, so a refresh costs the slowest part rather than the sum.
    ``store`` is a :class:`desktop.store.Store`. For scripts and benchmarks, from a thread
    that is not a pool's worker: the app runs the same parts as tasks instead (no pool is
    ever started inside a pool's worker)."""
    from concurrent.futures import ThreadPoolExecutor

    period = period if isinstance(period, Period) else parse_period(period)
    parts = dashboard_parts(catalogue, period, today, hamlet_ids, with_volunteers=with_volunteers)
    with ThreadPoolExecutor(max_workers=len(parts)) as pool:
        results = list(pool.map(lambda fn: _read_with(store, fn)(), parts))
    return dashboard_from_parts(results, today)


def dashboard_details(
    store,
    catalogue: Catalogue,
    period: Period,
    today: dt.date,
    indicator_code: str,
    eligible: int | None = None,
    hamlet_ids: Iterable[str] | None = None,
) -> tuple[list[VolunteerActivity], ProgressSeries]:
    """The dashboard's second step (:func:`dashboard_detail_parts`), for scripts and
    benchmarks as :func:`dashboard_data_concurrently` is."""
    from concurrent.futures import ThreadPoolExecutor

    parts = dashboard_detail_parts(catalogue, period, today, indicator_code, eligible, hamlet_ids)
    with ThreadPoolExecutor(max_workers=len(parts)) as pool:
        volunteers, progress = pool.map(lambda fn: _read_with(store, fn)(), parts)
    return volunteers, progress
