"""The sync in a window, against the REAL server process: sign in through the dialog, sync,
the status bar's counts, a visit sent with Ctrl+S, the server gone and back, an expired
token."""

from __future__ import annotations

import contextlib
import threading

from PySide6.QtCore import Qt
from PySide6.QtNetwork import QNetworkInformation
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from desktop.services import Services
from desktop.store.rows import OUTBOX
from desktop.store.schema import SYNCED_TABLES
from desktop.sync import errors
from desktop.sync.client import SyncClient
from desktop.sync.engine import CURSOR, FROM_EMPTY, FULL_PULL
from desktop.sync.session import SyncSession
from desktop.ui import sync_controller as sc
from desktop.ui.sign_in_dialog import SignInDialog
from desktop.ui.sync_panel import install_sync
from desktop.ui.tasks import SYNC, tasks
from tests.desktop.ui_sync.conftest import DEMO_PASSWORD, screenshot, type_text

VOLUNTEER_HAMLETS = {"X9001-01", "X9001-04", "X9001-07", "X9001-10"}


def _install(window, store, **kwargs):
    kwargs.setdefault("watch_network", False)
    kwargs.setdefault("attempts", 1)
    kwargs.setdefault("retry_base_ms", 200)
    return install_sync(window, store, **kwargs)


def _sign_in_with_dialog(qtbot, controller, server_url: str, user: str, password: str):
    dialog = controller.menu.open_sign_in()
    assert isinstance(dialog, SignInDialog)
    dialog.server.clear()
    type_text(dialog.server, server_url)
    dialog.username.clear()
    type_text(dialog.username, user)
    type_text(dialog.password, password)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    return dialog


def _typed_in(qtbot, session, server_url: str) -> SignInDialog:
    """The sign-in dialog shown, with a volunteer's address, username and password typed."""
    dialog = SignInDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.server, server_url)
    type_text(dialog.username, "tnv.an")
    type_text(dialog.password, DEMO_PASSWORD)
    return dialog


def _wait_state(qtbot, controller, state: str, timeout: int = 20_000) -> None:
    try:
        qtbot.waitUntil(
            lambda: controller.state == state and not controller.running, timeout=timeout
        )
    except Exception as exc:
        raise AssertionError(
            f"wanted {state}; {controller.state} {controller.message!r}, "
            f"running={controller.running} error={controller.last_error!r}"
        ) from exc


def _a_household(store) -> str:
    households = SYNCED_TABLES["households"]
    with store.read() as conn:
        return conn.execute(select(households.c.id).order_by(households.c.id)).scalars().first()


def test_sign_in_sync_then_a_visit_sent_with_ctrl_s(qtbot, window, profile_store, demo_server):
    controller = _install(window, profile_store)
    status = controller.status_widget
    qtbot.waitUntil(lambda: controller.state == sc.SIGNED_OUT and not controller.running)
    assert status.state_label.text() == "● Chưa đăng nhập"
    menu_titles = [a.text() for a in window.menuBar().actions()]
    assert menu_titles == ["&Tệp", "Đồng &bộ", "Trợ &giúp"]  # before Help
    assert not controller.menu.act_sync.isEnabled()

    dialog = _sign_in_with_dialog(qtbot, controller, demo_server.base_url, "tnv.an", DEMO_PASSWORD)
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: controller.menu.sign_in_dialog is None, timeout=10_000)  # closed
    _wait_state(qtbot, controller, sc.UP_TO_DATE)
    qtbot.waitUntil(lambda: status.unsent_label.text() == "Chưa gửi: 0")
    assert status.state_label.text() == "● Đã đồng bộ"
    assert "chưa lần nào" not in status.last_label.text()
    assert controller.role == "volunteer" and not controller.menu.act_conflicts.isVisible()
    report = controller.last_report
    assert report.pulled > 100 and report.full_pull
    households = SYNCED_TABLES["households"]
    with profile_store.read() as conn:
        hamlets = set(conn.execute(select(households.c.hamlet_id)).scalars())
    assert hamlets and hamlets <= VOLUNTEER_HAMLETS
    screenshot(window, "window_synced")

    # A visit logged through the services: one unsent change, then Ctrl+S sends it.
    household = _a_household(profile_store)
    Services(profile_store).log_visit(household, "met", note="Đã hướng dẫn cài VNeID")
    controller.refresh_counts()
    qtbot.waitUntil(lambda: status.unsent_label.text() == "Chưa gửi: 1")
    finished = []
    controller.finished.connect(finished.append)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.centralWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(finished), timeout=20_000)
    _wait_state(qtbot, controller, sc.UP_TO_DATE)
    assert finished[0].pushed == 1 and finished[0].rejected == 0
    assert status.unsent_label.text() == "Chưa gửi: 0"
    with profile_store.read() as conn:
        states = set(conn.execute(select(OUTBOX.c.state)).scalars())
    assert "pending" not in states


