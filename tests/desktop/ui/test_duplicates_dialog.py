"""The leader's window of likely duplicates: listed side by side, merged with its button after
a question, dismissed with "Không phải trùng"; Enter never merges."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.store import Store, bulk
from desktop.store.duplicates import HOUSEHOLD, PERSON
from desktop.store.identity import USER_ID
from desktop.ui.duplicates_dialog import DuplicatesDialog, DuplicatesModel
from tests.desktop.ui.conftest import ModalAnswers, make_window, press, settle

A, B = "X9001-01", "X9001-02"
CCCD_DUC = "079080123456"
CCCD_LAN = "079185654321"
SCREENSHOTS = Path(os.environ.get("GOCUA_SCREENSHOTS", "/tmp/gocua-duplicates"))


def sign_in_as(store: Store, role: str) -> None:
    with store.write() as conn:
        bulk.insert_users(conn, [{"id": f"u-{role}", "display_name": "Chị Hà", "role": role}])
        USER_ID.set(conn, f"u-{role}")


def _rows(store: Store, sql: str, *params) -> list[tuple]:
    with store.read() as conn:
        return conn.exec_driver_sql(sql, params).all()


def _outbox_count(store: Store) -> int:
    return _rows(store, "SELECT count(*) FROM outbox")[0][0]


@pytest.fixture
def pairs(empty_store: Store):
    """A household entered twice (heads share a CCCD), a person entered in two households,
    and two households of one name and address that are really neighbours."""
    from desktop.services import ItemChange, Services

    services = Services(empty_store)
    keep = services.register_household(
        A,
        "Số 12, đường Bờ Kênh",
        members=[
            {"full_name": "Nguyễn Văn Đức", "relation": "head", "cccd": CCCD_DUC},
            {"full_name": "Trần Thị Hoa", "relation": "spouse"},
        ],
    )
    services.log_visit(keep, "met", [ItemChange("household", keep, "fibre_internet", "done")])
    other = services.register_household(
        A,
        "so 12 duong bo kenh",
        members=[
            {"full_name": "Nguyen Van Duc", "relation": "head", "cccd": CCCD_DUC},
            {"full_name": "Nguyễn Minh Khoa", "relation": "child"},
        ],
    )
    lan_a = services.register_household(
        A,
        "Số 30, xóm Chùa",
        members=[
            {"full_name": "Võ Văn Kiệt", "relation": "head"},
            {"full_name": "Lê Thị Lan", "cccd": CCCD_LAN},
        ],
    )
    lan_b = services.register_household(
        B,
        "Số 2, ấp Đông",
        members=[
            {"full_name": "Phan Văn Chín", "relation": "head"},
            {"full_name": "Le Thi Lan", "cccd": CCCD_LAN},
        ],
    )
    n1 = services.register_household(A, "Số 7", members=[{"full_name": "Phạm Văn Bảy"}])
    n2 = services.register_household(A, "số 7", members=[{"full_name": "Pham Van Bay"}])
    sign_in_as(empty_store, "leader")
    return {"keep": keep, "other": other, "lan": (lan_a, lan_b), "neighbours": (n1, n2)}


def _dialog(qtbot, window) -> DuplicatesDialog:
    dialog = window.open_duplicates()
    assert isinstance(dialog, DuplicatesDialog)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.model.rowCount() > 0, timeout=10_000)
    return dialog


def _select(dialog: DuplicatesDialog, kind: str, *household_ids: str) -> int:
    for row, pair in enumerate(dialog.model.rows):
        if pair.kind == kind and (
            kind == PERSON or {pair.left.id, pair.right.id} == set(household_ids)
        ):
            dialog.view.selectRow(row)
            return row
    raise AssertionError("pair not listed")


ASKED: list[str] = []


def _yes(box) -> None:
    ASKED.append(box.text())
    box.button(QMessageBox.StandardButton.Yes).click()


def _no(box) -> None:
    box.button(QMessageBox.StandardButton.No).click()


def test_the_menu_action_is_for_leaders_and_counts_the_pairs(qtbot, empty_store, settings, pairs):
    sign_in_as(empty_store, "volunteer")
    window = make_window(qtbot, empty_store, settings)
    action = window.findChild(QAction, "duplicates")
    assert action is not None and not action.isVisible()
    assert window.open_duplicates() is None  # not even by its slot
    sign_in_as(empty_store, "leader")
    window.refresh_all()  # what a sync that pulled rows calls; the role is read meanwhile
    qtbot.waitUntil(action.isVisible)
    qtbot.waitUntil(lambda: window.duplicates_count == 3, timeout=10_000)
    assert action.text() == "Hộ và người có thể &trùng (3)…"
    assert "3 cặp" in window.statusBar().currentMessage()
    household_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Hộ")
    assert action in household_menu.actions()


def test_the_pairs_are_listed_side_by_side_with_masked_cccd(qtbot, empty_store, settings, pairs):
    window = make_window(qtbot, empty_store, settings)
    dialog = _dialog(qtbot, window)
    model = dialog.model
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(3)]
    # Households first (by hamlet and address), then persons.
    assert [r[:2] for r in rows] == [
        ["Hộ", "Chủ hộ cùng số CCCD"],
        ["Hộ", "Cùng tên chủ hộ và địa chỉ"],
        ["Người", "Cùng số CCCD"],
    ]
    assert rows[0][2] == "Số 12, đường Bờ Kênh — Nguyễn Văn Đức"
    _select(dialog, HOUSEHOLD, pairs["keep"], pairs["other"])
    left, right = dialog.left_text.text(), dialog.right_text.text()
    assert "Số 12, đường Bờ Kênh" in left and "so 12 duong bo kenh" in right
    assert "Nguyễn Văn Đức, Trần Thị Hoa" in left and "Nguyễn Minh Khoa" in right
    assert "••••••••3456" in left and "••••••••3456" in right
    assert CCCD_DUC not in left + right
    assert "Ấp Bình Minh" in left
    assert all(b.isEnabled() for b in (dialog.keep_left, dialog.keep_right, dialog.not_same))
    _select(dialog, PERSON)
    assert "Ấp Đông Hòa" in dialog.left_text.text() + dialog.right_text.text()
    assert CCCD_LAN not in dialog.left_text.text()

    # Nothing is cut on a 1366x768 screen: the dialog fits, and so does every button's text.
    assert dialog.width() <= 1366 and dialog.height() <= 768 - 60
    assert dialog.minimumSizeHint().width() <= 1366
    for button in (dialog.keep_left, dialog.keep_right, dialog.not_same):
        assert button.width() >= button.sizeHint().width()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _select(dialog, HOUSEHOLD, pairs["keep"], pairs["other"])
    QApplication.sendPostedEvents()
    assert dialog.grab().save(str(SCREENSHOTS / "duplicates_dialog.png"))
    window.resize(1366, 768)
    assert window.grab().save(str(SCREENSHOTS / "main_window_leader.png"))


def test_enter_in_the_list_does_not_merge(qtbot, empty_store, settings, pairs):
    window = make_window(qtbot, empty_store, settings)
    dialog = _dialog(qtbot, window)
    _select(dialog, HOUSEHOLD, pairs["keep"], pairs["other"])
    dialog.view.setFocus()
    before = _outbox_count(empty_store)
    answers = ModalAnswers(_yes)  # would say yes to any question: none must come
    try:
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            press(qtbot, dialog.view, key)  # a merge would ask first, in a modal box, at once
        settle(qtbot)  # and nothing started in the background either
    finally:
        answers.stop()
    assert answers.seen == []
    assert dialog.isVisible() and dialog.model.rowCount() == 3
    assert _outbox_count(empty_store) == before
    assert not any(
        b.isDefault() or b.autoDefault() for b in dialog.findChildren(type(dialog.keep_left))
    )


def test_the_merge_button_merges_after_a_yes(qtbot, empty_store, settings, pairs):
    window = make_window(qtbot, empty_store, settings)
    dialog = _dialog(qtbot, window)
    row = _select(dialog, HOUSEHOLD, pairs["keep"], pairs["other"])
    pair = dialog.model.row_at(row)
    keep = pair.left.id
    gone = pair.right.id
    assert keep == pairs["keep"]  # the fuller record (a visit, an item) is on the left

    # "No" first: nothing happens.
    answers = ModalAnswers(_no)
    try:
        dialog.keep_left.click()
    finally:
        answers.stop()
    assert len(answers.seen) == 1 and dialog.model.rowCount() == 3
    assert _rows(empty_store, "SELECT deleted FROM households WHERE id = ?", gone) == [(0,)]

    ASKED.clear()
    answers = ModalAnswers(_yes)
    try:
        with qtbot.waitSignal(dialog.merged, timeout=10_000):
            dialog.keep_left.click()
    finally:
        answers.stop()
    assert ASKED[0].startswith("Gộp hộ “so 12 duong bo kenh — Nguyen Van Duc” vào hộ “Số 12")
    assert _rows(empty_store, "SELECT deleted FROM households WHERE id = ?", gone) == [(1,)]
    names = _rows(
        empty_store,
        "SELECT full_name FROM persons WHERE household_id = ? AND deleted = 0 ORDER BY full_name",
        keep,
    )
    assert names == [("Nguyễn Minh Khoa",), ("Nguyễn Văn Đức",), ("Trần Thị Hoa",)]
    qtbot.waitUntil(lambda: not dialog.busy and dialog.model.rowCount() == 2, timeout=10_000)
    assert dialog.status.text().startswith("Đã gộp.")
    assert all(p.key[1:] != tuple(sorted((keep, gone))) for p in dialog.model.rows)
    # The window redrew: the merged household left the list, the count went down.
    qtbot.waitUntil(lambda: window.duplicates_count == 2, timeout=10_000)
    qtbot.waitUntil(lambda: gone not in window.list_model.ids, timeout=10_000)


def test_not_a_duplicate_hides_the_pair_for_good(qtbot, empty_store, settings, pairs):
    window = make_window(qtbot, empty_store, settings)
    dialog = _dialog(qtbot, window)
    n1, n2 = pairs["neighbours"]
    _select(dialog, HOUSEHOLD, n1, n2)
    before = _outbox_count(empty_store)
    dialog.not_same.click()
    qtbot.waitUntil(lambda: not dialog.busy)  # written off the GUI thread
    assert dialog.model.rowCount() == 2
    assert "Còn 2 cặp" in dialog.status.text()
    assert all({p.left.id, p.right.id} != {n1, n2} for p in dialog.model.rows)
    assert _outbox_count(empty_store) == before  # remembered here, nothing to sync
    dialog.refresh()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert dialog.model.rowCount() == 2


def test_a_refused_merge_is_said_in_vietnamese_and_writes_nothing(
    qtbot, empty_store, settings, pairs
):
    from desktop.services import Services

    window = make_window(qtbot, empty_store, settings)
    dialog = _dialog(qtbot, window)
    sign_in_as(empty_store, "volunteer")  # the role changed since the window opened
    _select(dialog, HOUSEHOLD, pairs["keep"], pairs["other"])
    before = _outbox_count(empty_store)
    answers = ModalAnswers(_yes)
    try:
        dialog.keep_right.click()
        qtbot.waitUntil(lambda: "tổ trưởng" in dialog.status.text(), timeout=10_000)
    finally:
        answers.stop()
    assert _outbox_count(empty_store) == before
    assert dialog.model.rowCount() == 3
    # A pair gone meanwhile (merged on another laptop and pulled) is said as well.
    sign_in_as(empty_store, "leader")
    Services(empty_store).merge_households(pairs["keep"], pairs["other"])
    answers = ModalAnswers(_yes)
    try:
        dialog.keep_left.click()
        qtbot.waitUntil(lambda: "Không tìm thấy" in dialog.status.text(), timeout=10_000)
    finally:
        answers.stop()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.model.rowCount() == 2, timeout=10_000)


def test_the_model_without_a_view(empty_store, pairs):
    from desktop.store.duplicates import find_duplicates

    model = DuplicatesModel()
    model.set_rows(empty_store.query(find_duplicates))
    assert model.rowCount() == 3 and model.columnCount() == 5
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Bên trái"
    first = model.row_at(0)
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole + 1) == first.key
    assert model.index(2, 4).data() == "Ấp Bình Minh / Ấp Đông Hòa"
    model.remove(first.key)
    assert model.rowCount() == 2 and model.row_of(first.key) == -1
