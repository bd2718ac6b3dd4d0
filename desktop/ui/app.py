"""Starting the app: translation, error hook, the profile (its first run: desktop.ui.first_run)."""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QApplication,
    QMessageBox,
)

from desktop import profiles
from desktop.profile_lock import EXIT_PROFILE_IN_USE, ProfileInUse, ProfileLock
from desktop.profiles import Profile
from desktop.services import Services
from desktop.settings import Settings
from desktop.store import Store
from desktop.store.encryption import is_encrypted
from desktop.ui import i18n
from desktop.ui.errors import ErrorHandler, setup_logging, user_message
from desktop.ui.first_run import choose_new_profile
from desktop.ui.main_window import MainWindow
from desktop.ui.tasks import IO, tasks
from gocua.resources import resource_path

log = logging.getLogger(__name__)
SYNC_DELAY_MS = 300
SYNC_IDLE_MS = 800
PROBE_ENV = "GOCUA_STARTUP_PROBE"  # a file: write {"usable_ms": ...} once usable, then quit
T0_ENV = "GOCUA_T0"  # the launcher's time.time() at launch, for the probe's clock


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


def encryption_available() -> bool:
    return importlib.util.find_spec("sqlcipher3") is not None


def in_use_text(exc: ProfileInUse) -> str:
    return QApplication.translate(
        "App",
        "Hồ sơ “%1” đang được mở trong một cửa sổ Gõ Cửa khác. "
        "Hãy dùng cửa sổ đó, hoặc đóng nó rồi mở lại hồ sơ.",
    ).replace("%1", exc.name)


def has_display(app: QApplication) -> bool:
    """False on Qt's windowless platforms (tests, CI, the start-up probe's runs)."""
    return app.platformName() not in ("offscreen", "minimal")


def report_in_use(app: QApplication, exc: ProfileInUse, probe: StartupProbe | None) -> None:
    """A second copy at start-up: the message on stderr and in the log, always; in a box only
    where someone can see one (a box on a windowless platform would wait forever)."""
    log.warning("%s", exc.text())
    if sys.stderr is not None:  # None in a windowed build
        print(f"gocua: {exc.text()}", file=sys.stderr, flush=True)
    if probe is None and has_display(app):
        QMessageBox.information(None, "Gõ Cửa", in_use_text(exc))


class StartupProbe:
    """``GOCUA_STARTUP_PROBE=<file>`` (benchmarks, CI): once the window's first list is filled,
    write ``{"usable_ms": ...}`` there and quit with 0. An encrypted profile's passphrase is
    then read as one line from standard input when it is not a terminal (never from the
    environment or a file)."""

    def __init__(self, path: str, started: float):
        self.path = Path(path)
        self.started = started  # time.perf_counter() when the process started

    @classmethod
    def from_env(cls, started: float) -> StartupProbe | None:
        path = os.environ.get(PROBE_ENV)
        return cls(path, started) if path else None

    @property
    def passphrase_on_stdin(self) -> bool:
        return sys.stdin is not None and not sys.stdin.isatty()

    @staticmethod
    def read_passphrase() -> str:
        return sys.stdin.readline().rstrip("\r\n")

    def elapsed_ms(self) -> float:
        if t0 := os.environ.get(T0_ENV):
            return (time.time() - float(t0)) * 1000
        return (time.perf_counter() - self.started) * 1000

    def attach(self, app: QApplication, window: MainWindow) -> None:
        window.first_list_shown.connect(lambda: self._usable(app))

    def _usable(self, app: QApplication) -> None:
        self.path.write_text(json.dumps({"usable_ms": round(self.elapsed_ms(), 1)}))
        app.exit(0)


