"""``python -m desktop.ui.screenshots DIR``: the README's pictures, rendered offscreen.

A demo commune in a temporary folder; the main window and its coverage tab at 1366x768 (a
common laptop) and at 1024x700 (the smallest screen it is made for), the household page, and
the visit dialog with two changes typed in; a profile made offline: its join dialog, and the
list of rows held after a hamlet was left unmatched; the import preview of a hamlet head's
list at 1024x700.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

SIZE = (1366, 768)  # a common laptop
SMALL = (1024, 700)  # the smallest screen the app is made for


def _settle(app, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()


def _idle(app) -> None:
    """Every read the windows started has arrived and is painted."""
    from desktop.ui.tasks import tasks

    tasks().wait_idle()
    _settle(app)
    tasks().wait_idle()
    _settle(app)


def render(out_dir: Path, households: int = 600) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

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
            written += _window_and_dashboard(app, window, out_dir, SIZE, "")
            written += _window_and_dashboard(app, window, out_dir, SMALL, "_1024x700")
            window.resize(*SIZE)

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
        written.extend(_join_and_held(app, Path(tmp), out_dir))
        written.append(_import_preview(app, Path(tmp), out_dir))
    return written


def _window_and_dashboard(app, window, out_dir: Path, size, suffix: str) -> list[Path]:
    """The main window with a household open, then its coverage tab, at one screen size."""
    window.resize(*size)
    window.tabs.setCurrentIndex(0)
    window.show()
    _idle(app)
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
    _idle(app)
    written = [out_dir / f"main_window{suffix}.png"]
    window.grab().save(str(written[-1]))

    # The leader's coverage tab (built when first shown), read again at this size.
    window.tabs.setCurrentWidget(window.dashboard_tab)
    content = window.dashboard_tab.content
    charted: list[bool] = []
    content.progress_ready.connect(lambda: charted.append(True))
    content.refresh()  # the newest refresh wins over the one the first showing started
    while not charted:  # the table first, then the volunteers and the charts
        _idle(app)
    _settle(app)
    written.append(out_dir / f"dashboard{suffix}.png")
    window.grab().save(str(written[-1]))
    window.tabs.setCurrentIndex(0)
    return written


# A hamlet head's list as it is kept: title and date rows, a heading, each head with the
# address and their members under them with the address left blank, a totals row.
KEPT_LIST = """DANH SÁCH HỘ GIA ĐÌNH ẤP BÌNH MINH,,,,,,
"Ngày 15 tháng 11 năm 2026",,,,,,
STT,Họ và tên,Ngày sinh,Giới tính,Quan hệ với chủ hộ,Số CCCD,Địa chỉ
1,Nguyễn Văn Hùng,12/03/1968,Nam,Chủ hộ,079068001234,"Số 5, tổ 2"
2,Trần Thị Mai,1971,Nữ,Vợ,79171002345,
3,Nguyễn Thị Lan,21/9/1995,Nữ,Con,,
4,Nguyễn Văn Tú,2003,Nam,Con,0790030034,
,,,,,,
5,Lê Văn Bảy,1950,Nam,Chủ hộ,079050004567,"Số 7, tổ 2"
6,Phạm Thị Sáu,1953,Nữ,Vợ,,
7,Lê Minh Khang,2012,Nam,Cháu,,
,,,,,,
Tổng cộng: 2 hộ, 7 nhân khẩu,,,,,,
"""


def _import_preview(app, tmp: Path, out_dir: Path) -> Path:
    """The import dialog's preview of a kept list (members under their heads, a CCCD that
    lost its zero repaired, one too short refused, the title and totals rows skipped)."""
    from desktop.demo_profile import create_demo_profile
    from desktop.services import Services
    from desktop.store import Store
    from desktop.ui.import_dialog import ImportDialog

    db = tmp / "import.db"
    create_demo_profile(db, 20, seed=2, today=dt.date.today())
    store = Store.open(db)
    try:
        sheet = tmp / "Ấp Bình Minh.csv"
        sheet.write_text(KEPT_LIST, encoding="utf-8-sig")
        dialog = ImportDialog(store, Services(store), today=dt.date.today)
        dialog.resize(*SMALL)
        dialog.show()
        planned: list[object] = []
        dialog.planned.connect(planned.append)
        dialog.load_file(sheet)
        while not planned:
            _idle(app)
        refused = next(r for r, row in enumerate(dialog.preview_model.rows) if row.errors)
        dialog.preview.selectRow(refused)  # its whole note under the table
        _settle(app)
        path = out_dir / "import_preview_1024x700.png"
        dialog.grab().save(str(path))
        dialog.close()
    finally:
        store.close()
    return path


def _join_and_held(app, tmp: Path, out_dir: Path) -> list[Path]:
    """A volunteer's profile made offline: the join dialog as her first sign-in shows it, and
    the list of rows held after she left a hamlet unmatched (held as a sync would hold them)."""
    from desktop.demo_profile import join_leaving_out
    from desktop.services import Services
    from desktop.services.profile_setup import start_offline_profile
    from desktop.store import Store
    from desktop.sync.join import plan_join
    from desktop.sync.session import SyncSession
    from desktop.ui.held_dialog import HeldDialog
    from desktop.ui.join_dialog import JoinDialog
    from gocua import demo

    store = Store.open(tmp / "lan.db")
    written = []
    try:
        start_offline_profile(store, "Hòa Phú", ["ap binh minh", "Ấp Tân Lập", "Ấp Sông Cái"])
        services = Services(store)
        people = (("Số 12, tổ 3", "Nguyễn Thị Hoa"), ("Số 4, đường Bờ Kênh", "Lê Văn Tư"))
        for address, head in people:
            household = services.register_household(
                "LOCAL-03", address, members=[{"full_name": head, "relation": "head"}]
            )
            services.log_visit(household, "not_home")
        services.register_household("LOCAL-01", "Số 1", members=[{"full_name": "Trần Văn Ba"}])
        hamlets = [a for a in demo.generate(20, seed=1).areas if a["kind"] == "hamlet"]
        answer = {
            "user": {"role": "volunteer", "commune_id": demo.COMMUNE["id"], "hamlet_ids": []},
            "areas": [dict(demo.PROVINCE), dict(demo.COMMUNE), *hamlets],
        }
        plan = store.query(plan_join, answer)
        dialog = JoinDialog(SyncSession(store), plan)
        dialog.show()
        _settle(app)
        path = out_dir / "join_dialog.png"
        dialog.grab().save(str(path))
        written.append(path)
        dialog.close()
        # What the first sync does with Sông Cái's rows: the server refuses them, held.
        join_leaving_out(store, plan, "LOCAL-03")
        held = HeldDialog(store, open_household=lambda _id: None, join=lambda: None)
        held.show()
        for _ in range(50):
            _idle(app)
            if held.model.rowCount():
                break
        path = out_dir / "held_list.png"
        held.grab().save(str(path))
        written.append(path)
        held.close()
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
