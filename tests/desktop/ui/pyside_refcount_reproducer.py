"""Reproducer of the PySide6 6.12.0 reference-count bug on Python 3.11 (issue 16).

PySide6 6.12.0's wheels (tagged cp310-abi3, built assuming the immortal ``None``, ``True`` and
``False`` of Python 3.12+) drop a reference to ``None`` on every call of a void method and one
to ``True``/``False`` on every ``Signal.emit()`` made from Python; after a few thousand calls
the interpreter aborts with "none_dealloc" / "bool_dealloc". PySide6 6.11.3, which
pyproject.toml pins, does not.

Run on its own (``python tests/desktop/ui/pyside_refcount_reproducer.py``) it prints one JSON
line per kind of call: how far the counts of ``None``, ``True`` and ``False`` moved over
``CALLS`` calls, then one line after ``SURVIVE`` more calls of each kind (a buggy wheel aborts
before it). It imports PySide6 only, never ``desktop``: it tests the wheel, not the app.
tests/desktop/ui/test_pyside_refcounts.py runs it in a subprocess.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable

CALLS = 200  # True and False start near 600 references: 1,000 would abort mid-count
SURVIVE = 10_000


def counts() -> dict[str, int]:
    return {
        "None": sys.getrefcount(None),
        "True": sys.getrefcount(True),
        "False": sys.getrefcount(False),
    }


def drift(call: Callable[[], object], times: int) -> dict[str, int]:
    before = counts()
    for _ in range(times):
        call()
    after = counts()
    return {name: after[name] - before[name] for name in before}


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import PySide6
    from PySide6.QtCore import QCoreApplication, QObject, Signal
    from PySide6.QtWidgets import QApplication, QLabel

    class Emitter(QObject):
        flag = Signal(bool)
        bare = Signal()

    app = QApplication.instance() or QApplication(["refcounts"])
    label = QLabel()
    emitter = Emitter()
    received = [0]

    def slot(*_args: object) -> None:
        received[0] += 1

    emitter.flag.connect(slot)
    emitter.bare.connect(slot)
    calls: dict[str, Callable[[], object]] = {
        "QCoreApplication.processEvents()": QCoreApplication.processEvents,
        "QLabel.setText()": lambda: label.setText("Gõ Cửa"),
        "Signal(bool).emit(True)": lambda: emitter.flag.emit(True),
        "Signal(bool).emit(False)": lambda: emitter.flag.emit(False),
        "Signal().emit()": emitter.bare.emit,
    }
    header = {"pyside": PySide6.__version__, "python": sys.version.split()[0]}
    for name, call in calls.items():
        line = {**header, "call": name, "times": CALLS, "drift": drift(call, CALLS)}
        print(json.dumps(line), flush=True)
    for call in calls.values():
        for _ in range(SURVIVE):
            call()
    print(json.dumps({**header, "survived": SURVIVE, "received": received[0]}), flush=True)
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
