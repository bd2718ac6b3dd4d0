"""Alembic environment for the local store: always run with a connection handed in."""

from alembic import context

from desktop.store.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the app runs these migrations
    raise RuntimeError("desktop migrations run through desktop.store.database.migrate()")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
)
with context.begin_transaction():
    context.run_migrations()
