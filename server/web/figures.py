"""The figures the web view shows: areas with their indicators against targets, rankings, the
rank each area had on an earlier day, and progress over time. Read from the tallies and
their snapshots (:mod:`server.tallies`, :mod:`server.snapshots`), never from the persons.
Aggregates only: nothing here reads a name, a CCCD, a phone or an address."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gocua.catalogue import Catalogue, Indicator
from gocua.coverage import coverage_percent, still_to_reach
from gocua.targets import Targets, resolve_target
from gocua.text import fold
from gocua.validation import parse_period
from server import snapshots, tallies
from server.models import areas_t, records_t

SCORE = "score"  # the overall ranking: how many indicators meet their target
NEAR_POINTS = 10.0  # "near" the target: within this many points (the app's dashboard colours)


@dataclass(frozen=True)
class Figure:
    eligible: int
    covered: int
    target: float | None

    @property
    def percent(self) -> float | None:
        return coverage_percent(self.covered, self.eligible)

    @property
    def met(self) -> bool | None:
        """Whether the target is met (the dashboard's rule: the shown percent reaches it);
        None without a target or without anyone eligible."""
        percent = self.percent
        if percent is None or self.target is None:
            return None
        return percent >= self.target

    @property
    def to_reach(self) -> int:
        return still_to_reach(self.covered, self.eligible, self.target)

    @property
    def status(self) -> str:
        """``met``, ``near``, ``below``, ``no_target`` or ``nobody`` (as the app colours it)."""
        percent = self.percent
        if percent is None:
            return "nobody"
        if self.target is None:
            return "no_target"
        if percent >= self.target:
            return "met"
        return "near" if percent >= self.target - NEAR_POINTS else "below"


@dataclass
class Area:
    id: str
    name: str
    figures: dict[str, Figure] = field(default_factory=dict)

    @property
    def score(self) -> int:
        return sum(1 for f in self.figures.values() if f.met)

    @property
    def scored(self) -> int:
        """Indicators with a target (the most a score can be)."""
        return sum(1 for f in self.figures.values() if f.target is not None)

    def value(self, key: str) -> float | None:
        if key == SCORE:
            return float(self.score) if any(f.eligible for f in self.figures.values()) else None
        figure = self.figures.get(key)
        return None if figure is None else figure.percent


@dataclass
class Ranked:
    area: Area
    rank: int | None
    before: int | None  # the rank on the earlier day, if the area was ranked then

    @property
    def change(self) -> int | None:
        """Places gained since the earlier day (negative: lost)."""
        if self.rank is None or self.before is None:
            return None
        return self.before - self.rank


def ranks(values: dict[str, float | None]) -> dict[str, int | None]:
    """Competition ranking, higher is better ("1, 2, 2, 4"); no value, no rank."""
    ranked = sorted(v for v in values.values() if v is not None)
    out: dict[str, int | None] = {}
    for area, value in values.items():
        if value is None:
            out[area] = None
            continue
        # 1 + how many did better
        better = len(ranked) - _upper(ranked, value)
        out[area] = better + 1
    return out


def _upper(ordered: list[float], value: float) -> int:
    lo, hi = 0, len(ordered)
    while lo < hi:
        mid = (lo + hi) // 2
        if ordered[mid] <= value:
            lo = mid + 1
        else:
            hi = mid
    return lo


def ranking(areas: list[Area], key: str, before: list[Area] | None = None) -> list[Ranked]:
    now = ranks({a.id: a.value(key) for a in areas})
    then = ranks({a.id: a.value(key) for a in before}) if before is not None else {}
    rows = [Ranked(a, now[a.id], then.get(a.id)) for a in areas]
    big = len(rows) + 1
    rows.sort(key=lambda r: (r.rank or big, fold(r.area.name), r.area.id))
    return rows


# -- reading ----------------------------------------------------------------------------------


def area(conn: Connection, area_id: str) -> dict | None:
    row = conn.execute(sa.select(areas_t).where(areas_t.c.id == area_id)).mappings().first()
    return dict(row) if row else None


def children(conn: Connection, parent_id: str, kind: str) -> list[dict]:
    """Live areas of a kind under a parent, by name as a Vietnamese reader sorts it."""
    a = areas_t.c
    rows = conn.execute(
        sa.select(areas_t).where(a.parent_id == parent_id, a.kind == kind, a.retired_at.is_(None))
    ).mappings()
    return sorted((dict(r) for r in rows), key=lambda r: (fold(r["name"]), r["id"]))


def load_targets(conn: Connection, area_ids: list[str], year: int) -> Targets:
    """``(area, indicator, period) -> percent`` of the year's targets set for these areas."""
    if not area_ids:
        return {}
    r = records_t.c
    query = sa.select(r.data).where(
        r.tbl == "targets", r.scope_area.in_(area_ids), r.deleted.is_(False)
    )
    out = {}
    for (data,) in conn.execute(query):
        row = json.loads(data)
        if row["period"] == str(year):
            out[(row["area_id"], row["indicator_code"], row["period"])] = float(row["percent"])
    return out


def target_for(
    targets: Targets, parents: dict[str, str | None], area_id: str, indicator: Indicator, year: int
) -> float | None:
    """The year's target of an area by the one rule of every report (gocua.targets)."""
    return resolve_target(targets, parents, area_id, indicator, parse_period(str(year)))


def _areas(
    catalogue: Catalogue,
    listed: list[dict],
    counts: dict[tuple[str, str], tuple[int, int]],
    targets: Targets,
    parents: dict[str, str | None],
    year: int,
) -> list[Area]:
    out = []
    for row in listed:
        figures = {}
        for indicator in catalogue.indicators:
            eligible, covered = counts.get((row["id"], indicator.code), (0, 0))
            target = target_for(targets, parents, row["id"], indicator, year)
            figures[indicator.code] = Figure(eligible, covered, target)
        out.append(Area(row["id"], row["name"], figures))
    return out


def _total(catalogue: Catalogue, row: dict, parts: list[Area], targets, parents, year: int) -> Area:
    counts: dict[tuple[str, str], tuple[int, int]] = {}
    for part in parts:
        for code, f in part.figures.items():
            e, c = counts.get((row["id"], code), (0, 0))
            counts[(row["id"], code)] = (e + f.eligible, c + f.covered)
    return _areas(catalogue, [row], counts, targets, parents, year)[0]


@dataclass
class Level:
    """An area and the areas directly under it, with their figures for one year."""

    area: Area
    parts: list[Area]
    year: int
    extra: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)


