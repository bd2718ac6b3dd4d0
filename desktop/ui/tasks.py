"""The one way the app runs work off the GUI thread (issue 16), after Anki's ``aqt/taskman.py``
and ``aqt/operations``: the window never waits.

::

    tasks().run(
        partial(store.query, queries.household_page, household_id),
        owner=self,            # a QObject: once it is deleted, nothing is delivered to it
        key="page",            # latest wins per (owner, key): an older result is dropped
        done=self.show_page,   # on the GUI thread, with the result
        failed=self.failed,    # on the GUI thread, with the exception object itself
    )

Options: ``lane`` (where it runs, below), ``progress="Đang xuất…"`` (a progress dialog if the
work is still running after :data:`PROGRESS_DELAY_MS`, window-modal over the owner's window),
``cancellable=True`` (the dialog has a "Dừng" button), ``with_task=True`` (``fn`` receives its
:class:`Task`: :meth:`Task.report` progress, :meth:`Task.check` for a cancel, :meth:`Task.on_gui`
for the little that must run on the GUI thread), ``on_progress`` and ``cancelled`` callbacks.

Lanes, each a thread pool of its own so one kind of work never queues behind another:

- ``read``: database reads (three at once: SQLite readers do not block each other).
- ``write``: the services' writes, one at a time in the order asked (two clicks on a cell are
  applied in that order); each is a ``BEGIN IMMEDIATE`` that may wait behind a pull's page.
- ``io``: requests to the server from dialogs (sign-in, conflicts, administration).
- ``sync``: the sync rounds (desktop.ui.sync_controller), one at a time.

Nothing here starts another pool: a task that wants parts computed at once uses
:meth:`TaskManager.run_all`, whose parts are tasks of the same lane.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    Qt,
    QThread,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)

READ, WRITE, IO, SYNC = "read", "write", "io", "sync"
LANES = (READ, WRITE, IO, SYNC)
PROGRESS_DELAY_MS = 500  # DESIGN.md: progress for what takes longer than about half a second
_ALIVE_POLL_S = 0.05


class Cancelled(Exception):
    """Raised in a task by :meth:`Task.check` once it was cancelled (by the user's "Dừng", a
    newer task of its key, or the app closing); delivered to ``cancelled``, never ``failed``."""

    message_vi = "Đã dừng."


class Task:
    """One piece of work. The worker side calls :meth:`report`, :meth:`check`,
    :meth:`on_gui`; the GUI side :meth:`cancel`, :meth:`wait` and reads :attr:`running`."""

    def __init__(self, manager: TaskManager, fn: Callable[..., Any], name: str, lane: str):
        self.manager = manager
        self.fn = fn
        self.name = name
        self.lane = lane
        self.with_task = False
        self.cancellable = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.stop_event = threading.Event()  # a plain event: safe to set from anywhere
        self._ended = threading.Event()  # the function has returned or raised
        self.delivered = False  # the outcome reached the GUI thread (or was dropped there)
        self.superseded = False
        self.orphaned = False
        self.slot: tuple[int, str] | None = None
        self.owner: QObject | None = None
        self.done: Callable[[Any], Any] | None = None
        self.failed: Callable[[BaseException], Any] | None = None
        self.on_cancelled: Callable[[], Any] | None = None
        self.on_progress: Callable[..., Any] | None = None
        self.label: str | None = None
        self.dialog: QProgressDialog | None = None
        self.timer: QTimer | None = None
        self.last_progress: tuple = ()
        self.started_at = time.monotonic()

    # -- the worker's side --------------------------------------------------------------------

    @property
    def cancelled(self) -> bool:
        return self.stop_event.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the task was cancelled: call it between steps."""
        if self.stop_event.is_set():
            raise Cancelled()

    def report(self, *values: Any) -> None:
        """Progress, delivered to ``on_progress(*values)`` on the GUI thread; a progress
        dialog reads ``(done, total)`` or ``(done, total, text)`` (total ``None``: unknown)."""
        self.manager._relay.progressed.emit(self, values)

    def on_gui(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the GUI thread and return its result here (for the few Qt objects
        that may only be used there, such as QtCharts). Keep ``fn`` short."""
        if QThread.currentThread() is self.manager.thread():
            return fn()
        box: dict[str, Any] = {}
        ready = threading.Event()
        self.manager._relay.call.emit((fn, box, ready))
        while not ready.wait(_ALIVE_POLL_S):
            self.check()  # the app closing never waits for a GUI thread that waits for it
        if "error" in box:
            raise box["error"]
        return box.get("value")

    # -- the GUI's side -----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Not delivered yet (the function may have ended, its outcome still on its way)."""
        return not self.delivered

    @property
    def ended(self) -> bool:
        return self._ended.is_set()

    def cancel(self) -> None:
        """Ask the work to stop at its next :meth:`check`; its outcome then goes to
        ``cancelled`` (a task that never checks simply runs to its end)."""
        self.stop_event.set()

    def wait(self, timeout_ms: int) -> bool:
        """Block until the function has ended (at exit, before the store closes)."""
        return self._ended.wait(timeout_ms / 1000)

    def __repr__(self) -> str:
        return f"<Task {self.name} on {self.lane}>"


class _Relay(QObject):
    """Lives on the GUI thread: what the workers emit is queued there."""

    ended = Signal(object)  # Task
    progressed = Signal(object, object)  # Task, tuple
    call = Signal(object)  # (fn, box, event)


class _Job(QRunnable):
    def __init__(self, task: Task):
        super().__init__()
        self.task = task

    def run(self) -> None:
        task = self.task
        try:
            if task.superseded or (task.cancellable and task.stop_event.is_set()):
                raise Cancelled()  # never started: a newer one of its key, or "Dừng"
            task.result = task.fn(task) if task.with_task else task.fn()
        except BaseException as exc:  # every outcome goes back to the GUI thread
            task.error = exc
        finally:
            task._ended.set()
            task.fn = None  # free what the closure holds as soon as it has run
        with contextlib.suppress(RuntimeError):  # the app is being torn down: nobody to tell
            task.manager._relay.ended.emit(task)


class _ProgressDialog(QProgressDialog):
    """Esc and the close button stop a cancellable task and nothing else."""

    def __init__(self, task: Task, parent: QWidget | None):
        super().__init__(parent)
        self.task = task
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumDuration(0)
        self.setRange(0, 0)
        self.setObjectName("task_progress")

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and not self.task.cancellable:
            event.ignore()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.task.running and not self.task.cancellable:
            event.ignore()
            return
        super().closeEvent(event)


class TaskManager(QObject):
    """The application's task manager: :func:`tasks` returns the one of the running app."""

    def __init__(self, parent: QObject | None = None, read_threads: int | None = None):
        super().__init__(parent)
        self._relay = _Relay(self)
        self._relay.ended.connect(self._ended)
        self._relay.progressed.connect(self._progressed)
        self._relay.call.connect(self._call)
        ideal = max(QThread.idealThreadCount(), 2)
        # Three readers: the dashboard's parts at once, and a search beside a long read; each
        # reader's SQLite connection keeps a page cache of up to 64 MiB (store.database), so
        # more would cost memory for little (2 cores measured).
        sizes = {READ: read_threads or max(3, ideal), WRITE: 1, IO: 4, SYNC: 1}
        self.pools: dict[str, QThreadPool] = {}
        for lane, size in sizes.items():
            pool = QThreadPool(self)
            pool.setMaxThreadCount(size)
            pool.setObjectName(f"tasks-{lane}")
            self.pools[lane] = pool
        self.active: set[Task] = set()
        self._latest: dict[tuple[int, str], Task] = {}
        self._generations: dict[tuple[int, str], object] = {}  # run_all's keys
        self._owners: dict[int, set[Task]] = {}  # id(owner) -> its tasks not delivered yet
        self.progress_delay_ms = PROGRESS_DELAY_MS

    # -- starting -------------------------------------------------------------------------

    def run(
        self,
        fn: Callable[..., Any],
        *,
        done: Callable[[Any], Any] | None = None,
        failed: Callable[[BaseException], Any] | None = None,
        owner: QObject | None = None,
        key: str | None = None,
        lane: str = READ,
        progress: str | None = None,
        cancellable: bool = False,
        with_task: bool = False,
        on_progress: Callable[..., Any] | None = None,
        cancelled: Callable[[], Any] | None = None,
        name: str | None = None,
    ) -> Task:
        """Start ``fn`` (``fn(task)`` with ``with_task``) on ``lane``; see the module's text."""
        if lane not in self.pools:
            raise ValueError(f"unknown lane {lane!r}")
        task = Task(self, fn, name or key or getattr(fn, "__name__", "task"), lane)
        task.with_task, task.cancellable = with_task, cancellable
        task.done, task.failed, task.on_cancelled = done, failed, cancelled
        task.on_progress, task.label = on_progress, progress
        if owner is not None:
            task.owner = owner
            self._watch(owner).add(task)
        if key is not None:
            task.slot = (id(owner) if owner is not None else 0, key)
            older = self._latest.get(task.slot)
            if older is not None:
                self._supersede(older)
            self._latest[task.slot] = task
        self.active.add(task)
        if progress is not None:
            task.timer = QTimer(self)
            task.timer.setSingleShot(True)
            task.timer.setTimerType(Qt.TimerType.PreciseTimer)  # never early (coarse: -5%)
            task.timer.timeout.connect(lambda: self._show_dialog(task))
            task.timer.start(self.progress_delay_ms)
        job = _Job(task)
        self.pools[lane].start(job)
        return task

    def run_all(
        self,
        fns: Sequence[Callable[[], Any]],
        *,
        done: Callable[[list[Any]], Any] | None = None,
        failed: Callable[[BaseException], Any] | None = None,
        owner: QObject | None = None,
        key: str | None = None,
        lane: str = READ,
    ) -> list[Task]:
        """Run the parts at once (each a task of ``lane``); ``done(results)`` in their order
        once all have ended, or ``failed`` with the first exception. Latest wins per key, as
        for :meth:`run`: a newer call drops every part of the older one."""
        results: list[Any] = [None] * len(fns)
        left = {"count": len(fns), "failed": False}
        generation = object()
        if key is not None:
            self._generations[(id(owner) if owner is not None else 0, key)] = generation

        def current() -> bool:
            if key is None:
                return True
            return self._generations.get((id(owner) if owner is not None else 0, key)) is generation

        def part_done(index: int, value: Any) -> None:
            if left["failed"] or not current():
                return
            results[index] = value
            left["count"] -= 1
            if left["count"] == 0 and done is not None:
                done(results)

        def part_failed(exc: BaseException) -> None:
            if left["failed"] or not current():
                return
            left["failed"] = True
            if failed is not None:
                failed(exc)
            else:
                self._log_failure(key or "parts", exc)

        if not fns and done is not None:
            QTimer.singleShot(0, lambda: done([]))
        return [
            self.run(
                fn,
                done=lambda value, i=index: part_done(i, value),
                failed=part_failed,
                owner=owner,
                lane=lane,
                name=f"{key or 'parts'}[{index}]",
            )
            for index, fn in enumerate(fns)
        ]

    # -- state ----------------------------------------------------------------------------

    @property
    def idle(self) -> bool:
        """Nothing running and nothing on its way to the GUI thread."""
        return not self.active

    def running(self, lane: str | None = None) -> list[Task]:
        return [t for t in self.active if lane is None or t.lane == lane]

    def cancel_all(self, lane: str | None = None) -> None:
        """Ask every task (of ``lane``) to stop; writes are never cancelled, only waited for."""
        for task in self.running(lane):
            if task.lane != WRITE:
                task.cancel()

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """For scripts (screenshots, the self-test, benchmarks): deliver every outcome,
        processing events meanwhile. Tests wait with ``qtbot.waitUntil(lambda: tasks().idle)``."""
        deadline = time.monotonic() + timeout_ms / 1000
        app = QCoreApplication.instance()
        while self.active and time.monotonic() < deadline:
            app.processEvents()
            if self.active:
                time.sleep(0.002)
        if app is not None:
            app.processEvents()
        return not self.active

    def shutdown(self, wait_ms: int = 5_000) -> bool:
        """At exit, before the stores close: cancel everything and wait for the workers."""
        self.cancel_all()
        deadline = time.monotonic() + wait_ms / 1000
        for pool in self.pools.values():
            left = max(0, int((deadline - time.monotonic()) * 1000))
            pool.waitForDone(left)
        return all(t.ended for t in self.active)

    # -- delivering (GUI thread) ----------------------------------------------------------

    def _watch(self, owner: QObject) -> set[Task]:
        """The owner's tasks; the first time, its ``destroyed`` orphans them (one connection
        per owner, however many tasks it starts)."""
        oid = id(owner)
        watched = self._owners.get(oid)
        if watched is None:
            watched = self._owners[oid] = set()
            owner.destroyed.connect(lambda *_: self._owner_gone(oid))
        return watched

    def _owner_gone(self, oid: int) -> None:
        for task in self._owners.pop(oid, set()):
            task.orphaned = True
            task.owner = None
            self._close_dialog(task)
        for slot in [s for s in self._latest if s[0] == oid]:
            del self._latest[slot]
        for slot in [s for s in self._generations if s[0] == oid]:
            del self._generations[slot]

    def _supersede(self, task: Task) -> None:
        task.superseded = True
        task.cancel()
        self._close_dialog(task)

    def _ended(self, task: Task) -> None:
        self.active.discard(task)
        task.delivered = True
        if task.slot is not None and self._latest.get(task.slot) is task:
            del self._latest[task.slot]
        self._close_dialog(task)
        owner = task.owner
        task.owner = None
        if owner is not None:
            self._owners.get(id(owner), set()).discard(task)
        if task.orphaned or task.superseded or (owner is not None and not shiboken6.isValid(owner)):
            return
        error = task.error
        if isinstance(error, Cancelled):
            if task.on_cancelled is not None:
                task.on_cancelled()
            return
        if error is not None:
            if task.failed is not None:
                task.failed(error)
            else:
                self._log_failure(task.name, error)
            return
        if task.done is not None:
            task.done(task.result)

    def _log_failure(self, name: str, error: BaseException) -> None:
        if getattr(error, "message_vi", None):
            log.warning("task %s: %s", name, error)
            return
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        log.error("task %s failed:\n%s", name, text)

    def _progressed(self, task: Task, values: tuple) -> None:
        if task.delivered or task.orphaned or task.superseded:
            return
        task.last_progress = values
        dialog = task.dialog
        if dialog is not None and shiboken6.isValid(dialog) and values:
            done, total = values[0], values[1] if len(values) > 1 else None
            if total:
                dialog.setRange(0, int(total))
                dialog.setValue(min(int(done), int(total)))
            if len(values) > 2 and isinstance(values[2], str) and not task.cancelled:
                dialog.setLabelText(values[2])
        if task.on_progress is not None:
            task.on_progress(*values)

    def _call(self, request: tuple) -> None:
        fn, box, ready = request
        try:
            box["value"] = fn()
        except BaseException as exc:  # raised again in the worker that asked
            box["error"] = exc
        finally:
            ready.set()

    # -- the delayed progress dialog ------------------------------------------------------

    def _show_dialog(self, task: Task) -> None:
        if task.delivered or task.orphaned or task.superseded or task.dialog is not None:
            return
        parent = _window_of(task.owner)
        dialog = _ProgressDialog(task, parent)
        dialog.setWindowTitle("Gõ Cửa")
        dialog.setLabelText(task.label or "")
        if task.cancellable:
            dialog.setCancelButtonText(QCoreApplication.translate("Tasks", "Dừng"))
            dialog.canceled.connect(lambda: self._user_cancel(task))
        else:
            dialog.setCancelButton(None)
        dialog.setWindowModality(
            Qt.WindowModality.WindowModal
            if parent is not None
            else Qt.WindowModality.ApplicationModal
        )
        values = task.last_progress
        if values and len(values) > 1 and values[1]:
            dialog.setRange(0, int(values[1]))
            dialog.setValue(min(int(values[0]), int(values[1])))
        task.dialog = dialog
        dialog.show()

    def _user_cancel(self, task: Task) -> None:
        task.cancel()
        dialog = task.dialog
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.setLabelText(QCoreApplication.translate("Tasks", "Đang dừng…"))
            dialog.show()  # QProgressDialog hides itself on cancel: stays until it stopped

    def _close_dialog(self, task: Task) -> None:
        if task.timer is not None:
            if shiboken6.isValid(task.timer):
                task.timer.stop()
                task.timer.deleteLater()
            task.timer = None
        dialog, task.dialog = task.dialog, None
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.hide()
            dialog.deleteLater()


def _window_of(owner: QObject | None) -> QWidget | None:
    """The window over which the owner's progress shows (its own, or its parent's)."""
    while owner is not None and not isinstance(owner, QWidget):
        owner = owner.parent()
    return owner.window() if isinstance(owner, QWidget) else None


_manager: TaskManager | None = None


def tasks() -> TaskManager:
    """The running application's task manager (made on first use, a child of the app)."""
    global _manager
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("tasks() needs a QApplication")
    if _manager is None or not shiboken6.isValid(_manager) or _manager.parent() is not app:
        _manager = TaskManager(app)
    return _manager
