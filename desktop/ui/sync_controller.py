"""The sync in the app: :class:`SyncController` runs ``SyncSession.sync`` on the task manager's
sync lane (desktop.ui.tasks: a thread of its own, one round at a time).

It syncs when started for a profile, every ``interval_ms``, when the network comes back
(``QNetworkInformation`` reachability where a backend loads; otherwise the retry timer covers
it) and on "Đồng bộ ngay". A failed sync is retried by a timer with backoff and jitter, without
the user doing anything. The window never waits: the sync, the sign-out and the outbox counts
all run off the GUI thread and report through signals.

States (:data:`STATES`): ``signed_out`` (no token: sign in first), ``offline`` (the server
cannot be reached; everything is kept on the laptop), ``syncing``, ``up_to_date``, ``error``
(with the error's Vietnamese ``message_vi``) and ``cancelled``. An expired token
(``Unauthorized``) emits :attr:`SyncController.sign_in_required`; the outbox is left as it is.
"""

from __future__ import annotations

import logging
import random
import threading
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from desktop.store import Store
from desktop.store.identity import LEADER_ROLES
from desktop.sync import errors
from desktop.sync.engine import SyncReport
from desktop.sync.session import SyncSession
from desktop.sync.status import Counts, read_counts
from desktop.ui.tasks import IO, SYNC, Task, tasks

log = logging.getLogger(__name__)

SIGNED_OUT = "signed_out"
OFFLINE = "offline"
SYNCING = "syncing"
UP_TO_DATE = "up_to_date"
# Synced, but rows wait on the device: held (sent again by themselves) or refused (to edit).
# Never shown as "synced" (SYNC.md).
NOT_ALL_SENT = "not_all_sent"
JOIN_NEEDED = "join_needed"  # a profile made offline: its hamlets must be joined first
ERROR = "error"
CANCELLED = "cancelled"
STATES = (SIGNED_OUT, OFFLINE, SYNCING, UP_TO_DATE, NOT_ALL_SENT, JOIN_NEEDED, ERROR, CANCELLED)


class _NotSignedIn(Exception):
    pass


@dataclass
class _Round:
    """How a round ended, with the counts read right after it (in the same worker)."""

    report: SyncReport | None
    error: BaseException | None
    counts: Counts | None


def _run_round(session: SyncSession, attempts: int, task: Task) -> _Round:
    """One sync round on the task manager's sync lane; ``task.report`` queues the progress
    to the GUI thread, ``task.cancel`` stops it at its next step."""

    def progress(phase: str, done: int, total: int | None) -> None:
        task.report(phase, int(done), -1 if total is None else int(total))

    try:
        if not session.is_signed_in():
            raise _NotSignedIn()
        report = session.sync(
            progress=progress,
            cancelled=task.stop_event.is_set,
            attempts=attempts,
            sleep=task.stop_event.wait,  # a backoff pause ends at once on cancel
        )
    except Exception as exc:  # every failure is reported; the round never raises
        if not isinstance(exc, errors.SyncError | _NotSignedIn):
            log.exception("sync failed unexpectedly")
        return _Round(None, exc, _counts(session.store))
    return _Round(report, None, _counts(session.store))


def _counts(store: Store) -> Counts | None:
    try:
        return store.query(read_counts)
    except Exception:  # a locked file: the next refresh shows the counts
        log.exception("could not read the outbox counts")
        return None


def stop_all_syncs(wait_ms: int = 5_000) -> None:
    """Cancel every running sync and wait for them (at exit, before the stores close), those
    of windows already gone included: the task manager keeps them until they end."""
    if QCoreApplication.instance() is None:
        return
    rounds = tasks().running(SYNC)
    for task in rounds:
        task.cancel()
    for task in rounds:
        task.wait(wait_ms)


