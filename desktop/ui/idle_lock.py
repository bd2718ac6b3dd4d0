"""Locking an encrypted profile after a while without use.

:class:`IdleLock` is an event filter on the QApplication: keyboard, mouse, wheel and touch
input count as activity; after ``idle_ms`` without any it emits :attr:`IdleLock.locked` once
(and again only after :meth:`unlocked`). :func:`install_idle_lock` wires it for a window: hide
the window, ask the passphrase again (:class:`UnlockDialog` in ``verify`` mode), show it back.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow

from desktop.ui.unlock_dialog import UnlockDialog

ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.InputMethod,
    }
)


class IdleLock(QObject):
    locked = Signal()

    def __init__(
        self,
        idle_ms: int = 10 * 60_000,
        parent: QObject | None = None,
        check_ms: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        super().__init__(parent)
        self.idle_ms = idle_ms
        self.clock = clock  # seconds; tests pass their own instead of waiting
        self.is_locked = False
        self.dialog: QDialog | None = None  # the unlock dialog while locked (install_idle_lock)
        self.last_activity = clock()
        self.timer = QTimer(self)
        self.timer.setInterval(check_ms or max(50, min(idle_ms // 4, 5_000)))
        self.timer.timeout.connect(self.check)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in ACTIVITY and not self.is_locked:
            self.last_activity = self.clock()  # cheap: this runs for every event
        return False

    def idle_seconds(self) -> float:
        return self.clock() - self.last_activity

    def check(self) -> None:
        if self.is_locked or self.idle_ms <= 0:
            return
        if self.idle_seconds() * 1000 >= self.idle_ms:
            self.is_locked = True
            self.locked.emit()

    def unlocked(self) -> None:
        """After the passphrase was given again: start counting from now."""
        self.is_locked = False
        self.last_activity = self.clock()

    def set_idle_ms(self, idle_ms: int) -> None:
        self.idle_ms = idle_ms
        self.timer.setInterval(max(50, min(idle_ms // 4, 5_000)))

    def remove(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


def install_idle_lock(
    window: QMainWindow, path: Path | str, idle_ms: int = 10 * 60_000, profile_name: str = ""
) -> IdleLock:
    """Lock ``window`` after ``idle_ms`` without input; the passphrase unlocks it again.
    "Thoát" in the dialog closes the window (the app's normal close path runs)."""
    lock = IdleLock(idle_ms, window)  # Qt drops an event filter when its object is deleted

    def on_locked() -> None:
        hidden = [
            w
            for w in QApplication.topLevelWidgets()
            if w.isWindow() and w.isVisible() and w is not window
        ]
        for widget in hidden:
            widget.hide()  # dialogs with residents' data go too
        window.hide()
        dialog = UnlockDialog(path, None, mode="verify", profile_name=profile_name)
        lock.dialog = dialog

        def finished(code: int) -> None:
            lock.dialog = None
            dialog.deleteLater()
            if code == QDialog.DialogCode.Accepted:
                for widget in hidden:
                    widget.show()
                window.show()
                window.raise_()
                window.activateWindow()
                lock.unlocked()
            else:
                window.close()

        dialog.finished.connect(finished)
        dialog.show()

    lock.locked.connect(on_locked)
    return lock
