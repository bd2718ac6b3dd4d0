"""The leader's widgets, offscreen: dashboard, targets, follow-up list, import dialog."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from desktop.reports import export_log
from desktop.reports.summary import vi_int, vi_percent
from desktop.ui.dashboard import COUNTS, TO_REACH, CoverageDashboard
from desktop.ui.follow_up_list import FollowUpListWidget
from desktop.ui.import_dialog import (
    ERROR_COLOUR,
    LEGACY_COLOUR,
    REPAIR_COLOUR,
    SKIP_COLOUR,
    ImportDialog,
)
from desktop.ui.import_dialog import (
    NOTES_COLUMN as NOTES,
)
from desktop.ui.targets import TargetsEditor
from gocua.catalogue import default_catalogue
from gocua.coverage import coverage_percent, roll_up
from tests.desktop.conftest import (
    COMMUNE,
    HAMLET_A,
    HAMLET_B,
    REF_YEAR,
    TODAY,
    member,
    outbox,
    reference_coverage,
    snapshot_counts,
)

pytestmark = pytest.mark.gui
IMPORT_TODAY = dt.date(2026, 11, 24)
CATALOGUE = default_catalogue()


def type_text(widget, text: str) -> None:
    """Type as an input method does (Vietnamese with Telex/VNI arrives as committed text)."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def dashboard(qtbot, demo_store, demo_services):
    widget = CoverageDashboard(demo_store, demo_services, today=lambda: TODAY)
    qtbot.addWidget(widget)
    with qtbot.waitSignals([widget.refreshed, widget.progress_ready], timeout=10_000):
        widget.refresh()
    return widget


def test_dashboard_numbers_are_the_core_arithmetic(dashboard, demo_store):
    model = dashboard.model
    with demo_store.read() as conn:
        reference = reference_coverage(conn)
        parents = dict(conn.exec_driver_sql("SELECT id, parent_id FROM areas").all())
    rolled = roll_up(reference, parents)
    summary = dashboard.data.summary
    assert model.rowCount() == len(summary.hamlets) + 1
    for row, (hamlet_id, name) in enumerate([*summary.hamlets, (COMMUNE["id"], "Toàn xã")]):
        assert model.index(row, 0).data() == name
        for column, indicator in enumerate(CATALOGUE.indicators, start=1):
            tally = (rolled if hamlet_id == COMMUNE["id"] else reference)[
                (hamlet_id, indicator.code)
            ]
            cell = model.cell(row, column)
            assert (cell.eligible, cell.covered) == (tally.eligible, tally.covered)
            shown = model.index(row, column).data()
            assert shown == vi_percent(coverage_percent(tally.covered, tally.eligible))
    dashboard.mode.setCurrentIndex(dashboard.mode.findData(COUNTS))
    total = len(summary.hamlets)
    bank = 1 + [i.code for i in CATALOGUE.indicators].index("bank_15plus")
    cell = model.cell(total, bank)
    assert model.index(total, bank).data() == f"{vi_int(cell.covered)}/{vi_int(cell.eligible)}"
    dashboard.mode.setCurrentIndex(dashboard.mode.findData(TO_REACH))
    assert model.index(total, bank).data() == vi_int(cell.to_reach)
    assert model.index(0, bank).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert dashboard.volunteers.rowCount() == 3
    assert dashboard.bar_view.chart().series() and dashboard.line_view.chart().series()


def _exported(qtbot, widget, signal, *args):
    """An export started as the buttons start it (off the GUI thread), once written."""
    start = widget.export_to if hasattr(widget, "export_to") else widget.export_xlsx
    with qtbot.waitSignal(signal, timeout=20_000) as blocker:
        start(*args)
    return blocker.args[0]