class SyncController(QObject):
    """Owns the sync of one open profile. Create it, connect its signals, call :meth:`start`."""

    state_changed = Signal(str, str)  # state, Vietnamese message
    progress = Signal(str, int, int)  # phase ("push" | "pull"), done, total (-1: unknown)
    finished = Signal(object)  # SyncReport of a successful round
    failed = Signal(object)  # the exception of a failed round
    unsent_changed = Signal(int, int, int)  # queued mutations, held rows, refused rows
    last_sync_changed = Signal(str)  # ISO time in UTC, "" for never
    sign_in_required = Signal(str)  # the token expired: ask to sign in again (outbox kept)
    role_changed = Signal(str)  # "volunteer", "leader"... ("" unknown)
    signed_out = Signal()
    join_required = Signal(object)  # a JoinPlan: the profile must join its commune first

    def __init__(
        self,
        store: Store,
        session: SyncSession | None = None,
        parent: QObject | None = None,
        *,
        interval_ms: int = 5 * 60_000,
        retry_base_ms: int = 15_000,
        attempts: int = 2,
        unsent_poll_ms: int = 5_000,
        watch_network: bool = True,
    ):
        super().__init__(parent)
        self.store = store
        self.session = session or SyncSession(store)
        self.attempts = attempts
        self.retry_base_ms = retry_base_ms
        self.state = SIGNED_OUT
        self.message = ""
        self.counts = Counts()
        self.role = ""
        self.failures = 0  # retryable failures in a row (the backoff's exponent)
        self.last_report: SyncReport | None = None
        self.last_error: BaseException | None = None
        self._task: Task | None = None  # the running round
        self._started = False
        self._again = False  # a sign-in during a round: run another one after it
        self._signed_out = False  # sign_out() ran: a round still ending must not undo it
        self._counts_shown = False
        # Plain events, safe to set from a ``destroyed`` handler when this object is gone.
        self.stop_events: list[threading.Event] = []

        self.timer = QTimer(self)  # the regular sync
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.retry_timer = QTimer(self)  # after a failure, with backoff
        self.retry_timer.setSingleShot(True)
        self.retry_timer.timeout.connect(self._retry)
        self.unsent_timer = QTimer(self)  # local writes change the unsent count
        self.unsent_timer.setInterval(unsent_poll_ms)
        self.unsent_timer.timeout.connect(self.refresh_counts)
        self.network = self._watch_network() if watch_network else None

    # -- public ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._task is not None

    @property
    def is_leader(self) -> bool:
        return self.role in LEADER_ROLES

    def start(self) -> None:
        """The profile is open: show the counts, sync once, then keep syncing on the timer."""
        self._started = True
        self.refresh_counts()
        if self.timer.interval() > 0:
            self.timer.start()
        if self.unsent_timer.interval() > 0:
            self.unsent_timer.start()
        self.sync_now()

    def stop(self, wait_ms: int = 3_000) -> None:
        """Before the profile closes: stop the timers, cancel a running sync and wait for it
        a little (a round stops at its next step; one stuck in a request is left to end on
        its own, kept alive until then)."""
        self._started = False
        for timer in (self.timer, self.retry_timer, self.unsent_timer):
            timer.stop()
        task = self._task
        if task is not None:
            task.cancel()
            task.wait(wait_ms)

    def sync_now(self) -> bool:
        """Start a round now unless one is running; False when it was not started."""
        if self._task is not None:
            return False
        self.retry_timer.stop()
        self._set_state(SYNCING, QCoreApplication.translate("Sync", "Đang đồng bộ…"))
        # Owned by this controller: a round outliving it (a window deleted mid-sync) runs to
        # its end and reports to nobody.
        task = tasks().run(
            partial(_run_round, self.session, self.attempts),
            with_task=True,
            lane=SYNC,
            owner=self,
            done=self._round_ended,
            on_progress=self.progress.emit,
            name="sync",
        )
        self._task = task
        self.stop_events.append(task.stop_event)
        return True

    def sync_soon(self) -> None:
        """Sync now, or right after the running round (which may have missed a change)."""
        if not self.sync_now():
            self._again = True

    def cancel(self) -> None:
        """Ask the running round to stop at its next step (a pulled page stays saved)."""
        if self._task is not None:
            self._task.cancel()

    def refresh_counts(self) -> None:
        """Read the unsent count, the last sync time and the role off the GUI thread."""
        tasks().run(
            partial(self.store.query, read_counts),
            done=self._apply_counts,
            failed=lambda exc: log.warning("outbox count failed: %s", exc),
            owner=self,
            key="counts",
        )

    def signed_in(self, role: str = "") -> None:
        """After a sign-in: remember the role and sync at once."""
        if role:
            self._set_role(role)
        self._signed_out = False
        self.failures = 0
        self.sync_soon()

    def sign_out(self) -> None:
        """Forget the token (and tell the server when it answers); the outbox is kept."""
        self.cancel()
        self._signed_out = True
        self.retry_timer.stop()
        tasks().run(
            self.session.sign_out,
            done=lambda _: self._after_sign_out(),
            failed=lambda _exc: self._after_sign_out(),
            owner=self,
            lane=IO,
        )

    def on_reachability(self, online: bool) -> None:
        """The OS says the network came back (or went): sync now, or show offline."""
        if not self._started:
            return
        if online:
            if self.state in (OFFLINE, ERROR) and not self.running:
                self.failures = 0
                self.sync_now()
        elif not self.running and self.state != SIGNED_OUT:
            self._set_state(OFFLINE, errors.NetworkError.message_vi)

    # -- internals ------------------------------------------------------------------------

    def _watch_network(self):
        try:
            from PySide6.QtNetwork import QNetworkInformation
        except ImportError:  # pragma: no cover - QtNetwork ships with PySide6
            return None
        try:
            feature = QNetworkInformation.Feature.Reachability
            if QNetworkInformation.instance() is None and not (
                QNetworkInformation.loadBackendByFeatures(feature)
            ):
                return None
            info = QNetworkInformation.instance()
        except Exception:  # no backend on this system: the retry timer does the work
            log.info("no network information backend; retrying on a timer")
            return None
        if info is None or not info.supports(feature):
            return None
        # A bound method: Qt drops the connection when this controller is deleted (the
        # QNetworkInformation singleton lives as long as the application).
        info.reachabilityChanged.connect(self._reachability_changed)
        return info

    def _reachability_changed(self, reachability) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        online = (QNetworkInformation.Reachability.Online, QNetworkInformation.Reachability.Site)
        self.on_reachability(reachability in online)

    def _tick(self) -> None:
        if not self.running and self.state not in (SIGNED_OUT,):
            self.sync_now()

    def _retry(self) -> None:
        if self._started and not self.running:
            self.sync_now()

    def _round_ended(self, outcome: _Round) -> None:
        # The outcome first, while the round still counts as running (as the state handlers
        # expect), then the next round if one was asked for meanwhile.
        if outcome.error is None:
            self._succeeded(outcome.report, outcome.counts)
        else:
            self._failed(outcome.error, outcome.counts)
        task, self._task = self._task, None
        if task is not None and task.stop_event in self.stop_events:
            self.stop_events.remove(task.stop_event)
        if self._again and self._started:
            self._again = False
            self.sync_now()

    def _succeeded(self, report: SyncReport, counts: Counts | None) -> None:
        if self._signed_out:
            self._show_signed_out()
            return
        self.failures = 0
        self.last_report = report
        self.last_error = None
        if counts is not None:
            self._apply_counts(counts)
        self._show_synced()
        self.finished.emit(report)

    def _show_synced(self) -> None:
        """Never "synced" while rows wait on the device: say how many."""
        waiting = self.counts.waiting
        if waiting:
            text = QCoreApplication.translate("Sync", "Đã đồng bộ, còn %1 bản ghi chưa gửi được")
            self._set_state(NOT_ALL_SENT, text.replace("%1", str(waiting)))
        else:
            self._set_state(UP_TO_DATE, QCoreApplication.translate("Sync", "Đã đồng bộ"))

    def _failed(self, exc: BaseException, counts: Counts | None) -> None:
        self.last_error = exc
        if counts is not None:
            self._apply_counts(counts)
        if self._signed_out:
            self._show_signed_out()
            return
        if isinstance(exc, _NotSignedIn):
            self._set_state(
                SIGNED_OUT, QCoreApplication.translate("Sync", "Chưa đăng nhập máy chủ")
            )
            return
        self.failed.emit(exc)
        if isinstance(exc, errors.JoinRequired):
            self._set_state(JOIN_NEEDED, exc.message_vi)
            self.join_required.emit(exc.plan)
            return
        if isinstance(exc, errors.Unauthorized):
            self._set_state(SIGNED_OUT, exc.message_vi)
            self.sign_in_required.emit(exc.message_vi)
            return
        if isinstance(exc, errors.Cancelled):
            self._set_state(CANCELLED, exc.message_vi)
            return
        message = getattr(exc, "message_vi", None) or errors.SyncError.message_vi
        if isinstance(exc, errors.NetworkError):
            self._set_state(OFFLINE, message)
        else:
            self._set_state(ERROR, message)
        if getattr(exc, "retryable", False) and self._started:
            self.retry_timer.start(self._retry_delay_ms(exc))
            self.failures += 1

    def _retry_delay_ms(self, exc: BaseException) -> int:
        """Backoff with jitter: half of ``base * 2**failures`` plus a random half, capped at
        the regular interval, never shorter than the server's Retry-After."""
        cap = max(self.retry_base_ms, self.timer.interval() or self.retry_base_ms)
        ceiling = min(cap, self.retry_base_ms * (2 ** min(self.failures, 16)))
        delay = ceiling / 2 + random.uniform(0, ceiling / 2)
        retry_after = getattr(exc, "retry_after", None)
        if retry_after:
            delay = max(delay, float(retry_after) * 1000)
        return int(delay)

    def _apply_counts(self, counts: Counts) -> None:
        figures = (counts.unsent, counts.held, counts.rejected, counts.unmatched)
        old = (self.counts.unsent, self.counts.held, self.counts.rejected, self.counts.unmatched)
        changed = figures != old
        last_changed = counts.last_sync_at != self.counts.last_sync_at
        first, self._counts_shown = not self._counts_shown, True
        self.counts = counts
        if changed or first:
            self.unsent_changed.emit(counts.unsent, counts.held, counts.rejected)
            if self.state in (UP_TO_DATE, NOT_ALL_SENT):
                self._show_synced()  # a row fixed or held since the sync
        if last_changed or first:
            self.last_sync_changed.emit(counts.last_sync_at or "")
        if counts.role and counts.role != self.role:
            self._set_role(counts.role)

    def _set_role(self, role: str) -> None:
        self.role = role
        self.role_changed.emit(role)

    def _set_state(self, state: str, message: str) -> None:
        self.state, self.message = state, message
        self.state_changed.emit(state, message)

    def _show_signed_out(self) -> None:
        self._set_state(
            SIGNED_OUT,
            QCoreApplication.translate(
                "Sync", "Đã đăng xuất. Dữ liệu chưa gửi vẫn được giữ trên máy."
            ),
        )

    def _after_sign_out(self) -> None:
        self.retry_timer.stop()
        self._show_signed_out()
        self.signed_out.emit()
        self.refresh_counts()