class Controller:
    """Owns the open profile's store and its window; rebuilds the window on a language switch."""

    def __init__(
        self,
        app: QApplication,
        settings: Settings,
        sync: bool = True,
        probe: StartupProbe | None = None,
    ):
        self.app = app
        self.settings = settings
        self.store: Store | None = None
        self.window: MainWindow | None = None
        self.profile: Profile | None = None
        self.lock: ProfileLock | None = None  # the open profile's: one running copy per profile
        self.error_handler: ErrorHandler | None = None
        self.idle = InputClock(app) if sync else None
        # Sync, encryption and the idle lock (other modules of desktop/ui); off in some tests.
        self.sync = sync
        self.probe = probe

    def open(self, profile: Profile, store: Store | None = None) -> MainWindow | None:
        """Open a profile (asking for its passphrase when encrypted, unless ``store`` is it,
        already open); None if the user gave up. :class:`ProfileInUse` when another running
        copy has it open: its lock is taken before anything of the profile is read."""
        lock = self._lock_for(profile)
        try:
            store = store or self._open_store(profile)
        except BaseException:
            self._drop(lock)
            raise
        if store is None:
            self._drop(lock)
            return None
        old_store, old_lock = self.store, self.lock
        self.store, self.profile, self.lock = store, profile, lock
        profiles.remember(profile, self.settings)
        self._replace_window()
        if old_store is not None and old_store is not store:
            old_store.close()
        if old_lock is not None and old_lock is not lock:
            old_lock.release()
        return self.window

    def _lock_for(self, profile: Profile) -> ProfileLock:
        if self.lock is not None and self.profile is not None and profile.slug == self.profile.slug:
            return self.lock
        return ProfileLock(profile.db_path, profile.name).acquire()

    def _drop(self, lock: ProfileLock) -> None:
        if lock is not self.lock:
            lock.release()

    def _replace_window(self) -> None:
        """A new window on ``self.store`` (profile, language or encryption changed)."""
        old = self.window
        if old is not None:
            old.save_state()
            self._stop_sync(old)
        self.window = self._make_window()
        self.window.show()
        if old is not None:
            old.hide()
            old.deleteLater()

    def _open_store(self, profile: Profile) -> Store | None:
        if (
            self.probe is not None
            and self.probe.passphrase_on_stdin
            and is_encrypted(profile.db_path)
        ):
            return Store.open(profile.db_path, passphrase=self.probe.read_passphrase())
        if not self.sync:
            return Store.open(profile.db_path)
        try:
            from desktop.ui.unlock_dialog import open_profile_store
        except ImportError:  # the encryption extra is not installed
            return Store.open(profile.db_path)
        return open_profile_store(profile.db_path, self.window, profile.name)

    def _make_window(self) -> MainWindow:
        window = MainWindow(
            Services(self.store), self.settings, self.profile, profiles.list_profiles()
        )
        window.language_requested.connect(self.switch_language)
        window.profile_requested.connect(self.switch_profile)
        window.encrypt_requested.connect(self.encrypt_profile)
        window.act_encrypt.setVisible(
            self.sync and encryption_available() and not is_encrypted(self.profile.db_path)
        )
        if self.sync and self.probe is None:  # the probe quits once usable: no sync to load
            # Once the households are shown: the sync modules (HTTP, keyring) load while the
            # volunteer already works.
            window.first_list_shown.connect(lambda: self._prepare_sync(window))
        return window

    def _prepare_sync(self, window: MainWindow) -> None:
        """Import the sync modules in the background, then install them at a quiet moment."""

        def load():
            import desktop.ui.idle_lock  # noqa: F401
            import desktop.ui.sync_panel  # noqa: F401

        window.sync_loader = tasks().run(
            load,
            done=lambda _: self._when_idle(window),
            failed=lambda exc: log.error("sync modules failed to load: %r", exc, exc_info=exc),
            owner=window,
            lane=IO,
        )

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

            interval_ms = self.settings.get("sync_interval_min") * 60_000
            window.sync = install_sync(window, self.store, interval_ms=interval_ms)
            window.sync.role_changed.connect(lambda _role: window.update_role())
        except Exception:
            log.exception("sync not available; the window works offline")
        try:
            from desktop.store.encryption import is_encrypted
            from desktop.ui.idle_lock import install_idle_lock

            if is_encrypted(self.profile.db_path):
                idle_ms = self.settings.get("idle_lock_min") * 60_000
                window.idle_lock = install_idle_lock(
                    window, self.profile.db_path, idle_ms, profile_name=self.profile.name
                )
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
        self.settings.set("language", language)
        self.settings.save()
        i18n.install(language)
        self._replace_window()

    def switch_profile(self, slug: str) -> None:
        if not slug:  # a new profile: made off the GUI thread, then opened
            try:
                choose_new_profile(
                    self.window, False, self._switch_to, self._not_opened, encrypt=self.encrypts
                )
            except Exception as exc:  # the profile's folder could not be made
                self._not_opened(exc)
            return
        self._switch_to(profiles.get_profile(slug))

    def _switch_to(self, profile: Profile | None, store: Store | None = None) -> None:
        try:
            if profile is None or (self.profile and profile.slug == self.profile.slug):
                return
            self.open(profile, store)
        except Exception as exc:
            self._not_opened(exc)

    def _not_opened(self, exc: BaseException) -> None:
        """Said, and the current profile kept (at the first run: the app quits)."""
        if isinstance(exc, ProfileInUse):  # open in another copy
            log.info("%s", exc)
            text = in_use_text(exc)
        else:  # a damaged or newer database
            log.error("could not open the profile: %r", exc, exc_info=exc)
            text = user_message(exc)
        QMessageBox.warning(self.window, "Gõ Cửa", text)
        if self.window is None:
            self.app.exit(EXIT_PROFILE_IN_USE if isinstance(exc, ProfileInUse) else 1)

    def open_first(self, profile: Profile, store: Store | None) -> None:
        """The first run's profile is made: its window, and from now on the app quits when
        the last window closes again."""
        try:
            opened = self.open(profile, store)
        except Exception as exc:
            self._not_opened(exc)
            return
        self.app.setQuitOnLastWindowClosed(True)
        if opened is None:  # an encrypted profile whose passphrase was not given
            self.app.exit(0)

    @property
    def encrypts(self) -> bool:
        """New profiles are offered a passphrase (not in the tests that run without sync)."""
        return self.sync and encryption_available()

    def encrypt_profile(self) -> None:
        """ "Đặt mật khẩu hồ sơ…": convert the open, clear profile; a new window on the result."""
        from desktop.ui.unlock_dialog import encrypt_profile

        window = self.window
        store = encrypt_profile(self.profile.db_path, window, release=lambda: self._release(window))
        if store is not None:
            self.store = store
            self._replace_window()

    def _release(self, window: MainWindow) -> None:
        """The file is about to be converted: no other connection may stay open."""
        window.closed = True  # no new background reads on the closed store
        self._stop_sync(window)
        self.store.close()

    def close(self) -> None:
        if self.idle is not None:
            self.idle.stop()
        if self.window is not None:
            self._stop_sync(self.window)
        # Reads stop at their next step, writes already asked for are finished: before the
        # store closes.
        tasks().shutdown(5_000)
        if self.store is not None:
            self.store.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


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


