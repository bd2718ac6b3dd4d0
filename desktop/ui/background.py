"""One call off the GUI thread whose answer (or exception object) comes back through signals.

:class:`desktop.ui.workers.TaskRunner` reports a failure as traceback text; the sync and unlock
dialogs need the exception itself (``WrongPassphrase``, ``InvalidCredentials`` and their
``message_vi``), so they use :func:`call_in_background` instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

_alive: set[Call] = set()  # keeps each call's signals alive until it has reported


class Call(QObject):
    """``done(result)`` or ``failed(exception)``, delivered on the thread that made the call."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, on_done=None, on_failed=None, owner: QObject | None = None) -> None:
        super().__init__()
        self.running = True
        self.orphaned = False  # the owner (a dialog closed meanwhile) is gone: no callbacks
        self._on_done, self._on_failed = on_done, on_failed
        # Bound methods of an object of the GUI thread: queued there from the pool's thread.
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_failed)
        if owner is not None:
            owner.destroyed.connect(self._orphan)

    def _orphan(self, *_: Any) -> None:
        self.orphaned = True

    def _deliver_done(self, result: Any) -> None:
        self.running = False
        _alive.discard(self)
        if self._on_done is not None and not self.orphaned:
            self._on_done(result)

    def _deliver_failed(self, exc: BaseException) -> None:
        self.running = False
        _alive.discard(self)
        if self._on_failed is not None and not self.orphaned:
            self._on_failed(exc)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[], Any], call: Call):
        super().__init__()
        self.fn = fn
        self.call = call

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # the caller turns it into a message; the window stays
            if not getattr(exc, "message_vi", None):
                log.exception("background call failed")
            self.call.failed.emit(exc)
            return
        self.call.done.emit(result)


def call_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None] | None = None,
    on_failed: Callable[[BaseException], None] | None = None,
    pool: QThreadPool | None = None,
    owner: QObject | None = None,
) -> Call:
    """Run ``fn`` in the thread pool; ``on_done``/``on_failed`` run on the GUI thread, unless
    ``owner`` was deleted in the meantime."""
    call = Call(on_done, on_failed, owner)
    _alive.add(call)
    (pool or QThreadPool.globalInstance()).start(_Runnable(fn, call))
    return call
