"""Import of the household lists communes keep (issue 17): every source row's fate, the
households as head and members, every sheet, every format, legacy fonts, re-import."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.cli import main
from desktop.reports.importer import (
    CHANGED,
    CREATE,
    ERROR,
    FIELD_LABELS,
    IMPORTED,
    NEW,
    REPAIRED,
    SKIPPED,
    SYNONYMS,
    UNCHANGED,
    ImportFileError,
    commit_plan,
    match_heading,
    plan_import,
    read_workbook,
    relation_of,
    repair_cccd,
    repair_phone,
    report_vi,
)
from desktop.services import ValidationFailed
from desktop.store.areas import all_areas
from desktop.store.search import search_persons
from gocua import legacy_text
from gocua.states import RELATIONS
from gocua.text import fold
from gocua.validation import PROVINCE_CODES, FieldError
from tests.desktop.conftest import (
    HAMLET_A,
    HAMLET_B,
    last_outbox_id,
    member,
    outbox,
    snapshot_counts,
)
from tests.desktop.reports.conftest import EXISTING, write_messy_csv
from tests.desktop.reports.lists import (
    ERROR_ROWS,
    IMPORTED_ROWS,
    REPAIRED_ROWS,
    SKIPPED_ROWS,
    ListSheet,
    cp1258,
    household_list,
    in_legacy,
    write,
    write_csv,
)

TODAY = dt.date(2026, 11, 24)


def plan_for(store, path, **kwargs):
    book = read_workbook(path)
    with store.read() as conn:
        return plan_import(conn, book, today=TODAY, **kwargs)


def fates(plan, sheet=None):
    return {r.line: r.fate for r in plan.rows if sheet is None or r.sheet == sheet}


def lines(plan, fate, sheet=None):
    return sorted(n for n, f in fates(plan, sheet).items() if f == fate)


def by_line(plan, sheet=None):
    return {r.line: r for r in plan.rows if sheet is None or r.sheet == sheet}


def signature(plan):
    """What a plan says, format aside: every row's fate, person, household and messages."""
    return [
        (
            r.sheet,
            r.line,
            r.fate,
            r.person,
            r.household.first_line if r.household else None,
            r.household.address if r.household else None,
            r.household.hamlet_id if r.household else None,
            r.errors,
            r.repairs,
            r.notes,
        )
        for r in plan.rows
    ]


# -- the list as a hamlet head keeps it --------------------------------------------------------


def test_head_and_members_each_row_has_its_fate(store, tmp_path):
    plan = plan_for(store, write(tmp_path / "ds.xlsx", [household_list()]))
    assert lines(plan, SKIPPED) == SKIPPED_ROWS
    assert lines(plan, IMPORTED) == IMPORTED_ROWS
    assert lines(plan, REPAIRED) == REPAIRED_ROWS
    assert lines(plan, ERROR) == ERROR_ROWS
    rows = by_line(plan)
    # Skipped rows say why.
    reasons = {n: rows[n].notes[0] for n in SKIPPED_ROWS}
    assert reasons[1] == reasons[2] == "Tiêu đề phía trên bảng"
    assert reasons[3] == "Dòng ngày tháng phía trên bảng"
    assert reasons[5] == reasons[6] == "Hàng tiêu đề cột"
    assert reasons[7] == "Hàng đánh số cột"
    assert reasons[12] == reasons[16] == reasons[19] == "Dòng trống"
    assert reasons[28] == "Dòng tổng cộng"
    assert reasons[29] == reasons[31] == "Phần ký tên cuối danh sách"
    # Members join the head above them: address and hamlet carried down.
    households = {h.first_line: h for h in plan.households}
    assert sorted(households) == [8, 13, 17, 21, 26]
    assert [h.lines for h in households.values()] == [
        [8, 9, 10, 11],
        [13, 14, 15],
        [18],  # the head's CCCD is wrong: the head waits, his wife is imported
        [21, 22, 23, 24],
        [26],
    ]
    assert households[8].address == "Số 5, đường liên ấp" and households[8].head_line == 8
    assert all(h.hamlet_id == HAMLET_A["id"] for h in plan.households)  # the sheet's name
    assert households[8].phone == "0912345678" and households[13].phone == "0987654321"
    assert households[21].phone == "0912000111"  # "84912000111"
    people = {n: rows[n].person for n in IMPORTED_ROWS + REPAIRED_ROWS}
    assert people[8] == {
        "full_name": "Nguyễn Văn Hùng",
        "birth_date": "1975",
        "sex": "m",
        "relation": "head",
        "cccd": "092075123456",
        "phone": "0912345678",
    }
    assert people[9]["birth_date"] == "1978-03-21" and people[9]["sex"] == "f"
    assert people[10]["birth_date"] == "2005-01-02"  # a date cell
    assert people[11]["full_name"] == "Nguyễn Thị Mai" and people[11]["birth_date"] == "2010-04-03"
    assert people[13]["full_name"] == "Lê Thị Hoa" and people[13]["birth_date"] == "1950"
    assert people[15]["birth_date"] == "1985-03-21"  # Excel serial 31127 in the "Nữ" column
    assert [people[n]["relation"] for n in (14, 15, 21, 24)] == [
        "spouse",
        "child",  # "Con dâu"
        "head",  # "CH"
        "grandchild",
    ]
    # Repairs and errors say what and why.
    assert rows[8].repairs == [
        "Đã thêm số 0 bị mất ở đầu CCCD (ô dạng số): 92075123456 → 092075123456"
    ]
    assert rows[11].repairs == ["Ngày sinh: năm “10” hiểu là 2010"]
    assert rows[15].repairs == ["Ngày sinh: số 31127 là ngày kiểu Excel: 21/03/1985"]
    assert rows[17].errors == [
        "Số CCCD phải gồm 12 chữ số, ô này có 11 chữ số (ô dạng chữ: thiếu chữ số, không tự sửa)"
    ]
    assert "nằm trước mọi chủ hộ" in rows[20].errors[0] and "“Con”" in rows[20].errors[0]
    assert plan.count(NEW) == 13 and len(plan.new_households) == 5


