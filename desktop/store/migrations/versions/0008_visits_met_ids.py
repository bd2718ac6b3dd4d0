"""Visits record who was met: ``met_ids``, the household's persons met (SYNC.md's visits).

"Who was met" lived in the visit's note as text, which no list could read. Earlier visits get
an empty list, as the protocol says for visits made before the field existed.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN (no batch copy): visits has no foreign keys to keep.
    op.add_column("visits", sa.Column("met_ids", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.drop_column("met_ids")
