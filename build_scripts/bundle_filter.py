"""What the one-folder bundle leaves out, and why each is safe (issue 16).

Read by build_scripts/gocua.spec (which filters PyInstaller's Analysis with it), by
build_scripts/build.py (which checks the built bundle) and by tests/test_bundle_filter.py
(which checks that the app imports nothing excluded here). Plain Python: no PyInstaller.

How the list was made: the built program was run (``--selftest``, and the window on a real
profile) under ``LD_DEBUG=files`` and ``strace -f -e openat``, which tell the libraries and Qt
plugins it loads; everything PyInstaller had collected beyond those, and beyond what the
platforms the app runs on load (xcb and Wayland on Linux, windows on Windows, and their input
methods, themes, network information and icon plugins), was looked at one by one. The app
uses QtCore, QtGui (QPdfWriter included), QtWidgets, QtCharts, QtNetwork (QNetworkInformation
only) and, through plugins, QtSvg. ``gocua --selftest`` uses each kept part that start-up does
not load, so a wrong exclusion fails ``make build``.

Patterns are ``fnmatch`` patterns (case-sensitive, ``*`` crosses ``/``) on a file's path inside
the bundle's ``_internal`` folder, with ``/`` separators. They name files the way both the
Linux wheels (``PySide6/Qt/plugins/platforms/libqvnc.so``, ``PySide6/Qt/lib/libQt6Quick.so.6``)
and the Windows ones (``PySide6/plugins/platforms/qvnc.dll``, ``PySide6/Qt6Quick.dll``) do.
"""

from __future__ import annotations

import fnmatch
import sys

# The bundle's size limit, checked by build.py after every build.
LIMIT_MIB = 180

# Python modules PyInstaller is told not to follow (Analysis ``excludes``).
EXCLUDED_MODULES = {
    # Not part of the desktop app (tests/test_layering.py keeps desktop/ off the server).
    "server": "the central server's code; the app talks to it over HTTP",
    "fastapi": "server only",
    "uvicorn": "server only",
    "psycopg": "server only",
    "tkinter": "the app's window is Qt",
    "pytest": "tests only",
    "hypothesis": "tests only",
    # Mako (Alembic's templates) tries Pygments for coloured HTML tracebacks and falls back to
    # plain escaping without it; Alembic only renders Mako templates to write new migrations.
    "pygments": "optional for Mako; 340 modules",
    # Qt modules the app does not import.
    "PySide6.QtQml": "no QML in the app",
    "PySide6.QtQuick": "no QML in the app",
    "PySide6.QtWebEngineCore": "no web views",
    "PySide6.Qt3DCore": "no 3D",
    "PySide6.QtMultimedia": "no sound or video",
    "PySide6.QtDesigner": "Designer plugins are for Qt Designer",
    # PyInstaller adds these bindings because libQt6Charts links libQt6OpenGL(Widgets) and
    # libQt6Gui links libQt6DBus; those C++ libraries stay (found as libQt6Charts' and
    # libQt6Gui's dependencies), only the unused Python bindings go (QtOpenGL's is 8.5 MiB).
    "PySide6.QtOpenGL": "Python binding not imported; the C++ library stays for QtCharts",
    "PySide6.QtOpenGLWidgets": "Python binding not imported; the C++ library stays",
    "PySide6.QtDBus": "Python binding not imported; the C++ library stays for QtGui",
    # The app prints by writing a PDF with QPdfWriter (QtGui): the meeting report and the
    # follow-up list ("In danh sách (PDF)"). QtPrintSupport would bring the CUPS plugin and
    # libcups with its TLS and Kerberos libraries. A print dialog needs this line removed.
    "PySide6.QtPrintSupport": "printing is to PDF with QPdfWriter",
}

# Files kept even where a pattern of DROPPED_FILES matches them.
KEPT_FILES = {
    # desktop/ui/i18n.py loads Qt's "qtbase" catalogue for the UI language; Qt ships none
    # for Vietnamese today, so in practice this keeps qtbase_en.qm.
    "PySide6/*translations/qtbase_vi*.qm": "Qt's strings in Vietnamese (when Qt has them)",
    "PySide6/*translations/qtbase_en*.qm": "Qt's strings in English",
}

