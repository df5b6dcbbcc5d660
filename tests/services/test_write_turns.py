"""A long batch job lets a waiting transaction go between its batches.

SQLite has one write lock, taken at BEGIN; with several connections, one that found it taken
retried on a back-off of up to 100 ms and took no turn, so a job beginning its next batch the
moment it committed kept the lock for its whole run: during a 100,000-patient morning peak no
reply, send or answer got through for ten seconds (``bench.peak_sending``). An SQLite file now
has one pooled connection (:func:`models.create_engine`): waiting transactions queue in the
pool, first come first served, and the job's next batch queues behind them.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import Insert, insert
from sqlalchemy.ext.asyncio import AsyncEngine

from models import AuditEvent, create_session_factory

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
                    await asyncio.sleep(0.05)  # the reply below now waits for its turn
                order.append(f"batch {batch}")

    async def urgent_reply() -> None:
        await first_batch_open.wait()
        async with factory.begin() as session:
            await session.execute(row("reply"))
            order.append("reply")

    await asyncio.gather(job(), urgent_reply())
    assert order.index("reply") <= 2, order  # right after the batch it waited for
