"""Before the window opens on Linux: the system libraries Qt's xcb plugin needs, and the one
``apt-get install`` line that adds the missing ones.

A fresh Debian or Ubuntu lacks a few of them (``libxcb-icccm4`` and ``libxcb-keysyms1`` among
others), and Qt then aborts with "Could not load the Qt platform plugin "xcb"", which tells a
volunteer nothing. ``make run`` runs ``python -m desktop.qt_libs`` first. No Qt is imported:
the plugin's file is found on disk and asked with ``ldd`` what it cannot find.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

# The shared objects of Qt's xcb platform, by the Debian/Ubuntu package that ships each.
PACKAGES = {
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


def xcb_plugin() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = list(
        Path(next(iter(spec.submodule_search_locations))).glob("Qt/plugins/platforms/libqxcb.so")
    )
    return found[0] if found else None


def missing_libraries(ldd_output: str) -> list[str]:
    """The shared objects ``ldd`` could not find, in its order, each once."""
    return list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


def install_line(missing: list[str]) -> str:
    """The one command that adds them (unknown names are said as they are)."""
    packages = sorted({PACKAGES.get(name, name) for name in missing})
    return "sudo apt-get install -y " + " ".join(packages)


def check() -> list[str]:
    """The libraries the xcb plugin lacks on this machine ([] elsewhere than Linux, or when
    nothing can tell)."""
    if not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        return []
    plugin = xcb_plugin()
    if plugin is None:
        return []
    try:
        result = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return []
    return missing_libraries(result.stdout)


def main() -> int:
    missing = check()
    if not missing:
        return 0
    print(
        "Gõ Cửa: máy này thiếu thư viện hệ thống mà Qt cần để mở cửa sổ "
        f"({', '.join(missing)}). Cài bằng lệnh:\n"
        "Gõ Cửa: this machine lacks system libraries Qt needs to open a window. Install them "
        "with:\n\n    " + install_line(missing) + "\n",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
