"""The installed PySide6 keeps the reference counts of None, True and False (issue 16).

PySide6 6.12.0 on Python 3.11 drops one per void call or Python-side emit and the interpreter
aborts after a few thousand; the app used to carry a ctypes workaround for it. pyproject.toml
pins a release without the bug instead, and this test is what says a new pin is safe: it runs
pyside_refcount_reproducer.py in a fresh interpreter (no workaround, no ``desktop`` import).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPRODUCER = Path(__file__).with_name("pyside_refcount_reproducer.py")
# A count may move by a few for reasons of its own (a cached constant, a frame); the bug moves
# it by one per call, 200 over the reproducer's CALLS.
SLACK = 10


def run_reproducer() -> tuple[subprocess.CompletedProcess[str], list[dict]]:
    done = subprocess.run(
        [sys.executable, str(REPRODUCER)],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return done, lines


def test_void_calls_and_emits_keep_none_true_and_false_counts() -> None:
    done, lines = run_reproducer()
    drifts = [line for line in lines if "drift" in line]
    assert drifts, f"the reproducer printed nothing (exit {done.returncode}): {done.stderr[-2000:]}"
    moved = [
        f"{line['call']} x{line['times']}: {name} {change:+d}"
        for line in drifts
        for name, change in line["drift"].items()
        if abs(change) > SLACK
    ]
    version = drifts[0]["pyside"]
    assert not moved, f"PySide6 {version} moves the singletons' counts: " + "; ".join(moved)
    assert done.returncode == 0, f"PySide6 {version}: {done.stderr[-2000:]}"
    assert lines[-1].get("survived"), done.stdout
