"""Starting the app: translation, error hook, the profile (first run: create or try the demo)."""

from __future__ import annotations

import logging
import sys
import time

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import profiles
from desktop.profiles import Profile
from desktop.services import Services
from desktop.settings import Settings
from desktop.store import Store, bulk
from desktop.ui import i18n
from desktop.ui.errors import ErrorHandler, setup_logging, user_message
from desktop.ui.main_window import MainWindow
from desktop.ui.workers import TaskRunner
from gocua.resources import resource_path
from gocua.text import normalize_name

log = logging.getLogger(__name__)
DEMO_HOUSEHOLDS = 2000
DEMO_PROFILE_NAME = "Dữ liệu mẫu"
SYNC_DELAY_MS = 300
SYNC_IDLE_MS = 800


class InputClock(QObject):
    """When the user last pressed a key or a mouse button (application-wide)."""

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.last = time.monotonic()
        app.installEventFilter(self)

    def eventFilter(self, _watched, event) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress):
            self.last = time.monotonic()
        return False

    def idle_ms(self) -> float:
        return (time.monotonic() - self.last) * 1000

    def stop(self) -> None:
        """Every event of the app passes a filter: remove it once no longer needed."""
        QApplication.instance().removeEventFilter(self)


def hamlet_areas(commune: str, hamlets: list[str]) -> list[dict]:
    """Local areas for a profile made before its first sync (ids the server will replace)."""
    commune = normalize_name(commune) or "Xã"
    areas = [{"id": "LOCAL", "kind": "commune", "name": commune, "parent_id": None}]
    for n, name in enumerate((normalize_name(h) for h in hamlets if h.strip()), start=1):
        areas.append({"id": f"LOCAL-{n:02d}", "kind": "hamlet", "name": name,
                      "parent_id": "LOCAL"})  # fmt: skip
    return areas


class FirstRunDialog(QDialog):
    """ "Tạo hồ sơ" (a volunteer's own profile) or "Dùng thử với dữ liệu mẫu" (a demo commune)."""

    def __init__(self, parent: QWidget | None = None, first: bool = True):
        super().__init__(parent)
        self.choice: str | None = None
        self.setWindowTitle(self.tr("Chào mừng đến với Gõ Cửa") if first else self.tr("Hồ sơ mới"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "Mỗi tình nguyện viên có một hồ sơ riêng trên máy này. Dữ liệu được lưu trên máy, "
            "dùng được cả khi không có mạng."))  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(QLabel(self.tr("&Tên của bạn (tên hồ sơ):")))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("Ví dụ: Chị Lan - ấp Bình Minh"))
        layout.itemAt(layout.count() - 1).widget().setBuddy(self.name)
        layout.addWidget(self.name)
        layout.addWidget(QLabel(self.tr("Xã/phường:")))
        self.commune = QLineEdit()
        layout.addWidget(self.commune)
        layout.addWidget(QLabel(self.tr("Các ấp/thôn bạn phụ trách (mỗi dòng một ấp):")))
        self.hamlets = QPlainTextEdit()
        self.hamlets.setTabChangesFocus(True)
        self.hamlets.setFixedHeight(90)
        layout.addWidget(self.hamlets)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.create_button = QPushButton(self.tr("Tạo hồ sơ"))
        self.create_button.setDefault(True)
        self.demo_button = QPushButton(self.tr("Dùng thử với dữ liệu mẫu"))
        cancel = QPushButton(self.tr("Thoát") if first else self.tr("Hủy"))
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.create_button)
        layout.addLayout(buttons)
        self.create_button.clicked.connect(self._create)
        self.demo_button.clicked.connect(self._demo)
        cancel.clicked.connect(self.reject)

    def _create(self) -> None:
        if not self.name.text().strip():
            self.error.setText(self.tr("Vui lòng nhập tên hồ sơ"))
            self.name.setFocus()
            return
        self.choice = "create"
        self.accept()

    def _demo(self) -> None:
        self.choice = "demo"
        self.accept()

    def hamlet_names(self) -> list[str]:
        return [line for line in self.hamlets.toPlainText().splitlines() if line.strip()]


