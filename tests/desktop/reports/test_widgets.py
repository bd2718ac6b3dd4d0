"""The leader's widgets, offscreen: dashboard, targets, follow-up list, import dialog."""

from __future__ import annotations

import openpyxl
import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from desktop.reports import export_log
from desktop.reports.importer import ERROR
from desktop.reports.summary import vi_int, vi_percent
from desktop.ui.dashboard import COUNTS, TO_REACH, CoverageDashboard
from desktop.ui.follow_up_list import FollowUpListWidget
from desktop.ui.import_dialog import ERROR_COLOUR, ImportDialog
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
from tests.desktop.reports.conftest import EXISTING, VALID_LINES

pytestmark = pytest.mark.gui
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


def test_import_dialog_previews_then_commits_the_valid_rows(qtbot, store, services, messy_xlsx):
    services.register_household(HAMLET_A["id"], "Số 30", members=[member(**EXISTING)])
    dialog = ImportDialog(store, services, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.planned, timeout=10_000):
        dialog.load_file(messy_xlsx)
    preview = dialog.preview_model
    assert preview.rowCount() == 11
    lines = {preview.rows[r].line: r for r in range(preview.rowCount())}
    assert preview.index(lines[10], 7).data() == "Trùng số CCCD với dòng 9"
    assert preview.index(lines[10], 0).data(Qt.ItemDataRole.BackgroundRole).color().name() == (
        ERROR_COLOUR.lower()
    )
    assert "5 dòng hợp lệ" in dialog.summary.text()
    assert dialog.commit_button.isEnabled() and "5 người (3 hộ)" in dialog.commit_button.text()
    # Ignoring the CCCD column: the duplicate CCCD is no longer an error.
    with qtbot.waitSignal(dialog.planned, timeout=10_000):
        dialog.set_column(4, None)
    assert dialog.plan.mapping[4] is None
    assert 10 not in [r.line for r in dialog.plan.rows if r.status == ERROR]
    with qtbot.waitSignal(dialog.planned, timeout=10_000):
        dialog.set_column(4, "cccd")
    assert [r.line for r in dialog.plan.valid_rows] == VALID_LINES
    before = snapshot_counts(store)
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        dialog.commit()
    after = snapshot_counts(store)
    assert after["persons"] - before["persons"] == 5
    assert after["households"] - before["households"] == 3
    assert "Đã nhập 5 người trong 3 hộ" in dialog.summary.text()


def test_import_dialog_explains_a_wrong_file(qtbot, store, services, tmp_path):
    fake = tmp_path / "anh.xlsx"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    dialog = ImportDialog(store, services)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as blocker:
        dialog.load_file(fake)
    assert "không phải bảng tính Excel" in blocker.args[0]
    assert not dialog.commit_button.isEnabled()
