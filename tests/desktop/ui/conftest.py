"""Fixtures for the window tests: offscreen Qt, a private GOCUA_HOME, small demo profiles.

Vietnamese text is typed with :func:`type_text` (QInputMethodEvent commit strings, what an
input method sends): ``qtbot.keyClicks`` aborts on non-ASCII characters.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QInputMethodEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desktop.demo_profile import create_demo_profile  # noqa: E402
from desktop.services import Services  # noqa: E402
from desktop.settings import Settings  # noqa: E402
from desktop.store import Store, bulk  # noqa: E402

TODAY = dt.date.today()
UI_DEMO_HOUSEHOLDS = 200
AREAS = [
    {"id": "X9001", "kind": "commune", "name": "Xã Hòa Phú", "parent_id": None},
    {"id": "X9001-01", "kind": "hamlet", "name": "Ấp Bình Minh", "parent_id": "X9001"},
    {"id": "X9001-02", "kind": "hamlet", "name": "Ấp Đông Hòa", "parent_id": "X9001"},
]


@pytest.fixture(autouse=True)
def gocua_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("GOCUA_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def ui_demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ui-demo") / "demo.db"
    create_demo_profile(path, UI_DEMO_HOUSEHOLDS, seed=7, today=TODAY)
    return path


@pytest.fixture
def demo_ui_store(ui_demo_template: Path, tmp_path: Path) -> Iterator[Store]:
    target = tmp_path / "demo.db"
    shutil.copyfile(ui_demo_template, target)
    store = Store.open(target)
    yield store
    store.close()


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "empty.db")
    with store.write() as conn:
        bulk.insert_areas(conn, AREAS)
    yield store
    store.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "settings.json")


def make_window(qtbot, store: Store, settings: Settings):
    from desktop.ui.main_window import MainWindow

    window = MainWindow(Services(store), settings, today=TODAY)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: window.hamlet_model.coverage is not None, timeout=5000)
    settle(qtbot)
    if window.list_model.rowCount():
        qtbot.waitUntil(lambda: window.page is not None, timeout=5000)
    return window


def settle(qtbot, timeout: int = 10_000) -> None:
    """Every read and write started has reached the window (desktop.ui.tasks)."""
    from desktop.ui.tasks import tasks

    qtbot.waitUntil(lambda: tasks().idle, timeout=timeout)


@pytest.fixture
def demo_window(qtbot, demo_ui_store: Store, settings: Settings):
    return make_window(qtbot, demo_ui_store, settings)


@pytest.fixture
def empty_window(qtbot, empty_store: Store, settings: Settings):
    return make_window(qtbot, empty_store, settings)


def type_text(widget: QWidget, text: str) -> None:
    """Type text as an input method commits it (works for Vietnamese)."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def press(qtbot, widget: QWidget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, key, modifier)


class ModalAnswers:
    """Answers the next modal dialogs in order, one handler each: a dialog runs its own event
    loop, so a timer watches for it. ``seen`` lists the dialogs met; ``stop()`` when done."""

    def __init__(self, *handlers):
        from PySide6.QtCore import QTimer

        self.handlers = list(handlers)
        self.seen: list[QWidget] = []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or (self.seen and dialog is self.seen[-1]):
            return
        self.seen.append(dialog)
        handler = self.handlers[len(self.seen) - 1]
        if len(self.seen) == len(self.handlers):
            self.timer.stop()
        handler(dialog)

    def stop(self) -> None:
        self.timer.stop()


def skip_passphrase(dialog) -> None:
    """The new profile's passphrase offer: "Hủy" (the warning comes next)."""
    dialog.reject()


def confirm_skip(box) -> None:
    """The warning about an unprotected profile: "Bỏ qua, không mã hóa"."""
    skip = next(b for b in box.buttons() if box.buttonRole(b) == box.ButtonRole.DestructiveRole)
    skip.click()