def test_server_stopped_goes_offline_keeps_unsent_and_retries(
    qtbot, window, profile_store, demo_server
):
    controller = _install(window, profile_store, start=False)
    controller.session.sign_in(demo_server.base_url, "tnv.an", DEMO_PASSWORD)
    controller.start()
    _wait_state(qtbot, controller, sc.UP_TO_DATE)
    status = controller.status_widget

    demo_server.stop()
    household = _a_household(profile_store)
    Services(profile_store).log_visit(household, "not_home", note="Nhà đóng cửa")
    assert controller.sync_now()
    _wait_state(qtbot, controller, sc.OFFLINE)
    assert isinstance(controller.last_error, errors.NetworkError)
    assert status.state_label.text() == "● Ngoại tuyến"
    assert status.state_label.toolTip() == errors.NetworkError.message_vi
    qtbot.waitUntil(lambda: status.unsent_label.text() == "Chưa gửi: 1")
    assert controller.retry_timer.isActive()  # retried without the user doing anything
    screenshot(window, "window_offline")

    # The retry timer keeps failing quietly while the server is down, with a growing delay.
    qtbot.waitUntil(lambda: controller.failures >= 2, timeout=10_000)
    assert controller.counts.unsent == 1

    demo_server.start()  # same address
    finished = []
    controller.finished.connect(finished.append)
    qtbot.waitUntil(lambda: bool(finished), timeout=20_000)
    _wait_state(qtbot, controller, sc.UP_TO_DATE)
    assert finished[-1].pushed == 1
    qtbot.waitUntil(lambda: status.unsent_label.text() == "Chưa gửi: 0")


def test_network_back_syncs_at_once(qtbot, window, profile_store, demo_server):
    controller = _install(window, profile_store, start=False, retry_base_ms=60_000)
    controller.session.sign_in(demo_server.base_url, "tnv.an", DEMO_PASSWORD)
    demo_server.stop()
    controller.start()
    _wait_state(qtbot, controller, sc.OFFLINE)
    assert controller.retry_timer.remainingTime() > 20_000  # the next retry is far away
    demo_server.start()
    # What QNetworkInformation.reachabilityChanged calls when the OS sees the network again:
    controller._reachability_changed(QNetworkInformation.Reachability.Online)
    _wait_state(qtbot, controller, sc.UP_TO_DATE)
    assert controller.last_report.full_pull
    controller._reachability_changed(QNetworkInformation.Reachability.Disconnected)
    assert controller.state == sc.OFFLINE and not controller.running  # shown, no request


