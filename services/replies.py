"""The smallest use case: answer a chat (through the outbox, like every message)."""

from __future__ import annotations

from services.context import Services
from services.outbox import Priority, enqueue
from views.message import Message

__all__ = ["reply"]


async def reply(services: Services, chat_id: int, message: Message, *, purpose: str) -> None:
    """Queue a reply to ``chat_id``.

    Args:
        services: the service context.
        chat_id: where to answer.
        message: the rendered text and keyboard.
        purpose: a short label kept with the outbox row.
    """
    async with services.transaction() as session:
        enqueue(
            session, chat_id, message, now=services.now(), purpose=purpose, priority=Priority.REPLY
        )