def province(conn: Connection, catalogue: Catalogue, row: dict, year: int) -> Level:
    communes = children(conn, row["id"], "commune")
    ids = [c["id"] for c in communes]
    counts = tallies.commune_figures(conn, year, ids)
    targets = load_targets(conn, ids, year)
    parents = {c["id"]: row["id"] for c in communes}
    parts = _areas(catalogue, communes, counts, targets, parents, year)
    return Level(_total(catalogue, row, parts, {}, {}, year), parts, year, counts)


def commune(conn: Connection, catalogue: Catalogue, row: dict, year: int) -> Level:
    hamlets = children(conn, row["id"], "hamlet")
    ids = [h["id"] for h in hamlets]
    counts = tallies.figures(conn, year, [row["id"]])
    targets = load_targets(conn, [row["id"], *ids], year)
    parents = {h["id"]: row["id"] for h in hamlets}
    parts = _areas(catalogue, hamlets, counts, targets, parents, year)
    return Level(_total(catalogue, row, parts, targets, {}, year), parts, year, counts)


@dataclass
class Earlier:
    """The figures kept on an earlier day (the latest kept on or before the day asked)."""

    asked: dt.date
    day: dt.date | None
    first: dt.date | None  # the first day kept at all
    area: Area | None = None
    parts: list[Area] | None = None


def earlier(
    conn: Connection, catalogue: Catalogue, level: Level, asked: dt.date, parent: str | None
) -> Earlier:
    day = snapshots.day_on_or_before(conn, asked)
    found = Earlier(asked, day, snapshots.first_day(conn))
    if day is None:
        return found
    ids = [p.id for p in level.parts]
    kept = snapshots.figures_on(conn, day, [level.area.id, *ids])
    targets = load_targets(conn, [level.area.id, *ids], day.year)
    parents = {i: parent for i in ids} if parent else {}
    counts = {(a, code): cell for a, figures in kept.items() for code, cell in figures.items()}
    listed = [{"id": p.id, "name": p.name} for p in level.parts if p.id in kept]
    found.parts = _areas(catalogue, listed, counts, targets, parents, day.year)
    top = {"id": level.area.id, "name": level.area.name}
    if level.area.id in kept:
        found.area = _areas(catalogue, [top], counts, targets, {}, day.year)[0]
    return found


@dataclass
class Point:
    day: dt.date
    percent: float | None


def progress(
    conn: Connection, area_id: str, indicator: str, today: dt.date, now: Figure | None
) -> list[Point]:
    """The area's percent for one indicator on every day kept, and today's."""
    points = []
    for day, figures in snapshots.series(conn, area_id):
        if day >= today:
            continue
        eligible, covered = figures.get(indicator, (0, 0))
        points.append(Point(day, coverage_percent(covered, eligible)))
    if now is not None:
        points.append(Point(today, now.percent))
    return points