def _run_blocking(parent: QWidget | None, label: str, fn):
    """Run ``fn`` in the thread pool with a busy dialog; the GUI keeps painting meanwhile."""
    runner = TaskRunner()
    loop = QEventLoop()
    box: dict = {}
    runner.finished.connect(lambda r: (box.setdefault("result", r), loop.quit()))
    runner.failed.connect(lambda t: (box.setdefault("error", t), loop.quit()))
    progress = QProgressDialog(label, "", 0, 0, parent)
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.setMinimumDuration(500)
    runner.start(fn)
    loop.exec()
    progress.close()
    if "error" in box:
        raise RuntimeError(box["error"])
    return box.get("result")


def create_demo(parent: QWidget | None = None, households: int | None = None) -> Profile:
    from desktop.demo_profile import create_demo_profile

    households = households or DEMO_HOUSEHOLDS
    existing = profiles.get_profile(profiles.slugify(DEMO_PROFILE_NAME))
    if existing is not None and existing.db_path.exists():
        return existing
    profile = existing or profiles.create_profile(DEMO_PROFILE_NAME)
    label = QApplication.translate("App", "Đang tạo xã mẫu (%n hộ)…", "", households)
    _run_blocking(parent, label, lambda: create_demo_profile(profile.db_path, households, seed=1))
    return profile


def create_own(dialog: FirstRunDialog) -> Profile:
    profile = profiles.create_profile(dialog.name.text())
    store = Store.open(profile.db_path)
    try:
        names = dialog.hamlet_names()
        if names:
            with store.write() as conn:
                bulk.insert_areas(conn, hamlet_areas(dialog.commune.text(), names))
    finally:
        store.close()
    return profile


def choose_new_profile(parent: QWidget | None, first: bool) -> Profile | None:
    dialog = FirstRunDialog(parent, first=first)
    if not dialog.exec():
        return None
    if dialog.choice == "demo":
        return create_demo(parent)
    return create_own(dialog)


class Controller:
    """Owns the open profile's store and its window; rebuilds the window on a language switch."""

    def __init__(self, app: QApplication, settings: Settings, sync: bool = True):
        self.app = app
        self.settings = settings
        self.store: Store | None = None
        self.window: MainWindow | None = None
        self.profile: Profile | None = None
        self.error_handler: ErrorHandler | None = None
        self.idle = InputClock(app) if sync else None
        # Sync, encryption and the idle lock (other modules of desktop/ui); off in some tests.
        self.sync = sync

    def open(self, profile: Profile) -> MainWindow | None:
        """Open a profile (asking for its passphrase when encrypted); None if the user gave up."""
        store = self._open_store(profile)
        if store is None:
            return None
        old_window, old_store = self.window, self.store
        if old_window is not None:
            old_window.save_state()
            self._stop_sync(old_window)
        self.store, self.profile = store, profile
        profiles.remember(profile, self.settings)
        self.window = self._make_window()
        self.window.show()
        if old_window is not None:
            old_window.hide()
            old_window.deleteLater()
        if old_store is not None and old_store is not store:
            old_store.close()
        return self.window

    def _open_store(self, profile: Profile) -> Store | None:
        if not self.sync:
            return Store.open(profile.db_path)
        try:
            from desktop.ui.unlock_dialog import open_profile_store
        except ImportError:  # the encryption extra is not installed
            return Store.open(profile.db_path)
        return open_profile_store(profile.db_path, self.window, profile.name)

    def _make_window(self) -> MainWindow:
        window = MainWindow(Services(self.store), self.settings, self.profile,
                            profiles.list_profiles())  # fmt: skip
        window.language_requested.connect(self.switch_language)
        window.profile_requested.connect(self.switch_profile)
        if self.sync:
            # Once the households are shown: the sync modules (HTTP, keyring) load while the
            # volunteer already works.
            window.first_list_shown.connect(lambda: self._prepare_sync(window))
        return window

    def _prepare_sync(self, window: MainWindow) -> None:
        """Import the sync modules in the background, then install them at a quiet moment."""

        def load():
            import desktop.ui.idle_lock  # noqa: F401
            import desktop.ui.sync_panel  # noqa: F401

        runner = TaskRunner(window)
        runner.finished.connect(lambda _: self._when_idle(window))
        runner.failed.connect(lambda text: log.error("sync modules failed to load: %s", text))
        runner.start(load)
        window.sync_loader = runner

    def _when_idle(self, window: MainWindow) -> None:
        """Install once the user has not typed or clicked for a moment (it takes ~70 ms)."""
        if window is not self.window:
            return
        if self.idle.idle_ms() >= SYNC_IDLE_MS:
            self._install_sync(window)
            self.idle.stop()
        else:
            QTimer.singleShot(SYNC_DELAY_MS, lambda: self._when_idle(window))

    def _install_sync(self, window: MainWindow) -> None:
        """The sync menu and status (desktop.ui.sync_panel) and the idle lock of an encrypted
        profile. A failure here leaves a working offline window."""
        if window is not self.window or getattr(window, "sync", None) is not None:
            return  # replaced (language or profile switch) before its turn came
        try:
            from desktop.ui.sync_panel import install_sync

            window.sync = install_sync(window, self.store)
        except Exception:
            log.exception("sync not available; the window works offline")
        try:
            from desktop.store.encryption import is_encrypted
            from desktop.ui.idle_lock import install_idle_lock

            if is_encrypted(self.profile.db_path):
                window.idle_lock = install_idle_lock(window, self.profile.db_path,
                                                     profile_name=self.profile.name)  # fmt: skip
        except Exception:
            log.exception("idle lock not available")

    @staticmethod
    def _stop_sync(window: MainWindow) -> None:
        sync = getattr(window, "sync", None)
        if sync is not None:
            try:
                sync.stop()
            except Exception:
                log.exception("stopping the sync")

    def switch_language(self, language: str) -> None:
        if language == self.settings.get("language"):
            return
        self.window.save_state()
        self._stop_sync(self.window)
        self.settings.set("language", language)
        self.settings.save()
        i18n.install(language)
        old = self.window
        self.window = self._make_window()
        self.window.show()
        old.hide()
        old.deleteLater()

    def switch_profile(self, slug: str) -> None:
        if slug:
            profile = profiles.get_profile(slug)
        else:
            profile = choose_new_profile(self.window, first=False)
        if profile is None or (self.profile and profile.slug == self.profile.slug):
            return
        try:
            self.open(profile)
        except Exception as exc:  # a damaged or newer database: say so, keep the current one
            QMessageBox.warning(self.window, "Gõ Cửa", user_message(exc))

    def close(self) -> None:
        if self.idle is not None:
            self.idle.stop()
        if self.window is not None:
            self._stop_sync(self.window)
        if self.store is not None:
            self.store.close()


