"""Alembic migrations, run programmatically on the application's own engine.

Alembic itself (about 90 ms to import, with Mako and both SQL dialects) is imported only when
there is something to do: at start-up :func:`upgrade` first compares the database's revision with
:func:`head_revision`, read from the migration files' own ``revision`` / ``down_revision`` lines
(``tests/services/test_migrations.py`` checks it against Alembic's head).
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from .base import Base

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["current_revision", "head_revision", "make_revision", "schema_drift", "upgrade"]

_MIGRATIONS = Path(__file__).parent / "migrations"
_LOCK_ID = 80_421_337  # pg_advisory lock key: one migrator at a time across instances


def _config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _assigned(module: ast.Module, name: str) -> str | None:
    for node in module.body:
        if isinstance(node, ast.AnnAssign | ast.Assign):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                value = node.value
                return value.value if isinstance(value, ast.Constant) else None
    return None


@functools.cache
def head_revision() -> str:
    """The newest migration's revision id, read from the files without importing Alembic.

    Raises:
        RuntimeError: the migrations do not form one line (no head, or several).
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (_MIGRATIONS / "versions").glob("*.py"):
        module = ast.parse(path.read_text(encoding="utf-8"))
        revision = _assigned(module, "revision")
        if revision is None:
            continue
        revisions.add(revision)
        parent = _assigned(module, "down_revision")
        if parent is not None:
            parents.add(parent)
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have one head, found {sorted(heads)}")
    return heads.pop()


def _stored_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _upgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_ID})
    command.upgrade(_config(connection), revision)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (idempotent; safe with several instances starting)."""
    if revision == "head":
        async with engine.connect() as connection:
            if await connection.run_sync(_stored_revision) == head_revision():
                return  # the usual start: nothing to migrate, Alembic not even imported
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade, revision)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )


async def schema_drift(engine: AsyncEngine) -> list[Any]:
    """Differences between the migrated schema and the models (empty when they agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    def compare(sync: Connection) -> list[Any]:
        context = MigrationContext.configure(sync, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as connection:
        return await connection.run_sync(compare)


async def make_revision(engine: AsyncEngine, message: str) -> None:
    """Autogenerate a new migration file from the models (a developer command)."""
    from alembic import command

    async with engine.begin() as connection:
        await connection.run_sync(
            lambda sync: command.revision(_config(sync), message=message, autogenerate=True)
        )
