"""The commune's or a hamlet's coverage as a short text, ready to paste into its Zalo group.

What a hamlet head reads out at the end of a meeting: each indicator's figure against its
target, one line each, the ones below target with how many people are still to reach, and for
the commune the hamlet furthest behind on the headline indicator. Plain text (Zalo shows no
formatting), Vietnamese numbers (``43,1%``, ``1.234``), a few signs a phone shows everywhere.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection

from desktop.reports.summary import CoverageSummary, coverage_summary, vi_int, vi_percent
from gocua.catalogue import HOUSEHOLD, Catalogue
from gocua.coverage import BELOW, MET, NEAR, NO_TARGET, NOBODY
from gocua.dates import date_text
from gocua.names import indicator_short
from gocua.validation import Period, parse_period

HEADLINE = "eid_adults"  # the figure a province asks for first (VNeID level 2, adults)
MARK = {MET: "✅", NEAR: "🟡", BELOW: "🔴", NO_TARGET: "▫️", NOBODY: "▫️"}


def zalo_text(
    conn: Connection,
    catalogue: Catalogue,
    period: str | Period,
    today: dt.date,
    hamlet_id: str | None = None,
) -> str:
    period = period if isinstance(period, Period) else parse_period(period)
    summary = coverage_summary(conn, catalogue, period, [hamlet_id] if hamlet_id else None)
    return render(summary, catalogue, today)


def render(summary: CoverageSummary, catalogue: Catalogue, today: dt.date) -> str:
    where = summary.total_label if summary.total_label not in ("Toàn xã", "Tổng") else None
    title = where or summary.commune_name or "Xã"
    if where and summary.commune_name:
        title = f"{where}, {summary.commune_name}"
    lines = [f"📊 {title}: chuyển đổi số đến ngày {date_text(today)} (kỳ {_period(summary)})"]
    for indicator in summary.indicators:
        cell = summary.totals[indicator.code]
        if not cell.eligible:
            continue
        figure = f"{vi_percent(cell.percent)}% ({vi_int(cell.covered)}/{vi_int(cell.eligible)})"
        line = f"{MARK[cell.status]} {indicator_short(catalogue, indicator.code)}: {figure}"
        if cell.target is not None:
            line += f", chỉ tiêu {vi_percent(cell.target).removesuffix(',0')}%"
            if cell.status != MET and cell.to_reach:
                unit = "hộ" if indicator.level == HOUSEHOLD else "người"
                line += f", còn {vi_int(cell.to_reach)} {unit}"
        lines.append(line)
    if len(summary.hamlets) > 1:
        behind = _furthest_behind(summary)
        if behind is not None:
            name, percent = behind
            short = indicator_short(catalogue, HEADLINE)
            lines.append(f"Ấp cần cố gắng nhất ({short}): {name}, {vi_percent(percent)}%")
    lines.append("Gửi từ Gõ Cửa - Tổ công nghệ số cộng đồng")
    return "\n".join(lines)


def _period(summary: CoverageSummary) -> str:
    code = summary.period.code
    return f"quý {code[-1]}/{code[:4]}" if "-Q" in code else f"năm {code}"


def _furthest_behind(summary: CoverageSummary) -> tuple[str, float] | None:
    figures = [
        (name, summary.cell(hamlet_id, HEADLINE).percent)
        for hamlet_id, name in summary.hamlets
        if (hamlet_id, HEADLINE) in summary.cells
    ]
    figures = [(name, p) for name, p in figures if p is not None]
    return min(figures, key=lambda f: (f[1], f[0])) if figures else None