def test_expired_token_asks_to_sign_in_again_and_keeps_the_outbox(
    qtbot, window, profile_store, demo_server
):
    controller = _install(window, profile_store, start=False)
    controller.session.sign_in(demo_server.base_url, "tnv.an", DEMO_PASSWORD)
    controller.start()
    _wait_state(qtbot, controller, sc.UP_TO_DATE)
    household = _a_household(profile_store)
    Services(profile_store).log_visit(household, "met")

    # The server revokes the token (as when it expires); the laptop still holds it.
    client = SyncClient(demo_server.base_url, controller.session.token())
    client.logout()
    client.close()
    window.hide()  # locked for idleness: the question waits for the window
    with qtbot.waitSignal(controller.sign_in_required, timeout=20_000) as blocker:
        controller.sync_now()
    assert blocker.args == [errors.Unauthorized.message_vi]
    _wait_state(qtbot, controller, sc.SIGNED_OUT)
    assert controller.menu.sign_in_dialog is None
    window.show()
    qtbot.waitUntil(lambda: controller.menu.sign_in_dialog is not None, timeout=3_000)
    with profile_store.read() as conn:
        assert conn.execute(select(OUTBOX.c.state)).scalars().all().count("pending") == 1
    dialog = controller.menu.sign_in_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.server.text() == demo_server.base_url and dialog.username.text() == "tnv.an"
    screenshot(dialog, "sign_in_again")

    type_text(dialog.password, DEMO_PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    _wait_state(qtbot, controller, sc.UP_TO_DATE)
    qtbot.waitUntil(lambda: controller.counts.unsent == 0)


def test_sign_in_dialog_messages(qtbot, profile_store, demo_server, memory_keyring):
    session = SyncSession(profile_store)
    dialog = SignInDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()

    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "Vui lòng nhập địa chỉ máy chủ"

    type_text(dialog.server, demo_server.base_url)
    type_text(dialog.username, "tnv.an")
    type_text(dialog.password, "sai-mật-khẩu")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert dialog.error.text() == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert dialog.isVisible() and dialog.password.hasFocus()
    screenshot(dialog, "sign_in_wrong_password")

    # The server down: a plain message, the dialog stays.
    dialog.server.clear()
    type_text(dialog.server, "http://127.0.0.1:9")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15_000)
    assert dialog.error.text().startswith("Không kết nối được máy chủ.")

    # The address typed without http:// (https:// is assumed) of a server on the office's
    # network, which speaks plain HTTP: the user is told to type http://, nothing is sent
    # unencrypted behind her back.
    dialog.server.clear()
    type_text(dialog.server, demo_server.base_url.removeprefix("http://"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15_000)
    assert dialog.error.text().startswith("Máy chủ ở địa chỉ này không dùng https.")
    assert "http://" in dialog.error.text() and dialog.isVisible()

    # Too many attempts (the server's per-username limit of 10 in 15 minutes).
    client = SyncClient(demo_server.base_url)
    for _ in range(10):
        with contextlib.suppress(errors.SyncError):
            client.login("tnv.an", "sai", "test")
    client.close()
    dialog.server.clear()
    type_text(dialog.server, demo_server.base_url)
    dialog.password.clear()
    type_text(dialog.password, DEMO_PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert dialog.error.text() == (
        "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau khoảng 15 phút."
    )
    screenshot(dialog, "sign_in_too_many")


def test_an_account_of_a_renamed_commune_is_refused_until_the_user_says_it_is_hers(
    qtbot, profile_store, demo_server, memory_keyring
):
    """A profile made offline typed "xã tân an"; the account is of Xã Hòa Phú. Nothing is
    sent; the message names both; the button that says "it is my commune, renamed or
    merged" is read whole, and signs in."""
    from desktop.store.areas import create_offline_areas
    from desktop.store.state_keys import ACCEPTED_COMMUNE

    with profile_store.write() as conn:
        create_offline_areas(conn, "xã tân an", ["ap binh minh"])
    session = SyncSession(profile_store)
    dialog = _typed_in(qtbot, session, demo_server.base_url)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert "xã tân an" in dialog.error.text() and "Xã Hòa Phú" in dialog.error.text()
    button = dialog.same_commune_button
    assert button.isVisible() and button.width() >= button.sizeHint().width()
    for field in (dialog.server, dialog.username, dialog.password):  # not squeezed flat
        assert field.height() >= field.sizeHint().height(), field.objectName()
    screenshot(dialog, "sign_in_other_commune")
    assert session.token() is None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_info is not None, timeout=10_000)
    with profile_store.read() as conn:
        assert ACCEPTED_COMMUNE.get(conn) == "X9001"
    assert session.token()


def test_wrong_then_right_password_with_enter_signs_in(qtbot, profile_store, demo_server):
    session = SyncSession(profile_store)
    dialog = SignInDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert dialog.server.hasFocus()  # the first empty field
    type_text(dialog.server, demo_server.base_url)
    type_text(dialog.username, "tnv.an")
    type_text(dialog.password, "sai-mật-khẩu")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.busy
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert dialog.isVisible()
    assert dialog.error.text() == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert dialog.password.hasFocus() and dialog.password.selectedText() == "sai-mật-khẩu"
    type_text(dialog.password, DEMO_PASSWORD)  # replaces the selected wrong one
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: dialog.result() == dialog.DialogCode.Accepted or not dialog.isVisible(),
        timeout=10_000,
    )
    assert dialog.result() == dialog.DialogCode.Accepted
    assert session.is_signed_in() and dialog.result_info.display_name


