"""Create or upgrade the schema (Alembic, run in-process) and manage the epoch."""

from __future__ import annotations

import uuid
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from server import tallies
from server.models import state_t

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision and make sure the state row exists (and,
    on the way to revision 0003, that the coverage tallies of stored rows are built)."""
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with engine.begin() as conn:
        if conn.execute(sa.select(state_t.c.id)).first() is None:
            conn.execute(sa.insert(state_t).values(id=1, epoch=str(uuid.uuid4()), version=0))
    tallies.ensure_built(engine)


def new_epoch(engine: Engine) -> str:
    """Give the database a new epoch: every device re-pushes and pulls from scratch.

    Run after restoring a backup: devices may hold changes the restored database lost.
    """
    epoch = str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(sa.update(state_t).where(state_t.c.id == 1).values(epoch=epoch))
    return epoch


_EPOCH = sa.select(state_t.c.epoch).where(state_t.c.id == 1)  # built once: every sync reads it


def epoch(conn: Connection) -> str:
    return conn.execute(_EPOCH).scalar_one()
