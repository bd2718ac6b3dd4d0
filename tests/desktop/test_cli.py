"""The headless commands: ``gocua demo``, ``gocua stats`` and ``gocua search``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.cli import main
from desktop.store import Store
from desktop.store.coverage import coverage_by_area
from desktop.store.schema import SYNCED_TABLES, Area
from gocua.catalogue import default_catalogue
from gocua.coverage import Tally
from gocua.text import fold

CATALOGUE = default_catalogue()
CELL = re.compile(r"^(?:—|\d+\.\d% \((\d+)/(\d+)\))$")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    assert main(["demo", "--db", str(path), "--households", "80", "--seed", "5"]) == 0
    return path


def parse_table(output: str) -> tuple[list[str], dict[str, list[str]]]:
    """The transposed text table: a header line of hamlets, then one line per indicator."""
    lines = [line for line in output.splitlines() if line.strip()]
    header, rule, *body = lines
    assert set(rule.replace(" ", "")) == {"-"}
    widths = [len(dashes) for dashes in rule.split("  ")]

    def cells(line: str) -> list[str]:
        out, start = [], 0
        for width in widths:
            out.append(line[start : start + width].strip())
            start += width + 2
        return out

    columns = cells(header)
    return columns, {cells(line)[0]: cells(line)[1:] for line in body}


def test_demo_creates_a_commune(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "d.db"
    assert main(["demo", "--db", str(path), "--households", "30", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    match = re.search(r"(\d+) hamlets, (\d+) households, (\d+) persons", out)
    assert match and int(match.group(2)) == 30
    store = Store.open(path)
    try:
        with store.read() as conn:
            households = conn.execute(select(SYNCED_TABLES["households"].c.id)).all()
            persons = conn.execute(select(SYNCED_TABLES["persons"].c.id)).all()
            hamlets = conn.execute(
                select(Area.__table__.c.id).where(Area.__table__.c.kind == "hamlet")
            ).all()
            outbox = conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar()
        assert len(households) == 30 and len(persons) == int(match.group(3))
        assert len(hamlets) == int(match.group(1)) and 8 <= len(hamlets) <= 15
        assert outbox == 0  # loaded as pulled: nothing to push
    finally:
        store.close()

    # Never into a store that already holds households.
    assert main(["demo", "--db", str(path), "--households", "5"]) == 1
    assert "already holds households" in capsys.readouterr().err


def test_stats_figures_equal_coverage_by_area(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", "--db", str(demo_db), "--lang", "en"]) == 0
    columns, rows = parse_table(capsys.readouterr().out)
    store = Store.open(demo_db)
    try:
        with store.read() as conn:
            tallies = coverage_by_area(conn, CATALOGUE, dt.date.today().year)
            names = dict(conn.execute(select(Area.__table__.c.id, Area.__table__.c.name)).all())
    finally:
        store.close()
    hamlets = {names[area] for area, _ in tallies}
    assert columns[0] == "Hamlet" and set(columns[1:-1]) == hamlets
    assert columns[-1] == "Commune total"
    assert list(rows) == [ind.name("en") for ind in CATALOGUE.indicators]

    by_name = {names[area]: area for area, _ in tallies}
    for indicator in CATALOGUE.indicators:
        line = rows[indicator.name("en")]
        total = Tally()
        for column, cell in zip(columns[1:], line, strict=True):
            match = CELL.match(cell)
            assert match, cell
            if column == "Commune total":
                expected = total
            else:
                expected = tallies[(by_name[column], indicator.code)]
                total.add(expected)
            if expected.eligible == 0:
                assert cell == "—"
            else:
                assert (int(match.group(1)), int(match.group(2))) == (
                    expected.covered,
                    expected.eligible,
                )
                assert cell.startswith(f"{expected.percent:.1f}%")


def test_stats_in_vietnamese_for_a_period(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", "--db", str(demo_db), "--period", f"{dt.date.today().year}-Q4"]) == 0
    columns, rows = parse_table(capsys.readouterr().out)
    assert columns[0] == "Ấp/thôn" and columns[-1] == "Toàn xã"
    assert list(rows) == [ind.name("vi") for ind in CATALOGUE.indicators]


def test_search_prints_matching_persons(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p, h = SYNCED_TABLES["persons"], SYNCED_TABLES["households"]
    store = Store.open(demo_db)
    try:
        with store.read() as conn:
            name, born, address = conn.execute(
                select(p.c.full_name, p.c.birth_date, h.c.address)
                .join(h, h.c.id == p.c.household_id)
                .where(p.c.cccd.is_not(None))
                .limit(1)
            ).one()
    finally:
        store.close()
    assert main(["search", "--db", str(demo_db), "--limit", "500", *fold(name).split()]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"{name}\t{born}\t{address}" in [line.rsplit("\t", 1)[0] for line in lines]
    for line in lines:  # every hit has every word of the query
        assert all(word in fold(line) for word in fold(name).split())

    assert main(["search", "--db", str(demo_db), "zzzzqqq"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "Nobody found" in captured.err


def test_commands_refuse_a_missing_database(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.db")
    with pytest.raises(SystemExit, match="no such database"):
        main(["stats", "--db", missing])
    with pytest.raises(SystemExit, match="no such database"):
        main(["search", "--db", missing, "duc"])
    assert not Path(missing).exists()
