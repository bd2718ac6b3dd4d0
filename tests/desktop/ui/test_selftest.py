"""``gocua --selftest`` from the source tree: the checks ``make build`` runs on the bundle.

Run here too so that a check broken by a change in the app shows in ``make test``, before the
build; in the bundle the same checks find what build_scripts/bundle_filter.py left out.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_selftest_passes_from_the_source_tree(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--selftest"],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "GOCUA_HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    for check in ("meeting PDF with charts", "printed to PDF", "SVG", "SQLCipher", "keyring"):
        assert check in done.stdout, done.stdout