@pytest.mark.parametrize("kind", [".xls", ".ods"])
def test_xls_and_ods_copies_give_the_same_plan(store, tmp_path, kind):
    sheets = [household_list()]
    xlsx = plan_for(store, write(tmp_path / "ds.xlsx", sheets))
    other = plan_for(store, write(tmp_path / f"ds{kind}", sheets))
    assert other.workbook.kind == kind[1:]
    assert signature(other) == signature(xlsx)


def test_a_csv_copy_gives_the_same_people(store, tmp_path):
    """CSV has no cell types: digits there are what Excel writes for a number cell, so the
    11-digit CCCD typed as text (row 17) reads as a number that lost its zero."""
    sheet = household_list()
    xlsx = plan_for(store, write(tmp_path / "ds.xlsx", [sheet]))
    path = write_csv(tmp_path / "ds.csv", sheet, encoding="cp1258", delimiter=",")
    csv_plan = plan_for(store, path, hamlet_id=HAMLET_A["id"])
    assert csv_plan.workbook.encoding == "windows-1258"
    assert fates(csv_plan) == {**fates(xlsx), 17: REPAIRED}
    people = {r.line: r.person for r in xlsx.valid_rows}
    assert {r.line: r.person for r in csv_plan.valid_rows if r.line != 17} == people


def test_commit_writes_the_households_through_the_services(store, services, tmp_path):
    plan = plan_for(store, write(tmp_path / "ds.xlsx", [household_list()]))
    before, mark = snapshot_counts(store), last_outbox_id(store)
    outcome = commit_plan(services, plan)
    after = snapshot_counts(store)
    assert after["households"] - before["households"] == 5 == len(outcome.household_ids)
    assert after["persons"] - before["persons"] == 13 == outcome.persons
    assert outcome.skipped_rows == ERROR_ROWS
    queued = outbox(store, mark)
    assert [m["table_name"] for m in queued].count("persons") == 13
    assert all(m["op"] == "upsert" and m["base_version"] == 0 for m in queued)
    with store.read() as conn:
        hits = search_persons(conn, "pham thi be")
        heads = conn.exec_driver_sql(
            "SELECT h.address, p.full_name FROM households h JOIN persons p "
            "ON p.household_id = h.id WHERE p.relation = 'head' ORDER BY h.address"
        ).all()
    assert [h.full_name for h in hits] == ["Phạm Thị Bé"]
    assert [tuple(h) for h in heads] == [
        ("Số 31, đường đan", "Huỳnh Văn Khoa"),
        ("Số 40, ấp Bình Minh", "Trương Văn Mười"),
        ("Số 5, đường liên ấp", "Nguyễn Văn Hùng"),
        ("Số 7, kênh Xáng", "Lê Thị Hoa"),
    ]


