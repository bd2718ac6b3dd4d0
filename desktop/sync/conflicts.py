"""The leader's conflicts on the server, through the profile's session (its address, token
and client, as every request of the app), not a client of the window's own.

The labels the panel shows beside them (the record's name, the users' names) are read from the
store by :mod:`desktop.store.row_labels`.
"""

from __future__ import annotations

from desktop.store import row_labels
from desktop.sync.session import SyncSession

DELETED = "_deleted"


def open_conflicts(session: SyncSession) -> list[dict]:
    """The server's open conflicts, each with ``label``, ``winner_name`` and ``loser_name``."""
    client = session._client()  # Unauthorized when not signed in
    try:
        conflicts = client.conflicts("open")
    finally:
        client.close()
    keys = [(c["table"], c["row_id"]) for c in conflicts]
    labels, names = session.store.query(row_labels.labels_and_names, keys)
    for c in conflicts:
        c["label"] = labels[(c["table"], c["row_id"])]
        if c["field"] == DELETED and isinstance(c.get("losing_value"), dict):
            edited = c["losing_value"]
            c["label"] = str(edited.get("full_name") or edited.get("address") or c["label"])
        c["winner_name"] = names.get(c.get("winner_user") or "", c.get("winner_user") or "")
        c["loser_name"] = names.get(c.get("loser_user") or "", c.get("loser_user") or "")
    return conflicts


def resolve(session: SyncSession, conflict_id: str, body: dict) -> dict:
    """Send the leader's decision; the server settles the row (a sync brings it back)."""
    client = session._client()
    try:
        return client.resolve_conflict(conflict_id, body)
    finally:
        client.close()
