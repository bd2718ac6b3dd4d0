"""Setting up a new profile: the commune and hamlets a volunteer types before her first sync.

One transaction; no outbox entry (the server learns the profile's hamlets when it joins them,
desktop.sync.join, which maps the local ids onto the server's).
"""

from __future__ import annotations

from desktop.store.areas import create_offline_areas
from desktop.store.database import Store


def start_offline_profile(store: Store, commune: str, hamlets: list[str]) -> None:
    """The profile's own commune and hamlets (``LOCAL``, ``LOCAL-01``...), as typed."""
    with store.write() as conn:
        create_offline_areas(conn, commune, hamlets)