def make_app(argv: list[str]) -> QApplication:
    # Background reads run Python code too; a short GIL switch interval keeps the GUI thread
    # from waiting 5 ms for its turn at every event while they run.
    sys.setswitchinterval(0.001)
    app = QApplication.instance() or QApplication(["gocua", *argv])
    app.setApplicationName("Gõ Cửa")
    app.setOrganizationName("GoCua")
    for name in ("gocua.png", "gocua.svg"):  # the bundle's icon (build_scripts/make_icon.py)
        icon = resource_path("icons", name)
        if icon.is_file():
            app.setWindowIcon(QIcon(str(icon)))
            break
    return app


def start(argv: list[str], sync: bool = True) -> tuple[QApplication, Controller | None, int]:
    """Everything before the event loop: a shown window, or ``None`` and an exit code."""
    app = make_app(argv)
    log_path = setup_logging()
    handler = ErrorHandler(log_path, app)
    handler.install()
    app.setProperty("gocua_error_handler", True)
    settings = profiles.load_settings()
    i18n.install(settings.get("language"))
    controller = Controller(app, settings, sync=sync)
    controller.error_handler = handler
    profile = profiles.last_profile(settings)
    if profile is None:
        existing = profiles.list_profiles()
        profile = existing[0] if existing else choose_new_profile(None, first=True)
    if profile is None:
        return app, None, 0
    try:
        if controller.open(profile) is None:
            return app, None, 0
    except Exception as exc:
        log.exception("could not open profile %s", profile.slug)
        QMessageBox.critical(None, "Gõ Cửa", user_message(exc))
        return app, None, 1
    return app, controller, 0


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    argv = list(sys.argv[1:] if argv is None else argv)
    app, controller, code = start(argv)
    if controller is None:
        return code
    log.info("window shown in %.0f ms", (time.perf_counter() - started) * 1000)
    code = app.exec()
    controller.close()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
