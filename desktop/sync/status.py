"""What the status bar says about the sync: the outbox, the rows held or refused, the last sync,
the role, the hamlets not joined yet (:func:`read_counts`, one read)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from desktop.store.areas import local_hamlets
from desktop.store.identity import signed_in_role
from desktop.store.state_keys import LAST_SYNC_AT
from desktop.sync import held


@dataclass
class Counts:
    """What the status bar shows about the outbox and the last sync."""

    unsent: int = 0  # queued mutations
    rejected: int = 0  # rows refused for a value to edit
    last_sync_at: str | None = None
    role: str | None = None
    held: int = 0  # rows held back, sent again by themselves (desktop.sync.held)
    unmatched: int = 0  # the profile's own hamlets not joined to the server's yet

    @property
    def waiting(self) -> int:
        """Rows the server does not have and a sync alone will not send now."""
        return self.held + self.rejected


def read_counts(conn: Connection) -> Counts:
    """Unsent, held and refused changes, the last sync, the role, the unjoined hamlets."""
    totals = held.counts(conn)
    return Counts(
        totals.unsent,
        totals.rejected,
        LAST_SYNC_AT.get(conn),
        signed_in_role(conn),
        totals.held,
        len(local_hamlets(conn)),
    )
