"""The volunteer's window (PySide6). The only package that imports Qt.

PySide6 is pinned to 6.11.3 in pyproject.toml: 6.12.0's wheels drop references to ``None``,
``True`` and ``False`` on Python 3.11 and the interpreter aborts after a few thousand calls
(issue 16). tests/desktop/ui/test_pyside_refcounts.py reproduces that, without any workaround,
on whatever release is installed.
"""
