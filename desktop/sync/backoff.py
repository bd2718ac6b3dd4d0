"""Retrying a sync after network errors and 5xx answers: exponential backoff with full jitter.

``Retry-After`` from the server wins when it is longer than the computed delay.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from desktop.sync import errors

T = TypeVar("T")


def delay_for(attempt: int, base: float = 1.0, cap: float = 300.0, rng=random) -> float:
    """Full jitter: uniform in [0, min(cap, base * 2**attempt)]."""
    return rng.uniform(0, min(cap, base * (2**attempt)))


def with_backoff(
    action: Callable[[], T],
    attempts: int = 5,
    base: float = 1.0,
    cap: float = 300.0,
    sleep: Callable[[float], None] = time.sleep,
    rng=random,
) -> T:
    """Run ``action``; on a retryable SyncError wait and try again, up to ``attempts`` times."""
    for attempt in range(attempts):
        try:
            return action()
        except errors.SyncError as exc:
            if not exc.retryable or attempt == attempts - 1:
                raise
            wait = delay_for(attempt, base, cap, rng)
            retry_after = getattr(exc, "retry_after", None)
            if retry_after:
                wait = max(wait, float(retry_after))
            sleep(wait)
    raise AssertionError("unreachable")
