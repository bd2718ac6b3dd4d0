"""The first schema: areas, users, the synced tables with their bookkeeping, outbox, state.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen DDL: later model changes are new revisions, never edits of this one.
DDL = """
CREATE TABLE areas (
    id VARCHAR(64) NOT NULL,
    kind VARCHAR(16) NOT NULL,
    name VARCHAR(200) NOT NULL,
    parent_id VARCHAR(64),
    PRIMARY KEY (id)
);
CREATE TABLE outbox (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    hlc VARCHAR(40) NOT NULL,
    table_name VARCHAR(32) NOT NULL,
    row_id VARCHAR(36) NOT NULL,
    op VARCHAR(8) NOT NULL,
    base_version INTEGER NOT NULL,
    fields JSON NOT NULL,
    created_at VARCHAR(40) NOT NULL,
    state VARCHAR(16) NOT NULL,
    result_status VARCHAR(16),
    result_code VARCHAR(40),
    result_message TEXT,
    acked_at VARCHAR(40)
);
CREATE INDEX ix_outbox_row ON outbox (row_id, state);
CREATE INDEX ix_outbox_state ON outbox (state, id);
CREATE TABLE persons (
    seq INTEGER NOT NULL,
    id VARCHAR(36) NOT NULL,
    household_id VARCHAR(36) NOT NULL,
    full_name VARCHAR(100) NOT NULL,
    birth_date VARCHAR(10),
    birth_year INTEGER,
    sex VARCHAR(1),
    cccd VARCHAR(12),
    phone VARCHAR(16),
    relation VARCHAR(16),
    has_smartphone BOOLEAN,
    status VARCHAR(16) NOT NULL,
    note TEXT NOT NULL,
    area_id VARCHAR(64),
    counted BOOLEAN DEFAULT '0' NOT NULL,
    version INTEGER DEFAULT '0' NOT NULL,
    deleted BOOLEAN DEFAULT '0' NOT NULL,
    updated_hlc VARCHAR(40),
    PRIMARY KEY (seq),
    UNIQUE (id)
);
CREATE INDEX ix_persons_cccd ON persons (cccd);
CREATE INDEX ix_persons_coverage ON persons (counted, area_id, birth_year, has_smartphone);
CREATE INDEX ix_persons_household ON persons (household_id);
CREATE TABLE pull_marks (
    table_name VARCHAR(32) NOT NULL,
    row_id VARCHAR(36) NOT NULL,
    PRIMARY KEY (table_name, row_id)
);
CREATE TABLE support_items (
    id VARCHAR(36) NOT NULL,
    subject_type VARCHAR(16) NOT NULL,
    subject_id VARCHAR(36) NOT NULL,
    item_code VARCHAR(40) NOT NULL,
    state VARCHAR(16) NOT NULL,
    reason VARCHAR(40),
    note TEXT NOT NULL,
    state_since VARCHAR(10),
    area_id VARCHAR(64),
    birth_year INTEGER,
    has_smartphone BOOLEAN,
    counted BOOLEAN DEFAULT '0' NOT NULL,
    version INTEGER DEFAULT '0' NOT NULL,
    deleted BOOLEAN DEFAULT '0' NOT NULL,
    updated_hlc VARCHAR(40),
    PRIMARY KEY (id)
);
CREATE INDEX ix_support_items_coverage ON support_items (counted, state, item_code, area_id, birth_year, has_smartphone);
CREATE INDEX ix_support_items_state ON support_items (state, state_since);
CREATE INDEX ix_support_items_subject ON support_items (subject_id, item_code);
CREATE TABLE sync_state (
    "key" VARCHAR(64) NOT NULL,
    value TEXT,
    PRIMARY KEY ("key")
);
CREATE TABLE targets (
    id VARCHAR(36) NOT NULL,
    area_id VARCHAR(64) NOT NULL,
    indicator_code VARCHAR(40) NOT NULL,
    period VARCHAR(7) NOT NULL,
    percent FLOAT NOT NULL,
    version INTEGER DEFAULT '0' NOT NULL,
    deleted BOOLEAN DEFAULT '0' NOT NULL,
    updated_hlc VARCHAR(40),
    PRIMARY KEY (id)
);
CREATE INDEX ix_targets_area_period ON targets (area_id, period);
CREATE TABLE users (
    id VARCHAR(64) NOT NULL,
    display_name VARCHAR(200) NOT NULL,
    role VARCHAR(32) NOT NULL,
    PRIMARY KEY (id)
);
CREATE TABLE visits (
    id VARCHAR(36) NOT NULL,
    household_id VARCHAR(36) NOT NULL,
    visited_at VARCHAR(40) NOT NULL,
    volunteer_id VARCHAR(64) NOT NULL,
    outcome VARCHAR(16) NOT NULL,
    note TEXT NOT NULL,
    follow_up_on VARCHAR(10),
    items JSON NOT NULL,
    version INTEGER DEFAULT '0' NOT NULL,
    deleted BOOLEAN DEFAULT '0' NOT NULL,
    updated_hlc VARCHAR(40),
    PRIMARY KEY (id)
);
CREATE INDEX ix_visits_follow_up ON visits (follow_up_on);
CREATE INDEX ix_visits_household ON visits (household_id, visited_at);
CREATE TABLE households (
    id VARCHAR(36) NOT NULL,
    hamlet_id VARCHAR(64) NOT NULL,
    address VARCHAR(200) NOT NULL,
    phone VARCHAR(16),
    note TEXT NOT NULL,
    status VARCHAR(16) NOT NULL,
    version INTEGER DEFAULT '0' NOT NULL,
    deleted BOOLEAN DEFAULT '0' NOT NULL,
    updated_hlc VARCHAR(40),
    PRIMARY KEY (id),
    FOREIGN KEY(hamlet_id) REFERENCES areas (id)
);
CREATE INDEX ix_households_hamlet ON households (hamlet_id, address);
"""


def upgrade() -> None:
    for statement in DDL.split(";"):
        if statement.strip():
            op.execute(statement)


def downgrade() -> None:
    for table in (
        "pull_marks",
        "sync_state",
        "outbox",
        "targets",
        "visits",
        "support_items",
        "persons",
        "households",
        "users",
        "areas",
    ):
        op.execute(f"DROP TABLE IF EXISTS {table}")