def test_exports_from_the_dashboard_show_its_figures(qtbot, dashboard, tmp_path):
    model = dashboard.model
    total = model.rowCount() - 1
    shown = {ind.code: model.cell(total, col) for col, ind in enumerate(CATALOGUE.indicators, 1)}
    xlsx = _exported(qtbot, dashboard, dashboard.exported, "xlsx", tmp_path / "r.xlsx").path
    matrix = openpyxl.load_workbook(xlsx, data_only=True)["Bảng tỷ lệ"]
    totals_row = [c.value for c in matrix[5 + total]]
    assert totals_row[0] == "Toàn xã"
    assert totals_row[1:] == [shown[i.code].percent for i in CATALOGUE.indicators]
    pdf = _exported(qtbot, dashboard, dashboard.exported, "pdf", tmp_path / "r.pdf").path
    lines = "\n".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages).splitlines()
    lines = [" ".join(line.split()) for line in lines]
    for cell in shown.values():
        assert vi_percent(cell.percent) in lines and vi_int(cell.covered) in lines
    assert [e["format"] for e in export_log.read_entries(dashboard.store.path.parent)] == [
        "xlsx",
        "pdf",
    ]


def test_targets_typed_in_the_grid_are_saved_and_synced(qtbot, store, services):
    services.register_household(HAMLET_A["id"], "Số 1", members=[member("Lê Văn An")])
    editor = TargetsEditor(store, services, today=lambda: TODAY)
    qtbot.addWidget(editor)
    editor.show()
    model = editor.model
    qtbot.waitUntil(lambda: not model.busy)  # read off the GUI thread
    rows = [a for a, _ in model.areas]
    bank = [i.code for i in CATALOGUE.indicators].index("bank_15plus")
    assert rows[0] == COMMUNE["id"]
    hamlet_b = model.index(rows.index(HAMLET_B["id"]), bank)
    assert hamlet_b.data() == "75,0"  # the national default, inherited
    commune_cell = model.index(0, bank)
    editor.table.setCurrentIndex(commune_cell)
    editor.table.edit(commune_cell)
    line_edit = editor.table.focusWidget()
    type_text(line_edit, "82,5")
    with qtbot.waitSignal(model.changed, timeout=5_000):  # written (on the write lane)
        qtbot.keyClick(line_edit, Qt.Key.Key_Return)  # the delegate commits on a queued call
    assert model.own(COMMUNE["id"], "bank_15plus") == 82.5
    assert hamlet_b.data() == "82,5"  # inherited from the commune now
    assert hamlet_b.data(Qt.ItemDataRole.FontRole) is None
    queued = [m for m in outbox(store) if m["table_name"] == "targets"]
    assert queued[-1]["fields"]["percent"] == 82.5 and queued[-1]["fields"]["period"] == str(
        REF_YEAR
    )
    assert not model.setData(hamlet_b, "quá nhiều")
    assert "Chỉ tiêu phải là một số" in editor.message.text()
    # The service refuses it (its rule, checked on the write lane): shown, then taken back.
    assert model.setData(hamlet_b, "120")
    qtbot.waitUntil(lambda: "Tỷ lệ phải là số từ 0 đến 100" in editor.message.text())
    assert model.own(HAMLET_B["id"], "bank_15plus") is None and hamlet_b.data() == "82,5"


