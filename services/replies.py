"""The smallest use cases: answer a chat (through the outbox, like every message), in the
reader's language when the reply is rendered per language."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CareLink, Operator, Patient
from services.context import Services
from services.outbox import Priority, enqueue
from views.i18n import Translator, translator
from views.message import Message

__all__ = ["person_language", "reader_in", "reader_of", "reply", "reply_in_language"]


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


async def person_language(session: AsyncSession, user_id: int) -> str | None:
    """The language a Telegram user chose here: as a patient, else as a caregiver (newest
    link), else as an operator; None when they chose none."""
    for query in (
        select(Patient.language).where(Patient.telegram_user_id == user_id),
        select(CareLink.language)
        .where(CareLink.user_id == user_id, CareLink.language.is_not(None))
        .order_by(CareLink.id.desc()),
        select(Operator.language).where(Operator.telegram_user_id == user_id),
    ):
        language = await session.scalar(query.limit(1))
        if language is not None:
            return language
    return None


async def reader_in(session: AsyncSession, user_id: int, language_code: str | None) -> Translator:
    """The translator of a Telegram user: the language they chose here, else Telegram's.

    Args:
        session: the caller's session.
        user_id: the user.
        language_code: their Telegram ``language_code`` (may be None).
    """
    return translator(await person_language(session, user_id) or language_code)


async def reader_of(services: Services, user_id: int, language_code: str | None) -> Translator:
    """:func:`reader_in`, in a session of its own (e.g. for a button's notice)."""
    async with services.session_factory() as session:
        return await reader_in(session, user_id, language_code)


async def reply_in_language(
    services: Services,
    chat_id: int,
    render: Callable[[Translator], Message],
    *,
    user_id: int,
    language_code: str | None,
    purpose: str,
) -> None:
    """Queue ``render`` in the sender's language: the one they chose, else Telegram's.

    Args:
        services: the service context.
        chat_id: where to answer.
        render: the reply, given the reader's translator.
        user_id: the sender.
        language_code: the sender's Telegram ``language_code`` (may be None).
        purpose: a short label kept with the outbox row.
    """
    async with services.transaction() as session:
        message = render(await reader_in(session, user_id, language_code))
        enqueue(
            session, chat_id, message, now=services.now(), purpose=purpose, priority=Priority.REPLY
        )