def start(
    argv: list[str], sync: bool = True, probe: StartupProbe | None = None
) -> tuple[QApplication, Controller | None, int]:
    """Everything before the event loop: a shown window, or ``None`` and an exit code."""
    app = make_app(argv)
    log_path = setup_logging()
    handler = ErrorHandler(log_path, app)
    handler.install()
    app.setProperty("gocua_error_handler", True)
    settings = profiles.load_settings()
    i18n.install(settings.get("language"))
    controller = Controller(app, settings, sync=sync, probe=probe)
    controller.error_handler = handler
    profile = profiles.last_profile(settings)
    try:
        if profile is None:
            existing = profiles.list_profiles()
            if existing:
                profile = existing[0]
            elif probe is None:  # the probe never waits for a person at a dialog
                # The profile is made off the GUI thread; its window opens once it is ready
                # (no window meanwhile: the progress dialog closing must not end the app).
                app.setQuitOnLastWindowClosed(False)
                chosen = choose_new_profile(
                    None, True, controller.open_first, controller._not_opened, controller.encrypts
                )
                if not chosen:
                    app.setQuitOnLastWindowClosed(True)
                    return app, None, 0
                return app, controller, 0
        if profile is None:
            return app, None, 0 if probe is None else 1
        if controller.open(profile) is None:
            return app, None, 0
    except ProfileInUse as exc:  # a second copy: nothing of the profile was read or written
        report_in_use(app, exc, probe)
        return app, None, EXIT_PROFILE_IN_USE
    except Exception as exc:
        log.exception("could not open profile %s", getattr(profile, "slug", "(new)"))
        if probe is None:
            QMessageBox.critical(None, "Gõ Cửa", user_message(exc))
        return app, None, 1
    if probe is not None:
        probe.attach(app, controller.window)
    return app, controller, 0


def main(argv: list[str] | None = None, started: float | None = None) -> int:
    """``started``: time.perf_counter() when the process started (desktop.cli's import)."""
    started = time.perf_counter() if started is None else started
    argv = list(sys.argv[1:] if argv is None else argv)
    app, controller, code = start(argv, probe=StartupProbe.from_env(started))
    if controller is None:
        return code
    log.info("window shown in %.0f ms", (time.perf_counter() - started) * 1000)
    code = app.exec()
    controller.close()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
