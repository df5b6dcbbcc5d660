"""The send budget shared by every instance, held in the database.

A generic cell rate algorithm on one row: ``tat`` is the earliest moment the next send overall
may start. Reserving a send at wall-clock ``now`` gives it the slot ``max(tat, now)`` and moves
``tat`` one spacing past that slot, so the granted slots of all instances together are never
closer than the spacing (at 1/29 s, at most 30 in any 1 s window). Each chat has its own row
with the earliest moment its next message may start; a chat that is not ready yet reserves no
overall slot (the slot would be wasted while the chat waits), it is told when to ask again.

The chat's row is checked and held in its own short transaction; then the overall slot is
taken in one statement (on PostgreSQL in autocommit, so the row every sender shares is never
locked across a client round trip); then the chat's next moment is moved past that slot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import bindparam, delete, func, select, update
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
    async with services.session_factory.begin() as session:  # this chat's row only
        await _ensure(session, ChatBudget, chat_id=chat_id, next_at=EPOCH)
        chat = await session.scalar(
            select(ChatBudget).where(ChatBudget.chat_id == chat_id).with_for_update()
        )
        now = wall()
        if chat is None:  # purged between the insert and the lock: ask again at once
            return Reservation(at=now, granted=False)
        if chat.next_at > now:
            return Reservation(at=chat.next_at, granted=False)
        chat.next_at = now + chat_spacing  # held for us; moved past our slot below
    slot = await _next_slot(services, overall, wall)
    if slot > now:  # the chat's spacing counts from the send, not from the asking
        async with services.session_factory.begin() as session:
            await session.execute(
                update(ChatBudget)
                .where(ChatBudget.chat_id == chat_id)
                .values(next_at=slot + chat_spacing)
            )
    return Reservation(at=slot, granted=True)


async def _next_slot(
    services: Services, overall: timedelta, wall: Callable[[], datetime]
) -> datetime:
    """Take the next overall slot: ``max(tat, now)``, and move ``tat`` one spacing on.

    On PostgreSQL this is one statement in autocommit, so the row every sender shares is locked
    only while the server runs it, not across client round trips (with a transaction around a
    read and a write, a loaded client held it for tens of ms and three workers managed 15
    sends a second between them). SQLite has one instance and a write lock per transaction.
    """
    engine = services.session_factory.kw["bind"]
    if engine.dialect.name != "postgresql":
        async with services.session_factory.begin() as session:
            await _ensure(session, SendBudget, id=BUDGET_ROW, tat=EPOCH)
            budget = await session.get_one(SendBudget, BUDGET_ROW)
            slot = max(budget.tat, wall())
            budget.tat = slot + overall
            return slot
    now = bindparam("now", type_=SendBudget.tat.type)
    moved = (
        update(SendBudget)
        .where(SendBudget.id == BUDGET_ROW)
        .values(tat=func.greatest(SendBudget.tat, now) + overall)
        .returning(SendBudget.tat)
    )
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        tat = (await autocommit.execute(moved, {"now": wall()})).scalar_one_or_none()
        if tat is None:  # the first send ever: create the row, then take from it
            first = upsert(autocommit, SendBudget).values(id=BUDGET_ROW, tat=EPOCH)
            await autocommit.execute(first.on_conflict_do_nothing())
            tat = (await autocommit.execute(moved, {"now": wall()})).scalar_one()
    return cast(datetime, tat) - overall


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
