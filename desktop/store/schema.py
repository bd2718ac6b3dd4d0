"""The local store's tables (SQLAlchemy 2 declarative models).

Synced tables carry the sync bookkeeping of SYNC.md: ``version`` (the server's global version
of the row as this device last saw it; 0 for a row made here and not yet pulled back),
``deleted`` (a local tombstone waiting to be pushed), and ``updated_hlc`` (the HLC of the last
local write). Which fields are still unsent is read from the outbox, the one source of truth.

References between synced rows (a person's household, a visit's household) are not foreign
keys: pull pages arrive in version order, so a person can arrive a page before the household
it belongs to. The server keeps those references whole; areas are local reference data from
``hello`` and households do reference them.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class SyncedRow:
    """Columns every synced table has besides its wire fields."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    deleted: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default="0"
    )
    updated_hlc: Mapped[str | None] = mapped_column(String(40))


class Area(Base):
    """Areas from ``hello``, and those a profile made offline typed itself (``local``: not on
    the server until the profile joins its commune, see desktop.sync.join). A retired hamlet
    (merged or split on the server) stays for the names in past reports."""

    __tablename__ = "areas"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    parent_id: Mapped[str | None] = mapped_column(String(64))
    local: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default="0")
    retired: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default="0"
    )
    merged_into: Mapped[str | None] = mapped_column(String(64))


class User(Base):
    """The users of the commune, as ``hello`` lists them (for names in visit histories)."""

    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(32), nullable=False)


class Household(SyncedRow, Base):
    __tablename__ = "households"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    hamlet_id: Mapped[str] = mapped_column(ForeignKey("areas.id"), nullable=False)
    address: Mapped[str] = mapped_column(String(200), nullable=False)
    phone: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="active")
    __table_args__ = (Index("ix_households_hamlet", "hamlet_id", "address"),)


class Person(SyncedRow, Base):
    __tablename__ = "persons"
    # An integer key gives the full-text index a stable rowid (a TEXT primary key's implicit
    # rowid may be renumbered by VACUUM).
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), nullable=False, unique=True)
    household_id: Mapped[str] = mapped_column(String(36), nullable=False)
    full_name: Mapped[str] = mapped_column(String(100), nullable=False)
    birth_date: Mapped[str | None] = mapped_column(String(10))
    # Derived from birth_date on every write: coverage counts ages by year.
    birth_year: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[str | None] = mapped_column(String(1))
    cccd: Mapped[str | None] = mapped_column(String(12))
    phone: Mapped[str | None] = mapped_column(String(16))
    relation: Mapped[str | None] = mapped_column(String(16))
    has_smartphone: Mapped[bool | None] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="present")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Coverage facts, kept by triggers (migration 0002) from the household: its hamlet, and
    # whether the person counts at all (present or away, in a live active household).
    area_id: Mapped[str | None] = mapped_column(String(64))
    counted: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default="0"
    )
    __table_args__ = (
        Index("ix_persons_household", "household_id"),
        Index("ix_persons_cccd", "cccd"),
        Index("ix_persons_coverage", "counted", "area_id", "birth_year", "has_smartphone"),
    )


class SupportItem(SyncedRow, Base):
    __tablename__ = "support_items"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(16), nullable=False)
    subject_id: Mapped[str] = mapped_column(String(36), nullable=False)
    item_code: Mapped[str] = mapped_column(String(40), nullable=False)
    state: Mapped[str] = mapped_column(String(16), nullable=False)
    reason: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Local: the day the state last changed, for "pending for more than N days".
    state_since: Mapped[str | None] = mapped_column(String(10))
    # Coverage facts of the subject, kept by triggers (migration 0002), so coverage is one
    # scan of an index instead of a join per item.
    area_id: Mapped[str | None] = mapped_column(String(64))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    has_smartphone: Mapped[bool | None] = mapped_column(Boolean)
    counted: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default="0"
    )
    __table_args__ = (
        Index("ix_support_items_subject", "subject_id", "item_code"),
        Index("ix_support_items_state", "state", "state_since"),
        Index(
            "ix_support_items_coverage",
            "counted",
            "state",
            "item_code",
            "area_id",
            "birth_year",
            "has_smartphone",
        ),
    )


