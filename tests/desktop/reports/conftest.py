"""Fixtures for the reports tests: Qt offscreen, messy spreadsheets to import."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HEADINGS = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Quan hệ với chủ hộ",
    "Địa chỉ",
    "Ấp/Thôn",
    "Số điện thoại",
]
# (values from "Họ và tên" on; the address of rows 5-7 is one merged cell)
MESSY_ROWS = {
    5: [
        "Nguyễn Văn Hùng",
        "12/03/1975",
        "Nam",
        92075123456,
        "Chủ hộ",
        "Số 5, đường liên ấp",
        "Bình Minh",
        912345678,
    ],
    6: ["Trần Thị Lan", 28630, "Nữ", "092178654321", "Vợ", None, "Ấp Bình Minh", None],
    7: ["Nguyễn Văn Nam", dt.datetime(2005, 1, 2), "nam", None, "Con", None, "Bình Minh", ""],
    9: ["Lê Thị Hoa", "1950", "Nữ", "092150111222", "Chủ hộ", "Số 7, kênh Xáng", "Bình Minh", None],
    10: [
        "Lê Thị Hoa Bé",
        "1950",
        "Nữ",
        "092150111222",
        "Chủ hộ",
        "Số 8, kênh Xáng",
        "Bình Minh",
        None,
    ],
    11: ["NGUYỄN VĂN HÙNG", "1975", "Nam", None, "Chủ hộ", "Số 9, hẻm 3", "Bình Minh", None],
    12: ["Phạm Văn Tư", "32/13/1980", "Nam", None, "Chủ hộ", "Số 10, hẻm 3", "Bình Minh", None],
    13: [
        "Trần Văn Yên",
        "1990-07-07",
        "Nam",
        "092090123123",
        "Chủ hộ",
        "Số 12, đường đan",
        "Ấp Không Có",
        None,
    ],
    15: [
        "Võ Thị Diễm",
        36000,
        "Nữ",
        "092 198 000 111",
        "Chủ hộ",
        "Số 20, đường đan",
        "Bình Minh",
        "+84 987 654 321",
    ],
    16: ["ĐẶNG VĂN CŨ", "1960", "Nam", None, "Chủ hộ", "Số 30, đường đan", "Bình Minh", None],
    17: [
        "Huỳnh Văn Khoa",
        "1980",
        "Nam",
        "092085000999",
        "Chủ hộ",
        "Số 31, đường đan",
        "Bình Minh",
        None,
    ],
}
EXISTING = {"full_name": "Đặng Văn Cũ", "birth_date": "1960"}


def write_messy_xlsx(path: Path) -> Path:
    """A list as communes keep them: a merged title, two heading rows with merged cells, blank
    rows, dates as text, serials and date cells, CCCD and phone numbers that lost their zero,
    duplicates, a wrong date, an unknown hamlet, a CCCD that disagrees with the birth year."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws["A1"] = "DANH SÁCH NHÂN KHẨU ẤP BÌNH MINH"
    ws.merge_cells("A1:I1")
    ws["B3"] = "Thông tin cá nhân"
    ws.merge_cells("B3:E3")
    for col, heading in enumerate(HEADINGS, start=1):
        letter = "ABCDEFGHI"[col - 1]
        if 2 <= col <= 5:
            ws.cell(row=4, column=col, value=heading)
        else:
            ws.cell(row=3, column=col, value=heading)
            ws.merge_cells(f"{letter}3:{letter}4")
    number = 1
    for line, values in MESSY_ROWS.items():
        ws.cell(row=line, column=1, value=number)
        number += 1
        for col, value in enumerate(values, start=2):
            if value is not None:
                ws.cell(row=line, column=col, value=value)
    ws.merge_cells("G5:G7")
    ws.cell(row=8, column=1, value=None)
    wb.save(path)
    return path


def write_messy_csv(path: Path, delimiter: str = ";") -> Path:
    """The same list as a CSV (semicolons, as Excel saves in a Vietnamese locale)."""
    import csv

    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(["DANH SÁCH NHÂN KHẨU"])
        writer.writerow([])
        writer.writerow([])
        writer.writerow(HEADINGS)
        for line in range(5, max(MESSY_ROWS) + 1):
            values = MESSY_ROWS.get(line)
            if values is None:
                writer.writerow([])
                continue
            values = list(values)
            if line in (6, 7):
                values[5] = MESSY_ROWS[5][5]
            if isinstance(values[1], dt.datetime):
                values[1] = values[1].strftime("%d/%m/%Y")
            writer.writerow([line - 4, *["" if v is None else v for v in values]])
    return path


@pytest.fixture
def messy_xlsx(tmp_path: Path) -> Path:
    return write_messy_xlsx(tmp_path / "danh_sach.xlsx")


@pytest.fixture
def messy_csv(tmp_path: Path) -> Path:
    return write_messy_csv(tmp_path / "danh_sach.csv")
