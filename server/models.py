"""The server's tables (SQLAlchemy 2 declarative models; queries use their Core tables).

Synced rows of every SYNC.md table live in one table, ``records``, keyed by ``(tbl, id)``:
the change feed is then one index scan in ``(version, tbl, id)`` order, and a row is stored
once, at its latest version, which is exactly what a pull sends. ``data`` is the row's wire
JSON (so a pull splices it into the answer without parsing), ``meta`` the per-field merge
bookkeeping of :mod:`server.merge`. Times are Unix seconds (floats) where the server compares
them and ISO 8601 UTC strings where it only shows them.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only auto-increments an INTEGER PRIMARY KEY.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class Base(DeclarativeBase):
    pass


class ServerState(Base):
    """One row: the database's epoch and the global version counter (locked by every push)."""

    __tablename__ = "server_state"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    epoch: Mapped[str] = mapped_column(sa.String(36))
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class Area(Base):
    __tablename__ = "areas"
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    name: Mapped[str] = mapped_column(sa.String(200))
    parent_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    # Hamlets merge and split (commune administration): null created_at means "always
    # existed"; a retired area stays, so reports of past periods can still name it.
    created_at: Mapped[float | None] = mapped_column(sa.Float)
    retired_at: Mapped[float | None] = mapped_column(sa.Float)
    merged_into: Mapped[str | None] = mapped_column(sa.String(64))


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(100), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(20))
    commune_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    province_id: Mapped[str | None] = mapped_column(sa.String(64))
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)


class UserHamlet(Base):
    __tablename__ = "user_hamlets"
    user_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    hamlet_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)


class Token(Base):
    __tablename__ = "tokens"
    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    device_name: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[float] = mapped_column(sa.Float)
    expires_at: Mapped[float] = mapped_column(sa.Float)
    revoked: Mapped[bool] = mapped_column(sa.Boolean, default=False)


class LoginFailure(Base):
    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(sa.String(100), index=True)
    at: Mapped[float] = mapped_column(sa.Float)


class Client(Base):
    """A registered device: its owner and the last mutation id applied from it."""

    __tablename__ = "clients"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    app_version: Mapped[str] = mapped_column(sa.String(50))
    created_at: Mapped[float] = mapped_column(sa.Float)
    last_mutation_id: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class Mutation(Base):
    """Each applied ``(client_id, mutation_id)`` with its payload hash and its result."""

    __tablename__ = "mutations"
    client_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    mutation_id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    payload_hash: Mapped[str] = mapped_column(sa.String(64))
    result: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[float] = mapped_column(sa.Float)


class Record(Base):
    __tablename__ = "records"
    tbl: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    # The area whose readers see the row: a hamlet, or a target's area.
    scope_area: Mapped[str] = mapped_column(sa.String(64))
    commune_id: Mapped[str] = mapped_column(sa.String(64))
    # The household a row belongs to (itself for households) and, for support items, the
    # subject: what a move of a household or a person carries along.
    household_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    subject_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    version: Mapped[int] = mapped_column(sa.BigInteger)
    deleted: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    data: Mapped[str] = mapped_column(sa.Text)
    meta: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[float] = mapped_column(sa.Float)

    __table_args__ = (
        sa.Index("ix_records_version", "version", "tbl", "id"),
        # Pull pages are read in (version, tbl, id) order within a scope: index that order.
        sa.Index("ix_records_scope_version", "scope_area", "version", "tbl", "id"),
        sa.Index("ix_records_commune_version", "commune_id", "version", "tbl", "id"),
        # Targets are a handful of rows among millions: the web view reads them by area.
        sa.Index(
            "ix_records_targets",
            "scope_area",
            postgresql_where=sa.text("tbl = 'targets'"),
            sqlite_where=sa.text("tbl = 'targets'"),
        ),
    )


class Eviction(Base):
    """A row left an area's scope at ``version`` (latest move only, per area and row)."""

    __tablename__ = "evictions"
    scope_area: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    tbl: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    row_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger)

    __table_args__ = (sa.Index("ix_evictions_scope_version", "scope_area", "version"),)


