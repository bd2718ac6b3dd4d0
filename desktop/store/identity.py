"""Who is writing and with which clock: the profile's user id and its persisted HLC."""

from __future__ import annotations

import secrets
import uuid

from sqlalchemy import Connection

from desktop.store.state_keys import (
    CLIENT_ID,
    HLC_LAST,
    HLC_NODE,
    LOCAL_USER_ID,
    MUTATION_OFFSET,
    USER_ID,
)
from gocua import hlc

__all__ = ["CLIENT_ID", "HLC_LAST", "HLC_NODE", "LOCAL_USER_ID", "MUTATION_OFFSET", "USER_ID"]
LEADER_ROLES = ("leader", "commune_admin")


def current_user_id(conn: Connection) -> str:
    """The signed-in user's id; before the first sign-in, a stable id local to this profile.

    The sync engine replaces the local id in unsent visits with the real one at sign-in.
    """
    if user := USER_ID.get(conn):
        return user
    local = LOCAL_USER_ID.get(conn)
    if not local:
        local = str(uuid.uuid4())
        LOCAL_USER_ID.set(conn, local)
    return local


def signed_in_role(conn: Connection) -> str | None:
    """The role of the signed-in user ("volunteer", "leader"...); None before a sign-in."""
    user_id = USER_ID.get(conn)
    if not user_id:
        return None
    return conn.exec_driver_sql("SELECT role FROM users WHERE id = ?", (user_id,)).scalar()


def clock_node(conn: Connection) -> str:
    """The HLC node: from the server-given client id, else a random one kept in the profile."""
    if client_id := CLIENT_ID.get(conn):
        return hlc.node_for_client(client_id)
    node = HLC_NODE.get(conn)
    if not node:
        node = secrets.token_hex(6)
        HLC_NODE.set(conn, node)
    return node


def load_clock(conn: Connection) -> hlc.Clock:
    return hlc.Clock(node=clock_node(conn), last=HLC_LAST.get(conn))


def save_clock(conn: Connection, clock: hlc.Clock) -> None:
    HLC_LAST.set(conn, clock.last)
