"""The must-show paths, through real widgets: a household of three made with the dialogs, a
visit logged from the keyboard alone, and the rows and outbox mutations they leave."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from sqlalchemy import select

from desktop.store import queries
from desktop.store.schema import SYNCED_TABLES, OutboxMutation
from desktop.ui.dialogs import HouseholdDialog, PersonDialog
from desktop.ui.visit_dialog import VisitDialog
from gocua import ids
from tests.desktop.ui.conftest import TODAY, settle, type_text

OUTBOX = OutboxMutation.__table__
YEAR = TODAY.year


def _save(qtbot, dialog) -> None:
    """Click "Lưu" and wait for the write (on the task manager's write lane) to answer."""
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: not dialog.saving)


def _page(qtbot, window, household_id: str, condition=lambda page: True):
    """The household's page, once read again off the GUI thread and shown."""
    qtbot.waitUntil(
        lambda: (
            window.page is not None
            and window.page.id == household_id
            and condition(window.page)
            and window.page_widget.page is window.page
        )
    )
    return window.page


def make_household_of_three(qtbot, window) -> str:
    """Through the dialogs: the household, then its head, a spouse and a child."""
    services = window.services
    dialog = HouseholdDialog(services, window.hamlet_model.hamlets, "X9001-01", parent=window)
    qtbot.addWidget(dialog)
    type_text(dialog.address, "Số 7, hẻm 3, tổ 2")
    type_text(dialog.phone, "0912 345 678")
    _save(qtbot, dialog)
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.general_error.text()
    household_id = dialog.household_id
    window.after_new_household(household_id)
    _page(qtbot, window, household_id)

    people = [
        ("Nguyễn Văn Đức", f"{YEAR - 45}-03-21", "m", "head", True),
        ("Trần Thị Hoa", f"{YEAR - 42}", "f", "spouse", True),
        ("Nguyễn Minh Nam", f"{YEAR - 12}", "m", "child", False),
    ]
    for name, born, sex, relation, smartphone in people:
        dialog = PersonDialog(services, household_id, parent=window)
        qtbot.addWidget(dialog)
        type_text(dialog.full_name, name)
        qtbot.keyClicks(dialog.birth_date, born)
        dialog.sex.setCurrentIndex(dialog.sex.findData(sex))
        dialog.relation.setCurrentIndex(dialog.relation.findData(relation))
        dialog.has_smartphone.setCurrentIndex(dialog.has_smartphone.findData(smartphone))
        _save(qtbot, dialog)
        assert dialog.result() == dialog.DialogCode.Accepted, dialog.general_error.text()
        window.households_tab.household_written(household_id)
        _page(
            qtbot,
            window,
            household_id,
            lambda page, n=name: n in [p.full_name for p in page.persons],
        )
    return household_id


