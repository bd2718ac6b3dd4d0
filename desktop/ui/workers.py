"""Running store reads off the GUI thread: a QRunnable per task, results back through signals.

Each :class:`TaskRunner` numbers its tasks; a result is delivered only if no newer task was
started since, so a slow search for "ng" never overwrites the answer for "nguyen".
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(int, object)
    failed = Signal(int, str)


class _Task(QRunnable):
    def __init__(self, number: int, fn: Callable[[], Any], signals: _Signals):
        super().__init__()
        self.number = number
        self.fn = fn
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception:  # reported to the GUI thread, which shows it
            text = traceback.format_exc()
            log.error("background task failed:\n%s", text)
            self._emit(self.signals.failed, text)
            return
        self._emit(self.signals.done, result)

    def _emit(self, signal, value) -> None:
        try:
            signal.emit(self.number, value)
        except RuntimeError:  # the window closed while this task ran: nobody to tell
            log.debug("task %d finished after its runner was deleted", self.number)


class TaskRunner(QObject):
    """Starts ``fn`` in the global thread pool; ``finished(result)`` fires for the latest only."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None):
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._latest = 0
        self._running = 0
        # No parent: a task still running may outlive this runner and emit into the void.
        self._signals = _Signals()
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)

    @property
    def busy(self) -> bool:
        return self._running > 0

    def start(self, fn: Callable[[], Any]) -> int:
        self._latest += 1
        self._running += 1
        self.pool.start(_Task(self._latest, fn, self._signals))
        return self._latest

    def _on_done(self, number: int, result: Any) -> None:
        self._running -= 1
        if number == self._latest:
            self.finished.emit(result)

    def _on_failed(self, number: int, text: str) -> None:
        self._running -= 1
        if number == self._latest:
            self.failed.emit(text)