def test_the_sign_in_remembers_the_server_and_username(
    qtbot, window, profile_store, demo_server, tmp_path
):
    from desktop.settings import Settings
    from desktop.store import Store

    settings_path = tmp_path / "settings.json"
    window.settings = Settings(settings_path)  # what the app's MainWindow carries
    controller = _install(window, profile_store, start=False)
    dialog = controller.menu.open_sign_in()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert (dialog.server.text(), dialog.username.text()) == ("", "")  # never signed in here
    assert dialog.server.hasFocus()
    type_text(dialog.server, demo_server.base_url + "/")
    qtbot.keyClick(dialog.server, Qt.Key.Key_Tab)
    type_text(dialog.username, "tnv.an")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Tab)
    type_text(dialog.password, DEMO_PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.menu.sign_in_dialog is None, timeout=10_000)
    saved = Settings(settings_path)  # on disk, as the next start reads it
    assert saved.get("last_server_url") == demo_server.base_url
    assert saved.get("last_username") == "tnv.an"

    # Another profile on this laptop: the last server and username, the focus on the password.
    other = Store.open(tmp_path / "other" / "gocua.db")
    try:
        fresh = SignInDialog(SyncSession(other), settings=saved)
        qtbot.addWidget(fresh)
        fresh.show()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is fresh)
        assert fresh.server.text() == demo_server.base_url
        assert fresh.username.text() == "tnv.an"
        assert fresh.password.hasFocus()
        screenshot(fresh, "sign_in_remembered")
        type_text(fresh.password, DEMO_PASSWORD)
        qtbot.keyClick(fresh.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: fresh.result() == fresh.DialogCode.Accepted, timeout=10_000)
    finally:
        other.close()

    # A profile that signed in before keeps its own server, whatever was used last elsewhere.
    saved.set("last_server_url", "https://gocua.xakhac.vn")
    saved.set("last_username", "nguoi.khac")
    again = SignInDialog(SyncSession(profile_store), settings=saved)
    qtbot.addWidget(again)
    assert (again.server.text(), again.username.text()) == (demo_server.base_url, "tnv.an")


def test_without_a_secure_keyring_the_user_is_told(qtbot, profile_store, demo_server):
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    session = SyncSession(profile_store)
    dialog = _typed_in(qtbot, session, demo_server.base_url)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.done_mode, timeout=10_000)
    assert dialog.isVisible()  # the notice is read before the dialog closes
    assert "đăng nhập lại" in dialog.error.text()
    assert dialog.result_info.token_saved is False
    assert dialog.ok_button.text() == "Đã hiểu"
    screenshot(dialog, "sign_in_no_keyring")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert session.is_signed_in()  # in memory for this run
    QApplication.processEvents()


class PausingSession(SyncSession):
    """The real session, holding the worker after the first pulled page until ``go_on``."""

    def __init__(self, store):
        # Small pages, so the demo commune takes several and there is a page to stop after.
        super().__init__(store, page_size=1000)
        self.first_page = threading.Event()
        self.go_on = threading.Event()

    def sync(self, progress=None, cancelled=None, **kwargs):
        def held(phase, done, total):
            progress(phase, done, total)
            if phase == "pull":
                self.first_page.set()
                self.go_on.wait(10)

        return super().sync(progress=held, cancelled=cancelled, **kwargs)


def test_a_long_first_pull_shows_counts_can_be_cancelled_and_resumes(
    qtbot, window, profile_store, demo_server
):
    session = PausingSession(profile_store)
    session.sign_in(demo_server.base_url, "totruong", DEMO_PASSWORD)
    controller = _install(window, profile_store, session=session)
    status = controller.status_widget
    qtbot.waitUntil(session.first_page.is_set, timeout=20_000)
    qtbot.waitUntil(status.progress_bar.isVisible, timeout=5_000)  # after half a second
    qtbot.waitUntil(lambda: status.progress_label.text().startswith("Đang nhận: 1.000 bản ghi"))
    # The engine's estimate of the time left (a loopback server: under a minute).
    assert status.progress_label.text() == "Đang nhận: 1.000 bản ghi · còn chưa đến 1 phút"
    assert status.cancel_button.isVisible() and status.state_label.text() == "● Đang đồng bộ…"
    assert controller.menu.act_cancel.isEnabled() and not controller.menu.act_sync.isEnabled()
    screenshot(window, "window_pulling")

    qtbot.mouseClick(status.cancel_button, Qt.MouseButton.LeftButton)
    session.go_on.set()
    _wait_state(qtbot, controller, sc.CANCELLED)
    assert isinstance(controller.last_error, errors.Cancelled)
    assert status.state_label.text() == "● Đã dừng đồng bộ"
    assert window.statusBar().currentMessage() == errors.Cancelled.message_vi
    assert not status.progress_bar.isVisible()
    with profile_store.read() as conn:
        assert FULL_PULL.get(conn) == FROM_EMPTY and CURSOR.get(conn)  # resumable
        persons_after_one_page = conn.execute(
            select(func.count()).select_from(SYNCED_TABLES["persons"])
        ).scalar_one()
    assert persons_after_one_page > 0

    assert controller.sync_now()  # resumes from the saved cursor
    _wait_state(qtbot, controller, sc.UP_TO_DATE)
    report = controller.last_report
    assert report.full_pull and report.checksum_ok is True
    assert 0 < report.pulled < 1000  # only what the first page had not brought


