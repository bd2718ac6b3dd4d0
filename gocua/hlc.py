"""Hybrid logical clock stamps of SYNC.md: ``f"{millis:013d}-{counter:04x}-{node}"``.

Strings compare in time order (fixed widths). A local event takes ``max(wall, last)`` and
bumps the counter when the millisecond did not advance; past ``ffff`` it moves to the next
millisecond. Receiving a stamp takes the max of wall clock, last and the received stamp.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

SERVER_NODE = "000000000000"
MAX_COUNTER = 0xFFFF
MAX_SKEW_MS = 5 * 60 * 1000
_PATTERN = re.compile(r"^(\d{13})-([0-9a-f]{4})-([0-9a-f]{12})$")


@dataclass(frozen=True, order=True)
class Stamp:
    millis: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.millis:013d}-{self.counter:04x}-{self.node}"


def parse(text: str) -> Stamp:
    match = _PATTERN.match(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"not an HLC stamp: {text!r}")
    return Stamp(int(match.group(1)), int(match.group(2), 16), match.group(3))


def millis_of(text: str) -> int:
    """The wall-clock part of a stamp already checked by :func:`is_valid`."""
    return int(text[:13])


def is_valid(text: object) -> bool:
    return isinstance(text, str) and _PATTERN.match(text) is not None


def node_for_client(client_id: str | None) -> str:
    """First 12 hex digits of the client id without dashes; the server's node is zeros."""
    if not client_id:
        return SERVER_NODE
    node = client_id.replace("-", "").lower()[:12]
    if not re.fullmatch(r"[0-9a-f]{12}", node):
        raise ValueError(f"client id {client_id!r} gives no HLC node")
    return node


def _wall_millis() -> int:
    return time.time_ns() // 1_000_000


class Clock:
    """A thread-safe HLC. ``last`` may be restored from storage so time never runs back."""

    def __init__(
        self,
        node: str = SERVER_NODE,
        last: str | None = None,
        wall: Callable[[], int] = _wall_millis,
    ):
        self.node = node
        self._wall = wall
        self._millis, self._counter = 0, 0
        self._lock = threading.Lock()
        if last:
            stamp = parse(last)
            self._millis, self._counter = stamp.millis, stamp.counter

    @property
    def last(self) -> str:
        return str(Stamp(self._millis, self._counter, self.node))

    def _advance(self, millis: int, counter: int) -> str:
        if counter > MAX_COUNTER:
            millis, counter = millis + 1, 0
        self._millis, self._counter = millis, counter
        return str(Stamp(millis, counter, self.node))

    def now(self) -> str:
        """A stamp for a local event, later than every stamp this clock gave or saw."""
        with self._lock:
            wall = self._wall()
            if wall > self._millis:
                return self._advance(wall, 0)
            return self._advance(self._millis, self._counter + 1)

    def observe(self, remote: str) -> str:
        """Merge a received stamp; returns the new local stamp."""
        stamp = parse(remote)
        with self._lock:
            wall = self._wall()
            top = max(wall, self._millis, stamp.millis)
            if top == self._millis == stamp.millis:
                counter = max(self._counter, stamp.counter) + 1
            elif top == self._millis:
                counter = self._counter + 1
            elif top == stamp.millis:
                counter = stamp.counter + 1
            else:
                counter = 0
            return self._advance(top, counter)

    def skew_limit(self) -> int:
        """The latest wall time (milliseconds) a received stamp may have: 5 minutes ahead."""
        return self._wall() + MAX_SKEW_MS
