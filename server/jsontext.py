"""JSON text as the server stores and sends it: compact, UTF-8 as it is."""

from __future__ import annotations

import json
from typing import Any

import orjson


def dumps(value: Any) -> str:
    """orjson: a push encodes a few hundred values, and the standard library's encoder was a
    tenth of its time. Integers past 64 bits (which orjson refuses) take the slow road."""
    try:
        return orjson.dumps(value).decode()
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