def test_follow_up_list_filters_with_vietnamese_input_and_prints(qtbot, store, services, tmp_path):
    services.register_household(
        HAMLET_A["id"],
        "Số 3, đường đan",
        phone="0912345678",
        members=[
            member("Nguyễn Văn Hùng", birth_date="1980", has_smartphone=True),
            member("Trần Thị Lan", birth_date="1982"),
        ],
    )
    services.register_household(
        HAMLET_A["id"], "Số 1, đường đan", members=[member("Lê Văn Hưng", birth_date="1990")]
    )
    widget = FollowUpListWidget(store, today=lambda: TODAY)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.reload()
    names = [r.full_name for r in widget.visible_rows()]
    assert names[:2] == ["(Cả hộ)", "Lê Văn Hưng"]  # Số 1 before Số 3
    type_text(widget.filter, "Nguyễn Hùng")
    assert [r.full_name for r in widget.visible_rows()] == ["Nguyễn Văn Hùng"]
    widget.filter.clear()
    type_text(widget.filter, "hung vneid")
    assert {r.full_name for r in widget.visible_rows()} == {"Nguyễn Văn Hùng", "Lê Văn Hưng"}
    widget.filter.clear()
    phone_column = 4
    household_row = widget.proxy.index(2, phone_column)
    assert "*" in household_row.data()
    widget.unmask.setChecked(True)
    assert widget.proxy.index(2, phone_column).data() == "0912345678"
    widget.unmask.setChecked(False)
    out = tmp_path / "list.pdf"
    with qtbot.waitSignal(widget.printed, timeout=20_000) as printed:
        widget.write_pdf(out)  # painted off the GUI thread
    assert printed.args[0] >= 1
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(out).pages).split())
    assert "Nguyễn Văn Hùng" in text and "0912345678" not in text
    entry = export_log.read_entries(store.path.parent)[-1]
    assert entry["format"] == "follow_up_pdf" and entry["unmasked"] is False
    workbook = _exported(qtbot, widget, widget.exported, tmp_path / "list.xlsx").path
    sheet = openpyxl.load_workbook(workbook, read_only=True)["Cần theo dõi"]
    names = [r[2] for r in sheet.iter_rows(min_row=5, values_only=True)]
    assert names == [r.full_name for r in widget.model.rows]
    assert export_log.read_entries(store.path.parent)[-1]["hamlets"] == [HAMLET_A["id"]]


def test_import_dialog_previews_a_kept_list_then_commits_it(qtbot, store, services, tmp_path):
    from desktop.reports.importer import CREATE, NEW, UNCHANGED
    from gocua.legacy_text import TCVN3
    from tests.desktop.reports.lists import (
        ERROR_ROWS,
        REPAIRED_ROWS,
        SKIPPED_ROWS,
        household_list,
        in_legacy,
        write,
    )
    from tests.desktop.reports.test_importer import several_hamlets

    sheets = [in_legacy(household_list(), TCVN3), *several_hamlets()]
    path = write(tmp_path / "ds.xls", sheets)
    dialog = ImportDialog(store, services, today=lambda: IMPORT_TODAY)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.planned, timeout=10_000):
        dialog.load_file(path)
    # Per sheet: the first with a list is shown, every row of it with its fate.
    assert dialog.sheet.currentData() == "Ấp Bình Minh"
    assert [dialog.sheet.itemText(i) for i in range(dialog.sheet.count())] == [
        "Ấp Bình Minh — 15 người, 2 lỗi · TCVN3 (ABC, .VnTime)",
        "Ghi chú (không có danh sách)",
        "Bình Minh — 2 người, 0 lỗi",
        "Đông Hòa — 3 người, 0 lỗi",
        "Ấp Mới — 1 người, 1 lỗi",
    ]
    preview = dialog.preview_model
    assert preview.rowCount() == 31
    rows = {preview.rows[r].line: r for r in range(preview.rowCount())}

    def cell(line, column, role=Qt.ItemDataRole.DisplayRole):
        return preview.index(rows[line], column).data(role)

    def colour(line, column):
        return cell(line, column, Qt.ItemDataRole.BackgroundRole).color().name()

    assert [cell(n, 1) for n in (8, 9, 17, 28)] == [
        "Đã sửa – mới",
        "Nhập – mới",
        "Lỗi – không nhập",
        "Bỏ qua",
    ]
    assert cell(28, NOTES) == "Dòng tổng cộng"
    assert all(colour(n, 0) == ERROR_COLOUR.lower() for n in ERROR_ROWS)
    assert all(colour(n, 0) == REPAIR_COLOUR.lower() for n in REPAIRED_ROWS)
    assert all(colour(n, 0) == SKIP_COLOUR.lower() for n in SKIPPED_ROWS)
    # Legacy text shown converted, the file's own text in the tooltip, the cell marked.
    assert cell(9, 2) == "Trần Thị Lan" and cell(9, 5) == "Vợ"
    assert "TrÇn ThÞ Lan" in cell(9, 2, Qt.ItemDataRole.ToolTipRole)
    assert colour(9, 2) == LEGACY_COLOUR.lower()
    # Members show the household they joined; the head its address and hamlet.
    assert cell(8, 7) == "Số 5, đường liên ấp" and cell(8, 8) == "Ấp Bình Minh"
    assert cell(10, 7) == "↳ hộ ở dòng 8"
    assert "Đã thêm số 0 bị mất ở đầu CCCD" in cell(8, NOTES)
    # The unknown hamlet: its tab is shown, creation offered (the profile is local).
    assert dialog.tabs.currentIndex() == 1 and dialog.tabs.tabText(1) == "Ấp chưa có (1)"
    (key,) = dialog._hamlet_combos
    combo = dialog._hamlet_combos[key]
    assert combo.itemText(combo.count() - 1) == "Tạo ấp mới “Ấp Mới”"
    assert dialog.commit_button.text() == "Nhập 18 người mới (8 hộ mới)"
    with qtbot.waitSignal(dialog.planned, timeout=10_000):
        dialog.set_hamlet_choice(key, CREATE)
    assert dialog.commit_button.text() == "Nhập 19 người mới (9 hộ mới)"
    # Enter, wherever the focus is, imports nothing.
    for widget in (dialog.preview, dialog.sheet, dialog.commit_button):
        widget.setFocus()
        qtbot.keyClick(widget, Qt.Key.Key_Return)
    assert dialog.outcome is None
    assert not dialog.commit_button.isDefault()
    before = snapshot_counts(store)
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        dialog.commit()
    after = snapshot_counts(store)
    assert after["persons"] - before["persons"] == 19
    assert after["households"] - before["households"] == 9
    assert dialog.summary.text() == (
        "Đã nhập 19 người mới trong 9 hộ mới, cập nhật 0 người; 2 dòng lỗi không nhập. "
        "Đã tạo 1 ấp mới."
    )
    # The same file again: nothing new, nothing to import.
    with qtbot.waitSignal(dialog.planned, timeout=10_000):
        dialog.load_file(path)
    plan = dialog.plan
    assert plan.count(NEW) == 0 and plan.count(UNCHANGED) == 19
    assert not dialog.commit_button.isEnabled()


