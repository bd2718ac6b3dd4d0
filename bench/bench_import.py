"""Issue 17's benchmark: a commune's own list imported into a 100,000-person store (2,000 with
--quick), from .xlsx and from the old .xls.

The list is laid out as hamlet heads keep it: one sheet per hamlet (named after it), a merged
title and date, the heading, then each household's head with the address and under it the
members with their relation and no address, blank rows between households, a totals row and
signatures. CCCD and phone numbers are number cells (leading zeros lost), birth dates are text
(dd/mm/yyyy) or a year. Each phase is timed: read (python-calamine), preview (layout, repairs,
matching against the store) and commit (one transaction through the services). Goal: under
10 s in all for 20,000 persons.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench import Result
from desktop.demo_profile import create_demo_profile
from desktop.reports.importer import commit_plan, plan_import, read_workbook
from desktop.services import Services
from desktop.store import Store
from gocua import demo

GROUP = "import"
HEADINGS = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Quan hệ với chủ hộ",
    "Số CCCD",
    "Địa chỉ",
    "Số điện thoại",
]
RELATION_VI = {
    "head": "Chủ hộ",
    "spouse": "Vợ",
    "child": "Con",
    "parent": "Mẹ",
    "grandchild": "Cháu",
    "other": "Em",
}


def list_rows(persons: int, hamlets: list[str], seed: int, today: dt.date):
    """{hamlet name: rows} of a head-and-members list of about ``persons`` persons."""
    commune = demo.generate(demo.households_for_persons(persons), seed=seed, today=today)
    members = defaultdict(list)
    for person in commune.persons:
        members[person["household_id"]].append(person)
    sheets: dict[str, list[list]] = {name: [] for name in hamlets}
    written = 0
    for index, household in enumerate(commune.households):
        people = sorted(members[household["id"]], key=lambda p: p["relation"] != "head")
        if not people or written >= persons:
            continue
        rows = sheets[hamlets[index % len(hamlets)]]
        for n, person in enumerate(people):
            born = person["birth_date"]
            shown = int(born) if len(born) == 4 else f"{born[8:10]}/{born[5:7]}/{born[:4]}"
            head = n == 0
            rows.append(
                [
                    len(rows) + 1 if head else None,
                    person["full_name"],
                    shown,
                    "Nam" if person["sex"] == "m" else "Nữ",
                    RELATION_VI[person["relation"]] if not head else "Chủ hộ",
                    int(person["cccd"]) if person["cccd"] else None,
                    f"{household['address']} (mới)" if head else None,
                    int(household["phone"]) if head and household.get("phone") else None,
                ]
            )
            written += 1
        rows.append([])
    return sheets, written


def _layout(name: str, rows: list[list]) -> list[list]:
    return [
        [f"DANH SÁCH HỘ GIA ĐÌNH {name.upper()}"],
        ["Ngày 15 tháng 3 năm 2026"],
        HEADINGS,
        *rows,
        ["Tổng cộng"],
        [None, "Người lập biểu", None, None, None, "Trưởng ấp"],
    ]


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    for name, rows in sheets.items():
        ws = book.add_worksheet(name[:31])
        ws.merge_range(0, 0, 0, 7, f"DANH SÁCH HỘ GIA ĐÌNH {name.upper()}")
        for r, row in enumerate(_layout(name, rows)[1:], start=1):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
    book.close()


def write_xls(path: Path, sheets: dict[str, list[list]]) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        ws = book.add_sheet(name[:31])
        ws.write_merge(0, 0, 0, 7, f"DANH SÁCH HỘ GIA ĐÌNH {name.upper()}")
        for r, row in enumerate(_layout(name, rows)[1:], start=1):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
    book.save(str(path))


def run(quick: bool) -> list[Result]:
    persons = 2_000 if quick else 100_000
    listed = 1_000 if quick else 20_000
    today = dt.date.today()
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        template = folder / "template.db"
        create_demo_profile(template, demo.households_for_persons(persons), seed=7, today=today)
        store = Store.open(template)
        with store.read() as conn:
            hamlets = [
                n for (n,) in conn.exec_driver_sql("SELECT name FROM areas WHERE kind = 'hamlet'")
            ]
        store.close()
        sheets, written = list_rows(listed, hamlets, seed=99, today=today)
        for kind, writer in (("xlsx", write_xlsx), ("xls", write_xls)):
            source = folder / f"danh_sach.{kind}"
            writer(source, sheets)
            db = folder / f"commune_{kind}.db"
            shutil.copyfile(template, db)
            store = Store.open(db)
            try:
                services = Services(store)
                started = time.perf_counter()
                book = read_workbook(source)
                read_s = time.perf_counter() - started
                with store.read() as conn:
                    plan = plan_import(conn, book, today=today)
                plan_s = time.perf_counter() - started - read_s
                outcome = commit_plan(services, plan)
                total = time.perf_counter() - started
            finally:
                store.close()
            results.append(
                Result(
                    GROUP,
                    f"import {written:,} persons, head-and-members list, "
                    f"{len(sheets)} sheets, .{kind} (read, preview, commit)",
                    total,
                    "s",
                    "< 10 s",
                    total < 10.0,
                    f"read {read_s:.1f} s, preview {plan_s:.1f} s, commit "
                    f"{total - read_s - plan_s:.1f} s; {outcome.persons:,} new persons in "
                    f"{len(outcome.household_ids):,} households, {outcome.changed:,} updated, "
                    f"{len(plan.skipped_rows):,} rows skipped, {len(plan.error_rows):,} errors; "
                    f"{source.stat().st_size / 1e6:.1f} MB",
                )
            )
    return results
