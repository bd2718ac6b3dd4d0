"""``python -m desktop.ui.screenshots DIR``: the README's pictures, rendered offscreen.

A demo commune in a temporary folder; the main window at 1366x768 (a common laptop), its
coverage tab, the household page, and the visit dialog with two changes typed in.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

SIZE = (1366, 768)


def _settle(app, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()


def render(out_dir: Path, households: int = 600) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    import desktop.ui  # noqa: F401  (the PySide6 None workaround, before any Qt call)
    from desktop.demo_profile import create_demo_profile
    from desktop.services import Services
    from desktop.settings import Settings
    from desktop.store import Store
    from desktop.ui import i18n
    from desktop.ui.main_window import MainWindow
    from desktop.ui.models import STATE_ROLE

    out_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(["gocua-screenshots"])
    app.setApplicationName("Gõ Cửa")
    i18n.install("vi")
    today = dt.date.today()
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        create_demo_profile(db, households, seed=1, today=today)
        store = Store.open(db)
        try:
            window = MainWindow(Services(store), Settings(Path(tmp) / "settings.json"), today=today)
            window.resize(*SIZE)
            window.show()
            QThreadPool.globalInstance().waitForDone()
            _settle(app)
            # A household of four or more, so the grid shows what it is for.
            model = window.list_model
            row = next(
                (
                    r
                    for r in range(min(model.rowCount(), 200))
                    if (model.household(r) and model.household(r).members >= 4)
                ),
                0,
            )
            window.households.selectRow(row)
            window.households.setFocus()
            QThreadPool.globalInstance().waitForDone()
            _settle(app)
            path = out_dir / "main_window.png"
            window.grab().save(str(path))
            written.append(path)

            # The leader's coverage tab, as the window shows it (built when first opened).
            window.tabs.setCurrentWidget(window.dashboard_tab)
            charted: list[bool] = []
            window.dashboard_tab.content.progress_ready.connect(lambda: charted.append(True))
            while not charted:  # the table first, then the volunteers and the charts
                QThreadPool.globalInstance().waitForDone()
                _settle(app)
            _settle(app)
            path = out_dir / "dashboard.png"
            window.grab().save(str(path))
            written.append(path)
            window.tabs.setCurrentIndex(0)

            page = window.page_widget
            page.resize(1000, 640)
            path = out_dir / "household_page.png"
            page.grab().save(str(path))
            written.append(path)
            window.resize(*SIZE)

            dialog = window.visit_dialog()
            dialog.show()
            grid = dialog.grid_model
            done = 0
            for r in range(grid.rowCount()):
                for c in range(grid.columnCount()):
                    state = grid.index(r, c).data(STATE_ROLE)
                    if done < 2 and state in ("not_started", "guided"):
                        grid.setData(grid.index(r, c), "done" if done == 0 else "pending")
                        done += 1
            dialog.follow_up_check.setChecked(True)
            dialog.note.setText("Chị Hoa hẹn tối thứ Bảy mang CCCD gắn chip để làm VNeID mức 2")
            _settle(app)
            path = out_dir / "visit_dialog.png"
            dialog.grab().save(str(path))
            written.append(path)
            dialog.reject()
            window.close()
        finally:
            store.close()
    return written


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out_dir = Path(argv[0] if argv else "docs/screenshots")
    for path in render(out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