def test_commit_is_all_or_nothing(store, services, tmp_path):
    plan = plan_for(store, write(tmp_path / "ds.xlsx", [household_list()]))
    plan.households[-1].rows[0].person["cccd"] = "12345"
    before = snapshot_counts(store)
    with pytest.raises(ValidationFailed) as failed:
        commit_plan(services, plan)
    assert failed.value.errors[0].field.startswith("households[4].")
    assert snapshot_counts(store) == before


# -- every sheet, hamlets ------------------------------------------------------------------------


def hamlet_sheet(name: str, people: list[tuple]) -> ListSheet:
    rows = [
        [f"DANH SÁCH HỘ {name.upper()}"],
        ["Họ và tên", "Ngày sinh", "Giới tính", "Quan hệ", "Địa chỉ", "SĐT"],
        *[list(p) for p in people],
    ]
    return ListSheet(name, rows, [(0, 0, 0, 5)])


def several_hamlets() -> list[ListSheet]:
    return [
        ListSheet("Ghi chú", [["Danh sách do trưởng ấp lập"], ["Cập nhật tháng 3"]]),
        hamlet_sheet(
            "Bình Minh",
            [
                ("Trần Văn Một", "1970", "Nam", "Chủ hộ", "Số 1", "0911111111"),
                ("Lê Thị Hai", "1972", "Nữ", "Vợ", None, None),
            ],
        ),
        hamlet_sheet(
            "Đông Hòa",
            [
                ("Ngô Văn Ba", "12/12/1965", "Nam", "Chủ hộ", "Số 3", None),
                (None, None, None, None, None, None),
                ("Đỗ Thị Tư", "1980", "Nữ", "Chủ hộ", "Số 4", None),
                ("Đỗ Văn Năm", "2008", "Nam", "Con", None, None),
            ],
        ),
        hamlet_sheet(
            "Ấp Mới",
            [("Phan Văn Sáu", "1990", "Nam", "Chủ hộ", "Số 6", None)],
        ),
    ]


def test_every_sheet_is_read_and_a_sheet_named_after_a_hamlet_fills_it(store, tmp_path):
    plan = plan_for(store, write(tmp_path / "ds.xlsx", several_hamlets()))
    notes = {s.name: s.note_vi for s in plan.sheets}
    assert "Không thấy hàng tiêu đề cột" in notes["Ghi chú"]
    assert not any(r.sheet == "Ghi chú" for r in plan.rows)
    assert fates(plan, "Bình Minh") == {1: SKIPPED, 2: SKIPPED, 3: IMPORTED, 4: IMPORTED}
    assert fates(plan, "Đông Hòa") == {
        1: SKIPPED,
        2: SKIPPED,
        3: IMPORTED,
        4: SKIPPED,
        5: IMPORTED,
        6: IMPORTED,
    }
    hamlets = {(h.sheet, h.first_line): h.hamlet_id for h in plan.households}
    assert hamlets == {
        ("Bình Minh", 3): HAMLET_A["id"],
        ("Đông Hòa", 3): HAMLET_B["id"],
        ("Đông Hòa", 5): HAMLET_B["id"],
        ("Ấp Mới", 3): None,
    }
    # The unknown hamlet waits for the user's choice: its row is not imported yet.
    assert [(h.name, h.rows, h.choice) for h in plan.unknown_hamlets] == [("Ấp Mới", 1, None)]
    assert plan.can_create_hamlets  # the profile has not joined a server commune
    (waiting,) = [r for r in plan.rows if r.sheet == "Ấp Mới" and r.kind == "data"]
    assert waiting.fate == ERROR and "Ấp “Ấp Mới” chưa có trong xã" in waiting.errors[0]
    assert "Ấp “Ấp Mới” chưa có trong xã (1 dòng)" in report_vi(plan)


