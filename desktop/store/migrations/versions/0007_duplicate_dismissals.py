"""Remember the pairs a leader said are not duplicates ("Không phải trùng").

The device lists likely duplicate households and persons after a pull (desktop.store.duplicates).
A pair the leader dismissed must not come back on every refresh; the decision is this
profile's own (not a synced row: another leader's laptop still lists the pair until they
dismiss it too). One row per pair, the two ids in sorted order.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duplicate_dismissals",
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("first_id", sa.String(36), nullable=False),
        sa.Column("second_id", sa.String(36), nullable=False),
        sa.Column("dismissed_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("kind", "first_id", "second_id"),
    )


def downgrade() -> None:
    op.drop_table("duplicate_dismissals")
