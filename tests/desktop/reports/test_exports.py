"""Each export re-opened shows the dashboard's figures; CCCD and phones masked; every export
logged. XLSX through openpyxl (cached values, not only formulas), CSV through the csv module,
the PDF through a text extraction."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys

import openpyxl
import pypdf
import pytest

from desktop.reports import export_log
from desktop.reports.exports import SUMMARY_HEADERS, export
from desktop.reports.summary import dashboard_data, vi_int, vi_percent
from gocua.catalogue import default_catalogue
from gocua.names import indicator_name
from tests.desktop.conftest import REF_YEAR, TODAY

CATALOGUE = default_catalogue()
PERIOD = str(REF_YEAR)


@pytest.fixture
def dashboard(demo_store):
    with demo_store.read() as conn:
        return dashboard_data(conn, CATALOGUE, PERIOD, TODAY, "eid_adults")


def expected_rows(summary):
    """(area name, indicator name) -> the dashboard's cell: the files name indicators, and
    each name is one indicator's (gocua's catalogue)."""
    rows = {}
    for hamlet_id, name in summary.hamlets:
        for ind in summary.indicators:
            rows[(name, indicator_name(ind))] = summary.cell(hamlet_id, ind.code)
    for ind in summary.indicators:
        rows[(summary.total_label, indicator_name(ind))] = summary.totals[ind.code]
    return rows


def test_xlsx_holds_the_dashboard_figures_as_cached_numbers(demo_store, dashboard, tmp_path):
    out = tmp_path / "bao_cao.xlsx"
    result = export(demo_store, "xlsx", out, period=PERIOD, today=TODAY)
    wb = openpyxl.load_workbook(out, data_only=True)
    assert wb.sheetnames == [
        "Tổng hợp",
        "Bảng tỷ lệ",
        "Tình nguyện viên",
        "Cần theo dõi",
        "Theo dõi – tổng hợp",
        "Hộ chưa thăm",
    ]
    ws = wb["Tổng hợp"]
    assert [c.value for c in ws[4]] == SUMMARY_HEADERS
    assert ws.freeze_panes == "B5"
    expected = expected_rows(dashboard.summary)
    seen = 0
    for row in ws.iter_rows(min_row=5, values_only=True):
        area, name, eligible, covered, percent, target, to_reach, _ = row
        cell = expected[(area, name)]
        assert isinstance(eligible, int | float) and isinstance(covered, int | float)
        assert (eligible, covered, percent, target) == (
            cell.eligible,
            cell.covered,
            cell.percent,
            cell.target,
        )
        if target is not None:
            assert to_reach == cell.to_reach
        seen += 1
    assert seen == len(expected) == result.counts["summary"]
    # The totals are formulas too, for whoever edits the sheet.
    formulas = openpyxl.load_workbook(out)["Tổng hợp"]
    total_row = 5 + len(dashboard.summary.hamlets) * len(dashboard.summary.indicators)
    assert str(formulas.cell(total_row, 3).value).startswith("=SUM(")
    matrix = wb["Bảng tỷ lệ"]
    last = [c.value for c in matrix[5 + len(dashboard.summary.hamlets)]]
    assert last[0] == "Toàn xã"
    assert last[1:] == [dashboard.summary.totals[i.code].percent for i in CATALOGUE.indicators]
    assert wb["Tổng hợp"].page_setup.orientation == "landscape"
    volunteers = [r for r in wb["Tình nguyện viên"].iter_rows(min_row=5, values_only=True)]
    assert [r[0] for r in volunteers] == [v.name for v in dashboard.volunteers]
    assert [r[2] for r in volunteers] == [v.visits_month for v in dashboard.volunteers]


def test_xlsx_follow_up_masks_cccd_and_phone_unless_asked(demo_store, tmp_path):
    masked, plain = tmp_path / "masked.xlsx", tmp_path / "plain.xlsx"
    export(demo_store, "xlsx", masked, period=PERIOD, today=TODAY)
    export(demo_store, "xlsx", plain, period=PERIOD, today=TODAY, unmask=True)

    def ids(path):
        ws = openpyxl.load_workbook(path, read_only=True)["Cần theo dõi"]
        return [(r[4], r[5]) for r in ws.iter_rows(min_row=5, values_only=True)]

    hidden, shown = ids(masked), ids(plain)
    assert len(hidden) == len(shown) > 0
    cccds = [c for c, _ in shown if c]
    assert cccds and all(re.fullmatch(r"\d{12}", c) for c in cccds)
    for (c_hidden, p_hidden), (c_shown, _) in zip(hidden, shown, strict=True):
        assert not c_hidden or re.fullmatch(r"\*{9}\d{3}", c_hidden)
        assert not p_hidden or "*****" in p_hidden
        assert (c_hidden or "")[-3:] == (c_shown or "")[-3:]
    entries = export_log.read_entries(demo_store.path.parent)
    assert [e["unmasked"] for e in entries] == [False, True]


def test_csv_is_utf8_with_bom_and_shows_the_dashboard_figures(demo_store, dashboard, tmp_path):
    out = tmp_path / "bao_cao.csv"
    export(demo_store, "csv", out, period=PERIOD, today=TODAY)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == SUMMARY_HEADERS
    expected = expected_rows(dashboard.summary)
    for area, name, eligible, covered, percent, target, *_ in rows[1:]:
        cell = expected[(area, name)]
        assert (int(eligible), int(covered)) == (cell.eligible, cell.covered)
        assert (float(percent) if percent else None) == cell.percent
        assert (float(target) if target else None) == cell.target
    assert len(rows) - 1 == len(expected)
    assert any(r[0] == "Toàn xã" for r in rows)


def pdf_text(path) -> str:
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return re.sub(r"[ \t]+", " ", text)


def test_pdf_has_the_national_header_and_the_dashboard_figures(demo_store, dashboard, tmp_path):
    from desktop.ui.reports_pdf import write_pdf

    first, second = tmp_path / "hop_1.pdf", tmp_path / "hop_2.pdf"
    export(demo_store, "pdf", first, period=PERIOD, today=TODAY, pdf_writer=write_pdf)
    text = pdf_text(first)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Xã Hòa Phú".upper() in text and f"Kỳ báo cáo: {PERIOD}" in text
    assert "Chưa có lần xuất báo cáo trước" in text
    lines = text.splitlines()
    s = dashboard.summary
    for ind in s.indicators:
        total = s.totals[ind.code]
        assert vi_int(total.eligible) in lines and vi_percent(total.percent) in lines, ind.code
    for _, name in s.hamlets:
        assert name in text
    # The next export compares with this one.
    export(demo_store, "pdf", second, period=PERIOD, today=TODAY, pdf_writer=write_pdf)
    again = " ".join(pdf_text(second).split())
    assert "so với lần xuất ngày" in again and "Chưa có lần xuất" not in again
    entries = export_log.read_entries(demo_store.path.parent)
    assert [e["format"] for e in entries] == ["pdf", "pdf"]
    assert entries[0]["figures"]["eid_adults"]["percent"] == s.totals["eid_adults"].percent


def test_every_export_is_logged_as_json_lines(demo_store, tmp_path):
    for fmt in ("csv", "xlsx"):
        export(demo_store, fmt, tmp_path / f"r.{fmt}", period=PERIOD, hamlet_ids=["X9001-01"])
    lines = export_log.log_path(demo_store.path.parent).read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines]
    assert [e["format"] for e in entries] == ["csv", "xlsx"]
    assert all(e["hamlets"] == ["X9001-01"] and e["period"] == PERIOD for e in entries)
    assert all(e["file"].endswith(f"r.{e['format']}") and e["user_id"] for e in entries)


def test_cli_export_each_format(demo_template, tmp_path):
    db = tmp_path / "p.db"
    db.write_bytes(demo_template.read_bytes())
    for fmt in ("xlsx", "csv", "pdf"):
        out = tmp_path / f"out.{fmt}"
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "desktop.cli",
                "export",
                "--db",
                str(db),
                "--format",
                fmt,
                "--out",
                str(out),
                "--period",
                PERIOD,
                "--hamlet",
                "X9001-02",
            ],
            capture_output=True,
            text=True,
            env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert out.stat().st_size > 0 and "che" in done.stdout
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop.cli",
            "export",
            "--db",
            str(db),
            "--format",
            "csv",
            "--out",
            str(tmp_path / "x.csv"),
            "--period",
            "20",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 1 and "Kỳ phải có dạng" in bad.stderr


def test_follow_up_is_counted_instead_of_listed_for_a_big_commune(
    demo_store, tmp_path, monkeypatch
):
    from desktop.reports import exports

    listed, counted = tmp_path / "listed.xlsx", tmp_path / "counted.xlsx"
    export(demo_store, "xlsx", listed, period=PERIOD, today=TODAY)
    monkeypatch.setattr(exports, "FOLLOW_UP_ROW_LIMIT", 10)
    result = export(demo_store, "xlsx", counted, period=PERIOD, today=TODAY)
    assert result.counts["follow_up"] == 1
    note = openpyxl.load_workbook(counted, read_only=True)["Cần theo dõi"]["A5"].value
    assert "--hamlet" in note and "quá dài" in note
    # The counts add up to what the full list holds, item by item.
    rows = list(
        openpyxl.load_workbook(listed, read_only=True)["Cần theo dõi"].iter_rows(
            min_row=5, values_only=True
        )
    )
    listed_total = sum(len(r[6].split("; ")) for r in rows)
    counts = openpyxl.load_workbook(counted, read_only=True)["Theo dõi – tổng hợp"]
    assert sum(r[4] for r in counts.iter_rows(min_row=5, values_only=True)) == listed_total
