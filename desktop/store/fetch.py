"""Reading a large result without holding up the window.

SQLAlchemy makes its Row objects for a whole result in one loop of compiled code that keeps
Python's interpreter lock: about 35 ms for the 50,000 grouped rows of a commune's coverage,
during which the GUI thread cannot run a line of Python (issue 16 measured 64-80 ms stalls of
the window while an export read them). The driver's own cursor, read a thousand rows at a
time, lets go of the lock between rows and between chunks.
"""

from __future__ import annotations

from sqlalchemy import CursorResult

CHUNK = 1000


def plain_rows(result: CursorResult, chunk: int = CHUNK) -> list[tuple]:
    """Every row of a plain SQL result (``text()``, no column types), as the driver's tuples."""
    cursor = result.cursor
    rows: list[tuple] = []
    try:
        while True:
            part = cursor.fetchmany(chunk)
            if not part:
                return rows
            rows.extend(part)
    finally:
        result.close()