class Conflict(Base):
    __tablename__ = "conflicts"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    tbl: Mapped[str] = mapped_column(sa.String(20))
    row_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    field: Mapped[str] = mapped_column(sa.String(40))
    winning_value: Mapped[str] = mapped_column(sa.Text)  # JSON
    losing_value: Mapped[str] = mapped_column(sa.Text)  # JSON
    winner_user: Mapped[str | None] = mapped_column(sa.String(64))
    loser_user: Mapped[str | None] = mapped_column(sa.String(64))
    winner: Mapped[str] = mapped_column(sa.String(10))  # "client" | "server"
    created_at: Mapped[str] = mapped_column(sa.String(40))
    status: Mapped[str] = mapped_column(sa.String(10), default="open")
    commune_id: Mapped[str] = mapped_column(sa.String(64))
    resolved_value: Mapped[str | None] = mapped_column(sa.Text)  # JSON
    resolved_by: Mapped[str | None] = mapped_column(sa.String(64))
    resolved_at: Mapped[str | None] = mapped_column(sa.String(40))

    __table_args__ = (sa.Index("ix_conflicts_commune_status", "commune_id", "status"),)


class History(Base):
    """The audit trail: every change with who, which device, when, before and after."""

    __tablename__ = "history"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tbl: Mapped[str] = mapped_column(sa.String(20))
    row_id: Mapped[str] = mapped_column(sa.String(36))
    version: Mapped[int] = mapped_column(sa.BigInteger)
    op: Mapped[str] = mapped_column(sa.String(20))
    user_id: Mapped[str | None] = mapped_column(sa.String(64))
    client_id: Mapped[str | None] = mapped_column(sa.String(36))
    mutation_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    at: Mapped[str] = mapped_column(sa.String(40))
    before: Mapped[str] = mapped_column(sa.Text)  # JSON of the changed fields' old values
    after: Mapped[str] = mapped_column(sa.Text)

    __table_args__ = (sa.Index("ix_history_row", "tbl", "row_id", "version"),)


class AdminAudit(Base):
    """What a commune's administrators changed (hamlets, users): who, what, before, after.

    ``user_id`` is null for the command line. ``before`` and ``after`` are JSON and never hold
    a password or a password hash."""

    __tablename__ = "admin_audit"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(sa.String(40))
    user_id: Mapped[str | None] = mapped_column(sa.String(64))
    action: Mapped[str] = mapped_column(sa.String(40))
    commune_id: Mapped[str] = mapped_column(sa.String(64))
    target: Mapped[str] = mapped_column(sa.String(64))
    before: Mapped[str] = mapped_column(sa.Text)
    after: Mapped[str] = mapped_column(sa.Text)

    __table_args__ = (sa.Index("ix_admin_audit_commune", "commune_id", "id"),)


class Tally(Base):
    """Coverage of one hamlet and indicator, by the first year each person counts in
    (:mod:`server.tallies`): kept exact inside every write transaction, so a ranking reads
    these rows, never the persons. ``eligible``/``covered`` add up over ``since <= year``."""

    __tablename__ = "tallies"
    hamlet_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    indicator: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    since: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    commune_id: Mapped[str] = mapped_column(sa.String(64))
    eligible: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    covered: Mapped[int] = mapped_column(sa.BigInteger, default=0)

    # A year's figures of some communes: the rows with since <= year, not the later classes.
    __table_args__ = (sa.Index("ix_tallies_commune_since", "commune_id", "since"),)


class SnapshotDay(Base):
    """A day whose tallies were kept (:mod:`server.snapshots`): one row per day, written by the
    first web request of the day or by ``gocua-server snapshot``."""

    __tablename__ = "snapshot_days"
    day: Mapped[str] = mapped_column(sa.String(10), primary_key=True)  # YYYY-MM-DD, Vietnam
    year: Mapped[int] = mapped_column(sa.Integer)  # the year whose ages the figures use
    taken_at: Mapped[float] = mapped_column(sa.Float)


class TallySnapshot(Base):
    """One area's figures on one day: ``data`` is JSON ``{indicator: [eligible, covered]}``."""

    __tablename__ = "tally_snapshots"
    day: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    area_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    data: Mapped[str] = mapped_column(sa.Text)

    __table_args__ = (sa.Index("ix_tally_snapshots_area", "area_id", "day"),)


class WebSession(Base):
    """A signed-in browser of the web view: the cookie holds the token, this its hash."""

    __tablename__ = "web_sessions"
    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    csrf: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[float] = mapped_column(sa.Float)
    expires_at: Mapped[float] = mapped_column(sa.Float)


state_t = ServerState.__table__
areas_t = Area.__table__
users_t = User.__table__
user_hamlets_t = UserHamlet.__table__
tokens_t = Token.__table__
login_failures_t = LoginFailure.__table__
clients_t = Client.__table__
mutations_t = Mutation.__table__
records_t = Record.__table__
evictions_t = Eviction.__table__
conflicts_t = Conflict.__table__
history_t = History.__table__
admin_audit_t = AdminAudit.__table__
tallies_t = Tally.__table__
snapshot_days_t = SnapshotDay.__table__
tally_snapshots_t = TallySnapshot.__table__
web_sessions_t = WebSession.__table__
