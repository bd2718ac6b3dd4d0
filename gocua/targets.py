"""Which target applies to an area, an indicator and a period: the one rule for every report.

Targets are set per area (a commune, a hamlet), indicator and period (``YYYY`` or ``YYYY-Qn``).
The one that applies is found by walking up from the area:

1. the area's own target for the period; for a quarter, the quarter's, else the year's;
2. else the same from its parent, then its parent's parent (hamlet → commune → province);
3. else the catalogue's national default (``Indicator.target``; ``None``: no target).

An area's own target wins over an ancestor's even when the ancestor's is for the quarter and
the area's for the year: a hamlet that set its year's goal keeps it in every quarter.
"""

from __future__ import annotations

from collections.abc import Mapping

from gocua.catalogue import Indicator
from gocua.validation import Period

# (area_id, indicator_code, period code) -> percent
Targets = Mapping[tuple[str, str, str], float]


def period_chain(period: Period) -> tuple[str, ...]:
    """The period codes whose targets apply to ``period``, nearest first."""
    year = str(period.year)
    return (year,) if period.code == year else (period.code, year)


def resolve_target(
    targets: Targets,
    parent_of: Mapping[str, str | None],
    area_id: str | None,
    indicator: Indicator,
    period: Period,
) -> float | None:
    """The target that applies (see the module's rule); ``parent_of`` maps an area to its
    parent (missing or ``None`` at the top)."""
    periods = period_chain(period)
    node = area_id
    seen: set[str] = set()
    while node is not None and node not in seen:
        seen.add(node)
        for code in periods:
            found = targets.get((node, indicator.code, code))
            if found is not None:
                return float(found)
        node = parent_of.get(node)
    return indicator.target
