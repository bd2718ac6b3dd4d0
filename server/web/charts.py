"""Charts drawn on the server as SVG geometry for the templates: no script, no style
attribute (the Content-Security-Policy allows neither), only coordinates and class names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28


@dataclass
class LineChart:
    width: int = WIDTH
    height: int = HEIGHT
    points: str = ""  # the polyline, "x,y x,y ..."
    dots: list[tuple[float, float]] = field(default_factory=list)
    grid: list[tuple[float, str]] = field(default_factory=list)  # (y, label)
    ticks: list[tuple[float, dt.date]] = field(default_factory=list)  # (x, day)
    target_y: float | None = None
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM


def line_chart(series: list[tuple[dt.date, float | None]], target: float | None) -> LineChart:
    """Percent (0..100) over days; a day without anyone eligible is a gap in the dots but
    the line goes on through the days that have a figure."""
    chart = LineChart()
    inner_w = chart.right - chart.left
    inner_h = chart.bottom - TOP
    days = [d for d, _ in series]
    first, last = (min(days), max(days)) if days else (None, None)
    span = max(1, (last - first).days) if first and last else 1

    def x(day: dt.date) -> float:
        if first is None or first == last:
            return chart.left + inner_w / 2
        return round(chart.left + inner_w * (day - first).days / span, 1)

    def y(value: float) -> float:
        return round(chart.bottom - inner_h * max(0.0, min(100.0, value)) / 100, 1)

    chart.grid = [(y(v), f"{v}%") for v in (0, 25, 50, 75, 100)]
    known = [(x(d), y(v)) for d, v in series if v is not None]
    chart.dots = known
    chart.points = " ".join(f"{px},{py}" for px, py in known)
    if first is not None:
        chart.ticks = [(x(first), first)]
        if last != first:
            if span >= 14:
                middle = first + dt.timedelta(days=span // 2)
                chart.ticks.append((x(middle), middle))
            chart.ticks.append((x(last), last))
    if target is not None:
        chart.target_y = y(target)
    return chart


def bar_width(value: float | None, most: float = 100.0) -> float:
    """The filled length of a 0..100 bar."""
    if value is None or most <= 0:
        return 0.0
    return round(max(0.0, min(100.0, 100.0 * value / most)), 1)
