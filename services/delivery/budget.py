"""The send budget shared by every instance, held in the database.

A generic cell rate algorithm on one row: ``tat`` is the earliest moment the next send overall
may start. Reserving a send at wall-clock ``now`` gives it the slot ``max(tat, now)`` and moves
``tat`` one spacing past that slot, so the granted slots of all instances together are never
closer than the spacing (at 1/29 s, at most 30 in any 1 s window). Each chat has its own row
with the earliest moment its next message may start; a chat that is not ready yet reserves no
overall slot (the slot would be wasted while the chat waits), it is told when to ask again.

The chat row is locked first, then the budget row, always in that order, in one short
transaction (row locks on PostgreSQL; SQLite takes its write lock at BEGIN IMMEDIATE).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ChatBudget, SendBudget, upsert
from services.context import Services

__all__ = ["Reservation", "purge_chat_budgets", "reserve_send"]

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
BUDGET_ROW = 1


@dataclass(frozen=True)
class Reservation:
    """The answer to a reservation: a slot at ``at`` (``granted``) or "ask again at ``at``"."""

    at: datetime
    granted: bool


async def reserve_send(
    services: Services,
    chat_id: int,
    *,
    overall: timedelta,
    chat_spacing: timedelta,
    wall: Callable[[], datetime],
) -> Reservation:
    """Take the next send slot for ``chat_id``, shared with every other instance.

    Args:
        services: the service context.
        chat_id: the chat the message goes to.
        overall: spacing between any two sends of this bot token.
        chat_spacing: spacing between two sends to this chat (longer for groups).
        wall: the wall clock (real time, not the scheduling clock). It is read once the rows
            are locked, so an idle budget's slot is "now" as of the lock, not as of the call:
            time spent waiting for the database is not counted as the sender being late.

    Returns:
        A granted reservation: the send may start at ``at`` (``now`` or later); or, when the
        chat has had a message too recently, a refusal saying when to ask again.
    """
    async with services.session_factory.begin() as session:
        await _ensure(session, ChatBudget, chat_id=chat_id, next_at=EPOCH)
        chat = await session.scalar(
            select(ChatBudget).where(ChatBudget.chat_id == chat_id).with_for_update()
        )
        now = wall()
        if chat is None:  # purged between the insert and the lock: ask again at once
            return Reservation(at=now, granted=False)
        if chat.next_at > now:
            return Reservation(at=chat.next_at, granted=False)
        await _ensure(session, SendBudget, id=BUDGET_ROW, tat=EPOCH)
        budget = await session.scalar(
            select(SendBudget).where(SendBudget.id == BUDGET_ROW).with_for_update()
        )
        assert budget is not None  # noqa: S101  (just ensured)
        slot = max(budget.tat, wall())
        budget.tat = slot + overall
        chat.next_at = slot + chat_spacing
        return Reservation(at=slot, granted=True)


async def purge_chat_budgets(services: Services, *, now: datetime) -> int:
    """Forget chats whose next slot has passed (they are free either way); returns how many."""
    async with services.session_factory.begin() as session:
        result = await session.execute(delete(ChatBudget).where(ChatBudget.next_at < now))
        return int(getattr(result, "rowcount", 0) or 0)


async def _ensure(
    session: AsyncSession, table: type[ChatBudget | SendBudget], **row: object
) -> None:
    """Insert the row unless it exists (no error, no lock wait beyond the key)."""
    await session.execute(upsert(session, table).values(**row).on_conflict_do_nothing())