def test_an_unknown_hamlet_is_mapped_or_created(store, services, tmp_path):
    path = write(tmp_path / "ds.xlsx", several_hamlets())
    key = plan_for(store, path).unknown_hamlets[0].key
    mapped = plan_for(store, path, hamlet_choices={key: HAMLET_B["id"]})
    assert lines(mapped, IMPORTED, "Ấp Mới") == [3]
    assert mapped.households[-1].hamlet_id == HAMLET_B["id"]
    created = plan_for(store, path, hamlet_choices={key: CREATE})
    assert lines(created, IMPORTED, "Ấp Mới") == [3]
    outcome = commit_plan(services, created)
    assert outcome.hamlets_created == 1 and outcome.persons == 6
    with store.read() as conn:
        local = [a for a in all_areas(conn) if a.local]
        hamlet_of = conn.exec_driver_sql(
            "SELECT h.hamlet_id FROM households h JOIN persons p ON p.household_id = h.id "
            "WHERE p.full_name = 'Phan Văn Sáu'"
        ).scalar()
    assert [(a.id, a.name, a.kind) for a in local] == [("LOCAL-01", "Ấp Mới", "hamlet")]
    assert hamlet_of == "LOCAL-01"
    # Now the hamlet is known: the same list plans without asking.
    again = plan_for(store, path)
    assert not again.unknown_hamlets and again.count(UNCHANGED) == 6


def test_a_joined_profile_cannot_create_a_hamlet(store, tmp_path):
    from desktop.store.state_keys import COMMUNE_ID

    with store.write() as conn:
        COMMUNE_ID.set(conn, "X9001")
    path = write(tmp_path / "ds.xlsx", several_hamlets())
    key = plan_for(store, path).unknown_hamlets[0].key
    plan = plan_for(store, path, hamlet_choices={key: CREATE})
    assert not plan.can_create_hamlets
    assert plan.unknown_hamlets[0].choice is None and lines(plan, ERROR, "Ấp Mới") == [3]


def test_a_hamlet_row_between_households_places_the_ones_under_it(store, tmp_path):
    sheet = ListSheet(
        "Danh sách",
        [
            ["STT", "Họ và tên", "Năm sinh", "Quan hệ với chủ hộ", "Số nhà"],
            ["I", "ẤP BÌNH MINH"],
            [1, "Trần Văn Một", 1970, "Chủ hộ", "Số 1"],
            ["II", "ẤP ĐÔNG HÒA"],
            [1, "Ngô Văn Ba", 1965, "Chủ hộ", "Số 3"],
            [None, "Ngô Thị Bốn", 1967, "Vợ"],
        ],
        [(1, 1, 1, 4), (3, 1, 3, 4)],
    )
    plan = plan_for(store, write(tmp_path / "ds.xlsx", [sheet]))
    assert fates(plan) == {
        1: SKIPPED,
        2: SKIPPED,
        3: IMPORTED,
        4: SKIPPED,
        5: IMPORTED,
        6: IMPORTED,
    }
    assert "Dòng tên ấp" in by_line(plan)[2].notes[0]
    assert [h.hamlet_id for h in plan.households] == [HAMLET_A["id"], HAMLET_B["id"]]


# -- legacy fonts ------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", [legacy_text.TCVN3, legacy_text.VNI])
def test_a_list_typed_in_a_legacy_font_gives_the_same_people(store, tmp_path, encoding):
    unicode = plan_for(store, write(tmp_path / "u.xlsx", [household_list()]))
    legacy = in_legacy(household_list(), encoding)
    assert legacy.rows[7][1] != "Nguyễn Văn Hùng"  # really typed in the old font
    plan = plan_for(store, write(tmp_path / "legacy.xls", [legacy]))
    (sheet,) = plan.sheets
    assert sheet.legacy.encoding == encoding and sheet.heading_line == 5
    assert fates(plan) == fates(unicode)
    assert [r.person for r in plan.rows] == [r.person for r in unicode.rows]
    assert [h.address for h in plan.households] == [h.address for h in unicode.households]
    # The preview shows the converted text, and can show what the file said.
    row = by_line(plan)[9]
    assert row.values["full_name"] == "Trần Thị Lan"
    assert row.legacy["full_name"] == legacy.rows[8][1]
    assert "đã được chuyển sang Unicode" in report_vi(plan)


def test_a_unicode_list_is_never_converted(store, tmp_path):
    plan = plan_for(store, write(tmp_path / "u.xlsx", [household_list()]))
    assert plan.sheets[0].legacy.encoding is None and not plan.sheets[0].legacy.converted


