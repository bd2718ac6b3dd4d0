"""The desktop's local store: SQLite through SQLAlchemy 2, Alembic migrations, the outbox."""

from desktop.store.database import DatabaseTooNew, NotADatabase, Store, StoreError

__all__ = ["DatabaseTooNew", "NotADatabase", "Store", "StoreError"]
