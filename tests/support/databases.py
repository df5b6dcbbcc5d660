"""Test databases: SQLite always, PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

from sqlalchemy import text

from models import Base, create_engine
from models.migrate import upgrade

__all__ = ["BACKENDS", "PG_URL", "fresh_postgres", "migrate", "sqlite_copy"]

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


async def migrate(url: str) -> None:
    """Apply the migrations to ``url``."""
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def sqlite_template(directory: Path) -> Path:
    """A migrated SQLite file that tests copy instead of migrating again."""
    path = directory / "template.sqlite"
    asyncio.run(migrate(f"sqlite+aiosqlite:///{path}"))
    return path


def sqlite_copy(template: Path, directory: Path) -> str:
    """A private copy of the migrated template; returns its URL."""
    path = directory / "test.sqlite"
    shutil.copyfile(template, path)
    return f"sqlite+aiosqlite:///{path}"


async def fresh_postgres() -> str:
    """Empty every table of the (already migrated) PostgreSQL test database."""
    engine = create_engine(PG_URL)
    try:
        names = ", ".join(table.name for table in Base.metadata.sorted_tables)
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()
    return PG_URL
