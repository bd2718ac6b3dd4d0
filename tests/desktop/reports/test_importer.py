"""Import of a messy spreadsheet: a clear per-row report, then exactly the valid rows, all or
nothing, through the services (so they sync)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.reports.importer import (
    BLANK,
    ERROR,
    FIELD_LABELS,
    OK,
    SYNONYMS,
    ImportFileError,
    commit_plan,
    match_heading,
    parse_date_cell,
    plan_import,
    read_table,
    repair_cccd,
)
from desktop.services import ValidationFailed
from desktop.store.search import search_persons
from gocua.text import fold
from gocua.validation import PROVINCE_CODES
from tests.desktop.conftest import HAMLET_A, last_outbox_id, member, outbox, snapshot_counts
from tests.desktop.reports.conftest import (
    BLANK_LINES,
    ERROR_LINES,
    EXISTING,
    VALID_LINES,
    write_messy_csv,
)

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def with_existing(services):
    services.register_household(HAMLET_A["id"], "Số 30, đường đan", members=[member(**EXISTING)])
    return services


def plan_for(store, path, **kwargs):
    table = read_table(path)
    with store.read() as conn:
        return plan_import(conn, table, today=TODAY, **kwargs)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_messy_file_gives_a_clear_per_row_report(store, with_existing, messy_xlsx, messy_csv, kind):
    plan = plan_for(store, messy_xlsx if kind == "xlsx" else messy_csv)
    by_line = {r.line: r for r in plan.rows}
    assert [n for n, r in by_line.items() if r.status == OK] == VALID_LINES
    assert [n for n, r in by_line.items() if r.status == ERROR] == ERROR_LINES
    assert all(by_line[n].status == BLANK for n in BLANK_LINES)
    report = plan.report_vi()
    expected = {
        10: "Trùng số CCCD với dòng 9",
        11: "Trùng họ tên và năm sinh với dòng 5 (cùng ấp)",
        12: "Ngày sinh không đọc được",
        13: "Không có ấp/thôn “Ấp Không Có” trong xã",
        16: "Đã có người cùng họ tên và năm sinh trong ấp này (Đặng Văn Cũ)",
        17: "Số CCCD ứng với năm sinh 1985, không khớp năm sinh 1980",
    }
    for line, message in expected.items():
        assert f"Dòng {line}: LỖI" in report and message in by_line[line].problems()
    assert "5 dòng hợp lệ (sẽ nhập 5 người trong 3 hộ); 6 dòng có lỗi" in report
    head, wife, son = (by_line[n].person for n in (5, 6, 7))
    assert head["cccd"] == "092075123456" and head["phone"] == "0912345678"
    assert "Đã thêm số 0 bị mất ở đầu CCCD" in by_line[5].problems()
    assert (head["birth_date"], wife["birth_date"], son["birth_date"]) == (
        "1975-03-12",
        "1978-05-20",
        "2005-01-02",
    )
    assert (head["relation"], wife["relation"], son["relation"]) == ("head", "spouse", "child")
    assert by_line[15].person["cccd"] == "092198000111"
    assert by_line[15].person["phone"] == "0987654321"
    household = next(h for h in plan.households if h.lines == [5, 6, 7])
    assert household.address == "Số 5, đường liên ấp" and household.phone == "0912345678"


def test_commit_writes_exactly_the_valid_rows_through_the_services(
    store, with_existing, messy_xlsx
):
    plan = plan_for(store, messy_xlsx)
    before = snapshot_counts(store)
    mark = last_outbox_id(store)
    outcome = commit_plan(with_existing, plan)
    after = snapshot_counts(store)
    assert after["households"] - before["households"] == 3 == len(outcome.household_ids)
    assert after["persons"] - before["persons"] == 5 == outcome.persons
    assert outcome.skipped_rows == ERROR_LINES
    queued = outbox(store, mark)
    assert [m["table_name"] for m in queued].count("persons") == 5
    assert all(m["op"] == "upsert" and m["base_version"] == 0 for m in queued)
    with store.read() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT full_name FROM persons")}
    assert names == {
        "Đặng Văn Cũ",
        "Nguyễn Văn Hùng",
        "Trần Thị Lan",
        "Nguyễn Văn Nam",
        "Lê Thị Hoa",
        "Võ Thị Diễm",
    }
    # The bulk write went through the same triggers: searchable, counted in coverage.
    with store.read() as conn:
        hits = search_persons(conn, "vo thi diem")
        facts = conn.exec_driver_sql(
            "SELECT area_id, counted FROM persons WHERE full_name = 'Võ Thị Diễm'"
        ).one()
    assert [h.full_name for h in hits] == ["Võ Thị Diễm"]
    assert tuple(facts) == (HAMLET_A["id"], 1)
    # Importing the same file again finds every row already there.
    again = plan_for(store, messy_xlsx)
    assert not again.valid_rows


def test_commit_is_all_or_nothing(store, with_existing, messy_xlsx):
    plan = plan_for(store, messy_xlsx)
    plan.households[-1].members.append({"full_name": "Sai CCCD", "cccd": "12345"})
    before = snapshot_counts(store)
    with pytest.raises(ValidationFailed) as failed:
        commit_plan(with_existing, plan)
    assert failed.value.errors[0].field.startswith("households[2].")
    assert snapshot_counts(store) == before


def test_hamlet_chosen_for_rows_without_a_hamlet_column(store, services, tmp_path):
    path = tmp_path / "ds.csv"
    path.write_text("Họ tên,Năm sinh,Địa chỉ\nLê Văn Tám,1970,Số 8\n,,\n", encoding="utf-8")
    without = plan_for(store, path)
    assert without.missing_fields == ["hamlet"] and "Chưa rõ ấp/thôn" in without.report_vi()
    plan = plan_for(store, path, hamlet_id=HAMLET_A["id"])
    assert [r.status for r in plan.rows] == [OK, BLANK]
    commit_plan(services, plan)
    with store.read() as conn:
        assert conn.exec_driver_sql("SELECT hamlet_id FROM households").scalar() == HAMLET_A["id"]


def test_the_user_can_correct_the_column_mapping(store, tmp_path):
    path = tmp_path / "ds.csv"
    path.write_text("Tên chủ hộ;Sinh;Nơi ở\nLê Văn Tám;1970;Số 8\n", encoding="utf-8-sig")
    plan = plan_for(store, path, hamlet_id=HAMLET_A["id"])
    assert plan.mapping == {0: "full_name", 1: None, 2: "address"}
    fixed = plan_for(
        store,
        path,
        hamlet_id=HAMLET_A["id"],
        mapping={0: "full_name", 1: "birth_date", 2: "address"},
    )
    assert fixed.valid_rows[0].person["birth_date"] == "1970"


def test_wrong_file_types_are_refused_in_vietnamese(tmp_path):
    png = tmp_path / "danh_sach.xlsx"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with pytest.raises(ImportFileError) as refused:
        read_table(png)
    assert "không phải bảng tính Excel" in refused.value.message_vi
    xls = tmp_path / "cu.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    with pytest.raises(ImportFileError, match="xls"):
        read_table(xls)
    not_xlsx = tmp_path / "nen.xlsx"
    with zipfile.ZipFile(not_xlsx, "w") as zf:
        zf.writestr("hello.txt", "xin chào")
    with pytest.raises(ImportFileError) as refused:
        read_table(not_xlsx)
    assert "không đọc được như bảng tính Excel" in refused.value.message_vi
    empty = tmp_path / "trong.csv"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="không có dữ liệu"):
        read_table(empty)


def test_cli_import_dry_run_then_commit(store, tmp_path):
    path = write_messy_csv(tmp_path / "ds.csv")
    db = str(store.path)
    store.close()
    run = [sys.executable, "-m", "desktop.cli", "import", "--db", db, str(path)]
    dry = subprocess.run([*run, "--dry-run"], capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0 and "Dòng 10: LỖI – Trùng số CCCD với dòng 9" in dry.stdout
    assert "nothing written" in dry.stdout
    done = subprocess.run(run, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Đã nhập 6 người trong 4 hộ." in done.stdout, done.stderr


# -- the parsers, by property --------------------------------------------------------------------

# Serials below 2200 (before 1906) read as years: nobody alive was born then.
dates = st.dates(min_value=dt.date(1906, 1, 1), max_value=TODAY)


@settings(deadline=None)  # the machine may be busy: time is not the property
@given(dates)
def test_dates_as_text_serials_and_cells_agree(day):
    iso = day.isoformat()
    serial = (day - dt.date(1899, 12, 30)).days
    forms = [
        day,
        dt.datetime.combine(day, dt.time()),
        serial,
        float(serial),
        str(serial),
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day:02d}-{day.month:02d}-{day.year}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
        iso,
        f"{iso} 00:00:00",
    ]
    if serial < 10_000:
        forms.remove(str(serial))  # four digits written as text are a year
    for form in forms:
        assert parse_date_cell(form, TODAY) == iso, form


@settings(deadline=None)  # the machine may be busy: time is not the property
@given(st.integers(min_value=1890, max_value=TODAY.year))
def test_a_year_alone_stays_a_year(year):
    assert parse_date_cell(year, TODAY) == parse_date_cell(str(year), TODAY) == str(year)


@settings(deadline=None)  # the machine may be busy: time is not the property
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY), st.sampled_from(["/", "-"]))
def test_impossible_dates_are_refused(day, sep):
    with pytest.raises(ValueError):
        parse_date_cell(f"{day.day + 31}{sep}{day.month}{sep}{day.year}", TODAY)


cccds = st.builds(
    lambda province, digit, year, serial: f"{province}{digit}{year:02d}{serial:06d}",
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.integers(0, 3),
    st.integers(0, 99),
    st.integers(0, 999_999),
)


@settings(deadline=None)  # the machine may be busy: time is not the property
@given(cccds)
def test_cccd_that_lost_its_leading_zeros_is_repaired(cccd):
    for form in (
        int(cccd),
        float(int(cccd)),
        str(int(cccd)),
        cccd,
        f"'{cccd}",
        f"{cccd[:3]} {cccd[3:6]} {cccd[6:]}",
        f"{cccd}.0",
    ):
        repaired, warning = repair_cccd(form)
        assert repaired == cccd, form
        assert (warning is not None) == (
            len(str(int(cccd))) < 12
            and not isinstance(form, str)
            or (isinstance(form, str) and form == str(int(cccd)) and len(form) < 12)
        )


@settings(deadline=None)  # the machine may be busy: time is not the property
@given(st.integers(min_value=100_000_000, max_value=999_999_999))
def test_nine_digits_is_an_old_cmnd_not_a_cccd(number):
    assert repair_cccd(number)[0] is None and "CMND" in repair_cccd(number)[1]


def test_cccd_in_scientific_notation_is_refused():
    with pytest.raises(ValueError) as refused:
        repair_cccd("9.21234E+10")
    assert "số mũ" in refused.value.message_vi


headings = st.sampled_from([(f, w) for f, words in SYNONYMS.items() for w in words])


@settings(deadline=None)  # the machine may be busy: time is not the property
@given(
    headings,
    st.sampled_from([str.upper, str.lower, str.title, lambda s: s]),
    st.sampled_from(["", " ", ":", " (*)", "  "]),
)
def test_heading_matching_ignores_case_spacing_and_decoration(pair, case, suffix):
    field, words = pair
    assert match_heading(case(words) + suffix) == field


@given(st.sampled_from(sorted(FIELD_LABELS.items())), st.sampled_from([str.upper, str.lower]))
@settings(max_examples=40, deadline=None)
def test_the_vietnamese_headings_match_with_or_without_accents(item, case):
    field, label = item
    assert match_heading(case(label)) == field
    assert match_heading(case(fold(label))) == field


def test_the_fast_xlsx_reader_agrees_with_openpyxl(tmp_path, messy_xlsx):
    """Shared strings, rich text, date formats, escapes, merges, several sheets."""
    import xlsxwriter

    from desktop.reports.importer import _read_xlsx, _read_xlsx_fast

    path = tmp_path / "shared.xlsx"
    wb = xlsxwriter.Workbook(str(path))  # shared strings (not constant_memory)
    wb.add_worksheet("Ghi chú").write(0, 0, "Không phải danh sách")
    ws = wb.add_worksheet("Danh sách <hộ> & người")
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, ["Họ và tên", "Ngày sinh", "Số CCCD", "Địa chỉ", "Ghi chú"])
    ws.write_string(1, 0, "Lê Văn A & B <C>")
    ws.write_datetime(1, 1, dt.datetime(1980, 5, 17), date)
    ws.write_number(1, 2, 92080123456)
    ws.merge_range(1, 3, 2, 3, "Số 1, “hẻm” 2", None)
    ws.write_rich_string(1, 4, "chữ ", bold, "đậm", " thường")
    ws.write_string(2, 0, "Trần Thị Ba")
    ws.write_number(2, 1, 1975)
    ws.write_boolean(2, 4, True)
    wb.close()
    for source in (path, messy_xlsx):
        fast, slow = _read_xlsx_fast(source), _read_xlsx(source)
        assert fast[2] == slow[2]
        for a, b in zip(fast[0], slow[0], strict=True):
            assert [None if v == "" else v for v in a] == [None if v == "" else v for v in b]
    cells = _read_xlsx_fast(path)[0]
    assert cells[1][:4] == [
        "Lê Văn A & B <C>",
        dt.datetime(1980, 5, 17),
        92080123456,
        "Số 1, “hẻm” 2",
    ]
    assert cells[2][3] == "Số 1, “hẻm” 2" and cells[1][4] == "chữ đậm thường"
