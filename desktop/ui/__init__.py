"""The volunteer's window (PySide6). The only package that imports Qt.

PySide6 6.12's wheels (built for the stable ABI of Python 3.12+, where ``None`` is immortal)
drop a reference to ``None`` on every call of a void method when run on Python 3.11: after a
few thousand calls (``processEvents``, ``setText``...) the interpreter aborts with
"none_dealloc". Until the wheels are fixed, ``None`` is given a reference count no app run can
exhaust (it is never freed anyway). Measured: 1 reference per void call.
"""

import sys

if sys.version_info < (3, 12):  # pragma: no branch
    import ctypes

    _refcount = ctypes.c_ssize_t.from_address(id(None))
    if _refcount.value < 1 << 40:
        _refcount.value += 1 << 40