def test_a_refused_rows_reason_is_read_on_a_1024_screen(qtbot, store, services, tmp_path):
    """At 1024x700 the notes stand beside each row's result, wholly on screen, and the row
    chosen shows its whole note under the table (a long reason is cut in its column)."""
    from tests.desktop.reports.lists import ERROR_ROWS, household_list, write

    path = write(tmp_path / "ds.xlsx", [household_list()])
    dialog = ImportDialog(store, services, today=lambda: IMPORT_TODAY)
    qtbot.addWidget(dialog)
    dialog.resize(1024, 700)
    dialog.show()
    with qtbot.waitSignal(dialog.planned, timeout=10_000):
        dialog.load_file(path)
    preview, view = dialog.preview_model, dialog.preview
    assert "Chọn một dòng" in dialog.row_detail.text()
    viewport = view.viewport().rect()
    refused = [r for r, row in enumerate(preview.rows) if row.line in ERROR_ROWS]
    assert len(refused) == len(ERROR_ROWS)
    for r in refused:
        notes = view.visualRect(preview.index(r, NOTES))  # unscrolled: where the eye starts
        assert view.horizontalScrollBar().value() == 0
        assert notes.width() > 150 and notes.right() < viewport.right(), (notes, viewport)
        view.selectRow(r)
        row = preview.rows[r]
        assert dialog.row_detail.text() == (f"Dòng {row.line}: Lỗi – không nhập. {row.problems()}")
    dialog.show_rows.setCurrentIndex(dialog.show_rows.count() - 1)  # another filter
    assert "Chọn một dòng" in dialog.row_detail.text()


def test_import_dialog_explains_a_wrong_file(qtbot, store, services, tmp_path):
    fake = tmp_path / "anh.xlsx"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    dialog = ImportDialog(store, services)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as blocker:
        dialog.load_file(fake)
    assert "là một ảnh, không phải bảng tính" in blocker.args[0]
    assert not dialog.commit_button.isEnabled()