class Visit(SyncedRow, Base):
    __tablename__ = "visits"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    household_id: Mapped[str] = mapped_column(String(36), nullable=False)
    visited_at: Mapped[str] = mapped_column(String(40), nullable=False)
    volunteer_id: Mapped[str] = mapped_column(String(64), nullable=False)
    outcome: Mapped[str] = mapped_column(String(16), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    follow_up_on: Mapped[str | None] = mapped_column(String(10))
    items: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    # The household's persons met in the visit (migration 0008; [] for earlier visits).
    met_ids: Mapped[list] = mapped_column(JSON, nullable=False, default=list, server_default="[]")
    __table_args__ = (
        Index("ix_visits_household", "household_id", "visited_at"),
        Index("ix_visits_follow_up", "follow_up_on"),
        Index("ix_visits_volunteer", "volunteer_id", "visited_at"),  # migration 0004
    )


class Target(SyncedRow, Base):
    __tablename__ = "targets"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    area_id: Mapped[str] = mapped_column(String(64), nullable=False)
    indicator_code: Mapped[str] = mapped_column(String(40), nullable=False)
    period: Mapped[str] = mapped_column(String(7), nullable=False)
    percent: Mapped[float] = mapped_column(Float, nullable=False)
    __table_args__ = (Index("ix_targets_area_period", "area_id", "period"),)


class OutboxMutation(Base):
    """One numbered mutation of SYNC.md, written in the same transaction as the domain row.

    ``state``: ``pending`` (not yet acknowledged), ``acked`` (the server answered; kept for 30
    days so a new server epoch can be re-pushed), ``rejected`` (refused for a value the user
    must edit), ``held`` (refused for a cause the device can fix: the row is kept and sent
    again as a new mutation once the cause is gone, desktop.sync.held), ``resent`` (a held
    mutation whose row went again in a newer one; kept like ``acked``).
    """

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hlc: Mapped[str] = mapped_column(String(40), nullable=False)
    table_name: Mapped[str] = mapped_column(String(32), nullable=False)
    row_id: Mapped[str] = mapped_column(String(36), nullable=False)
    op: Mapped[str] = mapped_column(String(8), nullable=False)
    base_version: Mapped[int] = mapped_column(Integer, nullable=False)
    fields: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    created_at: Mapped[str] = mapped_column(String(40), nullable=False)
    state: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    result_status: Mapped[str | None] = mapped_column(String(16))
    result_code: Mapped[str | None] = mapped_column(String(40))
    result_message: Mapped[str | None] = mapped_column(Text)
    acked_at: Mapped[str | None] = mapped_column(String(40))
    __table_args__ = (
        Index("ix_outbox_state", "state", "id"),
        Index("ix_outbox_row", "row_id", "state"),
        Index("ix_outbox_acked", "state", "acked_at"),  # migration 0005
        # Mutation ids must never be reused, even after old acknowledged rows are purged.
        {"sqlite_autoincrement": True},
    )


class SyncState(Base):
    """Key/value bookkeeping: client id, epoch, cursor, last HLC, signed-in user, ..."""

    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)


class PullMark(Base):
    """Rows seen by a full pull (from a null cursor) that is still under way.

    A full pull sends no tombstones, so a synced row it did not send was deleted or left the
    scope; when the last page is saved, synced rows without a mark (and without unsent
    changes) are dropped. Kept in a table so an interrupted full pull resumes correctly.
    """

    __tablename__ = "pull_marks"
    table_name: Mapped[str] = mapped_column(String(32), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)


class DuplicateDismissal(Base):
    """A pair of households (``kind`` "household") or persons ("person") a leader said are not
    duplicates, kept on this device only (migration 0007). ``first_id`` < ``second_id``."""

    __tablename__ = "duplicate_dismissals"
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    first_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    second_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dismissed_at: Mapped[str] = mapped_column(String(40), nullable=False)


SYNCED_MODELS = {
    "households": Household,
    "persons": Person,
    "support_items": SupportItem,
    "visits": Visit,
    "targets": Target,
}
SYNCED_TABLES = {name: model.__table__ for name, model in SYNCED_MODELS.items()}
