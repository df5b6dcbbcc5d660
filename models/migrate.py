"""Alembic migrations, run programmatically on the application's own engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from .base import Base

__all__ = ["current_revision", "make_revision", "schema_drift", "upgrade"]

_MIGRATIONS = Path(__file__).parent / "migrations"
_LOCK_ID = 80_421_337  # pg_advisory lock key: one migrator at a time across instances


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_ID})
    command.upgrade(_config(connection), revision)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (idempotent; safe with several instances starting)."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade, revision)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )


async def schema_drift(engine: AsyncEngine) -> list[Any]:
    """Differences between the migrated schema and the models (empty when they agree)."""

    def compare(sync: Connection) -> list[Any]:
        context = MigrationContext.configure(sync, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as connection:
        return await connection.run_sync(compare)


async def make_revision(engine: AsyncEngine, message: str) -> None:
    """Autogenerate a new migration file from the models (a developer command)."""
    async with engine.begin() as connection:
        await connection.run_sync(
            lambda sync: command.revision(_config(sync), message=message, autogenerate=True)
        )
