"""The volunteer's window (PySide6). The only package that imports Qt.

PySide6 6.12's wheels (tagged cp310-abi3, but built assuming the immortal ``None``, ``True``
and ``False`` of Python 3.12+) drop references to those singletons when run on Python 3.11:
one reference from ``None`` per call of a void method (``processEvents``, ``setText``...) and
one from ``True``/``False`` per ``Signal.emit()`` made from Python. After a few thousand calls
the interpreter aborts with "none_dealloc" / "bool_dealloc". Until the wheels are fixed, the
three singletons get a reference count no run can exhaust (they are never freed anyway).
Done here, on the package's import, so the app, the tests and every window get it.
"""

import sys

if sys.version_info < (3, 12):  # pragma: no branch
    import ctypes

    for _singleton in (None, True, False):
        _refcount = ctypes.c_ssize_t.from_address(id(_singleton))
        if _refcount.value < 1 << 40:
            _refcount.value += 1 << 40
