"""A profile made offline signs in from the real window (issue 15): the join dialog, the honest
status, the list of held rows and a way to open them; keyboard as people use it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.services import Services
from desktop.settings import Settings
from desktop.store import Store
from desktop.store.areas import create_offline_areas
from desktop.sync.session import SyncSession
from desktop.ui import sync_controller as sc
from desktop.ui.join_dialog import CREATE, JoinDialog
from desktop.ui.sync_panel import install_sync
from tests.desktop.ui_sync.conftest import DEMO_PASSWORD, screenshot

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")


@pytest.fixture
def offline_store(tmp_path: Path):
    """Chị Lan's profile: "Hòa Phú" typed without "Xã", "ap binh minh" (the server's "Ấp Bình
    Minh") and "Ấp Sông Cái" (not on the server); a household in each, with a person."""
    store = Store.open(tmp_path / "lan" / "gocua.db")
    with store.write() as conn:
        create_offline_areas(conn, "Hòa Phú", ["ap binh minh", "Ấp Sông Cái"])
    services = Services(store)
    for hamlet, address in (("LOCAL-01", "Số 7, ấp Bình Minh"), ("LOCAL-02", "Số 9, Sông Cái")):
        services.register_household(
            hamlet, address, members=[{"full_name": f"Chủ hộ {address}", "relation": "head"}]
        )
    yield store
    store.close()


def _window(qtbot, store: Store, tmp_path: Path, username: str, server):
    from desktop.ui.main_window import MainWindow

    window = MainWindow(Services(store), Settings(tmp_path / "settings.json"))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    session = SyncSession(store)
    session.sign_in(server.base_url, username, DEMO_PASSWORD)
    controller = install_sync(
        window, store, session, watch_network=False, attempts=1, retry_base_ms=200
    )
    return window, controller


def _join_dialog(qtbot, controller) -> JoinDialog:
    qtbot.waitUntil(lambda: controller.menu.join_dialog is not None, timeout=20_000)
    dialog = controller.menu.join_dialog
    assert controller.state == sc.JOIN_NEEDED
    return dialog


def _wait_state(qtbot, controller, state: str) -> None:
    qtbot.waitUntil(lambda: controller.state == state and not controller.running, timeout=20_000)


def test_a_volunteer_joins_leaves_a_hamlet_unmatched_and_sees_what_is_held(
    qtbot, offline_store, demo_server, tmp_path
):
    window, controller = _window(qtbot, offline_store, tmp_path, "tnv.an", demo_server)
    dialog = _join_dialog(qtbot, controller)
    combos = dialog.combos
    assert combos["LOCAL-01"].currentData() == "X9001-01"  # matched by folded name
    assert combos["LOCAL-02"].currentData() is None  # a volunteer cannot create: unmatched
    assert combos["LOCAL-02"].findData(CREATE) < 0
    assert "Hòa Phú" in dialog.findChild(type(dialog.message), "communes").text()
    screenshot(dialog, "join_dialog_volunteer")
    qtbot.keyClick(combos["LOCAL-01"], Qt.Key.Key_Return)  # Enter joins: the primary action
    qtbot.waitUntil(lambda: controller.menu.join_dialog is None, timeout=10_000)

    _wait_state(qtbot, controller, sc.NOT_ALL_SENT)  # never "synced" while rows are held
    status = controller.status_widget
    assert "Đã đồng bộ" not in status.state_label.text()
    assert controller.counts.held == 2 and controller.counts.rejected == 0
    qtbot.waitUntil(status.rejected_label.isVisible)
    assert "Chưa gửi được: 2" in status.rejected_label.text()

    held = controller.menu.open_rejected()
    qtbot.waitUntil(lambda: held.model.rowCount() == 2, timeout=5_000)
    texts = [
        [held.model.index(r, c).data() for c in range(held.model.columnCount())]
        for r in range(held.model.rowCount())
    ]
    assert texts[0][:4] == ["Hộ", "Số 9, Sông Cái (Ấp Sông Cái)", "", ""]
    assert texts[0][4] == "Ấp/thôn chưa có trên máy chủ" and texts[0][5] == "Sẽ tự gửi lại"
    assert texts[1][2] == "Chủ hộ Số 9, Sông Cái"
    shown = " ".join(" ".join(row) for row in texts)
    assert "LOCAL" not in shown and not UUID.search(shown)  # never ids
    assert held.join_button.isVisible()
    screenshot(held, "held_dialog")
    household = held.model.row_at(0).household_id
    qtbot.keyClick(held.view, Qt.Key.Key_Return)  # Enter opens the row's household
    qtbot.waitUntil(lambda: window.page is not None and window.page.id == household)
    held.close()


def test_a_leader_creates_the_missing_hamlet_in_the_join_and_everything_goes(
    qtbot, offline_store, demo_server, tmp_path
):
    window, controller = _window(qtbot, offline_store, tmp_path, "totruong", demo_server)
    dialog = _join_dialog(qtbot, controller)
    assert dialog.combos["LOCAL-02"].currentData() == CREATE  # offered to a leader
    screenshot(dialog, "join_dialog")
    qtbot.mouseClick(dialog.join_button, Qt.MouseButton.LeftButton)
    _wait_state(qtbot, controller, sc.UP_TO_DATE)
    assert controller.counts.waiting == 0 and controller.counts.unmatched == 0
    assert controller.status_widget.state_label.text() == "● Đã đồng bộ"
    with offline_store.read() as conn:
        hamlets = dict(
            conn.exec_driver_sql("SELECT name, id FROM areas WHERE kind = 'hamlet'").all()
        )
        assert conn.exec_driver_sql("SELECT count(*) FROM areas WHERE local = 1").scalar() == 0
    assert hamlets["Ấp Sông Cái"].startswith("X9001-")  # made on the server, id from it
    assert not controller.menu.act_join.isEnabled()
