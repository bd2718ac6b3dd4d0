"""commune administration: hamlets that are created, retired or merged, and the admin audit

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable, no default: existing areas "always existed" and are live.
    with op.batch_alter_table("areas", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_at", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("retired_at", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("merged_into", sa.String(length=64), nullable=True))

    op.create_table(
        "admin_audit",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("commune_id", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("admin_audit", schema=None) as batch_op:
        batch_op.create_index("ix_admin_audit_commune", ["commune_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("admin_audit", schema=None) as batch_op:
        batch_op.drop_index("ix_admin_audit_commune")
    op.drop_table("admin_audit")
    with op.batch_alter_table("areas", schema=None) as batch_op:
        batch_op.drop_column("merged_into")
        batch_op.drop_column("retired_at")
        batch_op.drop_column("created_at")
