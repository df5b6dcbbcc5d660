"""A limit on wrong invitation secrets per user, kept in the database for every instance.

A user who sent :data:`MAX_WRONG` unknown tokens or codes within :data:`WINDOW` gets every
further secret refused (even a right one) until the window has passed. The count is updated
with one atomic upsert, so instances sharing a database share the limit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import SecretGuess, upsert

__all__ = ["MAX_WRONG", "WINDOW", "count_wrong", "too_many_wrong"]

MAX_WRONG = 5
WINDOW = timedelta(hours=1)


async def too_many_wrong(session: AsyncSession, user_id: int, now: datetime) -> bool:
    """Whether ``user_id`` has used up their wrong guesses in the current window."""
    row = await session.scalar(
        select(SecretGuess).where(SecretGuess.user_id == user_id).with_for_update()
    )
    return row is not None and row.window_start > now - WINDOW and row.failures >= MAX_WRONG


async def count_wrong(session: AsyncSession, user_id: int, now: datetime) -> None:
    """Count one wrong secret from ``user_id`` (a new window when the last one has passed)."""
    stmt = upsert(session, SecretGuess).values(user_id=user_id, window_start=now, failures=1)
    expired = SecretGuess.window_start <= now - WINDOW
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[SecretGuess.user_id],
            set_={
                "failures": case((expired, 1), else_=SecretGuess.failures + 1),
                "window_start": case((expired, now), else_=SecretGuess.window_start),
            },
        )
    )
