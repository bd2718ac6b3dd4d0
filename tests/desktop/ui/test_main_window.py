"""The main window over a small demo commune: hamlets, search while typing, pages, follow-ups."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt

from desktop.ui.tasks import tasks
from tests.desktop.ui.conftest import type_text


def _wait_list(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.search_timer.isActive() and tasks().idle, timeout=5000)


def _column(qtbot, window, column: int) -> list[str]:
    """A column of the whole list: its rows are read a page at a time off the GUI thread."""
    model = window.list_model
    for row in range(model.rowCount()):
        model.household(row)
    qtbot.waitUntil(lambda: tasks().idle and not model.waiting, timeout=5000)
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_hamlets_show_counts_and_coverage(demo_window):
    model = demo_window.hamlet_model
    assert model.rowCount() == len(model.hamlets) + 1 > 2
    total = sum(h.households for h in model.hamlets)
    assert model.index(0, 1).data() == f"{total:,}".replace(",", ".")
    assert model.index(1, 2).data().endswith("%")
    assert demo_window.list_model.rowCount() == total


def test_search_without_accents_finds_nguyen_van_duc(qtbot, demo_window):
    window = demo_window
    household_id = window.services.register_household(
        "X9001-01", "Số 99, đường liên ấp", members=[{"full_name": "Nguyễn Văn Đức"}]
    )
    qtbot.keyClicks(window.search, "nguyen van duc")
    _wait_list(qtbot, window)
    qtbot.keyClick(window.search, Qt.Key.Key_Down)  # into the results
    assert window.households.hasFocus() or window.focusWidget() is window.households
    model = window.list_model
    assert "Nguyễn Văn Đức" in _column(qtbot, window, 1)
    assert household_id in model.ids
    assert "Tìm thấy" in window.list_status.text()


def test_typing_vietnamese_and_digits_in_search(qtbot, demo_window):
    window = demo_window
    household_id = window.services.register_household(
        "X9001-01",
        "Số 5, kênh Xáng",
        members=[{"full_name": "Đặng Thị Ánh Tuyết", "phone": "0912345678"}],
    )
    type_text(window.search, "Ánh Tuyết")
    _wait_list(qtbot, window)
    assert "Đặng Thị Ánh Tuyết" in _column(qtbot, window, 1)
    window.search.clear()
    qtbot.keyClicks(window.search, "0912345")
    _wait_list(qtbot, window)
    assert window.list_model.ids[0] == household_id  # found by the first digits of her phone
    assert _column(qtbot, window, 0)[0] == "Số 5, kênh Xáng"


def test_search_debounces_and_never_blocks(qtbot, demo_window):
    """Each keystroke returns at once; one query runs after the pause."""
    window = demo_window
    started = window.households_tab.list_reads
    worst = 0.0
    for ch in "nguyen thi":
        t = time.thread_time()  # CPU of this (the GUI) thread: immune to a busy machine
        qtbot.keyClick(window.search, ch)
        worst = max(worst, time.thread_time() - t)
    _wait_list(qtbot, window)
    assert window.households_tab.list_reads - started <= 2
    assert worst < 0.05


def test_selecting_a_household_opens_its_page(qtbot, demo_window):
    window = demo_window
    window.households.setFocus()
    first = window.page.id
    qtbot.keyClick(window.households, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.page is not None and window.page.id != first)
    assert window.page_widget.title.text().startswith(window.page.address)
    assert window.page_widget.grid.model().rowCount() == len(window.page.persons)
    assert window.last_page_ms < 1000


def test_hamlet_filter_and_follow_ups(qtbot, demo_window):
    window = demo_window
    hamlet = window.hamlet_model.hamlets[0]
    window.hamlets.setCurrentIndex(window.hamlet_model.index(1, 0))
    _wait_list(qtbot, window)
    assert window.list_model.rowCount() == hamlet.households
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "Hộ cần quay lại" in window.follow_title.text())
    assert all(r.hamlet_name == hamlet.name for r in window.follow_model.rows)


def test_status_bar_shows_offline_and_outbox(qtbot, demo_window):
    window = demo_window
    assert "Ngoại tuyến" in window.online_label.text()
    assert window.outbox_label.text() == "Chưa gửi: 0 thay đổi"
    window.services.set_household_status(window.page.id, "moved")
    window.refresh_status()  # read off the GUI thread
    qtbot.waitUntil(lambda: window.outbox_label.text() == "Chưa gửi: 1 thay đổi")


def test_menus_show_shortcuts(demo_window):
    actions = {a.objectName(): a for a in demo_window.actions()}
    assert actions["log_visit"].shortcut().toString() == "Ctrl+L"
    assert actions["find"].shortcut().toString() == "Ctrl+F"
    assert actions["new_household"].shortcut().toString() == "Ctrl+N"


def test_window_state_is_remembered(qtbot, demo_window, settings):
    demo_window.resize(1200, 700)
    demo_window.close()
    assert settings.get("window_geometry")
    from desktop.settings import Settings

    assert Settings(settings.path).get("window_geometry") == settings.get("window_geometry")


def test_pending_items_list_and_opening_a_household_from_it(qtbot, demo_window):
    import datetime as dt

    from sqlalchemy import text

    window = demo_window
    page = window.page
    person = page.persons[0]
    window.services.set_item_state(
        "person", person.id, "vneid_l2", "pending", reason="waiting_police"
    )
    old = (window.today - dt.timedelta(days=40)).isoformat()
    with window.store.write() as conn:
        conn.execute(
            text(
                "UPDATE support_items SET state_since = :d WHERE subject_id = :p "
                "AND item_code = 'vneid_l2'"
            ),
            {"d": old, "p": person.id},
        )
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not window.follow_up_tab.busy and bool(window.pending_model.rows))
    rows = window.pending_model.rows
    mine = [r for r in rows if r.person_id == person.id]
    assert mine and mine[0].days == 40
    row = rows.index(mine[0])
    assert window.pending_model.index(row, 4).data() == "Chờ công an phê duyệt"
    window.households.selectRow(window.list_model.rowCount() - 1)
    qtbot.waitUntil(lambda: window.page.id != page.id)
    window.open_household(page.id)
    assert window.tabs.currentIndex() == 0
    qtbot.waitUntil(lambda: window.page.id == page.id)


def test_keyboard_help_lists_the_shortcuts(qtbot, demo_window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = {}
    monkeypatch.setattr(
        QMessageBox, "information", lambda parent, title, text: shown.update(title=title, text=text)
    )
    {a.objectName(): a for a in demo_window.actions()}["keys"].trigger()
    assert shown["title"] == "Phím tắt"
    assert "Ctrl+L" in shown["text"] and "Đang chờ" in shown["text"]
