"""The task manager (desktop.ui.tasks): latest wins per key, the exception object reaches the
caller, cancel, the delayed progress dialog, owners deleted before their answer.

Each test blocks its tasks on events it sets itself and waits for conditions, never for time.
"""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget

from desktop.ui.tasks import READ, WRITE, Cancelled, TaskManager, tasks

BLOCK_S = 10  # an event a test forgot to set fails the test instead of hanging it


@pytest.fixture
def manager(qapp):
    manager = TaskManager(qapp)
    yield manager
    manager.cancel_all()
    assert manager.shutdown(5_000)
    manager.deleteLater()


def _progress_dialogs() -> list[QProgressDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]


def test_the_latest_task_of_a_key_wins(qtbot, manager):
    """A slow search for "ng" answering after the one for "nguyen" is dropped."""
    owner = QWidget()
    qtbot.addWidget(owner)
    slow_may_end = threading.Event()
    shown: list[str] = []

    def search(text: str, wait: threading.Event | None = None):
        def work() -> str:
            if wait is not None:
                assert wait.wait(BLOCK_S)
            return text

        return work

    first = manager.run(search("ng", slow_may_end), owner=owner, key="search", done=shown.append)
    second = manager.run(search("nguyen"), owner=owner, key="search", done=shown.append)
    qtbot.waitUntil(lambda: not second.running)
    assert shown == ["nguyen"] and first.superseded and first.cancelled
    slow_may_end.set()  # a slow "ng" still running answers now, or never started
    qtbot.waitUntil(lambda: not first.running)
    assert shown == ["nguyen"]  # the older answer never overwrote the newer
    assert manager.idle

    # Keys belong to their owner: another widget's "search" is its own.
    other = QWidget()
    qtbot.addWidget(other)
    both: list[str] = []
    manager.run(search("a"), owner=owner, key="search", done=both.append)
    manager.run(search("b"), owner=other, key="search", done=both.append)
    qtbot.waitUntil(lambda: manager.idle)
    assert sorted(both) == ["a", "b"]


def test_the_exception_object_reaches_the_caller(qtbot, manager):
    class Refused(Exception):
        message_vi = "Máy chủ từ chối."

    raised = Refused("no")
    seen: list[BaseException] = []

    def fail():
        raise raised

    task = manager.run(fail, failed=seen.append, done=lambda _r: pytest.fail("not done"))
    qtbot.waitUntil(lambda: not task.running)
    assert seen == [raised] and seen[0] is raised  # the object itself, never its traceback text
    assert seen[0].message_vi == "Máy chủ từ chối." and seen[0].__traceback__ is not None


def test_cancel_stops_a_cancellable_task(qtbot, manager):
    steps = []
    outcome: list[str] = []

    def export(task):
        while True:
            task.check()
            steps.append(1)
            task.report(len(steps), None)
            time.sleep(0.001)

    task = manager.run(
        export,
        with_task=True,
        cancellable=True,
        done=lambda _r: outcome.append("done"),
        failed=lambda _e: outcome.append("failed"),
        cancelled=lambda: outcome.append("cancelled"),
    )
    qtbot.waitUntil(lambda: len(steps) >= 3)
    task.cancel()
    qtbot.waitUntil(lambda: not task.running)
    assert outcome == ["cancelled"] and isinstance(task.error, Cancelled)
    assert task.ended


def test_a_write_is_never_cancelled_and_writes_keep_their_order(qtbot, manager):
    written: list[int] = []
    gate = threading.Event()

    def write(n: int):
        def work() -> int:
            if n == 0:
                assert gate.wait(BLOCK_S)
            written.append(n)
            return n

        return work

    for n in range(20):
        manager.run(write(n), lane=WRITE)
    manager.cancel_all()  # the app closing: writes are waited for, not dropped
    gate.set()
    qtbot.waitUntil(lambda: manager.idle)
    assert written == list(range(20))


def test_the_progress_dialog_shows_only_after_the_delay(qtbot, manager):
    manager.progress_delay_ms = 150
    owner = QWidget()
    qtbot.addWidget(owner)
    owner.show()

    # Quick work: delivered before the delay, its timer stopped: no dialog, ever.
    quick = manager.run(lambda: 1, owner=owner, progress="Đang lưu…")
    qtbot.waitUntil(lambda: not quick.running)
    assert quick.timer is None and quick.dialog is None and not _progress_dialogs()

    # Slow work: no dialog at first, one after the delay, with "Dừng" since it can stop.
    may_end = threading.Event()
    started = time.monotonic()

    def slow(task):
        while not may_end.wait(0.005):
            task.check()
        return "xong"

    cancelled: list[bool] = []
    task = manager.run(
        slow,
        owner=owner,
        progress="Đang xuất báo cáo…",
        cancellable=True,
        with_task=True,
        cancelled=lambda: cancelled.append(True),
    )
    assert task.dialog is None
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible())
    assert time.monotonic() - started >= 0.15
    dialog = task.dialog
    assert dialog.labelText() == "Đang xuất báo cáo…" and dialog.parentWidget() is owner.window()
    stop = dialog.findChild(QPushButton)
    assert stop.text() == "Dừng"
    qtbot.mouseClick(stop, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not task.running)
    assert cancelled == [True] and task.dialog is None


def test_a_task_ending_after_its_owner_is_gone_is_left_alone(qtbot, manager):
    manager.progress_delay_ms = 0
    owner = QWidget()
    owner.show()
    may_end = threading.Event()
    called: list[str] = []

    def work():
        assert may_end.wait(BLOCK_S)
        return "answer"

    task = manager.run(
        work,
        owner=owner,
        key="page",
        progress="Đang đọc…",
        done=lambda _r: (called.append("done"), owner.setWindowTitle("x")),
        failed=lambda _e: called.append("failed"),
    )
    qtbot.waitUntil(lambda: task.dialog is not None)
    destroyed: list[bool] = []
    owner.destroyed.connect(lambda *_: destroyed.append(True))
    owner.deleteLater()  # the window closed (or the profile switched) meanwhile
    qtbot.waitUntil(lambda: bool(destroyed))
    assert task.orphaned and task.dialog is None
    may_end.set()
    qtbot.waitUntil(lambda: manager.idle)
    assert called == []  # no callback into a deleted widget, no crash


def test_on_gui_runs_there_and_returns_its_value(qtbot, manager):
    gui = QApplication.instance().thread()

    def work(task):
        assert QThread.currentThread() is not gui
        return task.on_gui(lambda: QThread.currentThread() is gui)

    answers: list[bool] = []
    task = manager.run(work, with_task=True, done=answers.append)
    qtbot.waitUntil(lambda: not task.running)
    assert answers == [True]


def test_parts_run_at_once_and_come_back_together(qtbot, manager):
    both_started = threading.Barrier(2, timeout=BLOCK_S)

    def part(value: str):
        def work() -> str:
            both_started.wait()  # would time out if the parts ran one after the other
            return value

        return work

    results: list[list[str]] = []
    manager.run_all([part("table"), part("unvisited")], done=results.append, key="dashboard")
    qtbot.waitUntil(lambda: manager.idle)
    assert results == [["table", "unvisited"]]


def test_the_app_has_one_manager(qapp):
    assert tasks() is tasks() and tasks().parent() is qapp
    assert tasks().pools[READ].maxThreadCount() >= 3
    assert tasks().pools[WRITE].maxThreadCount() == 1
