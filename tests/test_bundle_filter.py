"""What the bundle leaves out (build_scripts/bundle_filter.py, issue 16) is nothing the app uses.

The built program's --selftest (``make build``) is the end-to-end check; these run in ``make
test``, in a second: the app's own imports never name an excluded module (a new ``from
PySide6.QtPrintSupport import ...`` in desktop/ must come with a change to the filter), and
the file patterns keep what each platform loads and drop what they are meant to, on the file
names of both the Linux and the Windows wheels.
"""

from __future__ import annotations

import ast
import fnmatch
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP_PACKAGES = ("desktop", "gocua")


def load_filter():
    spec = importlib.util.spec_from_file_location(
        "bundle_filter", ROOT / "build_scripts" / "bundle_filter.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bundle_filter = load_filter()


def app_imports() -> set[tuple[str, str]]:
    """(file, imported module) for every absolute import in the bundled packages."""
    found = set()
    for package in APP_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts and "versions" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                else:
                    continue
                found.update((str(path.relative_to(ROOT)), name) for name in names)
    return found


def test_the_app_imports_no_excluded_module() -> None:
    excluded = bundle_filter.EXCLUDED_MODULES
    wrong = sorted(
        f"{path} imports {name}"
        for path, name in app_imports()
        for module in excluded
        if name == module or name.startswith(module + ".")
    )
    assert not wrong, "the bundle leaves these out (build_scripts/bundle_filter.py): " + "; ".join(
        wrong
    )


def test_the_qt_modules_the_app_imports_are_the_ones_the_filter_expects() -> None:
    qt = {
        name.split(".")[1]
        for _path, name in app_imports()
        if name.startswith("PySide6.") and name.count(".") >= 1
    }
    # A new Qt module is fine when its plugins and libraries are kept: look at the filter and
    # at --selftest, then add it here.
    assert qt <= {"QtCore", "QtGui", "QtWidgets", "QtCharts", "QtNetwork"}, qt


KEPT = [
    # Linux wheels
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
    "PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "PySide6/Qt/plugins/imageformats/libqjpeg.so",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so",
    "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
    "PySide6/Qt/lib/libQt6Charts.so.6",
    "PySide6/Qt/lib/libQt6OpenGL.so.6",
    "PySide6/Qt/lib/libQt6OpenGLWidgets.so.6",
    "PySide6/Qt/lib/libQt6Svg.so.6",
    "PySide6/Qt/lib/libicudata.so.73",
    "PySide6/Qt/translations/qtbase_en.qm",
    "PySide6/QtCharts.abi3.so",
    "libQt6Core.so.6",
    # Windows wheels
    "PySide6\\plugins\\platforms\\qwindows.dll",
    "PySide6/plugins/platforms/qoffscreen.dll",
    "PySide6/plugins/styles/qmodernwindowsstyle.dll",
    "PySide6/plugins/imageformats/qjpeg.dll",
    "PySide6/plugins/networkinformation/qnetworklistmanager.dll",
    "PySide6/translations/qtbase_en.qm",
    "PySide6/Qt6Widgets.dll",
    # not Qt
    "resources/i18n/gocua_en.qm",
    "sqlcipher3/_sqlite3.cpython-311-x86_64-linux-gnu.so",
    # what Qt itself links stays, the GTK theme plugin too (it loads the desktop's GTK)
    "libX11.so.6",
    "libxkbcommon.so.0",
    "libgdk_pixbuf-2.0.so.0",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
]

DROPPED = [
    "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
    "PySide6/Qt/lib/libQt6Quick.so.6",
    "libQt6Quick.so.6",
    "PySide6/Qt/lib/libQt6Qml.so.6",
    "PySide6/Qt/lib/libQt6QmlModels.so.6",
    "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/platforms/libqminimal.so",
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms-integration.so",
    "PySide6/Qt/plugins/generic/libqevdevtouchplugin.so",
    "PySide6/Qt/plugins/imageformats/libqtiff.so",
    "PySide6/Qt/plugins/imageformats/libqwebp.so",
    "PySide6/Qt/plugins/imageformats/libqpdf.so",
    "PySide6/Qt/lib/libQt6Pdf.so.6",
    "PySide6/Qt/plugins/tls/libqopensslbackend.so",
    "PySide6/Qt/translations/qt_help_de.qm",
    "PySide6/Qt/translations/qtbase_fr.qm",
    "PySide6/Qt/translations/qt_en.qm",
    "PySide6/plugins/platforms/qdirect2d.dll",
    "PySide6\\plugins\\platforminputcontexts\\qtvirtualkeyboardplugin.dll",
    "PySide6/Qt6Quick.dll",
    "PySide6/translations/designer_vi.qm",
    # the build machine's GTK, linked only by the GTK theme plugin
    "libgtk-3.so.0",
    "libgdk-3.so.0",
    "libepoxy.so.0",
    "libXi.so.6",
]


@pytest.mark.parametrize("dest", KEPT)
def test_kept(dest: str) -> None:
    assert bundle_filter.dropped_because(dest) is None


@pytest.mark.parametrize("dest", DROPPED)
def test_dropped(dest: str) -> None:
    assert bundle_filter.dropped_because(dest)


def test_what_the_build_requires_is_never_dropped() -> None:
    for platform in ("linux", "win32"):
        for pattern in bundle_filter.required_files(platform):
            example = pattern.replace("*", "x")
            assert bundle_filter.dropped_because(example) is None, pattern


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux wheel's layout")
def test_every_linux_pattern_still_names_a_file_of_the_installed_pyside6() -> None:
    """A renamed plugin in a new PySide6 would slip through the filter unnoticed."""
    pyside = pytest.importorskip("PySide6")
    site = Path(pyside.__file__).resolve().parent.parent
    paths = [p.relative_to(site).as_posix() for p in (site / "PySide6").rglob("*") if p.is_file()]
    windows_only = {"PySide6/*plugins/platforms/*qdirect2d.*"}
    stale = [
        pattern
        for pattern in bundle_filter.DROPPED_FILES
        if pattern not in windows_only
        and not fnmatch.filter(paths, pattern)
        and not fnmatch.filter([Path(p).name for p in paths], pattern)
    ]
    assert not stale, stale
