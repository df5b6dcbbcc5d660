"""The migrations build exactly the schema the models describe, on every backend."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from models.migrate import current_revision, schema_drift, upgrade


async def test_migrated_schema_matches_the_models(engine: AsyncEngine) -> None:
    assert await current_revision(engine) is not None
    assert await schema_drift(engine) == []


async def test_upgrade_is_idempotent(engine: AsyncEngine) -> None:
    before = await current_revision(engine)
    await upgrade(engine)
    assert await current_revision(engine) == before