def test_a_legacy_csv_is_read_from_its_bytes(store, tmp_path):
    legacy = in_legacy(household_list(), legacy_text.TCVN3)
    path = write_csv(tmp_path / "abc.csv", legacy, encoding="latin-1", delimiter="\t")
    plan = plan_for(store, path, hamlet_id=HAMLET_A["id"])
    assert plan.workbook.encoding.startswith("latin-1")
    assert by_line(plan)[9].person["full_name"] == "Trần Thị Lan"


# -- re-import ---------------------------------------------------------------------------------


def edited_list() -> ListSheet:
    """The same list a few months later: a wife's birth day corrected, a new baby, a phone
    changed, household 3's head's CCCD fixed, the stray row gone."""
    sheet = household_list()
    rows = [list(r) for r in sheet.rows]
    rows[8][3] = "22/03/1978"  # Trần Thị Lan
    rows[12][7] = "0977111222"  # Lê Thị Hoa's phone (the household's too)
    rows[16][5] = "092060123456"  # Võ Văn Sáu, now with 12 digits
    rows[19] = []  # Đinh Văn Lạc's row removed
    rows.insert(24, [None, "Huỳnh Thị Na", None, 2026, "Cháu"])
    return ListSheet(
        sheet.name, rows, [m if m[0] < 24 else (m[0] + 1, *m[1:]) for m in sheet.merges]
    )


def test_reimporting_an_edited_list_updates_what_changed(store, services, tmp_path):
    first = plan_for(store, write(tmp_path / "ds.xlsx", [household_list()]))
    commit_plan(services, first)
    plan = plan_for(store, write(tmp_path / "ds2.xlsx", [edited_list()]))
    rows = by_line(plan)
    changes = {r.line: r.change for r in plan.rows if r.valid}
    assert changes == {
        8: UNCHANGED,
        9: CHANGED,
        10: UNCHANGED,
        11: UNCHANGED,
        13: CHANGED,
        14: UNCHANGED,
        15: UNCHANGED,
        17: NEW,  # the head, refused the first time, joins his household
        18: UNCHANGED,
        21: UNCHANGED,
        22: UNCHANGED,
        23: UNCHANGED,
        24: UNCHANGED,
        25: NEW,
        27: UNCHANGED,
    }
    assert (plan.count(NEW), plan.count(CHANGED), plan.count(UNCHANGED)) == (2, 2, 11)
    assert rows[9].changed_fields == {"birth_date": "1978-03-22"}
    assert rows[13].changed_fields == {"phone": "0977111222"}
    assert not plan.new_households  # every household was there already
    assert "Sẽ nhập 2 người mới (0 hộ mới), cập nhật 2 người đã có, 11 người không đổi" in (
        plan.summary_vi()
    )
    before, mark = snapshot_counts(store), last_outbox_id(store)
    outcome = commit_plan(services, plan)
    assert (outcome.persons, outcome.changed, outcome.household_ids) == (2, 2, [])
    assert outcome.households_changed == 1  # household 2's phone
    after = snapshot_counts(store)
    assert after["persons"] - before["persons"] == 2
    assert after["households"] == before["households"]
    queued = outbox(store, mark)
    assert len(queued) == 2 + 3  # two new persons; two persons' and a household's edits
    edits = [m["fields"] for m in queued if "full_name" not in m["fields"]]
    assert sorted(json.dumps(f, ensure_ascii=False) for f in edits) == sorted(
        [
            '{"birth_date": "1978-03-22"}',
            '{"phone": "0977111222"}',
            '{"phone": "0977111222"}',
        ]
    )
    # A third import of the same list finds everything as it is.
    third = plan_for(store, write(tmp_path / "ds3.xlsx", [edited_list()]))
    assert (third.count(NEW), third.count(CHANGED), third.count(UNCHANGED)) == (0, 0, 15)
    assert not third.writes


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_old_messy_list_against_a_person_already_there(
    store, services, messy_csv, messy_xlsx, kind
):
    """A list with a relation column, one household's address in a merged cell, two heading
    rows, duplicates, a wrong date, an unknown hamlet, a CCCD that disagrees with the birth
    year (the .xlsx written by openpyxl, the CSV as Excel saves it)."""
    services.register_household(HAMLET_A["id"], "Số 30, đường đan", members=[member(**EXISTING)])
    plan = plan_for(store, messy_csv if kind == "csv" else messy_xlsx)
    assert lines(plan, IMPORTED) == [7, 9, 11, 16]
    assert lines(plan, REPAIRED) == [5, 6, 15]  # lost zeros; Excel serials written as text
    assert lines(plan, ERROR) == [10, 12, 13, 17]
    rows = by_line(plan)
    assert rows[10].errors == ["Trùng số CCCD với dòng 9"]
    assert "Ngày “32/13/1980” không có trên lịch" in rows[12].errors[0]
    assert "Ấp “Ấp Không Có” chưa có trong xã" in rows[13].errors[0]
    assert "Số CCCD ứng với năm sinh 1985, không khớp năm sinh 1980" in rows[17].errors[0]
    assert "Cùng họ tên và năm sinh với dòng 5 (cùng ấp)" in rows[11].notes[0]
    # ĐẶNG VĂN CŨ is the person already there: found, with what the list adds.
    assert rows[16].change == CHANGED and rows[16].person_id
    assert rows[16].changed_fields == {"sex": "m", "relation": "head"}
    assert rows[16].person["full_name"] == "Đặng Văn Cũ"


