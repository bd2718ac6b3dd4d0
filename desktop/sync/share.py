"""The link is the user's first: the app's own requests go before the background sync's.

On a phone's 3G a page of the sync takes about two seconds. A sign-in, a conflict resolution
or an administrator's change made meanwhile must not wait behind a whole pull. Each request
the app makes for the user runs inside :meth:`LinkShare.foreground` on a connection of its own
(every :class:`~desktop.sync.client.SyncClient` has its own); the sync's client is a
background one and calls :meth:`LinkShare.wait_turn` before each request, so it pauses between
pages while a request of the user is under way. The user's request waits at most for the one
page already on the line.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator


class LinkShare:
    def __init__(self) -> None:
        self._turn = threading.Condition()
        self._active = 0
        self.waited = 0.0  # seconds background requests spent waiting (for tests and logs)

    @contextlib.contextmanager
    def foreground(self) -> Iterator[None]:
        with self._turn:
            self._active += 1
        try:
            yield
        finally:
            with self._turn:
                self._active -= 1
                if not self._active:
                    self._turn.notify_all()

    @property
    def busy(self) -> bool:
        return self._active > 0

    def wait_turn(self, timeout: float) -> None:
        """Wait (at most ``timeout`` seconds) while a foreground request is under way."""
        with self._turn:
            if not self._active:
                return
            started = time.monotonic()
            self._turn.wait_for(lambda: not self._active, timeout)
            self.waited += time.monotonic() - started


# One per process: the app's requests and its sync share the one link the laptop has.
SHARE = LinkShare()
