"""Issue 3's benchmarks of the volunteer's window, on a demo profile of 100,000 persons
(2,000 with --quick), in a fresh process (offscreen) so start-up and memory are honest:

- start to a usable main window (process start, imports, store, window shown, list loaded and
  the first household page open; goal < 1.5 s);
- the longest time the GUI thread is blocked while a search is typed at 8 keys a second and its
  results arrive (a 2 ms heartbeat timer measures the gaps, in wall time and in the GUI thread's
  CPU time; goal < 50 ms), once the app has settled (sync menu installed);
- opening a household page (selecting it in the list: read and show; goal < 50 ms, max of 50);
- memory of the running app after all this (RSS; goal < 300 MB);
- keystrokes from the household list to a saved visit that changes two items (goal <= 15).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import Result

GROUP = "ui"


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(db: str, started: float) -> dict:
    """Runs in the measured process; ``started`` is the parent's clock before spawning."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    import desktop.ui  # noqa: F401

    # The real start: profile lookup, settings, log, translation, store, window, sync menu.
    from desktop import profiles
    from desktop.ui.app import start
    from desktop.ui.visit_dialog import VisitDialog

    profile = profiles.create_profile("Bench")
    os.symlink(db, profile.db_path)
    app, controller, _code = start([])
    window = controller.window
    while window.list_runner.busy or window.page is None:
        app.processEvents()
    app.processEvents()
    ready_s = time.time() - started
    ready_cpu_s = time.process_time()
    # The sync menu is added at the first quiet moment after start (its modules load in the
    # background); measure typing after it, as a volunteer's first keys come later anyway.
    deadline = time.perf_counter() + 10
    while getattr(window, "sync", None) is None and time.perf_counter() < deadline:
        app.processEvents()

    # -- typing a search: heartbeat gaps ---------------------------------------------------
    # Wall-clock gaps include time the OS gave other processes; the GUI thread's own CPU time
    # between two beats is what it spent blocked on our work.
    gaps: list[float] = []
    cpu_gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed(), time.thread_time()]

    def beat():
        now, cpu = clock.nsecsElapsed(), time.thread_time()
        gaps.append((now - last[0]) / 1e6)
        cpu_gaps.append((cpu - last[1]) * 1000)
        last[0], last[1] = now, cpu

    heartbeat = QTimer()
    heartbeat.setInterval(2)
    heartbeat.timeout.connect(beat)
    heartbeat.start()
    window.search.setFocus()
    for text in ("nguyen van duc", "tran thi"):
        window.search.clear()
        for ch in text:
            QTest.keyClick(window.search, ch)
            t = time.perf_counter()
            while time.perf_counter() - t < 0.125:  # 8 keys a second
                app.processEvents()
        while window.search_timer.isActive() or window.list_runner.busy:
            app.processEvents()
        t = time.perf_counter()
        while time.perf_counter() - t < 0.1:
            app.processEvents()
    heartbeat.stop()
    found = window.list_model.rowCount()
    block_ms = max(gaps[1:]) if len(gaps) > 1 else float("nan")
    block_cpu_ms = max(cpu_gaps[1:]) if len(cpu_gaps) > 1 else float("nan")

    # -- opening household pages -----------------------------------------------------------
    window.search.clear()
    while window.search_timer.isActive() or window.list_runner.busy:
        app.processEvents()
    rng = random.Random(3)
    model = window.list_model
    page_ms, page_cpu_ms = [], []
    for _ in range(50):
        row = rng.randrange(model.rowCount())
        t, c = time.perf_counter(), time.thread_time()
        window.households.selectRow(row)
        app.processEvents()
        page_ms.append((time.perf_counter() - t) * 1000)
        page_cpu_ms.append((time.thread_time() - c) * 1000)
    page_ms.sort()
    page_cpu_ms.sort()

    # -- keystrokes: household list -> saved visit changing two items ------------------------
    cols = [i.code for i in window.services.catalogue.person_items()]
    target_row = None
    for row in range(min(model.rowCount(), 3000)):
        window.households.selectRow(row)
        app.processEvents()
        grid = window.page_widget.grid.model()
        if grid is None or grid.rowCount() < 2:
            continue
        a, b = cols.index("vneid_l2"), cols.index("bank_account")
        if (
            grid.eligible(0, a)
            and grid.current(0, a) != "pending"
            and grid.eligible(1, b)
            and grid.current(1, b) != "done"
        ):
            target_row = row
            break
    keys = 0
    visits_before = len(window.page.visits)
    window.activateWindow()
    window.households.setFocus()

    def key(widget, k, mod=Qt.KeyboardModifier.NoModifier):
        nonlocal keys
        keys += 1
        QTest.keyClick(widget, k, mod)

    def drive():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, VisitDialog):
            return
        grid = dialog.grid
        key(grid, Qt.Key.Key_Right)
        key(grid, Qt.Key.Key_2)
        key(grid, Qt.Key.Key_Down)
        key(grid, Qt.Key.Key_Right)
        key(grid, Qt.Key.Key_3)
        key(grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        if dialog.isVisible():
            dialog.reject()

    saved = False
    if target_row is not None:
        QTimer.singleShot(0, drive)
        key(window.households, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        saved = (
            len(window.page.visits) == visits_before + 1 and len(window.page.visits[0].items) == 2
        )
    rss = _rss_mb()
    window.close()
    controller.close()
    return {
        "ready_s": ready_s,
        "ready_cpu_s": ready_cpu_s,
        "block_ms": block_ms,
        "block_cpu_ms": block_cpu_ms,
        "load": os.getloadavg()[0],
        "found": found,
        "page_p50_ms": page_ms[len(page_ms) // 2],
        "page_max_ms": page_ms[-1],
        "page_cpu_p50_ms": page_cpu_ms[len(page_cpu_ms) // 2],
        "rss_mb": rss,
        "keys": keys if saved else -1,
    }


def run(quick: bool) -> list[Result]:
    from desktop.demo_profile import create_demo_profile
    from gocua import demo

    persons = 2_000 if quick else 100_000
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench-ui.db"
        create_demo_profile(db, demo.households_for_persons(persons), seed=1)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GOCUA_HOME": tmp}
        started = time.time()
        out = subprocess.run(
            [sys.executable, "-m", "bench.bench_ui", "--child", str(db), repr(started)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        line = [x for x in out.stdout.splitlines() if x.startswith("{")][-1]
        m = json.loads(line)
    note = f"{persons:,} persons, load {m['load']:.1f} on {os.cpu_count()} CPUs"
    results.append(
        Result(
            GROUP,
            "start to usable main window",
            m["ready_s"] * 1000,
            "ms",
            "< 1500",
            m["ready_s"] < 1.5,
            note,
        )
    )
    results.append(
        Result(
            GROUP,
            "start: CPU time used by the app",
            m["ready_cpu_s"] * 1000,
            "ms",
            "",
            None,
            "the same start, without time lost to other processes",
        )
    )
    results.append(
        Result(
            GROUP,
            "longest GUI block while typing a search",
            m["block_ms"],
            "ms",
            "< 50",
            m["block_ms"] < 50,
            f"{m['found']} households found; {note}",
        )
    )
    results.append(
        Result(
            GROUP,
            "longest GUI-thread CPU burst while typing",
            m["block_cpu_ms"],
            "ms",
            "< 50",
            m["block_cpu_ms"] < 50,
            "wall gaps above include time taken by other processes",
        )
    )
    results.append(
        Result(
            GROUP,
            "open a household page (p50)",
            m["page_p50_ms"],
            "ms",
            "< 50",
            m["page_p50_ms"] < 50,
            note,
        )
    )
    results.append(
        Result(
            GROUP,
            "open a household page (max of 50)",
            m["page_max_ms"],
            "ms",
            "< 50",
            m["page_max_ms"] < 50,
            note,
        )
    )
    results.append(
        Result(
            GROUP,
            "open a household page: GUI-thread CPU (p50)",
            m["page_cpu_p50_ms"],
            "ms",
            "< 50",
            m["page_cpu_p50_ms"] < 50,
            "read, show and paint, without time lost to other processes",
        )
    )
    results.append(
        Result(
            GROUP,
            "memory of the running app (RSS)",
            m["rss_mb"],
            "MB",
            "< 300",
            m["rss_mb"] < 300,
            note,
        )
    )
    results.append(
        Result(
            GROUP,
            "keystrokes: list to saved visit, 2 items",
            m["keys"],
            "keys",
            "<= 15",
            0 < m["keys"] <= 15,
            "Ctrl+L, arrows, digits, Ctrl+Enter",
        )
    )
    return results


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(child(sys.argv[2], float(sys.argv[3]))))
        sys.exit(0)
    from bench import format_table

    print(format_table(run(quick="--quick" in sys.argv)))
