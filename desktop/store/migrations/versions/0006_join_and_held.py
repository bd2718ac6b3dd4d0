"""Offline profiles join the server's commune; fixable rejections are held, not final.

Areas gain ``local`` (typed in a profile made offline, not yet on the server), ``retired`` and
``merged_into`` (the server merged or split the hamlet). Mutations the server refused for a
cause the device can fix (``forbidden_scope``, ``unknown_reference``, ``unknown_area``) were
final before this revision ("sẽ không gửi lại"): they become ``held``, so their rows are sent
again once the cause is gone. A profile that has synced remembers its server commune.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

FIXABLE = ("forbidden_scope", "unknown_reference", "unknown_area")


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN: a batch copy of ``areas`` would trip the households'
    # foreign key on the copy's DROP.
    op.add_column("areas", sa.Column("local", sa.Boolean(), nullable=False, server_default="0"))
    op.add_column("areas", sa.Column("retired", sa.Boolean(), nullable=False, server_default="0"))
    op.add_column("areas", sa.Column("merged_into", sa.String(64), nullable=True))
    op.execute("UPDATE areas SET local = 1 WHERE id = 'LOCAL' OR id LIKE 'LOCAL-%'")
    codes = ", ".join(f"'{code}'" for code in FIXABLE)
    op.execute(
        f"UPDATE outbox SET state = 'held' WHERE state = 'rejected' AND result_code IN ({codes})"
    )
    # A profile that has talked to a server holds that server's commune (and, if it was made
    # offline, its own typed one beside it: the join that follows merges the two).
    op.execute(
        "INSERT OR IGNORE INTO sync_state (key, value) "
        "SELECT 'commune_id', (SELECT id FROM areas WHERE kind = 'commune' AND local = 0) "
        "WHERE EXISTS (SELECT 1 FROM sync_state WHERE key = 'client_id' AND value IS NOT NULL) "
        "AND (SELECT count(*) FROM areas WHERE kind = 'commune' AND local = 0) = 1"
    )


def downgrade() -> None:
    op.execute("UPDATE outbox SET state = 'rejected' WHERE state IN ('held', 'resent')")
    op.execute("DELETE FROM sync_state WHERE key = 'commune_id'")
    with op.batch_alter_table("areas") as batch:
        batch.drop_column("merged_into")
        batch.drop_column("retired")
        batch.drop_column("local")
