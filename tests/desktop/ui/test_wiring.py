"""The finished parts wired into the window and the app: the leader's tabs (built when first
shown), the spreadsheet import and report menus, encryption of new and open profiles, the
sync and idle-lock settings, and the start-up probe of benchmarks and CI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from desktop import profiles
from desktop.store import Store, bulk
from desktop.store.encryption import is_encrypted
from desktop.store.identity import USER_ID
from desktop.ui.app import start
from desktop.ui.first_run import hamlet_areas
from desktop.ui.tasks import tasks
from tests.desktop.ui.conftest import ModalAnswers, settle, type_text

PASSPHRASE = "mật khẩu tổ 3"  # typed through the input method: Vietnamese works
ROOT = Path(__file__).resolve().parents[3]


def _close(controller) -> None:
    controller.window.close()
    controller.window.deleteLater()
    controller.close()  # waits for the tasks, then closes the store


def _set_passphrase(dialog) -> None:
    type_text(dialog.first, PASSPHRASE)
    type_text(dialog.second, PASSPHRASE)
    dialog.ok_button.click()


def test_leader_tabs_are_built_when_first_shown_and_refreshed_after_changes(qtbot, demo_window):
    window = demo_window
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs == ["Hộ gia đình", "Cần quay lại", "Danh sách cần hỗ trợ", "Độ phủ", "Chỉ tiêu"]
    lazy = (window.follow_list_tab, window.dashboard_tab, window.targets_tab)
    assert all(tab.content is None for tab in lazy)  # nothing built at start-up

    # "Xuất báo cáo…" leads to the dashboard and its export buttons.
    window.findChild(QAction, "export").trigger()
    assert window.tabs.currentWidget() is window.dashboard_tab
    dashboard = window.dashboard_tab.content
    qtbot.waitUntil(lambda: dashboard.data is not None, timeout=10_000)
    assert dashboard.export_buttons["xlsx"].isVisible()
    # A sync that brings rows calls refresh_all: the dashboard on screen recomputes.
    with qtbot.waitSignal(dashboard.refreshed, timeout=10_000):
        window.refresh_all()

    window.tabs.setCurrentWidget(window.follow_list_tab)
    follow = window.follow_list_tab.content
    qtbot.waitUntil(lambda: follow.model.rowCount() > 0, timeout=10_000)
    # A write while the tab is hidden: reloaded when shown again, not before.
    window.tabs.setCurrentIndex(0)
    window.refresh_all()
    assert window.follow_list_tab.stale
    with qtbot.waitSignal(follow.loaded, timeout=10_000):
        window.tabs.setCurrentWidget(window.follow_list_tab)

    window.tabs.setCurrentWidget(window.targets_tab)
    targets = window.targets_tab.content.model
    qtbot.waitUntil(lambda: not targets.busy)
    assert [name for _, name in targets.areas][0] == "Xã Hòa Phú"  # the commune, then hamlets
    assert targets.rowCount() == 1 + len(window.hamlet_model.hamlets)


def test_targets_tab_follows_the_signed_in_role(qtbot, empty_window, empty_store):
    window = empty_window
    assert window.tabs.indexOf(window.targets_tab) < 0  # before a sign-in: a volunteer's view
    for role, shown in (("commune_admin", True), ("volunteer", False)):
        with empty_store.write() as conn:
            bulk.insert_users(conn, [{"id": role, "display_name": "Chị Lan", "role": role}])
            USER_ID.set(conn, role)
        window.refresh_all()  # the role is read off the GUI thread
        qtbot.waitUntil(lambda s=shown: (window.tabs.indexOf(window.targets_tab) >= 0) is s)
        settle(qtbot)
        assert (window.tabs.indexOf(window.targets_tab) >= 0) is shown


def test_spreadsheet_import_from_the_menu_refreshes_the_lists(qtbot, empty_window, tmp_path):
    window = empty_window
    assert window.findChild(QAction, "import").text() == "&Nhập từ bảng tính…"
    sheet = tmp_path / "ds.csv"
    sheet.write_text(
        "Họ tên,Năm sinh,Địa chỉ\nLê Văn Tám,1970,Số 8\nTrần Thị Hoa,1985,Số 9\n", encoding="utf-8"
    )
    window.hamlets.selectRow(1)  # the dialog's default hamlet: the one being worked on
    dialog = window.import_dialog()
    qtbot.addWidget(dialog)
    assert dialog.hamlet.currentData() == window.hamlet_id == "X9001-01"
    with qtbot.waitSignal(dialog.planned, timeout=10_000):
        dialog.load_file(sheet)
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        dialog.commit()
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 2, timeout=5000)
    assert window.list_status.text() == "2 hộ"


def test_new_profile_is_offered_a_passphrase_and_opens_without_asking_again(qtbot, gocua_home):
    def create(dialog):
        type_text(dialog.name, "Chị Lan")
        dialog.hamlets.setPlainText("Ấp Bình Minh\n")
        dialog.create_button.click()

    answers = ModalAnswers(create, _set_passphrase)
    try:
        app, controller, code = start([])
    finally:
        answers.stop()
    try:
        assert len(answers.seen) == 2  # no unlock dialog after the passphrase was just set
        qtbot.waitUntil(lambda: controller.window is not None, timeout=20_000)
        qtbot.waitUntil(lambda: tasks().idle, timeout=10_000)
        assert is_encrypted(controller.profile.db_path)
        assert [h.name for h in controller.window.hamlet_model.hamlets] == ["Ấp Bình Minh"]
        assert not controller.window.act_encrypt.isVisible()
    finally:
        _close(controller)


def test_encrypting_the_open_profile_with_the_settings_for_sync_and_idle_lock(qtbot, gocua_home):
    profile = profiles.create_profile("Anh Đức")
    store = Store.open(profile.db_path)
    with store.write() as conn:
        bulk.insert_areas(conn, hamlet_areas("Xã Hòa Phú", ["Ấp Đông Hòa"]))
    store.close()
    settings = profiles.load_settings()
    settings.set("sync_interval_min", 7)
    settings.set("idle_lock_min", 3)
    settings.save()
    app, controller, code = start([])
    try:
        old = controller.window
        qtbot.waitUntil(lambda: getattr(old, "sync", None) is not None, timeout=5000)
        assert old.sync.timer.interval() == 7 * 60_000
        assert getattr(old, "idle_lock", None) is None  # a clear profile has nothing to lock
        action = old.findChild(QAction, "encrypt_profile")
        assert action.isVisible() and action.text() == "Đặt &mật khẩu hồ sơ…"
        answers = ModalAnswers(_set_passphrase)
        action.trigger()
        answers.stop()
        assert is_encrypted(profile.db_path)
        window = controller.window
        assert window is not old and window.isVisible()
        hamlets = window.hamlet_model
        qtbot.waitUntil(lambda: [h.name for h in hamlets.hamlets] == ["Ấp Đông Hòa"])
        qtbot.waitUntil(lambda: getattr(window, "idle_lock", None) is not None, timeout=5000)
        assert window.idle_lock.idle_ms == 3 * 60_000
    finally:
        _close(controller)
    assert QApplication.activeModalWidget() is None


@pytest.fixture
def probe_profile(ui_demo_template, gocua_home):
    """A small demo profile registered as the last one, as the app leaves it."""
    profile = profiles.create_profile("Dữ liệu mẫu")
    shutil.copyfile(ui_demo_template, profile.db_path)
    profiles.remember(profile)
    return profile


def _probe(gocua_home: Path, tmp_path: Path, stdin: str = "") -> tuple[int, dict]:
    out = tmp_path / "probe.json"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "GOCUA_HOME": str(gocua_home),
        "GOCUA_STARTUP_PROBE": str(out),
    }
    env.pop("GOCUA_T0", None)
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli"],
        input=stdin,
        text=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    return done.returncode, json.loads(out.read_text()) if out.exists() else {}


def test_startup_probe_on_a_clear_and_an_encrypted_profile(probe_profile, gocua_home, tmp_path):
    code, result = _probe(gocua_home, tmp_path)
    assert code == 0 and 0 < result["usable_ms"] < 30_000

    Store.open(probe_profile.db_path, passphrase=PASSPHRASE).close()  # converts in place
    code, result = _probe(gocua_home, tmp_path, PASSPHRASE + "\n")
    assert code == 0 and result["usable_ms"] > 0
    # A wrong passphrase: no dialog waiting for nobody, a failed exit.
    (tmp_path / "probe.json").unlink()
    code, result = _probe(gocua_home, tmp_path, "sai mật khẩu\n")
    assert code == 1 and result == {}