def test_person_dialog_shows_vietnamese_errors_inline(qtbot, empty_window):
    window = empty_window
    household_id = window.services.register_household("X9001-01", "Số 1")
    dialog = PersonDialog(window.services, household_id, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.full_name, "Lê Thị Mai")
    qtbot.keyClicks(dialog.birth_date, "31/02/1985")  # no such day
    qtbot.keyClicks(dialog.cccd, "12345")
    qtbot.keyClicks(dialog.phone, "12")
    _save(qtbot, dialog)
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "không có trên lịch" in dialog.errors.text("birth_date")
    assert "CCCD phải gồm 12 chữ số" in dialog.errors.text("cccd")
    assert "Số điện thoại phải có 10 số" in dialog.errors.text("phone")
    assert dialog.errors.text("full_name") == ""
    # Fixing the fields saves the person, with the date as it was typed in Vietnam.
    dialog.birth_date.clear()
    qtbot.keyClicks(dialog.birth_date, "21/3/85")
    dialog.cccd.clear()
    dialog.phone.clear()
    _save(qtbot, dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.errors.text("cccd") == ""
    with window.store.read() as conn:
        born = conn.exec_driver_sql(
            "SELECT birth_date FROM persons WHERE id = ?", (dialog.person_id,)
        ).scalar()
    assert born == "1985-03-21"


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("21/03/1985", "1985-03-21", "21/03/1985"),
        ("21/3/85", "1985-03-21", "21/03/1985"),
        ("1985-03-21", "1985-03-21", "21/03/1985"),
        ("1985", "1985", "1985"),
        ("  5-1-1990 ", "1990-01-05", "05/01/1990"),
    ],
)
def test_a_birth_date_is_typed_as_people_write_it_and_shown_dd_mm_yyyy(
    qtbot, empty_window, typed, stored, shown
):
    window = empty_window
    household_id = window.services.register_household("X9001-01", "Số 1")
    dialog = PersonDialog(window.services, household_id, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.full_name, "Lê Thị Mai")
    qtbot.keyClick(dialog.full_name, Qt.Key.Key_Tab)  # into the birth date, as people move
    qtbot.waitUntil(dialog.birth_date.hasFocus)
    qtbot.keyClicks(dialog.birth_date, typed)
    qtbot.keyClick(dialog.birth_date, Qt.Key.Key_Tab)  # leaving the field tidies it
    assert dialog.birth_date.text() == shown
    _save(qtbot, dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    with window.store.read() as conn:
        born = conn.exec_driver_sql(
            "SELECT birth_date FROM persons WHERE id = ?", (dialog.person_id,)
        ).scalar()
        (person,) = queries.household_page(conn, household_id).persons
    assert born == stored
    edit = PersonDialog(window.services, household_id, person, parent=window)
    qtbot.addWidget(edit)
    assert edit.birth_date.text() == shown  # an existing date is shown as lists show it


def test_household_dialog_requires_an_address(qtbot, empty_window):
    dialog = HouseholdDialog(empty_window.services, empty_window.hamlet_model.hamlets, "X9001-01")
    qtbot.addWidget(dialog)
    _save(qtbot, dialog)
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "Vui lòng nhập địa chỉ" in dialog.errors.text("address")


def test_enter_in_a_form_saves_even_from_the_cancel_button(qtbot, empty_window):
    from PySide6.QtWidgets import QApplication

    dialog = HouseholdDialog(empty_window.services, empty_window.hamlet_model.hamlets, "X9001-01")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert save.isDefault() and not cancel.autoDefault()
    type_text(dialog.address, "Số 9, tổ 1")
    for _ in range(20):  # Tab along the form to "Hủy", as a hurried volunteer does
        if cancel.hasFocus():
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert cancel.hasFocus() and not cancel.isDefault() and save.isDefault()
    qtbot.keyClick(cancel, Qt.Key.Key_Return)  # Enter is "Lưu"; Space would press "Hủy"
    qtbot.waitUntil(lambda: not dialog.saving)
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.household_id


def test_three_persons_and_a_keyboard_only_visit(qtbot, empty_window):
    """Household list -> saved visit changing two items, in counted keystrokes."""
    window = empty_window
    household_id = make_household_of_three(qtbot, window)
    store = window.store
    with store.read() as conn:
        first_outbox = conn.execute(select(OUTBOX.c.id).order_by(OUTBOX.c.id.desc())).first()[0]
        persons = (
            conn.execute(
                select(SYNCED_TABLES["persons"]).where(
                    SYNCED_TABLES["persons"].c.household_id == household_id
                )
            )
            .mappings()
            .all()
        )
    assert sorted(p["full_name"] for p in persons) == [
        "Nguyễn Minh Nam",
        "Nguyễn Văn Đức",
        "Trần Thị Hoa",
    ]
    head = next(p for p in persons if p["relation"] == "head")
    spouse = next(p for p in persons if p["relation"] == "spouse")
    # The page lists the head first, then by birth date: row 0 head, row 1 spouse.
    assert [p.id for p in window.page.persons][:2] == [head["id"], spouse["id"]]

    window.activateWindow()
    window.households.setFocus()
    qtbot.waitUntil(lambda: window.households.hasFocus())
    keys: list[tuple] = []
    seen: dict = {}

    def key(widget, k, mod=Qt.KeyboardModifier.NoModifier):
        keys.append((k, mod))
        qtbot.keyClick(widget, k, mod)

    def drive_dialog():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, VisitDialog)
        seen["dialog"] = dialog
        try:
            drive(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    def drive(dialog):
        assert dialog.focusWidget() is dialog.grid
        grid = dialog.grid
        key(grid, Qt.Key.Key_Right)  # VNeID 2 of the head
        key(grid, Qt.Key.Key_2)  # pending
        key(grid, Qt.Key.Key_Down)  # the spouse
        key(grid, Qt.Key.Key_Right)  # bank account
        key(grid, Qt.Key.Key_3)  # done
        key(grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # save
        qtbot.waitUntil(lambda: not dialog.isVisible())  # closed once written

    QTimer.singleShot(0, drive_dialog)
    key(window.households, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert "dialog" in seen, "Ctrl+L did not open the visit dialog"
    assert seen["dialog"].visit_id is not None
    assert len(keys) <= 15
    assert len(keys) == 7

    s = SYNCED_TABLES["support_items"]
    v = SYNCED_TABLES["visits"]
    with store.read() as conn:
        l2 = conn.execute(select(s).where(s.c.id == ids.support_item_id(head["id"], "vneid_l2")))
        bank = conn.execute(
            select(s).where(s.c.id == ids.support_item_id(spouse["id"], "bank_account"))
        )
        l2, bank = l2.mappings().one(), bank.mappings().one()
        visit = conn.execute(select(v).where(v.c.household_id == household_id)).mappings().one()
        mutations = (
            conn.execute(select(OUTBOX).where(OUTBOX.c.id > first_outbox).order_by(OUTBOX.c.id))
            .mappings()
            .all()
        )
    assert l2["state"] == "pending" and l2["subject_id"] == head["id"]
    assert bank["state"] == "done" and bank["subject_id"] == spouse["id"]
    assert visit["outcome"] == "met"
    assert sorted((i["item_code"], i["state"]) for i in visit["items"]) == [
        ("bank_account", "done"),
        ("vneid_l2", "pending"),
    ]
    assert [(m["table_name"], m["row_id"]) for m in mutations] == [
        ("support_items", l2["id"]),
        ("support_items", bank["id"]),
        ("visits", visit["id"]),
    ]
    assert mutations[0]["fields"]["state"] == "pending"
    assert mutations[1]["fields"]["state"] == "done"
    assert all(m["state"] == "pending" for m in mutations)
    # The window shows the result: the grid, the history and the outbox count.
    page = _page(qtbot, window, household_id, lambda page: len(page.visits) == 1)
    assert page.state_of(head["id"], "vneid_l2") == "pending"
    settle(qtbot)
    with store.read() as conn:
        queued = conn.execute(select(OUTBOX.c.id).where(OUTBOX.c.state == "pending")).all()
    assert window.outbox_label.text() == f"Chưa gửi: {len(queued)} thay đổi"


def test_grid_key_sets_a_state_through_the_service(qtbot, demo_window):
    window = demo_window
    page = window.page
    assert page is not None
    grid = window.page_widget.grid
    model = grid.model()
    row, col = next(
        (r, c)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        if model.eligible(r, c) and model.current(r, c) != "done"
    )
    grid.setFocus()
    grid.setCurrentIndex(model.index(row, col))
    before = window.outbox_label.text()
    qtbot.keyClick(grid, Qt.Key.Key_3)
    subject, item = model.subjects[row].id, model.items[col].code
    assert window.page.state_of(subject, item) == "done"  # shown at once, written meanwhile
    qtbot.waitUntil(lambda: window.outbox_label.text() != before)
    settle(qtbot)
    assert window.page is not page and window.page.state_of(subject, item) == "done"  # read back


def test_visit_dialog_records_who_was_met_and_the_follow_up(qtbot, demo_window):
    window = demo_window
    dialog = window.visit_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.met[0].setChecked(True)
    type_text(dialog.note, "hẹn tối thứ Bảy")
    dialog.follow_up_check.setChecked(True)
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("not_home"))
    qtbot.keyClick(dialog.grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.visit_id is not None)
    window.households_tab.household_written(window.page.id)
    page = _page(qtbot, window, window.page.id, lambda p: p.visits[0].id == dialog.visit_id)
    visit = page.visits[0]
    assert visit.outcome == "not_home" and visit.items == []
    assert visit.note == "hẹn tối thứ Bảy"  # who was met is a field of its own now
    assert visit.met_ids == [page.persons[0].id]
    column = [
        window.page_widget.visits_model.headerData(c, Qt.Orientation.Horizontal)
        for c in range(window.page_widget.visits_model.columnCount())
    ].index("Đã gặp")
    shown = window.page_widget.visits_model.index(0, column).data()
    assert shown == page.persons[0].full_name
    assert visit.follow_up_on == (TODAY + __import__("datetime").timedelta(days=7)).isoformat()


def test_mark_moved_and_move_a_person(qtbot, empty_window):
    window = empty_window
    services = window.services
    a = services.register_household("X9001-01", "Số 1", members=[{"full_name": "Lê Văn An"}])
    b = services.register_household(
        "X9001-02", "Số 2, kênh Xáng", members=[{"full_name": "Võ Thị Bưởi"}]
    )
    window.after_new_household(a)
    _page(qtbot, window, a)
    actions = {act.objectName(): act for act in window.actions()}
    actions["mark_moved"].trigger()
    _page(qtbot, window, a, lambda page: page.status == "moved")
    assert "Đã chuyển đi" in window.page_widget.title.text()
    from desktop.ui.dialogs import MovePersonDialog

    dialog = MovePersonDialog(services, window.page.persons[0], parent=window)
    qtbot.addWidget(dialog)
    type_text(dialog.search, "Bưởi")
    qtbot.waitUntil(lambda: dialog.shown_text == "Bưởi")  # searched off the GUI thread
    assert dialog.results.count() == 1
    assert dialog.results.item(0).text() == "Số 2, kênh Xáng — Võ Thị Bưởi"
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.saving)
    assert dialog.result() == dialog.DialogCode.Accepted
    with window.store.read() as conn:
        from desktop.store.queries import household_page

        names = sorted(p.full_name for p in household_page(conn, b).persons)
        assert names == ["Lê Văn An", "Võ Thị Bưởi"]


def test_visit_dialog_fields_by_keyboard(qtbot, demo_window):
    """Alt+K outcome, Alt+H follow-up, Alt+G note, Del takes a change back, Ctrl+Enter saves."""
    window = demo_window
    dialog = window.visit_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    grid = dialog.grid
    model = dialog.grid_model
    row, col = next(
        (r, c)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        if model.eligible(r, c) and model.current(r, c) not in ("done", "guided")
    )
    grid.setCurrentIndex(model.index(row, col))
    qtbot.keyClick(grid, Qt.Key.Key_3)
    assert len(dialog.changes()) == 1
    qtbot.keyClick(grid, Qt.Key.Key_Delete)
    assert dialog.changes() == []
    qtbot.keyClick(grid, Qt.Key.Key_1)
    qtbot.keyClick(grid, Qt.Key.Key_Return)  # Enter alone in the grid does not save
    assert dialog.visit_id is None and dialog.isVisible()
    qtbot.keyClick(grid, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    assert dialog.focusWidget() is dialog.outcome
    qtbot.keyClick(dialog.outcome, Qt.Key.Key_Down)
    assert dialog.outcome.currentData() == "not_home"
    qtbot.keyClick(dialog.outcome, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.follow_up_check.isChecked)  # a mnemonic "animates" the click
    qtbot.keyClick(dialog.follow_up_check, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    assert dialog.focusWidget() is dialog.note
    type_text(dialog.note, "Hẹn chủ nhật")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.visit_id is not None)
    window.households_tab.household_written(window.page.id)
    page = _page(qtbot, window, window.page.id, lambda p: p.visits[0].id == dialog.visit_id)
    visit = page.visits[0]
    assert (visit.outcome, visit.note) == ("not_home", "Hẹn chủ nhật")
    assert visit.follow_up_on is not None and len(visit.items) == 1


def test_grid_menu_offers_reasons_for_pending(qtbot, demo_window):
    window = demo_window
    grid = window.page_widget.grid
    model = grid.model()
    col = [i.code for i in model.items].index("vneid_l2")
    row = next(r for r in range(model.rowCount()) if model.eligible(r, col))
    menu = grid.state_menu(model.index(row, col))
    qtbot.addWidget(menu)
    submenus = {a.text().strip(): a.menu() for a in menu.actions() if a.menu() is not None}
    pending = submenus["Đang chờ: lý do…"]
    police = next(a for a in pending.actions() if a.text() == "Chờ công an phê duyệt")
    police.trigger()
    key = (model.subjects[row].id, "vneid_l2")
    assert window.page.states[key].state == "pending"  # shown at once
    page = window.page
    # ...and read back from the store once written, the reason with it.
    found = _page(qtbot, window, page.id, lambda p: p is not page).states[key]
    assert (found.state, found.reason) == ("pending", "waiting_police")


def test_delete_a_person_entered_by_mistake(qtbot, empty_window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    window = empty_window
    hid = window.services.register_household(
        "X9001-01", "Số 3", members=[{"full_name": "Lê Văn An"}, {"full_name": "Lê Văn Ann"}]
    )
    window.after_new_household(hid)
    _page(qtbot, window, hid)
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a: asked.append(a) or QMessageBox.StandardButton.Yes
    )
    mistake = next(p for p in window.page.persons if p.full_name == "Lê Văn Ann")
    window.delete_person(mistake.id)
    page = _page(qtbot, window, hid, lambda page: len(page.persons) == 1)
    assert asked and [p.full_name for p in page.persons] == ["Lê Văn An"]


def test_an_empty_visit_asks_before_it_is_saved(qtbot, demo_window):
    from tests.desktop.ui.conftest import ModalAnswers

    window = demo_window
    dialog = window.visit_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.is_empty()
    asked: list[str] = []

    def press_enter(box):  # Enter takes the default: back to the visit, nothing saved
        asked.append(box.objectName())
        qtbot.keyClick(box, Qt.Key.Key_Return)

    answers = ModalAnswers(press_enter)
    qtbot.keyClick(dialog.grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    answers.stop()
    assert asked == ["empty_visit"] and dialog.visit_id is None and dialog.isVisible()

    def save_anyway(box):
        next(b for b in box.buttons() if b.text() == "Vẫn lưu").click()

    answers = ModalAnswers(save_anyway)
    qtbot.keyClick(dialog.grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    answers.stop()
    qtbot.waitUntil(lambda: dialog.visit_id is not None)

    # Something recorded (a person met): no question.
    second = window.visit_dialog()
    qtbot.addWidget(second)
    second.show()
    second.met[0].setChecked(True)
    assert not second.is_empty()
    qtbot.keyClick(second.grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: second.visit_id is not None)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("21/3/{yy}", "20{yy}-03-21"),
        ("21/03/20{yy}", "20{yy}-03-21"),
        ("20{yy}-03-21", "20{yy}-03-21"),
    ],
)
def test_a_follow_up_date_is_typed_as_people_write_it(qtbot, demo_window, typed, stored):
    window = demo_window
    yy = str(TODAY.year + 1)[2:]
    dialog = window.visit_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.follow_up_check, Qt.Key.Key_Space)  # tick "Hẹn quay lại ngày"
    assert dialog.follow_up.isEnabled()
    dialog.follow_up.edit.clear()
    qtbot.keyClicks(dialog.follow_up.edit, typed.format(yy=yy))
    qtbot.keyClick(dialog.grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.visit_id is not None)
    with window.store.read() as conn:
        saved = conn.exec_driver_sql(
            "SELECT follow_up_on FROM visits WHERE id = ?", (dialog.visit_id,)
        ).scalar()
    assert saved == stored.format(yy=yy)  # a two-digit year of an appointment is ahead


def test_a_follow_up_date_that_is_not_a_date_says_so(qtbot, demo_window):
    window = demo_window
    dialog = window.visit_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.follow_up_check.setChecked(True)
    dialog.follow_up.edit.clear()
    type_text(dialog.follow_up.edit, "thứ bảy")
    qtbot.keyClick(dialog.grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.visit_id is None and dialog.error.isVisible()
    assert "Không đọc được ngày" in dialog.error.text()
