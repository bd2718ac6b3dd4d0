"""Coverage as a table of hamlets x indicators, for ``gocua stats`` and the exports."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from desktop.store import Store
from desktop.store.coverage import coverage_by_area
from desktop.store.schema import Area
from gocua.catalogue import Catalogue, default_catalogue
from gocua.coverage import Tally
from gocua.names import indicator_name


def _cell(tally: Tally) -> str:
    percent = tally.percent
    return "—" if percent is None else f"{percent:.1f}% ({tally.covered}/{tally.eligible})"


def coverage_table(
    store: Store, year: int, lang: str = "vi", catalogue: Catalogue | None = None
) -> tuple[list[str], list[list[str]]]:
    """One row per hamlet plus the commune's total; one column per indicator."""
    catalogue = catalogue or default_catalogue()
    areas = Area.__table__
    with store.read() as conn:
        tallies = coverage_by_area(conn, catalogue, year)
        names = dict(conn.execute(select(areas.c.id, areas.c.name)).all())
    hamlets = sorted({area for area, _ in tallies}, key=lambda a: names.get(a, a))
    headers = ["Ấp/thôn" if lang == "vi" else "Hamlet"]
    headers += [indicator_name(ind, lang) for ind in catalogue.indicators]
    rows = []
    totals = {ind.code: Tally() for ind in catalogue.indicators}
    for hamlet in hamlets:
        row = [names.get(hamlet, hamlet)]
        for ind in catalogue.indicators:
            tally = tallies.get((hamlet, ind.code), Tally())
            totals[ind.code].add(tally)
            row.append(_cell(tally))
        rows.append(row)
    rows.append(
        ["Toàn xã" if lang == "vi" else "Commune total"]
        + [_cell(totals[ind.code]) for ind in catalogue.indicators]
    )
    return headers, rows


def render_text_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table, transposed when wide: indicators down, hamlets across is unreadable
    in a terminal, so each indicator is a row and each hamlet a column."""
    columns = [list(headers)] + [list(r) for r in rows]
    transposed = list(zip(*columns, strict=True))
    widths = [max(len(str(cell)) for cell in col) for col in zip(*transposed, strict=True)]
    lines = []
    for index, line in enumerate(transposed):
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)))
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
