"""Encrypted profiles in the window: a wrong then a right passphrase, the throttle's countdown,
setting a passphrase (new profile, converting a clear one), the idle lock."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.services import Services
from desktop.store import Store
from desktop.store.encryption import WrongPassphrase, is_encrypted
from desktop.store.rows import pending_count
from desktop.ui import unlock_dialog
from desktop.ui.idle_lock import IdleLock, install_idle_lock
from desktop.ui.unlock_dialog import SetPassphraseDialog, UnlockDialog, open_profile_store
from tests.desktop.ui_sync.conftest import screenshot, type_text

PASSPHRASE = "mật-khẩu-của-Lan"
AREAS = [
    {"id": "X9001", "kind": "commune", "name": "Xã Hòa Phú", "parent_id": None},
    {"id": "X9001-01", "kind": "hamlet", "name": "Ấp Bình Minh", "parent_id": "X9001"},
]


@pytest.fixture(autouse=True)
def fresh_throttles():
    unlock_dialog._throttles.clear()
    yield
    unlock_dialog._throttles.clear()


@pytest.fixture
def encrypted_profile(tmp_path: Path) -> Path:
    from desktop.store import bulk

    path = tmp_path / "lan" / "gocua.db"
    store = Store.open(path, passphrase=PASSPHRASE)
    with store.write() as conn:
        bulk.insert_areas(conn, AREAS)
    Services(store).register_household("X9001-01", "Số 3, ấp Bình Minh")
    store.close()
    assert is_encrypted(path)
    return path


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _show(qtbot, dialog) -> None:
    """Shown and active, as a real dialog is: focus changes and Enter reach it."""
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)


def _enter(qtbot, widget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def _answered(dialog) -> bool:
    return dialog.result() == dialog.DialogCode.Accepted or not dialog.isVisible()


def test_wrong_then_right_passphrase_with_enter_unlocks(qtbot, encrypted_profile):
    dialog = UnlockDialog(encrypted_profile, profile_name="Chị Lan")
    _show(qtbot, dialog)
    assert dialog.passphrase.hasFocus()
    type_text(dialog.passphrase, "sai-mật-khẩu")
    _enter(qtbot, dialog.passphrase)
    assert dialog.busy
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert dialog.isVisible() and dialog.error.text() == WrongPassphrase.message_vi
    assert dialog.passphrase.hasFocus() and dialog.passphrase.selectedText() == "sai-mật-khẩu"
    type_text(dialog.passphrase, PASSPHRASE)  # replaces the selected wrong one
    _enter(qtbot, dialog.passphrase)
    qtbot.waitUntil(lambda: _answered(dialog), timeout=10_000)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.store is not None
    with dialog.store.read() as conn:
        assert pending_count(conn) >= 1
    dialog.store.close()


def test_wrong_then_right_passphrase(qtbot, encrypted_profile):
    dialog = UnlockDialog(encrypted_profile, profile_name="Chị Lan")
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.passphrase, "sai-mật-khẩu")
    _click(qtbot, dialog.ok_button)
    qtbot.waitUntil(
        lambda: not dialog.busy and dialog.error.text() != "Đang mở khóa…", timeout=10_000
    )
    assert dialog.error.text() == WrongPassphrase.message_vi
    assert dialog.isVisible() and dialog.store is None
    # A first wrong try (a typo, most often) costs no delay.
    assert dialog.ok_button.isEnabled() and dialog.ok_button.text() == "Mở khóa"
    screenshot(dialog, "unlock_wrong")

    dialog.passphrase.clear()
    type_text(dialog.passphrase, PASSPHRASE)
    _click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted, timeout=10_000)
    assert dialog.store is not None and dialog.passphrase.text() == ""
    with dialog.store.read() as conn:
        assert pending_count(conn) >= 1
    dialog.store.close()
    assert unlock_dialog.throttle_for(encrypted_profile).failures == 0


def test_the_delay_owed_survives_a_new_dialog(qtbot, encrypted_profile):
    throttle = unlock_dialog.throttle_for(encrypted_profile)
    for _ in range(4):  # two free tries, then 1 s, then 2 s owed
        throttle.failed()
    dialog = UnlockDialog(encrypted_profile)
    _show(qtbot, dialog)
    assert dialog.ok_button.isEnabled()  # so that Enter reaches it
    assert dialog.ok_button.text() == "Thử lại sau 2 giây"
    assert "nhấn Enter ngay" in dialog.error.text()
    _enter(qtbot, dialog.passphrase)  # remembered, not run now
    assert dialog.pending and not dialog.busy
    assert dialog.ok_button.text() == "Sẽ mở khóa sau 2 giây"
    assert dialog.error.text().startswith("Đã nhận.")


def test_enter_during_the_countdown_runs_the_try_when_it_ends(qtbot, encrypted_profile):
    # A short throttle through the module's own hook: the delay is 0.6 s, not 1 s.
    throttle = unlock_dialog.throttle_for(encrypted_profile)
    throttle.max_delay = 0.6
    dialog = UnlockDialog(encrypted_profile, profile_name="Chị Lan")
    _show(qtbot, dialog)
    for attempt in (1, 2, 3):
        type_text(dialog.passphrase, f"sai-{attempt}")
        _enter(qtbot, dialog.passphrase)
        assert dialog.busy
        qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
        assert dialog.isVisible() and dialog.passphrase.hasFocus()
        assert dialog.passphrase.selectedText() == f"sai-{attempt}"
        # Two typos are free; the third wrong try starts the countdown.
        assert dialog.countdown.isActive() == (attempt == 3)
    assert dialog.ok_button.text() == "Thử lại sau 1 giây"
    assert dialog.error.text().startswith(WrongPassphrase.message_vi)
    screenshot(dialog, "unlock_countdown")
    type_text(dialog.passphrase, PASSPHRASE)
    _enter(qtbot, dialog.passphrase)
    assert dialog.countdown.isActive(), "the countdown ended before the Enter: raise max_delay"
    assert dialog.pending and not dialog.busy and dialog.isVisible()
    assert dialog.ok_button.text() == "Sẽ mở khóa sau 1 giây"
    screenshot(dialog, "unlock_countdown_pending")
    qtbot.waitUntil(lambda: _answered(dialog), timeout=15_000)  # by itself, no key pressed
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.store is not None
    dialog.store.close()
    assert throttle.failures == 0


def test_an_empty_or_damaged_answer_is_a_message_not_a_crash(qtbot, tmp_path):
    path = tmp_path / "x" / "gocua.db"
    path.parent.mkdir()
    path.write_bytes(b"\x13" * 4096)  # looks encrypted, is garbage
    dialog = UnlockDialog(path)
    qtbot.addWidget(dialog)
    _click(qtbot, dialog.ok_button)
    assert dialog.error.text() == "Vui lòng nhập mật khẩu hồ sơ."
    type_text(dialog.passphrase, PASSPHRASE)
    _click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert dialog.error.text() == WrongPassphrase.message_vi


def test_set_passphrase_twice_for_a_new_profile(qtbot, tmp_path):
    path = tmp_path / "moi" / "gocua.db"
    dialog = SetPassphraseDialog(path=path)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.first, "ngắn")
    type_text(dialog.second, "ngắn")
    _click(qtbot, dialog.ok_button)
    assert dialog.error.text() == "Mật khẩu cần ít nhất 8 ký tự."
    dialog.first.clear()
    type_text(dialog.first, PASSPHRASE)
    type_text(dialog.second, PASSPHRASE + "x")
    _click(qtbot, dialog.ok_button)
    assert dialog.error.text() == "Hai lần nhập mật khẩu không khớp nhau."
    screenshot(dialog, "set_passphrase_mismatch")
    type_text(dialog.second, PASSPHRASE)
    _click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted, timeout=10_000)
    dialog.store.close()
    assert is_encrypted(path)


def test_set_passphrase_with_the_keyboard(qtbot, tmp_path):
    path = tmp_path / "moi" / "gocua.db"
    dialog = SetPassphraseDialog(path=path)
    _show(qtbot, dialog)
    assert dialog.ok_button.isDefault() and not dialog.cancel_button.autoDefault()
    type_text(dialog.first, PASSPHRASE)
    qtbot.keyClick(dialog.first, Qt.Key.Key_Tab)
    assert dialog.second.hasFocus()
    type_text(dialog.second, PASSPHRASE + "x")
    _enter(qtbot, dialog.second)
    assert dialog.isVisible() and dialog.error.text() == "Hai lần nhập mật khẩu không khớp nhau."
    assert dialog.second.hasFocus()
    type_text(dialog.second, PASSPHRASE)
    _enter(qtbot, dialog.second)
    assert dialog.busy
    qtbot.keyClick(dialog.second, Qt.Key.Key_Escape)  # not while the file is being written
    qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted, timeout=10_000)
    dialog.store.close()
    assert is_encrypted(path)


def test_converting_a_clear_profile_keeps_its_rows(qtbot, tmp_path):
    from desktop.store import bulk

    path = tmp_path / "cu" / "gocua.db"
    store = Store.open(path)
    with store.write() as conn:
        bulk.insert_areas(conn, AREAS)
    Services(store).register_household("X9001-01", "Số 5")
    store.close()
    dialog = SetPassphraseDialog(path=path, converting=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.ok_button.text() == "Mã hóa hồ sơ"
    screenshot(dialog, "set_passphrase_convert")
    type_text(dialog.first, PASSPHRASE)
    type_text(dialog.second, PASSPHRASE)
    _click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted, timeout=20_000)
    with dialog.store.read() as conn:
        assert pending_count(conn) >= 1
    dialog.store.close()
    assert is_encrypted(path)


def test_the_app_asks_a_passphrase_for_an_encrypted_profile_only(
    qtbot, tmp_path, encrypted_profile
):
    """open_profile_store, what the app opens a profile with: a clear one at once, an
    encrypted one through the unlock dialog (None when the volunteer leaves it)."""
    from PySide6.QtCore import QTimer

    from desktop.store import bulk

    clear = tmp_path / "ro" / "gocua.db"
    store = Store.open(clear)
    with store.write() as conn:
        bulk.insert_areas(conn, AREAS)
    store.close()
    asked: list = []
    QTimer.singleShot(0, lambda: asked.append(QApplication.activeModalWidget()))
    opened = open_profile_store(clear)
    try:
        assert opened is not None and opened.path == clear
    finally:
        opened.close()
    qtbot.waitUntil(lambda: bool(asked))
    assert asked == [None]  # no dialog for a clear profile

    def answer(passphrase: str | None) -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, UnlockDialog) and dialog.windowTitle()
        if passphrase is None:
            dialog.reject()
            return
        type_text(dialog.passphrase, passphrase)
        _click(qtbot, dialog.ok_button)

    QTimer.singleShot(0, lambda: answer(None))
    assert open_profile_store(encrypted_profile, profile_name="Chị Lan") is None
    QTimer.singleShot(0, lambda: answer(PASSPHRASE))
    unlocked = open_profile_store(encrypted_profile, profile_name="Chị Lan")
    try:
        assert unlocked is not None
        with unlocked.read() as conn:
            assert pending_count(conn) >= 1  # the household written before it was locked
    finally:
        unlocked.close()


def test_idle_lock_hides_the_window_and_the_passphrase_brings_it_back(
    qtbot, window, encrypted_profile
):
    lock = install_idle_lock(window, encrypted_profile, idle_ms=300, profile_name="Chị Lan")
    with qtbot.waitSignal(lock.locked, timeout=3_000):
        pass
    assert lock.is_locked and not window.isVisible()
    dialog = lock.dialog
    assert dialog is not None and dialog.isVisible() and dialog.mode == "verify"
    screenshot(dialog, "idle_locked")
    type_text(dialog.passphrase, PASSPHRASE)
    _click(qtbot, dialog.ok_button)
    qtbot.waitUntil(window.isVisible, timeout=30_000)  # the key check is slow on purpose
    assert not lock.is_locked


def test_activity_keeps_the_idle_lock_away(qtbot, window):
    """On the lock's own clock, moved by the test: a busy machine cannot make it fire early
    or late (the lock's timer checks too, against the same clock)."""
    now = [1000.0]  # seconds; the steps below are exact in binary
    lock = IdleLock(idle_ms=400, parent=window, check_ms=50, clock=lambda: now[0])
    fired = []
    lock.locked.connect(lambda: fired.append(1))
    for _ in range(6):  # a key every 375 ms: 2.25 s in all, never 400 ms without one
        now[0] += 0.375
        lock.check()
        qtbot.keyClick(window.centralWidget(), Qt.Key.Key_A)
        lock.check()
    assert not fired and lock.idle_seconds() == 0
    now[0] += 0.375
    lock.check()
    assert not fired
    now[0] += 0.03125  # 406 ms without a key
    lock.check()
    assert fired == [1] and lock.is_locked
    now[0] += 5
    qtbot.keyClick(window.centralWidget(), Qt.Key.Key_A)  # typing on a locked window: no restart
    lock.check()
    assert fired == [1]  # once, until unlocked
    lock.unlocked()
    now[0] += 0.5
    lock.check()
    assert fired == [1, 1]  # and again once unlocked and idle for as long
    lock.remove()


def test_a_dialog_deleted_before_its_answer_is_left_alone(qtbot, encrypted_profile):
    dialog = UnlockDialog(encrypted_profile)
    dialog.show()
    type_text(dialog.passphrase, "sai-mật-khẩu")
    _click(qtbot, dialog.ok_button)
    assert dialog.busy
    check = dialog.check
    dialog.deleteLater()  # the app quits or switches profile meanwhile
    qtbot.waitUntil(lambda: not check.running, timeout=10_000)
    # The answer arrived for nobody: no callback, no error dialog.
    assert unlock_dialog.throttle_for(encrypted_profile).failures == 0


def test_encrypting_the_open_profile_from_the_window(qtbot, tmp_path):
    from PySide6.QtCore import QTimer

    from desktop.store import bulk
    from desktop.ui.unlock_dialog import encrypt_profile

    path = tmp_path / "dang-dung" / "gocua.db"
    store = Store.open(path)
    with store.write() as conn:
        bulk.insert_areas(conn, AREAS)
    Services(store).register_household("X9001-01", "Số 8, ấp Bình Minh")
    released = []

    def release() -> None:  # what the app does: stop the sync, close the store
        store.close()
        released.append(True)

    def cancel_first() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SetPassphraseDialog)
        dialog.reject()

    QTimer.singleShot(0, cancel_first)
    assert encrypt_profile(path, None, release) is None and not released  # nothing changed

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        type_text(dialog.first, PASSPHRASE)
        type_text(dialog.second, PASSPHRASE)
        _click(qtbot, dialog.ok_button)

    QTimer.singleShot(0, drive)
    encrypted = encrypt_profile(path, None, release)
    assert released == [True] and encrypted is not None
    try:
        assert is_encrypted(path)
        with encrypted.read() as conn:
            assert pending_count(conn) >= 1
        assert encrypted.last_backup is not None and encrypted.last_backup.exists()
        assert is_encrypted(encrypted.last_backup)  # no clear copy left behind
    finally:
        encrypted.close()


def test_on_an_idle_lock_enter_after_a_wrong_password_never_quits(qtbot, encrypted_profile):
    dialog = UnlockDialog(encrypted_profile, mode="verify", profile_name="Chị Lan")
    _show(qtbot, dialog)
    assert dialog.ok_button.isDefault() and not dialog.quit_button.autoDefault()
    type_text(dialog.passphrase, "sai-mật-khẩu")
    _enter(qtbot, dialog.passphrase)
    assert dialog.busy
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # the focus is on "Thoát" meanwhile: no way out
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
    assert dialog.isVisible() and dialog.passphrase.hasFocus()
    assert not dialog.quit_button.isDefault()
    type_text(dialog.passphrase, PASSPHRASE)
    _enter(qtbot, dialog.passphrase)
    qtbot.waitUntil(lambda: _answered(dialog), timeout=30_000)  # the key check is slow
    assert dialog.result() == dialog.DialogCode.Accepted


def test_escape_does_not_leave_an_idle_lock_but_thoat_does(qtbot, encrypted_profile):
    dialog = UnlockDialog(encrypted_profile, mode="verify")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    _click(qtbot, dialog.quit_button)
    assert not dialog.isVisible() and dialog.result() == dialog.DialogCode.Rejected
