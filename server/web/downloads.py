"""A ranking as a download: XLSX (XlsxWriter) and CSV (UTF-8 with a byte-order mark, so that
Excel opens Vietnamese names right). Area names and figures only."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import xlsxwriter

from gocua.catalogue import Catalogue
from server.web.figures import SCORE, Area, Ranked
from server.web.texts import text


@dataclass
class Table:
    title: str
    notes: list[str]
    header: list[str]
    rows: list[list]  # percents as fractions (0.415), so a spreadsheet can compute with them
    percent_columns: set[int]


def _fraction(value: float | None) -> float | None:
    return None if value is None else round(value / 100, 4)


def ranking_table(
    catalogue: Catalogue,
    ranked: list[Ranked],
    key: str,
    lang: str,
    *,
    title: str,
    notes: list[str],
    area_word: str,
) -> Table:
    t = lambda k, **kw: text(k, lang, **kw)  # noqa: E731
    header = [t("rank"), t("change"), area_word]
    percent_columns: set[int] = set()
    if key == SCORE:
        header += [t("score_short"), t("target")]
    else:
        header += [t("percent"), t("met"), t("covered_of").split(" / ")[1], t("target")]
        percent_columns |= {3, 6}
    start = len(header)
    for i, indicator in enumerate(catalogue.indicators):
        header.append(f"{indicator.name(lang)} (%)")
        percent_columns.add(start + i)
    rows = []
    for r in ranked:
        area: Area = r.area
        row: list = [r.rank, r.change, area.name]
        if key == SCORE:
            row += [area.score, area.scored]
        else:
            f = area.figures[key]
            row += [_fraction(f.percent), f.covered, f.eligible, _fraction(f.target)]
        row += [_fraction(area.figures[i.code].percent) for i in catalogue.indicators]
        rows.append(row)
    return Table(title, notes, header, rows, percent_columns)


def figures_table(catalogue: Catalogue, areas: list[Area], lang: str, area_word: str) -> Table:
    t = lambda k, **kw: text(k, lang, **kw)  # noqa: E731
    covered, eligible = t("covered_of").split(" / ")
    header = [area_word, t("indicator"), eligible, covered, t("percent"), t("target"), t("met")]
    rows = []
    for area in areas:
        for indicator in catalogue.indicators:
            f = area.figures[indicator.code]
            met = "" if f.met is None else (t("met") if f.met else t("not_met"))
            rows.append(
                [
                    area.name,
                    indicator.name(lang),
                    f.eligible,
                    f.covered,
                    _fraction(f.percent),
                    _fraction(f.target),
                    met,
                ]
            )
    return Table("", [], header, rows, {4, 5})


def xlsx(ranking: Table, figures: Table, lang: str) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
    pct = book.add_format({"num_format": "0.0%"})
    for name, table in (
        (text("ranking_title", lang), ranking),
        (text("all_indicators", lang), figures),
    ):
        sheet = book.add_worksheet(name[:31])
        row = 0
        if table.title:
            sheet.write(row, 0, table.title, title)
            row += 1
        for note in table.notes:
            sheet.write(row, 0, note)
            row += 1
        if row:
            row += 1
        sheet.write_row(row, 0, table.header, head)
        sheet.freeze_panes(row + 1, 0)
        for values in table.rows:
            row += 1
            for col, value in enumerate(values):
                if value is None:
                    continue
                sheet.write(row, col, value, pct if col in table.percent_columns else None)
        sheet.set_column(0, 0, 8 if table is ranking else 24)
        sheet.set_column(1, len(table.header) - 1, 14)
        if table is ranking:
            sheet.set_column(2, 2, 24, bold)
    book.close()
    return out.getvalue()


def csv_bytes(table: Table) -> bytes:
    """UTF-8 with BOM; percents written as numbers with a point (41.5), not fractions."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.header)
    for values in table.rows:
        writer.writerow(
            [
                "" if v is None else (round(v * 100, 1) if i in table.percent_columns else v)
                for i, v in enumerate(values)
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
