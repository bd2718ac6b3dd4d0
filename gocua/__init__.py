"""Gõ Cửa core: catalogue, validation, states, coverage arithmetic, HLC and ids.

Pure Python: no Qt, no HTTP, no database sessions. The desktop app and the server both
stand on this package, so both compute the same ids, ranks and coverage.
"""

__version__ = "0.1.0"
PROTOCOL_VERSION = 1