# Files left out of what PyInstaller collected, with why each is never needed.
DROPPED_FILES = {
    # Qt's translations for other languages and other Qt modules (Designer, Assistant,
    # Multimedia...); the app is in Vietnamese and English and loads "qtbase" only.
    "PySide6/*translations/*.qm": "other languages and other modules' catalogues",
    # The on-screen keyboard, a QML input method for kiosks; it alone pulls in Qt Quick and
    # QML (17 MiB). Typing goes through the system's input method (IBus for Telex/VNI on
    # Linux, TSF on Windows) and the compose plugin, which stay.
    "PySide6/*plugins/platforminputcontexts/*qtvirtualkeyboardplugin.*": "on-screen keyboard",
    "*Qt6VirtualKeyboard.*": "the on-screen keyboard's library",
    "*Qt6VirtualKeyboardQml.*": "the on-screen keyboard's library",
    "*Qt6Quick.*": "loaded only by the on-screen keyboard",
    "*Qt6Qml.*": "loaded only by the on-screen keyboard",
    "*Qt6QmlModels.*": "loaded only by the on-screen keyboard",
    "*Qt6QmlMeta.*": "loaded only by the on-screen keyboard",
    "*Qt6QmlWorkerScript.*": "loaded only by the on-screen keyboard",
    # Platform plugins for devices without a window system (EGLFS, LinuxFB, KMS/Vulkan
    # displays), for VNC serving and for testing without drawing (minimal); Qt picks one
    # only when QT_QPA_PLATFORM names it. The app runs on xcb or wayland (Linux) or windows,
    # and offscreen for --selftest and the tests: those stay. direct2d is an opt-in
    # alternative to the windows plugin.
    "PySide6/*plugins/platforms/*qeglfs.*": "embedded devices",
    "PySide6/*plugins/platforms/*qlinuxfb.*": "embedded devices",
    "PySide6/*plugins/platforms/*qminimal.*": "no drawing at all; offscreen serves headless runs",
    "PySide6/*plugins/platforms/*qminimalegl.*": "embedded devices",
    "PySide6/*plugins/platforms/*qvkkhrdisplay.*": "embedded devices",
    "PySide6/*plugins/platforms/*qvnc.*": "serving the window over VNC",
    "PySide6/*plugins/platforms/*qdirect2d.*": "opt-in alternative to the windows plugin",
    "PySide6/*plugins/egldeviceintegrations/*": "EGLFS only (embedded devices)",
    "*Qt6EglFSDeviceIntegration.*": "EGLFS only",
    "*Qt6EglFsKmsSupport.*": "EGLFS only",
    # evdev/tslib/TUIO input for framebuffer devices, loaded only when named in
    # QT_QPA_GENERIC_PLUGINS; desktops get input from the window system.
    "PySide6/*plugins/generic/*": "input for embedded devices",
    # Image formats the app never reads or writes: its pictures are PNG (built into QtGui),
    # the icon also SVG; Qt's PDF engine writes pictures as JPEG. Those two plugins stay.
    "PySide6/*plugins/imageformats/*qgif.*": "no GIF",
    "PySide6/*plugins/imageformats/*qicns.*": "no macOS icons",
    "PySide6/*plugins/imageformats/*qico.*": "the window icon is PNG; GoCua.exe's is a resource",
    "PySide6/*plugins/imageformats/*qtga.*": "no TGA",
    "PySide6/*plugins/imageformats/*qtiff.*": "no TIFF",
    "PySide6/*plugins/imageformats/*qwbmp.*": "no WBMP",
    "PySide6/*plugins/imageformats/*qwebp.*": "no WebP",
    # Reading PDF pages as pictures (QtPdf); the app writes PDFs, with QPdfWriter in QtGui.
    "PySide6/*plugins/imageformats/*qpdf.*": "reading PDFs as pictures",
    "*Qt6Pdf.*": "QtPdf renders PDFs; only its image plugin loads it",
    # Qt's TLS backends serve QNetworkAccessManager and QSslSocket; the app's HTTPS goes
    # through requests (Python's ssl) and QtNetwork is used for QNetworkInformation only.
    "PySide6/*plugins/tls/*": "no TLS through Qt",
}

