"""A long batch job lets a waiting transaction go between its batches (models.give_way_to_writers).

SQLite has one write lock, taken at BEGIN; a connection that finds it taken retries on a
back-off of up to 100 ms, so a job that begins its next batch the moment it commits would keep
the lock for its whole run: during a 100,000-patient morning peak no reply, send or answer got
through for ten seconds. The job now waits, between batches, until the waiting one has begun.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import Insert, insert
from sqlalchemy.ext.asyncio import AsyncEngine

from models import AuditEvent, create_session_factory, db, give_way_to_writers

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


def row(actor: str) -> Insert:
    """Some write (an audit row: the table does not matter)."""
    return insert(AuditEvent).values(at=AT, actor=actor, action="write", detail={})


async def test_a_waiting_transaction_goes_before_the_jobs_next_batch(engine: AsyncEngine) -> None:
    factory = create_session_factory(engine)
    order: list[str] = []
    first_batch_open = asyncio.Event()

    async def job() -> None:
        for batch in range(30):
            async with factory.begin() as session:
                await session.execute(row("job"))
                if batch == 0:
                    first_batch_open.set()
                    await asyncio.sleep(0.05)  # the reply below now waits for the lock
                order.append(f"batch {batch}")
            await give_way_to_writers(engine)

    async def urgent_reply() -> None:
        await first_batch_open.wait()
        async with factory.begin() as session:
            await session.execute(row("reply"))
            order.append("reply")

    await asyncio.gather(job(), urgent_reply())
    assert order.index("reply") <= 2, order  # right after the batch it waited for


async def test_with_nobody_waiting_the_job_goes_straight_on(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    factory = create_session_factory(engine)
    naps: list[float] = []

    async def nap(seconds: float) -> None:
        naps.append(seconds)

    monkeypatch.setattr(db.asyncio, "sleep", nap)
    for _ in range(20):
        async with factory.begin() as session:
            await session.execute(row("job"))
        await give_way_to_writers(engine)
    assert naps == []  # not one poll: a batch job alone runs at full speed
