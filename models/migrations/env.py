"""Alembic environment: always runs on a connection handed over by models.migrate."""

from alembic import context

from models import tables  # noqa: F401  (registers the tables on Base.metadata)
from models.base import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `checkin-bot db upgrade`, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
