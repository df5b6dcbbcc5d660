"""The migrations build exactly the schema the models describe, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from models.migrate import current_revision, schema_drift, upgrade


async def test_migrated_schema_matches_the_models(engine: AsyncEngine) -> None:
    assert await current_revision(engine) is not None
    assert await schema_drift(engine) == []


async def test_upgrade_is_idempotent(engine: AsyncEngine) -> None:
    before = await current_revision(engine)
    await upgrade(engine)
    assert await current_revision(engine) == before


async def test_ids_are_never_reused_after_a_delete(engine: AsyncEngine) -> None:
    """Ids travel in buttons and in-flight sends: a deleted row's id must not come back."""
    from sqlalchemy import delete

    from models import AuditEvent, create_session_factory

    factory = create_session_factory(engine)
    now = datetime(2026, 3, 2, tzinfo=UTC)
    async with factory.begin() as session:
        first = AuditEvent(at=now, actor="test", action="a", detail={})
        session.add(first)
    async with factory.begin() as session:
        await session.execute(delete(AuditEvent))
    async with factory.begin() as session:
        second = AuditEvent(at=now, actor="test", action="b", detail={})
        session.add(second)
    assert second.id > first.id
