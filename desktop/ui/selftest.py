"""``gocua --selftest``: prove a build works end to end without a screen or a user.

Opens a temporary encrypted profile (a small demo commune converted to SQLCipher, which runs
the migrations), renders the main window offscreen, checks translations, fonts and the
catalogue are where the bundle says, and exits 0; any failure prints why and exits 1.

It also uses each part of Qt and Python that the bundle keeps although the start-up does not
load it (build_scripts/bundle_filter.py leaves out the rest), so that a wrong exclusion fails
``make build``, not a volunteer: the meeting PDF with its QtCharts charts, the printable
follow-up list (the app prints to PDF with QPdfWriter, not QtPrintSupport), the XLSX export
and its reading back, JPEG (Qt's PDF engine compresses pictures with it) and SVG images and
icons, Qt's own translation, the QNetworkInformation backends, the keyring's modules and the
SQLCipher build.
"""

from __future__ import annotations

import datetime as dt
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
        from PySide6.QtWidgets import QApplication

        from desktop.demo_profile import create_demo_profile
        from desktop.services import Services
        from desktop.settings import Settings
        from desktop.store import Store
        from desktop.store.database import current_revision, head_revision
        from desktop.store.encryption import is_encrypted
        from desktop.ui import i18n
        from desktop.ui.main_window import MainWindow
        from desktop.ui.tasks import tasks
        from gocua import __version__
        from gocua.catalogue import default_catalogue
        from gocua.resources import resources_dir

        checks: list[str] = []
        _app = QApplication.instance() or QApplication(["gocua-selftest"])  # kept alive
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
                tasks().wait_idle(10_000)
                image = window.grab().toImage()
                if image.isNull() or image.width() < 800:
                    raise RuntimeError("the main window did not render")
                checks.append(f"main window rendered {image.width()}x{image.height()}")
                window.close()
                window.deleteLater()
                # Background reads must end before the temporary profile goes away.
                tasks().wait_idle(10_000)
                checks.append(_sqlcipher_check(store))
                checks.extend(_export_checks(store, Path(tmp), catalogue))
            finally:
                store.close()
        checks.append(_image_check())
        checks.append(_qt_translation_check())
        checks.append(_network_information_check())
        checks.append(_keyring_check())
    except Exception:
        traceback.print_exc()
        print("SELFTEST FAILED", file=sys.stderr)
        return 1
    for line in checks:
        print(f"ok: {line}")
    print(f"Gõ Cửa {__version__}: selftest passed in {time.perf_counter() - started:.1f} s")
    return 0


def _sqlcipher_check(store) -> str:
    from desktop.store.encryption import cipher_version

    version = store.query(cipher_version)
    if not version:
        raise RuntimeError("the profile's driver is not SQLCipher")
    return f"SQLCipher {version}"


def _export_checks(store, folder: Path, catalogue) -> list[str]:
    """The meeting PDF (QtCharts charts drawn into QPdfWriter), the follow-up list to print,
    and the XLSX export read back with openpyxl, as the import reads files."""
    import openpyxl

    from desktop.reports.exports import export
    from desktop.reports.follow_up import follow_up_rows
    from desktop.ui.reports_pdf import write_follow_up_pdf, write_pdf

    meeting = export(store, "pdf", folder / "hop.pdf", pdf_writer=write_pdf)
    data = meeting.path.read_bytes()
    if not data.startswith(b"%PDF") or b"/Image" not in data:
        raise RuntimeError("the meeting PDF has no chart picture")
    rows = store.query(follow_up_rows, catalogue, dt.date.today().year)
    pages = write_follow_up_pdf(rows, catalogue, folder / "quay-lai.pdf", "Selftest")
    if pages < 1 or not (folder / "quay-lai.pdf").read_bytes().startswith(b"%PDF"):
        raise RuntimeError("the follow-up list did not print to PDF")
    book = export(store, "xlsx", folder / "bao-cao.xlsx")
    sheets = openpyxl.load_workbook(book.path, read_only=True).sheetnames
    return [
        f"meeting PDF with charts: {meeting.counts['pages']} pages, {len(data) // 1024} KiB",
        f"follow-up list printed to PDF: {len(rows)} rows, {pages} pages",
        f"XLSX written and read back: {len(sheets)} sheets",
    ]


def _image_check() -> str:
    """JPEG (the PDF engine's picture compression) and SVG, as a picture and as an icon."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QIcon, QImage, QImageReader

    from gocua.resources import resource_path

    svg = resource_path("icons", "gocua.svg")
    if QImageReader(str(svg)).read().isNull():
        raise RuntimeError("the SVG image plugin is missing")
    if QIcon(str(svg)).pixmap(48, 48).isNull():
        raise RuntimeError("the SVG icon engine is missing")
    image = QImage(str(resource_path("icons", "gocua.png")))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if image.isNull() or not image.save(buffer, "JPEG") or QImage.fromData(data, "JPEG").isNull():
        raise RuntimeError("the JPEG image plugin is missing")
    return "images: PNG, JPEG, SVG picture and icon"


def _qt_translation_check() -> str:
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not QTranslator().load(QLocale("en"), "qtbase", "_", folder):
        raise RuntimeError(f"Qt's own English translation (qtbase_en.qm) is not in {folder}")
    return "Qt translation qtbase_en"


def _network_information_check() -> str:
    """The sync's "network is back" signal (desktop.ui.sync_controller) needs a backend plugin."""
    from PySide6.QtNetwork import QNetworkInformation

    backends = QNetworkInformation.availableBackends()
    if not backends:
        raise RuntimeError("no QNetworkInformation backend plugin")
    return "network information backends: " + ", ".join(backends)


def _keyring_check() -> str:
    """The keyring and the modules of the backend the OS uses (a build machine has no keyring
    daemon, so this checks the modules load, not that a token can be stored)."""
    import keyring

    backend = keyring.get_keyring()
    if sys.platform == "win32":
        from keyring.backends.Windows import WinVaultKeyring

        if WinVaultKeyring.priority <= 0:  # raises when its modules are missing
            raise RuntimeError("the Windows credential store backend cannot load")
    elif sys.platform.startswith("linux"):
        # The Secret Service backend: secretstorage, jeepney for D-Bus, cryptography for AES.
        import secretstorage  # noqa: F401
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        Cipher(algorithms.AES(bytes(16)), modes.CBC(bytes(16))).encryptor().update(bytes(16))
    return f"keyring: {type(backend).__module__}.{type(backend).__name__} (modules load)"