# Libraries of the build machine that PyInstaller collects only because Qt's GTK theme plugin
# (platformthemes/libqgtk3.so, kept) links them: GTK 3 and what it alone brings (ldd of every
# library in the bundle: nothing else links these). The plugin loads the desktop's own GTK, as
# it must: a GTK copied from the build machine would meet the user's themes, input-method and
# pixbuf modules of another version, and the bundle's size depended on whether the build
# machine had GTK at all (162 MiB without it, 174 MiB once Debian's chromium, installed for the
# web view's browser tests, brought it). Without GTK on the desktop the plugin does not load
# and Qt draws with its own theme.
DROPPED_HOST_LIBRARIES = {
    pattern: "the desktop's own GTK serves Qt's GTK theme plugin"
    for pattern in (
        "libgtk-3.so.*",
        "libgdk-3.so.*",
        "libatk-bridge-2.0.so.*",
        "libatspi.so.*",
        "libepoxy.so.*",
        "libXi.so.*",
        "libXcursor.so.*",
        "libXrandr.so.*",
        "libXfixes.so.*",
        "libXinerama.so.*",
        "libXdamage.so.*",
        "libXcomposite.so.*",
    )
}


def _normal(dest: str) -> str:
    return dest.replace("\\", "/")


def kept_because(dest: str) -> str | None:
    dest = _normal(dest)
    for pattern, reason in KEPT_FILES.items():
        if fnmatch.fnmatchcase(dest, pattern):
            return reason
    return None


def host_library(dest: str) -> bool:
    """A library of the build machine left out for the desktop's own (DROPPED_HOST_LIBRARIES)."""
    dest = _normal(dest)
    return any(fnmatch.fnmatchcase(dest, pattern) for pattern in DROPPED_HOST_LIBRARIES)


def dropped_because(dest: str) -> str | None:
    """Why the bundle leaves out the file at ``dest`` (a path in _internal), or None."""
    dest = _normal(dest)
    if kept_because(dest):
        return None
    for pattern, reason in (*DROPPED_FILES.items(), *DROPPED_HOST_LIBRARIES.items()):
        if fnmatch.fnmatchcase(dest, pattern):
            return reason
    return None


# Files that must be in a built bundle (build.py checks them): what the platform's users
# load that --selftest, run offscreen, cannot. Each pattern must match at least one file.
REQUIRED_FILES = {
    "linux": [
        "PySide6/*plugins/platforms/*qxcb.*",
        "PySide6/*plugins/platforms/*qwayland.*",
        "PySide6/*plugins/platforms/*qoffscreen.*",
        "PySide6/*plugins/platforminputcontexts/*ibusplatforminputcontextplugin.*",
        "PySide6/*plugins/platforminputcontexts/*composeplatforminputcontextplugin.*",
        "PySide6/*plugins/platformthemes/*",
        "PySide6/*plugins/xcbglintegrations/*",
        "PySide6/*plugins/wayland-shell-integration/*xdg-shell.*",
        "PySide6/*plugins/wayland-decoration-client/*",
        "PySide6/*plugins/networkinformation/*",
        "PySide6/*plugins/iconengines/*qsvgicon.*",
        "PySide6/*plugins/imageformats/*qjpeg.*",
        "PySide6/*plugins/imageformats/*qsvg.*",
        "PySide6/*translations/qtbase_en.qm",
    ],
    # Not built here; the names are those of PySide6's Windows wheels.
    "win32": [
        "PySide6/*plugins/platforms/*qwindows.*",
        "PySide6/*plugins/platforms/*qoffscreen.*",
        "PySide6/*plugins/styles/*",
        "PySide6/*plugins/networkinformation/*",
        "PySide6/*plugins/iconengines/*qsvgicon.*",
        "PySide6/*plugins/imageformats/*qjpeg.*",
        "PySide6/*plugins/imageformats/*qsvg.*",
        "PySide6/*translations/qtbase_en.qm",
    ],
}


def required_files(platform: str = sys.platform) -> list[str]:
    return REQUIRED_FILES.get("linux" if platform.startswith("linux") else platform, [])
