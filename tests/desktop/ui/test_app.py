"""Starting the app: first run (create a profile / try the demo), the last profile next time,
the language switch, and the error hook that logs and keeps the window."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop import profiles
from desktop.ui import first_run
from desktop.ui.app import start
from desktop.ui.first_run import FirstRunDialog, hamlet_areas
from desktop.ui.tasks import tasks
from tests.desktop.ui.conftest import ModalAnswers, confirm_skip, skip_passphrase, type_text


@pytest.fixture(autouse=True)
def keep_hooks(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)


def _drive_first_run(qtbot, action):
    seen = {}

    def drive():
        dialog = QApplication.activeModalWidget()
        seen["dialog"] = dialog
        try:
            assert isinstance(dialog, FirstRunDialog)
            action(dialog)
        finally:
            if dialog is not None and dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, drive)
    return seen


def _close(controller):
    controller.window.close()
    controller.window.deleteLater()
    controller.close()  # waits for the tasks, then closes the store


def _opened(qtbot, controller):
    """A new profile is made off the GUI thread; its window comes once it is ready."""
    qtbot.waitUntil(lambda: controller.window is not None, timeout=20_000)
    qtbot.waitUntil(lambda: tasks().idle, timeout=10_000)
    return controller.window


def test_first_run_creates_a_profile_with_hamlets(qtbot, gocua_home):
    def create(dialog):
        type_text(dialog.name, "Chị Lan")
        type_text(dialog.commune, "Xã Hòa Phú")
        dialog.hamlets.setPlainText("Ấp Bình Minh\nẤp Đông Hòa\n")
        dialog.create_button.click()

    # Then the passphrase offer, skipped (tests/desktop/ui/test_wiring.py sets one).
    answers = ModalAnswers(create, skip_passphrase, confirm_skip)
    try:
        app, controller, code = start([])
    finally:
        answers.stop()
    assert isinstance(answers.seen[0], FirstRunDialog) and len(answers.seen) == 3
    assert code == 0 and controller is not None
    try:
        window = _opened(qtbot, controller)
        assert window.isVisible()
        assert window.windowTitle() == "Gõ Cửa — Chị Lan"
        assert [h.name for h in window.hamlet_model.hamlets] == ["Ấp Bình Minh", "Ấp Đông Hòa"]
        assert profiles.last_profile().name == "Chị Lan"
        assert (gocua_home / "profiles" / "chi-lan" / "gocua.db").exists()
    finally:
        _close(controller)
    # The next start opens the same profile without asking.
    app, controller, code = start([])
    try:
        assert controller.profile.slug == "chi-lan"
    finally:
        _close(controller)


def test_first_run_with_the_keyboard_creates_the_typed_profile(qtbot, gocua_home):
    """Name, commune, two hamlets (Enter between them), Tab out of the hamlets box, Enter."""

    def fill(dialog):
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        assert dialog.name.hasFocus()
        type_text(dialog.name, "Chị Lan")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Tab)
        type_text(QApplication.focusWidget(), "Xã Hòa Phú")
        qtbot.keyClick(dialog.commune, Qt.Key.Key_Tab)
        assert dialog.hamlets.hasFocus()
        type_text(dialog.hamlets, "Ấp Bình Minh")
        qtbot.keyClick(dialog.hamlets, Qt.Key.Key_Return)  # a new line: one hamlet a line
        type_text(dialog.hamlets, "Ấp Đông Hòa")
        qtbot.keyClick(dialog.hamlets, Qt.Key.Key_Tab)
        assert not dialog.hamlets.hasFocus()
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    answers = ModalAnswers(fill)
    try:
        app, controller, code = start([], sync=False)
    finally:
        answers.stop()
    dialog = answers.seen[0]
    assert dialog.choice == "create"
    assert code == 0 and controller is not None
    try:
        _opened(qtbot, controller)
        assert controller.profile.name == "Chị Lan"
        assert [h.name for h in controller.window.hamlet_model.hamlets] == [
            "Ấp Bình Minh",
            "Ấp Đông Hòa",
        ]
        assert profiles.get_profile(profiles.slugify(first_run.DEMO_PROFILE_NAME)) is None
    finally:
        _close(controller)


def _shown_first_run(qtbot) -> FirstRunDialog:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def test_first_run_enter_in_a_field_creates_and_never_the_demo(qtbot):
    dialog = _shown_first_run(qtbot)
    assert dialog.create_button.isDefault()
    assert not dialog.demo_button.isDefault() and not dialog.demo_button.autoDefault()
    assert not dialog.cancel_button.autoDefault()
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)  # nothing typed: the field is named
    assert dialog.isVisible() and dialog.choice is None
    assert dialog.error.text() == "Vui lòng nhập tên của bạn (tên hồ sơ)."
    assert dialog.name.hasFocus()
    type_text(dialog.name, "Anh Đức")
    type_text(dialog.commune, "Xã Hòa Phú")
    qtbot.keyClick(dialog.commune, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.choice == "create"


def test_first_run_ctrl_enter_in_the_hamlets_creates(qtbot):
    dialog = _shown_first_run(qtbot)
    type_text(dialog.name, "Anh Đức")
    type_text(dialog.hamlets, "Ấp Bình Minh")
    qtbot.keyClick(dialog.hamlets, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter in the box is the next hamlet's line
    type_text(dialog.hamlets, "Ấp Đông Hòa")
    qtbot.keyClick(dialog.hamlets, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.choice == "create"
    assert dialog.hamlet_names() == ["Ấp Bình Minh", "Ấp Đông Hòa"]


def test_first_run_escape_keeps_what_was_typed(qtbot):
    dialog = _shown_first_run(qtbot)
    type_text(dialog.name, "Chị Lan")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.name.text() == "Chị Lan"
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)  # "Thoát" still leaves
    assert dialog.result() == dialog.DialogCode.Rejected and dialog.choice is None
    empty = _shown_first_run(qtbot)
    qtbot.keyClick(empty.name, Qt.Key.Key_Escape)  # nothing typed: Esc leaves
    assert not empty.isVisible()


def test_first_run_demo_and_leaving(qtbot, gocua_home, monkeypatch):
    monkeypatch.setattr(first_run, "DEMO_HOUSEHOLDS", 25)
    _drive_first_run(qtbot, lambda dialog: dialog.demo_button.click())
    app, controller, code = start([])
    try:
        _opened(qtbot, controller)
        assert controller.profile.name == "Dữ liệu mẫu"
        assert sum(h.households for h in controller.window.hamlet_model.hamlets) == 25
    finally:
        _close(controller)


def test_first_run_cancel_quits(qtbot, gocua_home):
    _drive_first_run(qtbot, lambda dialog: dialog.reject())
    app, controller, code = start([])
    assert controller is None and code == 0
    assert profiles.list_profiles() == []


def test_error_hook_logs_and_keeps_the_window(qtbot, gocua_home):
    profiles.create_profile("Anh Đức")
    app, controller, code = start([])
    try:
        handler = controller.error_handler
        handler.quiet = True
        try:
            raise RuntimeError("boom in a slot")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
        qtbot.waitUntil(lambda: handler.shown == 1, timeout=2000)
        assert controller.window.isVisible()
        log_text = (gocua_home / "logs" / "gocua.log").read_text(encoding="utf-8")
        assert "boom in a slot" in log_text
        from desktop.ui.errors import user_message

        assert "không mong muốn" in user_message(handler.last)
    finally:
        _close(controller)


def test_language_switch_rebuilds_the_window_in_english(qtbot, gocua_home, tmp_path, monkeypatch):
    import subprocess
    from pathlib import Path

    from desktop.ui import i18n
    from gocua.resources import resource_path

    qm_dir = tmp_path / "qm"
    qm_dir.mkdir()
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run(
        [
            str(lrelease),
            "-silent",
            str(resource_path("i18n", "gocua_en.ts")),
            "-qm",
            str(qm_dir / "gocua_en.qm"),
        ],
        check=True,
    )
    install = i18n.install
    monkeypatch.setattr(i18n, "install", lambda language, folder=None: install(language, qm_dir))
    profiles.create_profile("Anh Đức")
    app, controller, code = start([])
    try:
        assert controller.window.menuBar().actions()[0].text() == "&Tệp"
        old = controller.window
        controller.switch_language("en")
        window = controller.window
        assert window is not old
        assert [a.text() for a in window.menuBar().actions()][:3] == [
            "&File",
            "House&hold",
            "&View",
        ]
        qtbot.waitUntil(lambda: window.outbox_label.text() == "Not sent: 0 changes")
        assert profiles.load_settings().get("language") == "en"
        controller.switch_language("vi")
        assert controller.window.menuBar().actions()[0].text() == "&Tệp"
    finally:
        install("vi")
        _close(controller)


def test_switching_profiles_from_the_menu(qtbot, gocua_home):
    from desktop.store import Store, bulk

    lan = profiles.create_profile("Chị Lan")
    duc = profiles.create_profile("Anh Đức")
    for profile, hamlet in ((lan, "Ấp Bình Minh"), (duc, "Ấp Đông Hòa")):
        store = Store.open(profile.db_path)
        with store.write() as conn:
            bulk.insert_areas(conn, hamlet_areas("Xã Hòa Phú", [hamlet]))
        store.close()
    profiles.remember(lan)
    app, controller, code = start([], sync=False)
    try:
        assert controller.profile.slug == lan.slug
        menu = controller.window.menuBar().actions()[0].menu()
        switch = menu.actions()[0].menu()
        names = [a.text() for a in switch.actions() if a.text()]
        assert names[:2] == ["Anh Đức", "Chị Lan"]
        switch.actions()[0].trigger()
        assert controller.profile.slug == duc.slug
        assert controller.window.windowTitle() == "Gõ Cửa — Anh Đức"
        hamlets = controller.window.hamlet_model
        qtbot.waitUntil(lambda: [h.name for h in hamlets.hamlets] == ["Ấp Đông Hòa"])
        assert profiles.last_profile().slug == duc.slug
    finally:
        _close(controller)


def test_sync_menu_and_status_arrive_after_the_window(qtbot, gocua_home):
    profiles.create_profile("Anh Đức")
    app, controller, code = start([])
    try:
        window = controller.window
        assert getattr(window, "sync", None) is None  # the window first, the sync a moment later
        qtbot.waitUntil(lambda: getattr(window, "sync", None) is not None, timeout=5000)
        assert len(window.menuBar().actions()) == 6
        assert window.outbox_label.isHidden()  # the sync's own status replaces the placeholder
    finally:
        _close(controller)


# -- one running copy per profile -----------------------------------------------------------


def _profile_files(profile) -> dict[str, bytes]:
    """The database and its WAL/SHM, byte for byte (the lock file aside)."""
    return {
        path.name: path.read_bytes()
        for path in sorted(profile.folder.iterdir())
        if path.name.startswith("gocua.db") and not path.name.endswith(".lock")
    }


def test_a_second_copy_exits_and_leaves_the_profile_untouched(gocua_home):
    """A real second process (``python -m desktop.cli``, offscreen) meets the lock of the
    first copy (here the test process): it says so on stderr and in its log, shows no box on a
    windowless platform (documented in desktop.ui.app.report_in_use), asks no passphrase, and
    exits with EXIT_PROFILE_IN_USE without writing to the profile."""
    import os
    import subprocess

    from desktop.profile_lock import EXIT_PROFILE_IN_USE, ProfileLock
    from desktop.store import Store, bulk
    from tests.support.server_process import ROOT

    lan = profiles.create_profile("Chị Lan")
    store = Store.open(lan.db_path, passphrase="mật-khẩu-của-Lan")  # encrypted: no prompt
    with store.write() as conn:
        bulk.insert_areas(conn, hamlet_areas("Xã Hòa Phú", ["Ấp Bình Minh"]))
    store.close()
    profiles.remember(lan)
    before = _profile_files(lan)
    env = {
        **os.environ,
        "GOCUA_HOME": str(gocua_home),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONUTF8": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    with ProfileLock(lan.db_path, lan.name):  # the first copy
        second = subprocess.run(
            [sys.executable, "-m", "desktop.cli"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=120,  # a box or a passphrase prompt waiting for nobody would end here
        )
    stderr = second.stderr.decode("utf-8")
    assert second.returncode == EXIT_PROFILE_IN_USE, stderr
    assert "Hồ sơ “Chị Lan” đang được mở trong một cửa sổ Gõ Cửa khác." in stderr
    assert "already open in another window of Gõ Cửa" in stderr
    assert "đang được mở" in (gocua_home / "logs" / "gocua.log").read_text(encoding="utf-8")
    assert _profile_files(lan) == before


def test_switching_to_a_profile_open_in_another_copy_keeps_the_current(qtbot, gocua_home):
    from PySide6.QtWidgets import QMessageBox

    from desktop.profile_lock import ProfileInUse, ProfileLock
    from desktop.store import Store, bulk
    from tests.support.lock_holder import LockHolder

    lan = profiles.create_profile("Chị Lan")
    duc = profiles.create_profile("Anh Đức")
    for profile, hamlet in ((lan, "Ấp Bình Minh"), (duc, "Ấp Đông Hòa")):
        store = Store.open(profile.db_path)
        with store.write() as conn:
            bulk.insert_areas(conn, hamlet_areas("Xã Hòa Phú", [hamlet]))
        store.close()
    profiles.remember(lan)
    app, controller, code = start([], sync=False)
    try:
        assert controller.profile.slug == lan.slug and controller.lock.held
        with pytest.raises(ProfileInUse):  # this copy holds Lan's profile
            ProfileLock(lan.db_path).acquire()
        window = controller.window
        switch = window.menuBar().actions()[0].menu().actions()[0].menu()
        to_duc = next(a for a in switch.actions() if a.text() == "Anh Đức")
        told = []

        def read_and_close(box):
            assert isinstance(box, QMessageBox)
            told.append(box.text())
            box.accept()

        with LockHolder(duc.db_path) as other_copy:
            answers = ModalAnswers(read_and_close)
            try:
                to_duc.trigger()
            finally:
                answers.stop()
            assert told == [
                "Hồ sơ “Anh Đức” đang được mở trong một cửa sổ Gõ Cửa khác. "
                "Hãy dùng cửa sổ đó, hoặc đóng nó rồi mở lại hồ sơ."
            ]
            assert controller.profile.slug == lan.slug and controller.window is window
            assert [h.name for h in window.hamlet_model.hamlets] == ["Ấp Bình Minh"]
            other_copy.release()
        to_duc.trigger()  # closed there: it opens here, and Lan's lock is let go
        assert controller.profile.slug == duc.slug
        with ProfileLock(lan.db_path) as lan_lock:
            assert lan_lock.held
    finally:
        _close(controller)
    with ProfileLock(duc.db_path) as duc_lock:  # closing the app lets go of its profile
        assert duc_lock.held