# -- files that are not lists ----------------------------------------------------------------


def test_files_that_are_not_tables_get_one_vietnamese_sentence(tmp_path):
    good = write(tmp_path / "good.xlsx", [household_list()])
    cases = {
        "hong.xlsx": good.read_bytes()[:1500],  # cut short: a damaged download
        "rac.xlsx": bytes(range(256)) * 8,  # random bytes
        "tai_lieu.xlsx": b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        "anh.xlsx": b"\x89PNG\r\n\x1a\n" + bytes(100),
        "trong.xlsx": b"",
        "trang_web.xls": b"<html><body><table><tr><td>Ho ten</td></tr></table></body></html>",
        "cu.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
    }
    expected = {
        "hong.xlsx": "bị hỏng",
        "rac.xlsx": "không phải bảng tính",
        "tai_lieu.xlsx": "là một tài liệu PDF, không phải bảng tính",
        "anh.xlsx": "là một ảnh",
        "trong.xlsx": "trống",
        "trang_web.xls": "trang web",
        "cu.xls": "bị hỏng",
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(ImportFileError) as refused:
            read_workbook(path)
        message = refused.value.message_vi
        assert expected[name] in message and name in message, (name, message)
        assert "Error" not in message and "_csv" not in message and "\n" not in message


def test_csv_encodings_and_delimiters(tmp_path):
    text = "Họ và tên;Năm sinh;Địa chỉ\nLê Văn Tám;1970;Số 8 ấp Bình Minh\n"
    for encoding, delimiter in (("utf-8", ";"), ("utf-8-sig", ","), ("cp1258", "\t")):
        path = tmp_path / f"ds_{encoding}.csv"
        text = text.replace(";", delimiter)
        path.write_bytes(cp1258(text) if encoding == "cp1258" else text.encode(encoding))
        book = read_workbook(path)
        assert book.sheets[0].rows[1] == ["Lê Văn Tám", "1970", "Số 8 ấp Bình Minh"], encoding


def test_cli_dry_run_json_gives_each_rows_fate(store, tmp_path, capsys):
    path = write(tmp_path / "ds.xlsx", [household_list()])
    db = str(store.path)
    store.close()
    assert main(["import", "--db", db, str(path), "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    records = {r["row"]: r for r in out["rows"]}
    assert sorted(n for n, r in records.items() if r["fate"] == "skipped") == SKIPPED_ROWS
    assert sorted(n for n, r in records.items() if r["fate"] == "imported") == IMPORTED_ROWS
    assert sorted(n for n, r in records.items() if r["fate"] == "repaired") == REPAIRED_ROWS
    assert sorted(n for n, r in records.items() if r["fate"] == "error") == ERROR_ROWS
    assert records[10]["household"]["address"] == "Số 5, đường liên ấp"
    assert records[10]["household"]["head_row"] == 8 and records[10]["sheet"] == "Ấp Bình Minh"
    assert records[28]["messages"] == ["Dòng tổng cộng"]
    assert records[20]["household"] is None and "chủ hộ" in records[20]["messages"][0]
    assert out["counts"]["new"] == 13 and out["counts"]["error"] == 2
    assert main(["import", "--db", db, str(path)]) == 0
    assert "Đã nhập 13 người mới trong 5 hộ mới." in capsys.readouterr().out
    assert main(["import", "--db", db, str(path)]) == 1  # nothing new the second time
    assert "không có gì để nhập" in capsys.readouterr().err


def test_cli_refuses_a_non_table_in_vietnamese(store, tmp_path, capsys):
    fake = tmp_path / "ds.xlsx"
    fake.write_bytes(b"%PDF-1.4 not a list")
    db = str(store.path)
    store.close()
    assert main(["import", "--db", db, str(fake), "--dry-run"]) == 1
    assert "là một tài liệu PDF" in capsys.readouterr().err


def test_cli_messy_csv_report(store, tmp_path, capsys):
    path = write_messy_csv(tmp_path / "ds.csv")
    services_db = str(store.path)
    store.close()
    assert main(["import", "--db", services_db, str(path), "--dry-run"]) == 0
    assert "Dòng 10: LỖI – Trùng số CCCD với dòng 9" in capsys.readouterr().out


# -- cells, by property ------------------------------------------------------------------------

cccds = st.builds(
    lambda province, digit, year, serial: f"{province}{digit}{year:02d}{serial:06d}",
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.integers(0, 3),
    st.integers(0, 99),
    st.integers(0, 999_999),
)


@settings(deadline=None)  # the machine may be busy: time is not the property
@given(cccds)
def test_a_number_cell_cccd_gets_its_zero_back_a_text_one_does_not(cccd):
    as_number = int(cccd)
    repaired, note = repair_cccd(as_number, True)
    assert repaired == cccd and (note is not None) == (len(str(as_number)) < 12)
    assert repair_cccd(float(as_number), True)[0] == cccd
    for form in (cccd, f"'{cccd}", f"{cccd[:3]} {cccd[3:6]} {cccd[6:]}", f"{cccd[:4]}.{cccd[4:]}"):
        assert repair_cccd(form, False) == (cccd, None)
    if len(str(as_number)) == 11:
        with pytest.raises(FieldError) as refused:
            repair_cccd(str(as_number), False)
        assert "11 chữ số" in refused.value.message_vi and refused.value.field == "cccd"


def test_cccd_in_scientific_notation_and_old_cmnd():
    with pytest.raises(FieldError) as refused:
        repair_cccd("9.21234E+10", False)
    assert "số mũ" in refused.value.message_vi
    assert repair_cccd(123456789, True)[0] is None and "CMND" in repair_cccd(123456789, True)[1]


@settings(deadline=None)
@given(st.from_regex(r"0[35789][0-9]{8}", fullmatch=True), st.sampled_from(["+84", "84", "0"]))
def test_phone_prefixes_spaces_dots_and_apostrophes(phone, prefix):
    body = phone[1:]
    typed = f"'{prefix}{body[:2]} {body[2:5]}.{body[5:]}"
    assert repair_phone(typed) == (phone, None)
    assert repair_phone(int(body)) == (
        phone,
        f"Đã thêm số 0 bị mất ở đầu số điện thoại ({body} → {phone})",
    )


KNOWN_RELATIONS = {
    "Chủ hộ": "head",
    "CH": "head",
    "chu ho": "head",
    "Vợ": "spouse",
    "Chồng": "spouse",
    "Con": "child",
    "Con dâu": "child",
    "Con rể": "child",
    "Con trai": "child",
    "Bố": "parent",
    "Cha": "parent",
    "Mẹ": "parent",
    "Ba": "parent",
    "Cháu": "grandchild",
    "Cháu nội": "grandchild",
    "Ông": "other",
    "Bà": "other",
    "Anh": "other",
    "Chị": "other",
    "Em": "other",
    "Mẹ vợ": "other",
    "Vợ chủ hộ": "spouse",
}


@settings(deadline=None)
@given(
    st.sampled_from(sorted(KNOWN_RELATIONS.items())),
    st.sampled_from([str.upper, str.lower, str.title, lambda s: s]),
    st.sampled_from(["", " ", ".", "  ", ":"]),
)
def test_relation_words_map_whatever_their_case_and_spacing(item, case, suffix):
    word, relation = item
    assert relation_of(f" {case(word)}{suffix}") == relation


@settings(deadline=None)
@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=False), st.none()))
def test_the_relation_mapping_is_total(value):
    relation = relation_of(value)
    blank = value is None or (isinstance(value, str) and not value.strip())
    assert (relation is None) == blank
    assert blank or relation in RELATIONS


headings = st.sampled_from([(f, w) for f, words in SYNONYMS.items() for w in words])


@settings(deadline=None)
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
