"""Exports for the commune meeting: XLSX, CSV (UTF-8 with BOM) and, through the UI layer, PDF.

:func:`build_report` gathers what every format shows from one read transaction;
:func:`write_xlsx` and :func:`write_csv` lay it out; :func:`export` does all of it for the app
and ``gocua export`` and logs the export. The PDF is drawn with Qt (``desktop.ui.reports_pdf``),
which this layer may not import: the caller passes the PDF writer in, as it does for the
printed follow-up list (:func:`print_follow_up`).

The app runs these off the GUI thread: ``check`` (called between steps and every thousand
rows; it raises to stop, and a file begun is removed) and ``progress(done, total)`` come from
its task.

CCCD and phone numbers are masked unless ``unmask`` is asked for.
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from desktop.reports import export_log
from desktop.reports.follow_up import (
    FollowUpRow,
    OpenCount,
    follow_up_counts,
    follow_up_rows,
    persons_in_scope,
)
from desktop.reports.summary import (
    CoverageSummary,
    ProgressSeries,
    UnvisitedHousehold,
    VolunteerActivity,
    coverage_summary,
    never_visited,
    progress_series,
    volunteer_activity,
)
from desktop.store import Store
from desktop.store.state_keys import USER_ID
from gocua.catalogue import Catalogue, default_catalogue
from gocua.dates import date_text, time_text
from gocua.names import indicator_name, indicator_short, state_name, target_status_name
from gocua.validation import ValidationFailed, current_period, parse_period

FORMATS = ("xlsx", "pdf", "csv")
# Indicators are shown by name only: no reader of these files needs the internal codes (the
# export log keeps its figures by code for the next export's comparison).
SUMMARY_HEADERS = [
    "Ấp/thôn",
    "Chỉ tiêu",
    "Đủ điều kiện",
    "Đã đạt",
    "Tỷ lệ (%)",
    "Chỉ tiêu (%)",
    "Còn phải đạt",
    "Đánh giá",
]
VOLUNTEER_HEADERS = [
    "Tình nguyện viên",
    "Lượt thăm tuần này",
    "Lượt thăm tháng này",
    "Hộ đã gặp trong kỳ",
    "Đồng bộ gần nhất",
    "Dữ liệu cũ?",
]
FOLLOW_UP_HEADERS = [
    "Ấp/thôn",
    "Địa chỉ",
    "Họ và tên",
    "Năm sinh",
    "Số CCCD",
    "Số điện thoại",
    "Còn thiếu (lý do)",
    "Lần thăm gần nhất",
    "Hẹn lại",
]
# The indicator the charts show when nobody chose one: the first with a national target.
DEFAULT_CHART_INDICATOR = "eid_adults"
# Above this many persons the workbook counts the follow-up list instead of listing everyone
# (a list of the whole commune is too long to use, and to write in a few seconds): the
# per-person list is for one hamlet's round, exported with --hamlet.
FOLLOW_UP_ROW_LIMIT = 15_000
OPEN_COUNT_HEADERS = ["Ấp/thôn", "Hạng mục", "Trạng thái", "Lý do", "Số người/hộ"]


@dataclass
class Report:
    """Everything an export shows, read in one transaction."""

    summary: CoverageSummary
    catalogue: Catalogue
    today: dt.date
    unmask: bool = False
    volunteers: list[VolunteerActivity] = field(default_factory=list)
    follow_up: list[FollowUpRow] = field(default_factory=list)
    follow_up_counts: list[OpenCount] = field(default_factory=list)
    follow_up_listed: bool = True  # False: too many persons, only counted
    persons_in_scope: int = 0
    unvisited: list[UnvisitedHousehold] = field(default_factory=list)
    progress: ProgressSeries | None = None
    chart_indicator: str = DEFAULT_CHART_INDICATOR
    previous: dict[str, Any] | None = None  # the export log entry compared against
    exported_by: str = ""

    @property
    def hamlet_names(self) -> dict[str, str]:
        return dict(self.summary.hamlets)

    def summary_rows(self) -> list[list[Any]]:
        """The long summary table: one row per hamlet and indicator, then the total rows."""
        rows = []
        s = self.summary
        for hamlet_id, name in s.hamlets:
            for ind in s.indicators:
                rows.append(_summary_row(name, indicator_name(ind), s.cell(hamlet_id, ind.code)))
        for ind in s.indicators:
            rows.append(_summary_row(s.total_label, indicator_name(ind), s.totals[ind.code]))
        return rows

    def change_since_previous(self, code: str) -> float | None:
        """Percentage points gained since the previous logged export (``None``: unknown)."""
        if not self.previous:
            return None
        before = self.previous.get("figures", {}).get(code, {}).get("percent")
        now = self.summary.totals[code].percent
        if before is None or now is None:
            return None
        return round(now - before, 1)


def _summary_row(area_name: str, name: str, cell) -> list[Any]:
    return [
        area_name,
        name,
        cell.eligible,
        cell.covered,
        cell.percent,
        cell.target,
        cell.to_reach if cell.target is not None else None,
        target_status_name(cell.status),
    ]


def build_report(
    store: Store,
    period: str | None = None,
    hamlet_ids: list[str] | None = None,
    *,
    unmask: bool = False,
    catalogue: Catalogue | None = None,
    today: dt.date | None = None,
    parts: frozenset[str] = frozenset({"volunteers", "follow_up", "progress"}),
    chart_indicator: str = DEFAULT_CHART_INDICATOR,
) -> Report:
    catalogue = catalogue or default_catalogue()
    today = today or dt.date.today()
    parsed = parse_period(period or current_period(today))
    with store.read() as conn:
        if hamlet_ids:
            known = {r[0] for r in conn.exec_driver_sql("SELECT id FROM areas WHERE kind='hamlet'")}
            unknown = [h for h in hamlet_ids if h not in known]
            if unknown:
                from desktop.services.errors import NotFound

                raise NotFound("hamlet_id", f"hamlet {unknown[0]}", f"ấp/thôn {unknown[0]}")
        summary = coverage_summary(conn, catalogue, parsed, hamlet_ids)
        report = Report(summary, catalogue, today, unmask, chart_indicator=chart_indicator)
        report.exported_by = USER_ID.get(conn) or ""
        if "volunteers" in parts:
            report.volunteers = volunteer_activity(conn, parsed, today, hamlet_ids)
        if "follow_up" in parts:
            report.persons_in_scope = persons_in_scope(conn, hamlet_ids)
            report.follow_up_listed = report.persons_in_scope <= FOLLOW_UP_ROW_LIMIT
            if report.follow_up_listed:
                report.follow_up = follow_up_rows(conn, catalogue, parsed.year, hamlet_ids)
            report.follow_up_counts = follow_up_counts(conn, catalogue, parsed.year, hamlet_ids)
            report.unvisited = never_visited(conn, hamlet_ids)
        if "progress" in parts and catalogue.has_indicator(chart_indicator):
            report.progress = progress_series(
                conn,
                catalogue,
                chart_indicator,
                parsed,
                today,
                hamlet_ids,
                summary.totals[chart_indicator].eligible,
            )
    return report


# -- XLSX ---------------------------------------------------------------------------------------


Check = Callable[[], None]


def _no_check() -> None:
    return None


def write_xlsx(report: Report, path: Path | str, check: Check = _no_check) -> dict[str, int]:
    """The workbook: summary (long and as a matrix), volunteers, follow-up list, unvisited.

    Every figure is a number; the total rows are SUM formulas written with their computed
    value cached, so programs that do not recalculate still read the right figure.
    """
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    wb.set_properties(
        {
            "title": "Báo cáo chuyển đổi số cộng đồng",
            "author": "Gõ Cửa",
            "comments": f"Kỳ {report.summary.period.code}",
        }
    )
    f = _Formats(wb)
    counts = {}
    counts["summary"] = _sheet_summary(wb, f, report)
    counts["matrix"] = _sheet_matrix(wb, f, report)
    counts["volunteers"] = _sheet_table(
        wb,
        f,
        report,
        "Tình nguyện viên",
        VOLUNTEER_HEADERS,
        [22, 12, 12, 12, 22, 10],
        (
            [
                v.name,
                v.visits_week,
                v.visits_month,
                v.households_reached,
                time_text(v.last_sync),
                "Có" if v.stale else "",
            ]
            for v in report.volunteers
        ),
        check,
    )
    unmask = report.unmask
    if report.follow_up_listed:
        counts["follow_up"] = _sheet_table(
            wb,
            f,
            report,
            "Cần theo dõi",
            FOLLOW_UP_HEADERS,
            [16, 36, 24, 8, 14, 13, 60, 22, 11],
            (
                [
                    r.hamlet_name,
                    r.address,
                    r.full_name,
                    r.birth_year,
                    r.cccd_shown(unmask),
                    r.phone_shown(unmask),
                    r.missing_text(report.catalogue),
                    r.last_visit_text(),
                    r.follow_up_text(),
                ]
                for r in report.follow_up
            ),
            check,
        )
    else:
        counts["follow_up"] = _sheet_table(
            wb,
            f,
            report,
            "Cần theo dõi",
            ["Ghi chú"],
            [110],
            [
                [
                    f"Địa bàn có {report.persons_in_scope:,} người: danh sách từng người quá dài "
                    "cho một tệp. Hãy xuất theo từng ấp (chọn ấp, hoặc gõ lệnh với --hamlet) để có "
                    "danh sách đi từng nhà; số người còn thiếu theo hạng mục và lý do ở trang "
                    "“Theo dõi – tổng hợp”.".replace(",", ".")
                ]
            ],
        )
    names = report.hamlet_names
    cat = report.catalogue
    counts["follow_up_counts"] = _sheet_table(
        wb,
        f,
        report,
        "Theo dõi – tổng hợp",
        OPEN_COUNT_HEADERS,
        [18, 30, 16, 34, 12],
        (
            [
                names.get(c.hamlet_id, c.hamlet_id),
                cat.item(c.item_code).name_vi,
                state_name(c.state),
                cat.reason(c.reason).name_vi if c.reason and cat.has_reason(c.reason) else "",
                c.count,
            ]
            for c in report.follow_up_counts
        ),
        check,
    )
    names = report.hamlet_names
    counts["unvisited"] = _sheet_table(
        wb,
        f,
        report,
        "Hộ chưa thăm",
        ["Ấp/thôn", "Địa chỉ"],
        [18, 50],
        ([names.get(h.hamlet_id, h.hamlet_id), h.address] for h in report.unvisited),
        check,
    )
    wb.close()
    return counts


class _Formats:
    def __init__(self, wb):
        base = {"font_name": "Arial", "font_size": 10, "valign": "vcenter"}
        self.title = wb.add_format({**base, "bold": True, "font_size": 13})
        self.note = wb.add_format({**base, "italic": True, "font_color": "#555555"})
        self.header = wb.add_format(
            {
                **base,
                "bold": True,
                "bg_color": "#DDE7F0",
                "border": 1,
                "text_wrap": True,
                "align": "center",
            }
        )
        self.text = wb.add_format({**base, "border": 1})
        self.wrap = wb.add_format({**base, "border": 1, "text_wrap": True})
        self.int = wb.add_format({**base, "border": 1, "num_format": "#,##0"})
        self.pct = wb.add_format({**base, "border": 1, "num_format": "0.0"})
        self.total_text = wb.add_format({**base, "border": 1, "bold": True, "bg_color": "#F2F2F2"})
        self.total_int = wb.add_format(
            {**base, "border": 1, "bold": True, "bg_color": "#F2F2F2", "num_format": "#,##0"}
        )
        self.total_pct = wb.add_format(
            {**base, "border": 1, "bold": True, "bg_color": "#F2F2F2", "num_format": "0.0"}
        )
        colours = {"met": "#C6EFCE", "near": "#FFEB9C", "below": "#FFC7CE"}
        self.status = {
            k: wb.add_format({**base, "border": 1, "num_format": "0.0", "bg_color": c})
            for k, c in colours.items()
        }


def _page_setup(ws, report: Report, header_row: int, landscape: bool = True) -> None:
    if landscape:
        ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_margins(left=0.5, right=0.5, top=0.7, bottom=0.7)
    s = report.summary
    ws.set_header(f"&L{s.commune_name}&RKỳ {s.period.code}")
    ws.set_footer("&LGõ Cửa&RTrang &P/&N")


def _title(ws, f: _Formats, report: Report, title: str) -> None:
    s = report.summary
    ws.write_string(0, 0, f"{title} – {s.commune_name}", f.title)
    ws.write_string(
        1,
        0,
        f"Kỳ {s.period.code}; lập ngày {date_text(report.today)}"
        + (
            ""
            if report.unmask or title != "Cần theo dõi"
            else "; số CCCD và điện thoại đã được che"
        ),
        f.note,
    )


def _sheet_summary(wb, f: _Formats, report: Report) -> int:
    ws = wb.add_worksheet("Tổng hợp")
    _title(ws, f, report, "Tổng hợp độ phủ theo ấp và chỉ tiêu")
    header_row = 3
    for col, heading in enumerate(SUMMARY_HEADERS):
        ws.write_string(header_row, col, heading, f.header)
    for col, width in enumerate([18, 44, 12, 10, 10, 11, 12, 10]):
        ws.set_column(col, col, width)
    ws.freeze_panes(header_row + 1, 1)
    _page_setup(ws, report, header_row)
    s = report.summary
    row = header_row + 1
    first_data = row
    hamlet_rows = len(s.hamlets) * len(s.indicators)
    statuses = []
    for hamlet_id, _ in s.hamlets:
        for ind in s.indicators:
            statuses.append(s.cell(hamlet_id, ind.code).status)
    for index, values in enumerate(report.summary_rows()):
        total = index >= hamlet_rows
        text_f = f.total_text if total else f.text
        int_f = f.total_int if total else f.int
        pct_f = f.total_pct if total else f.pct
        offset = index - hamlet_rows  # the total row's indicator
        status = s.totals[s.indicators[offset].code].status if total else statuses[index]
        ws.write_string(row, 0, values[0], text_f)
        ws.write_string(row, 1, values[1], text_f)
        if total and s.hamlets:
            # The commune's row: SUM of its hamlets' rows for this indicator, value cached.
            step = len(s.indicators)
            for col, value in ((2, values[2]), (3, values[3])):
                cells = ",".join(
                    xl_rowcol_to_cell(first_data + h * step + offset, col)
                    for h in range(len(s.hamlets))
                )
                ws.write_formula(row, col, f"=SUM({cells})", int_f, value)
        else:
            ws.write_number(row, 2, values[2], int_f)
            ws.write_number(row, 3, values[3], int_f)
        _number_or_blank(ws, row, 4, values[4], f.status.get(status, pct_f) if not total else pct_f)
        _number_or_blank(ws, row, 5, values[5], pct_f)
        _number_or_blank(ws, row, 6, values[6], int_f)
        ws.write_string(row, 7, values[7], text_f)
        row += 1
    return row - first_data


def _number_or_blank(ws, row: int, col: int, value, fmt) -> None:
    if value is None:
        ws.write_blank(row, col, None, fmt)
    else:
        ws.write_number(row, col, value, fmt)


def _sheet_matrix(wb, f: _Formats, report: Report) -> int:
    ws = wb.add_worksheet("Bảng tỷ lệ")
    _title(ws, f, report, "Tỷ lệ (%) theo ấp và chỉ tiêu")
    s = report.summary
    header_row = 3
    ws.write_string(header_row, 0, "Ấp/thôn", f.header)
    for col, ind in enumerate(s.indicators, start=1):
        ws.write_string(header_row, col, indicator_short(report.catalogue, ind.code), f.header)
    ws.set_column(0, 0, 18)
    ws.set_column(1, len(s.indicators), 10)
    ws.set_row(header_row, 42)
    ws.freeze_panes(header_row + 1, 1)
    _page_setup(ws, report, header_row)
    row = header_row + 1
    for hamlet_id, name in s.hamlets:
        ws.write_string(row, 0, name, f.text)
        for col, ind in enumerate(s.indicators, start=1):
            cell = s.cell(hamlet_id, ind.code)
            _number_or_blank(ws, row, col, cell.percent, f.status.get(cell.status, f.pct))
        row += 1
    ws.write_string(row, 0, s.total_label, f.total_text)
    for col, ind in enumerate(s.indicators, start=1):
        _number_or_blank(ws, row, col, s.totals[ind.code].percent, f.total_pct)
    ws.write_string(
        row + 2, 0, "Ô xanh: đạt chỉ tiêu; vàng: kém dưới 10 điểm; đỏ: chưa đạt.", f.note
    )
    return len(s.hamlets) + 1


def _sheet_table(
    wb, f: _Formats, report: Report, name: str, headers, widths, rows, check: Check = _no_check
) -> int:
    ws = wb.add_worksheet(name)
    _title(ws, f, report, name)
    header_row = 3
    for col, (heading, width) in enumerate(zip(headers, widths, strict=True)):
        ws.write_string(header_row, col, heading, f.header)
        ws.set_column(col, col, width)
    ws.freeze_panes(header_row + 1, 0)
    _page_setup(ws, report, header_row)
    ws.autofilter(header_row, 0, header_row, len(headers) - 1)
    count = 0
    row = header_row + 1
    for values in rows:
        if count % 1000 == 999:
            check()
        for col, value in enumerate(values):
            if value is None or value == "":
                ws.write_blank(row, col, None, f.text)
            elif isinstance(value, int | float):
                ws.write_number(row, col, value, f.int)
            else:
                ws.write_string(row, col, value, f.text)
        row += 1
        count += 1
    return count


# -- CSV ----------------------------------------------------------------------------------------


def write_csv(report: Report, path: Path | str) -> dict[str, int]:
    """The long summary table, UTF-8 with a BOM so Excel shows the diacritics."""
    rows = report.summary_rows()
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(SUMMARY_HEADERS)
        for values in rows:
            writer.writerow(["" if v is None else v for v in values])
    return {"summary": len(rows)}


# -- the whole export ---------------------------------------------------------------------------


@dataclass
class ExportResult:
    path: Path
    format: str
    counts: dict[str, int]
    log_entry: dict[str, Any]


PdfWriter = Callable[[Report, Path], dict[str, int]]


def export(
    store: Store,
    fmt: str,
    out: Path | str,
    *,
    period: str | None = None,
    hamlet_ids: list[str] | None = None,
    unmask: bool = False,
    pdf_writer: PdfWriter | None = None,
    catalogue: Catalogue | None = None,
    today: dt.date | None = None,
    chart_indicator: str = DEFAULT_CHART_INDICATOR,
    check: Check = _no_check,
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Write one export and log it in the profile's export log (see the module's text for
    ``check`` and ``progress``)."""
    step = progress or (lambda _done, _total: None)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "pdf" and pdf_writer is None:
        raise ValueError("the PDF is drawn by desktop.ui.reports_pdf.write_pdf: pass it in")
    if period is not None:
        parse_period(period)  # a clear error before any work
    out = Path(out)
    parts = {"xlsx": {"volunteers", "follow_up"}, "pdf": {"volunteers", "progress"}, "csv": set()}[
        fmt
    ]
    check()
    step(0, 3)
    report = build_report(
        store,
        period,
        hamlet_ids,
        unmask=unmask,
        catalogue=catalogue,
        today=today,
        parts=frozenset(parts),
        chart_indicator=chart_indicator,
    )
    check()
    step(1, 3)
    profile_dir = store.path.parent
    scope = sorted(hamlet_ids) if hamlet_ids else None
    report.previous = export_log.previous_figures(profile_dir, scope)
    existed = out.exists()
    try:
        if fmt == "xlsx":
            counts = write_xlsx(report, out, check)
        elif fmt == "csv":
            counts = write_csv(report, out)
        else:
            assert pdf_writer is not None
            counts = pdf_writer(report, out)
        check()
    except BaseException:
        if not existed:  # stopped or failed: no half-written file left behind
            out.unlink(missing_ok=True)
        raise
    step(2, 3)
    entry = export_log.append_entry(
        profile_dir,
        {
            "user_id": report.exported_by,
            "os_user": _os_user(),
            "format": fmt,
            "file": str(out.resolve()),
            "period": report.summary.period.code,
            "hamlets": scope,
            "unmasked": unmask,
            "counts": counts,
            "figures": report.summary.figures(),
        },
    )
    return ExportResult(out, fmt, counts, entry)


def print_follow_up(
    store: Store,
    rows: list[FollowUpRow],
    out: Path | str,
    *,
    pdf_writer: Callable[..., int],
    title: str,
    hamlet_id: str | None,
    period: str,
    unmask: bool = False,
    catalogue: Catalogue | None = None,
) -> int:
    """The follow-up list shown (one hamlet's, as filtered) printed to a PDF to carry on the
    round, and logged like every export; returns the page count. ``pdf_writer`` is
    ``desktop.ui.reports_pdf.write_follow_up_pdf``."""
    out = Path(out)
    pages = pdf_writer(rows, catalogue or default_catalogue(), out, title, unmask)
    export_log.append_entry(
        store.path.parent,
        {
            "user_id": store.query(USER_ID.get) or "",
            "format": "follow_up_pdf",
            "file": str(out.resolve()),
            "period": period,
            "hamlets": [hamlet_id],
            "unmasked": unmask,
            "counts": {"rows": len(rows), "pages": pages},
        },
    )
    return pages


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not a reason to fail an export
        return ""


__all__ = [
    "FORMATS",
    "ExportResult",
    "Report",
    "ValidationFailed",
    "build_report",
    "export",
    "print_follow_up",
    "write_csv",
    "write_xlsx",
]
