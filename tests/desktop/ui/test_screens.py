"""Screens that fit and follow the data (issue 17), through the real main window: coverage
headings whole at 1366x768, everything reachable at 1024x700, counts that change with the
data, actions that need a selection disabled without one, a second head asked about, and the
Zalo summary copied from the coverage tab."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QStyle

from desktop.reports.zalo import zalo_text
from desktop.ui.dialogs import HouseholdDialog, PersonDialog
from tests.desktop.ui.conftest import TODAY, ModalAnswers, settle, type_text

pytestmark = pytest.mark.gui


def _coverage_tab(qtbot, window):
    window.tabs.setCurrentWidget(window.dashboard_tab)
    qtbot.waitUntil(
        lambda: (
            window.dashboard_tab.content is not None
            and window.dashboard_tab.content.data is not None
        ),
        timeout=10_000,
    )
    settle(qtbot)
    QApplication.processEvents()
    return window.dashboard_tab.content


def elided_headings(table) -> list[str]:
    """The headings narrower than their longest line needs (Qt would show them with "…"):
    measured with the header's own font and the style's margins, not with the table's code."""
    header, model = table.horizontalHeader(), table.model()
    metrics = header.fontMetrics()
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    cut = []
    for column in range(model.columnCount()):
        text = model.headerData(column, Qt.Orientation.Horizontal)
        needed = max(metrics.horizontalAdvance(line) for line in text.split("\n")) + 2 * margin
        if header.sectionSize(column) < needed:
            cut.append(text)
    return cut


def test_no_coverage_heading_is_cut_on_a_1366_laptop(qtbot, demo_window):
    window = demo_window
    window.resize(1366, 768)
    dashboard = _coverage_tab(qtbot, window)
    table = dashboard.table
    assert table.model().columnCount() == 1 + len(dashboard.catalogue.indicators)
    assert elided_headings(table) == []
    # and every column is on the screen at once, with nothing to scroll sideways
    assert table.horizontalHeader().length() <= table.viewport().width()
    assert window.width() == 1366


def test_at_1024x700_everything_is_reachable_and_the_hamlets_keep_their_names(qtbot, demo_window):
    window = demo_window
    window.resize(1024, 700)
    dashboard = _coverage_tab(qtbot, window)
    assert window.width() == 1024  # nothing in the coverage tab forces the window wider
    assert window.height() == 700
    table = dashboard.table
    assert elided_headings(table) == []
    header = table.horizontalHeader()
    for column in range(table.model().columnCount()):  # each column can be scrolled to
        table.scrollTo(table.model().index(0, column))
        QApplication.processEvents()
        left = header.sectionViewportPosition(column)
        assert left >= 0 and left + header.sectionSize(column) <= table.viewport().width()
    hamlets = window.hamlets
    metrics = hamlets.fontMetrics()
    names = [window.hamlet_model.index(r, 0).data() for r in range(window.hamlet_model.rowCount())]
    widest = max(metrics.horizontalAdvance(name) for name in names)
    assert hamlets.horizontalHeader().sectionSize(0) >= widest + 4, "hamlet names are cut"
    for axis in dashboard.bar_view.chart().axes(Qt.Orientation.Horizontal):
        assert not axis.truncateLabels()  # hamlet names under the bars, whole
    # The charts keep room for their bars and line under a short title and the legend.
    qtbot.waitUntil(lambda: bool(dashboard.line_view.chart().series()), timeout=10_000)
    settle(qtbot)
    for view in (dashboard.bar_view, dashboard.line_view):
        plot = view.chart().plotArea()
        assert plot.height() >= 0.3 * view.height(), (plot, view.height())


def test_the_household_count_follows_a_new_household(qtbot, demo_window):
    window = demo_window
    window.hamlets.selectRow(1)
    settle(qtbot)
    hamlet = window.hamlet_id
    row = window.hamlet_model.row_of(hamlet)
    before = window.list_model.rowCount()
    assert window.list_status.text() == f"{before} hộ"
    in_panel = window.hamlet_model.index(row, 1).data()
    dialog = HouseholdDialog(window.services, window.hamlet_model.hamlets, hamlet, parent=window)
    qtbot.addWidget(dialog)
    type_text(dialog.address, "Số 999, tổ 9")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: dialog.household_id is not None)
    window.after_new_household(dialog.household_id)
    qtbot.waitUntil(lambda: window.list_status.text() == f"{before + 1} hộ")
    qtbot.waitUntil(lambda: window.hamlet_model.index(row, 1).data() != in_panel)
    assert int(window.hamlet_model.index(row, 1).data()) == int(in_panel) + 1


def _action(window, name: str):
    from PySide6.QtGui import QAction

    return window.findChild(QAction, name)


def test_actions_that_need_a_household_or_a_person_wait_for_one(qtbot, demo_window):
    window = demo_window
    assert window.page is not None and window.page.status == "active"
    assert _action(window, "mark_moved").isEnabled()
    assert _action(window, "mark_gone").isEnabled()
    assert not _action(window, "mark_active").isEnabled()  # it is already so

    page = window.page_widget
    buttons = (page.edit_person_button, page.move_person_button, page.delete_person_button)
    assert page.members.selectionModel().selectedRows() == []
    assert not any(b.isEnabled() for b in buttons)  # nobody chosen: no guess at the head
    page.members.selectRow(1)
    assert all(b.isEnabled() for b in buttons)
    assert page.current_person() is window.page.persons[1]

    type_text(window.search, "không có hộ nào tên này")
    qtbot.waitUntil(lambda: window.page is None, timeout=5000)
    for name in ("mark_moved", "mark_gone", "mark_active", "edit_household", "log_visit"):
        assert not _action(window, name).isEnabled(), name


