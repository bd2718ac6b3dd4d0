"""coverage tallies, their daily snapshots and the web view's sessions

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-10 09:00:00

The tallies of rows already stored are built after the migrations run
(``server.schema.upgrade`` calls ``server.tallies.ensure_built``), with the code of the running
version, not here: a migration must not depend on how later code writes its tables.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tallies",
        sa.Column("hamlet_id", sa.String(length=64), nullable=False),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("since", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.String(length=64), nullable=False),
        sa.Column("eligible", sa.BigInteger(), nullable=False),
        sa.Column("covered", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("hamlet_id", "indicator", "since"),
    )
    with op.batch_alter_table("tallies", schema=None) as batch_op:
        batch_op.create_index("ix_tallies_commune_since", ["commune_id", "since"], unique=False)

    op.create_table(
        "snapshot_days",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "tally_snapshots",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("area_id", sa.String(length=64), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("day", "area_id"),
    )
    with op.batch_alter_table("tally_snapshots", schema=None) as batch_op:
        batch_op.create_index("ix_tally_snapshots_area", ["area_id", "day"], unique=False)

    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_sessions_user_id"), ["user_id"], unique=False)

    # Targets are a few rows among millions; the web view reads them by area. Not in batch
    # mode: SQLite creates an index in place, and records must never be copied for it.
    op.create_index(
        "ix_records_targets",
        "records",
        ["scope_area"],
        unique=False,
        postgresql_where=sa.text("tbl = 'targets'"),
        sqlite_where=sa.text("tbl = 'targets'"),
    )


def downgrade() -> None:
    op.drop_index("ix_records_targets", table_name="records")
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_sessions_user_id"))
    op.drop_table("web_sessions")
    with op.batch_alter_table("tally_snapshots", schema=None) as batch_op:
        batch_op.drop_index("ix_tally_snapshots_area")
    op.drop_table("tally_snapshots")
    op.drop_table("snapshot_days")
    with op.batch_alter_table("tallies", schema=None) as batch_op:
        batch_op.drop_index("ix_tallies_commune_since")
    op.drop_table("tallies")
