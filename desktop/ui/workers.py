"""``TaskRunner``: the interface of the first background runner, kept as a thin adapter onto
:mod:`desktop.ui.tasks` for code of other branches that still uses it
(``desktop/ui/import_dialog.py``). New code calls :func:`desktop.ui.tasks.tasks` directly.

``finished(result)`` fires for the latest task started only (a slow search for "ng" never
overwrites the answer for "nguyen"); ``failed(text)`` carries the exception's one line
(``"ValueError: …"``), its traceback going to the log.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.ui.tasks import READ, Task, tasks

log = logging.getLogger(__name__)


class TaskRunner(QObject):
    """Starts ``fn`` on the task manager's ``lane``; results for the latest task only."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, lane: str = READ):
        super().__init__(parent)
        self.lane = lane
        self._latest = 0  # tasks started, for tests
        self._tasks: list[Task] = []

    @property
    def busy(self) -> bool:
        self._tasks = [t for t in self._tasks if t.running]
        return bool(self._tasks)

    def start(self, fn: Callable[[], Any]) -> int:
        self._latest += 1
        task = tasks().run(
            fn,
            done=self.finished.emit,
            failed=self._failed,
            owner=self,
            key="runner",
            lane=self.lane,
        )
        self._tasks.append(task)
        return self._latest

    def _failed(self, exc: BaseException) -> None:
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        log.error("background task failed:\n%s", text)
        self.failed.emit("".join(traceback.format_exception_only(type(exc), exc)).strip())
