"""``make run`` on a fresh Debian: the libraries Qt's xcb plugin lacks, and the apt-get line."""

from __future__ import annotations

import sys

import pytest

from desktop import qt_libs

LDD = """\
	linux-vdso.so.1 (0x00007ffc1d5f2000)
	libQt6XcbQpa.so.6 => /x/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f0a4c000000)
	libxcb-icccm.so.4 => not found
	libxcb-keysyms.so.1 => not found
	libxcb-cursor.so.0 => not found
	libxcb-icccm.so.4 => not found
	libxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f0a4bf00000)
	libmystery.so.9 => not found
"""


def test_missing_libraries_are_read_from_ldd_each_once():
    assert qt_libs.missing_libraries(LDD) == [
        "libxcb-icccm.so.4",
        "libxcb-keysyms.so.1",
        "libxcb-cursor.so.0",
        "libmystery.so.9",
    ]
    assert qt_libs.missing_libraries("\tlibc.so.6 => /lib/libc.so.6 (0x1)\n") == []


def test_one_install_line_names_the_debian_packages():
    line = qt_libs.install_line(qt_libs.missing_libraries(LDD))
    assert line == (
        "sudo apt-get install -y libmystery.so.9 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
def test_this_machine_has_what_the_plugin_needs_or_says_which(capsys):
    assert qt_libs.xcb_plugin() is not None  # PySide6 ships the plugin
    missing = qt_libs.check()
    code = qt_libs.main()
    err = capsys.readouterr().err
    assert code == (1 if missing else 0)
    if missing:
        assert "apt-get install -y" in err and all(
            qt_libs.PACKAGES.get(name, name) in err for name in missing
        )