def test_a_change_the_server_refuses_is_held_and_shown_with_its_reason(
    qtbot, window, profile_store, demo_server
):
    """A volunteer's target is outside what the account may write: the server refuses it
    (``forbidden_scope``), the change is held on the laptop, never "synced", and listed."""
    from desktop.ui.held_dialog import HeldDialog

    session = SyncSession(profile_store)
    session.sign_in(demo_server.base_url, "tnv.an", DEMO_PASSWORD)
    controller = _install(window, profile_store, session=session)
    _wait_state(qtbot, controller, sc.UP_TO_DATE)
    status = controller.status_widget
    assert not status.rejected_label.isVisible()
    Services(profile_store).set_target("X9001", "eid_adults", "2026", 60.0)  # leaders only
    controller.sync_now()
    _wait_state(qtbot, controller, sc.NOT_ALL_SENT)
    assert controller.last_report.held == 1 and controller.last_report.rejected == 0
    assert status.state_label.text() == "● Đồng bộ chưa trọn"
    qtbot.waitUntil(status.rejected_label.isVisible)
    assert "Chưa gửi được: 1" in status.rejected_label.text()
    assert status.unsent_label.text() == "Chưa gửi: 0"  # held, not queued
    assert controller.menu.act_rejected.isEnabled()
    screenshot(window, "window_rejected")
    dialog = controller.menu.open_rejected()
    assert isinstance(dialog, HeldDialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5_000)
    model = dialog.model
    assert model.index(0, 0).data() == "Chỉ tiêu"
    assert model.index(0, 3).data().endswith("(2026)") and "eid" not in model.index(0, 3).data()
    assert model.index(0, 4).data() == "Ngoài địa bàn được phân công"
    assert model.index(0, 5).data() == "Sẽ tự gửi lại"
    assert not dialog.open_button.isEnabled()  # a target has no household to open
    screenshot(dialog, "rejected_dialog")
    dialog.close()


def test_a_window_deleted_mid_sync_takes_nothing_down(qtbot, profile_store, demo_server):
    from PySide6.QtWidgets import QMainWindow

    session = PausingSession(profile_store)
    session.sign_in(demo_server.base_url, "totruong", DEMO_PASSWORD)
    window = QMainWindow()
    controller = _install(window, profile_store, session=session)
    qtbot.waitUntil(session.first_page.is_set, timeout=20_000)
    task = controller._task
    window.deleteLater()  # as the app does when it switches profile
    qtbot.waitUntil(task.stop_event.is_set, timeout=5_000)  # the round is told to stop
    assert task.running and not task.ended
    session.go_on.set()
    # The round outlives the window and its controller, ends, and reports to nobody.
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    assert task.orphaned and task not in tasks().running(SYNC)
    with profile_store.read() as conn:
        assert FULL_PULL.get(conn) == FROM_EMPTY  # stopped after a saved page: resumable


def test_retry_delay_backs_off_with_jitter_and_honours_retry_after(qtbot, profile_store):
    controller = sc.SyncController(
        profile_store, interval_ms=60_000, retry_base_ms=1_000, watch_network=False
    )
    first = controller._retry_delay_ms(errors.NetworkError())
    assert 500 <= first <= 1_000
    controller.failures = 10
    assert 30_000 <= controller._retry_delay_ms(errors.NetworkError()) <= 60_000  # capped
    busy = errors.ServerUnavailable(retry_after=120)
    assert controller._retry_delay_ms(busy) == 120_000


def test_sign_out_mid_round_keeps_the_outbox_and_stays_signed_out(
    qtbot, window, profile_store, demo_server
):
    session = PausingSession(profile_store)
    session.sign_in(demo_server.base_url, "totruong", DEMO_PASSWORD)
    controller = _install(window, profile_store, session=session)
    qtbot.waitUntil(session.first_page.is_set, timeout=20_000)
    Services(profile_store).register_household("X9001-01", "Số 20, ấp Bình Minh")
    with qtbot.waitSignal(controller.signed_out, timeout=20_000):
        controller.sign_out()
        session.go_on.set()  # the round ends (cancelled) around the sign-out
    qtbot.waitUntil(lambda: not controller.running, timeout=20_000)
    # The round's end and the sign-out's have both been delivered: nothing else is on its way.
    qtbot.waitUntil(lambda: tasks().idle, timeout=10_000)
    assert controller.state == sc.SIGNED_OUT  # not "cancelled": the sign-out wins
    assert not session.is_signed_in()
    assert not controller.menu.act_sync.isEnabled() and not controller.menu.act_sign_out.isEnabled()
    qtbot.waitUntil(lambda: controller.counts.unsent == 1)  # kept for the next sign-in
    controller._tick()  # the regular timer does not try while signed out
    assert not controller.running
