"""``gocua --selftest``: prove a build works end to end without a screen or a user.

Opens a temporary encrypted profile (a small demo commune converted to SQLCipher, which runs
the migrations), renders the main window offscreen, checks translations, fonts and the
catalogue are where the bundle says, and exits 0; any failure prints why and exits 1.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
import time
import traceback
from pathlib import Path


def run_selftest() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    try:
        from PySide6.QtCore import QThreadPool
        from PySide6.QtWidgets import QApplication

        from desktop.demo_profile import create_demo_profile
        from desktop.services import Services
        from desktop.settings import Settings
        from desktop.store import Store
        from desktop.store.database import current_revision, head_revision
        from desktop.store.encryption import is_encrypted
        from desktop.ui import i18n
        from desktop.ui.main_window import MainWindow
        from gocua import __version__
        from gocua.catalogue import default_catalogue
        from gocua.resources import resources_dir

        checks: list[str] = []
        app = QApplication.instance() or QApplication(["gocua-selftest"])
        catalogue = default_catalogue()
        checks.append(f"catalogue: {len(catalogue.items)} items at {resources_dir()}")
        i18n.install("en")
        i18n.install("vi")
        checks.append("translations: installed")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "selftest.sqlite"
            create_demo_profile(path, households=30, seed=1)
            store = Store.open(path, passphrase=secrets.token_urlsafe(16))
            try:
                if not is_encrypted(path):
                    raise RuntimeError("the profile was not encrypted")
                if current_revision(store.engine) != head_revision():
                    raise RuntimeError("migrations did not reach head")
                checks.append(f"encrypted profile at schema {head_revision()}")
                window = MainWindow(Services(store), Settings(Path(tmp) / "settings.json"))
                window.resize(1366, 768)
                window.show()
                app.processEvents()
                image = window.grab().toImage()
                if image.isNull() or image.width() < 800:
                    raise RuntimeError("the main window did not render")
                checks.append(f"main window rendered {image.width()}x{image.height()}")
                window.close()
                window.deleteLater()
                # Background reads must end before the temporary profile goes away.
                QThreadPool.globalInstance().waitForDone(10_000)
                app.processEvents()
            finally:
                store.close()
    except Exception:
        traceback.print_exc()
        print("SELFTEST FAILED", file=sys.stderr)
        return 1
    for line in checks:
        print(f"ok: {line}")
    print(f"Gõ Cửa {__version__}: selftest passed in {time.perf_counter() - started:.1f} s")
    return 0