def test_a_second_head_is_asked_about_and_enter_goes_back(qtbot, demo_window):
    window = demo_window
    page = window.page
    head = next(p for p in page.persons if p.relation == "head")
    asked: list[str] = []

    def fill(dialog):  # Save is clicked once this handler returns (the question is modal)
        type_text(dialog.full_name, "Phan Văn Mới")
        dialog.relation.setCurrentIndex(dialog.relation.findData("head"))
        QTimer.singleShot(0, dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click)

    def press_enter(box):  # the default answer: back to the form, nothing written
        asked.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Return)

    def choose_child(dialog):
        asked.append("focus:" + ("relation" if dialog.focusWidget() is dialog.relation else "?"))
        dialog.relation.setCurrentIndex(dialog.relation.findData("child"))
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    answers = ModalAnswers(fill, press_enter, choose_child)
    window.add_person()
    answers.stop()
    assert asked[0] == f"Hộ này đã có chủ hộ là {head.full_name}. Vẫn ghi người này cũng là chủ hộ?"
    assert asked[1] == "focus:relation"
    settle(qtbot)
    qtbot.waitUntil(lambda: any(p.full_name == "Phan Văn Mới" for p in window.page.persons))
    added = next(p for p in window.page.persons if p.full_name == "Phan Văn Mới")
    assert added.relation == "child"
    assert [p.id for p in window.page.persons if p.relation == "head"] == [head.id]


def test_a_second_head_can_be_kept_and_the_head_is_not_asked_about_himself(qtbot, demo_window):
    window = demo_window
    page = window.page
    head = next(p for p in page.persons if p.relation == "head")
    other = next(p for p in page.persons if p.relation != "head")

    # The head edited: no question.
    dialog = PersonDialog(
        window.services,
        page.id,
        person=head,
        parent=window,
        head=window.households_tab.head_name(head),
    )
    qtbot.addWidget(dialog)
    assert dialog.confirmed()

    # Someone else made head, and the question answered "Vẫn ghi là chủ hộ".
    dialog = PersonDialog(
        window.services,
        page.id,
        person=other,
        parent=window,
        head=window.households_tab.head_name(other),
    )
    qtbot.addWidget(dialog)
    dialog.relation.setCurrentIndex(dialog.relation.findData("head"))

    def keep(box):
        next(b for b in box.buttons() if b.text() == "Vẫn ghi là chủ hộ").click()

    answers = ModalAnswers(keep)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    answers.stop()
    qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted)
    with window.store.read() as conn:
        heads = (
            conn.exec_driver_sql(
                "SELECT id FROM persons WHERE household_id = ? AND relation = 'head' ORDER BY id",
                (page.id,),
            )
            .scalars()
            .all()
        )
    assert sorted(heads) == sorted([head.id, other.id])


def test_the_zalo_summary_goes_to_the_clipboard_for_the_commune_or_a_hamlet(qtbot, demo_window):
    window = demo_window
    dashboard = _coverage_tab(qtbot, window)
    store, catalogue = window.store, dashboard.catalogue
    period = dashboard.current_period()
    QGuiApplication.clipboard().clear()

    with qtbot.waitSignal(dashboard.zalo_copied, timeout=10_000) as copied:
        qtbot.mouseClick(dashboard.zalo_button, Qt.MouseButton.LeftButton)
    commune = store.query(zalo_text, catalogue, period, TODAY, None)
    assert copied.args[0] == commune == QGuiApplication.clipboard().text()
    assert "cả xã" in dashboard.status.text()

    dashboard.table.selectRow(2)
    hamlet_id, hamlet_name = dashboard.data.summary.hamlets[2]
    with qtbot.waitSignal(dashboard.zalo_copied, timeout=10_000):
        qtbot.mouseClick(dashboard.zalo_button, Qt.MouseButton.LeftButton)
    text = QGuiApplication.clipboard().text()
    assert text == store.query(zalo_text, catalogue, period, TODAY, hamlet_id) != commune
    assert text.splitlines()[0].count(hamlet_name) == 1
    assert hamlet_name in dashboard.status.text()


def test_an_empty_list_says_how_to_begin_and_a_search_that_found_nothing_says_so(
    qtbot, empty_window
):
    """A new profile's first screen: not an empty white box."""
    window = empty_window
    tab = window.households_tab
    hint = tab.empty_hint
    assert window.list_model.rowCount() == 0
    assert hint.isVisible() and "Ctrl+N" in hint.text() and "Ctrl+I" in hint.text()
    assert hint.geometry() == tab.households.viewport().rect()  # over the whole list
    tab.after_new_household(window.services.register_household("X9001-01", "Số 3"))
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 1, timeout=5_000)
    assert not hint.isVisible()
    # The household opened has nobody yet: its grid says how to add the first person.
    qtbot.waitUntil(lambda: window.page is not None, timeout=5_000)
    grid_hint = tab.page_widget.no_persons
    assert grid_hint.isVisible() and "Ctrl+Shift+N" in grid_hint.text()
    assert grid_hint.height() >= grid_hint.fontMetrics().height()  # the line is not cut
    type_text(tab.search, "khong co ai ten nay")
    qtbot.waitUntil(lambda: "Không tìm thấy" in hint.text() and hint.isVisible(), timeout=5_000)
    assert "khong co ai ten nay" in hint.text()
