"""The app, its exports (XLSX, CSV, PDF) and the server name states, outcomes and indicators
with gocua's one table (gocua.names, and the catalogue for indicators): read each back and
compare."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import warnings
from pathlib import Path

import openpyxl
import pypdf
import pytest

from desktop.reports.exports import export
from desktop.reports.follow_up import follow_up_rows
from gocua import names
from gocua.catalogue import default_catalogue
from gocua.states import STATES
from gocua.validation import parse_period
from server.api import create_app
from server.settings import Settings
from tests.desktop.conftest import REF_YEAR, TODAY
from tests.server.world import CHEAP, Device, prepare_world

CATALOGUE = default_catalogue()
PERIOD = str(REF_YEAR)
INDICATOR_NAMES = {names.indicator_name(i) for i in CATALOGUE.indicators}
STATE_NAMES = {names.state_name(s) for s in STATES}
OUTCOME_NAMES = {n.vi for n in names.OUTCOME_NAMES.values()}
CODES = {i.code for i in CATALOGUE.indicators} | set(STATES) | set(names.OUTCOME_NAMES)


def words(text: str) -> str:
    return " ".join(text.split())


def pdf_text(path: Path) -> str:
    return words(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages))


@pytest.fixture(params=["vi", "en"])
def language(request, tmp_path):
    """The app's translation installed (English from the .ts, compiled here)."""
    from desktop.ui import i18n
    from desktop.ui.reports_pdf import ensure_app
    from gocua.resources import resource_path

    ensure_app()
    if request.param == "en":
        lrelease = Path(sys.executable).with_name("pyside6-lrelease")
        qm = tmp_path / "gocua_en.qm"
        source = resource_path("i18n", "gocua_en.ts")
        subprocess.run([str(lrelease), "-silent", str(source), "-qm", str(qm)], check=True)
        assert i18n.install("en", tmp_path)
    yield request.param
    i18n.install("vi")


def test_the_app_shows_the_table(language):
    from PySide6.QtCore import Qt

    from desktop.reports.summary import CoverageSummary
    from desktop.ui import labels
    from desktop.ui.dashboard import CoverageTableModel

    assert labels.language() == language
    for state in STATES:
        assert labels.state_name(state) == names.state_name(state, language)
        assert labels.state_short(state) == names.state_short(state, language)
    for outcome in names.OUTCOME_NAMES:
        assert labels.outcome_name(outcome) == names.outcome_name(outcome, language)
    # The dashboard's column headings and their tooltips.
    model = CoverageTableModel(CATALOGUE)
    period = parse_period(PERIOD)
    model.set_summary(CoverageSummary(period, None, "", [], CATALOGUE.indicators, {}, {}))
    for column, indicator in enumerate(CATALOGUE.indicators, start=1):
        heading = model.headerData(column, Qt.Orientation.Horizontal)
        tooltip = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        # two lines, so thirteen columns fit a laptop; the tooltip has the full name
        assert heading.replace("\n", " ") == names.indicator_short(
            CATALOGUE, indicator.code, language
        )
        assert tooltip == names.indicator_name(indicator, language)


def xlsx_cells(path: Path) -> dict[str, list[list]]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(min_row=5, values_only=True)] for ws in wb}


def test_the_exports_show_the_table_and_no_codes(demo_store, tmp_path):
    xlsx, csv_path, pdf = tmp_path / "r.xlsx", tmp_path / "r.csv", tmp_path / "r.pdf"
    from desktop.ui.reports_pdf import write_follow_up_pdf, write_pdf

    export(demo_store, "xlsx", xlsx, period=PERIOD, today=TODAY)
    export(demo_store, "csv", csv_path, period=PERIOD, today=TODAY)
    export(demo_store, "pdf", pdf, period=PERIOD, today=TODAY, pdf_writer=write_pdf)
    sheets = xlsx_cells(xlsx)

    # Indicators by name, every one of them; no internal code anywhere in the workbook.
    assert {row[1] for row in sheets["Tổng hợp"]} == INDICATOR_NAMES
    for title, rows in sheets.items():
        assert not CODES & {v for row in rows for v in row if isinstance(v, str)}, title
    # States and outcomes by the table's names.
    counted_states = {row[2] for row in sheets["Theo dõi – tổng hợp"]}
    assert counted_states and counted_states <= STATE_NAMES
    missing = [row[6] for row in sheets["Cần theo dõi"]]
    listed = {part.split(": ", 1)[1].split(" – ")[0] for m in missing for part in m.split("; ")}
    assert len(listed) >= 3 and listed <= STATE_NAMES
    visits = [row[7] for row in sheets["Cần theo dõi"] if row[7] != "Chưa thăm"]
    outcomes = {v.split(" – ", 1)[1] for v in visits}
    assert outcomes and outcomes <= OUTCOME_NAMES
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4}", v.split(" – ")[0]) for v in visits)

    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    assert {row[1] for row in rows} == INDICATOR_NAMES
    assert not CODES & {v for row in rows for v in row}

    text = pdf_text(pdf)
    for name in INDICATOR_NAMES:
        assert name in text, name

    with demo_store.read() as conn:
        follow_up = follow_up_rows(conn, CATALOGUE, REF_YEAR)[:80]
    walk = tmp_path / "walk.pdf"
    write_follow_up_pdf(follow_up, CATALOGUE, walk, "Danh sách")
    text = pdf_text(walk)
    shown = {m.state for row in follow_up for m in row.missing}
    assert len(shown) >= 3
    for state in shown:
        assert names.state_name(state) in text, state


def test_the_servers_report_names_indicators_as_the_app_does(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    url = f"sqlite:///{tmp_path / 'server.sqlite'}"
    prepare_world(url)
    app = create_app(Settings(database_url=url, **CHEAP))
    try:
        with TestClient(app) as http:
            leader = Device(http, "leader")
            answer = leader.get("/api/v1/reports/coverage", params={"area": "C1", "period": PERIOD})
            assert answer.status_code == 200, answer.text
    finally:
        app.state.engine.dispose()
    rows = answer.json()["rows"]
    for row in rows:
        indicator = CATALOGUE.indicator(row["indicator_code"])
        assert row["indicator_name"] == names.indicator_name(indicator)
    assert {row["indicator_name"] for row in rows} == INDICATOR_NAMES
