"""Fixtures of the sync window tests: offscreen Qt, an in-memory keyring, the REAL server.

``demo_server`` is ``python -m server.cli serve`` over a fresh copy of a small demo commune
(``python -m server.cli demo``: leader ``totruong``, volunteer ``tnv.an`` of hamlets
X9001-01/04/07/10, password ``gocua-demo``). Vietnamese text is typed as input-method commit
strings (:func:`type_text`); ``qtbot.keyClicks`` aborts on non-ASCII characters.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtGui import QInputMethodEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QWidget  # noqa: E402

from desktop.store import Store  # noqa: E402
from tests.support.keyring_memory import MemoryKeyring, memory_keyring  # noqa: F401
from tests.support.server_process import CHEAP_PASSWORDS, ROOT, ServerProcess  # noqa: E402

DEMO_PASSWORD = "gocua-demo"
DEMO_HOUSEHOLDS = 40  # about 1,100 rows: the leader's first pull takes two pages
SCREENSHOTS = Path(os.environ.get("GOCUA_SCREENSHOTS", "/tmp/gocua-ui-sync"))


@pytest.fixture(autouse=True)
def _memory_keyring(memory_keyring: MemoryKeyring) -> MemoryKeyring:  # noqa: F811 - the shared fixture
    """Every test here runs against an in-memory keyring (tests/support/keyring_memory.py)."""
    return memory_keyring


@pytest.fixture(autouse=True)
def gocua_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("GOCUA_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def demo_server_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ui-sync-server") / "demo.sqlite"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "server.cli",
            "demo",
            "--database",
            f"sqlite:///{path}",
            "--households",
            str(DEMO_HOUSEHOLDS),
        ],
        cwd=ROOT,
        env={**os.environ, **CHEAP_PASSWORDS, "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
    )
    return path


@pytest.fixture
def demo_server(demo_server_template: Path, tmp_path: Path) -> Iterator[ServerProcess]:
    path = tmp_path / "server.sqlite"
    shutil.copyfile(demo_server_template, path)
    with ServerProcess(f"sqlite:///{path}") as server:
        yield server


@pytest.fixture
def profile_store(tmp_path: Path) -> Iterator[Store]:
    """A new, empty profile (its areas come with the first sync)."""
    store = Store.open(tmp_path / "profile" / "gocua.db")
    yield store
    store.close()


@pytest.fixture
def window(qtbot) -> Iterator[QMainWindow]:
    """A bare main window with the menus a real one has around the sync menu."""
    window = QMainWindow()
    window.setWindowTitle("Gõ Cửa")
    window.menuBar().addMenu("&Tệp")
    window.menuBar().addMenu("Trợ &giúp")
    window.setCentralWidget(QLineEdit())
    window.resize(1100, 320)
    qtbot.addWidget(window)
    window.show()
    yield window
    # Nothing installed on the window keeps running into the next test.
    from desktop.ui.idle_lock import IdleLock
    from desktop.ui.sync_controller import SyncController

    for controller in window.findChildren(SyncController):
        controller.stop()
    for lock in window.findChildren(IdleLock):
        lock.is_locked = True  # no further lock
        lock.remove()
        if lock.dialog is not None:
            lock.dialog.hide()
            lock.dialog.deleteLater()


def type_text(widget: QWidget, text: str) -> None:
    """Type text as an input method commits it (works for Vietnamese)."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def screenshot(widget: QWidget, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    QApplication.sendPostedEvents()  # pending relayouts first (a button's new text)
    widget.grab().save(str(path))
    return path
