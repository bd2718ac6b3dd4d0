"""Who is writing and with which clock: the profile's user id and its persisted HLC."""

from __future__ import annotations

import secrets
import uuid

from sqlalchemy import Connection

from desktop.store.rows import get_state, set_state
from gocua import hlc

USER_ID = "user_id"
LOCAL_USER_ID = "local_user_id"
CLIENT_ID = "client_id"
HLC_NODE = "hlc_node"
HLC_LAST = "hlc_last"
# Outbox id minus this is the wire mutation id (mutations purged before an epoch change are not
# numbered again: desktop.sync.engine).
MUTATION_OFFSET = "mutation_offset"
LEADER_ROLES = ("leader", "commune_admin")


def current_user_id(conn: Connection) -> str:
    """The signed-in user's id; before the first sign-in, a stable id local to this profile.

    The sync engine replaces the local id in unsent visits with the real one at sign-in.
    """
    if user := get_state(conn, USER_ID):
        return user
    local = get_state(conn, LOCAL_USER_ID)
    if not local:
        local = str(uuid.uuid4())
        set_state(conn, LOCAL_USER_ID, local)
    return local


def signed_in_role(conn: Connection) -> str | None:
    """The role of the signed-in user ("volunteer", "leader"...); None before a sign-in."""
    user_id = get_state(conn, USER_ID)
    if not user_id:
        return None
    return conn.exec_driver_sql("SELECT role FROM users WHERE id = ?", (user_id,)).scalar()


def clock_node(conn: Connection) -> str:
    """The HLC node: from the server-given client id, else a random one kept in the profile."""
    if client_id := get_state(conn, CLIENT_ID):
        return hlc.node_for_client(client_id)
    node = get_state(conn, HLC_NODE)
    if not node:
        node = secrets.token_hex(6)
        set_state(conn, HLC_NODE, node)
    return node


def load_clock(conn: Connection) -> hlc.Clock:
    return hlc.Clock(node=clock_node(conn), last=get_state(conn, HLC_LAST))


def save_clock(conn: Connection, clock: hlc.Clock) -> None:
    set_state(conn, HLC_LAST, clock.last)
