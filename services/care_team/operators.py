"""Operators (clinic staff): the role check, where they may review, the operators table.

Operators are the Telegram users in ``OPERATOR_IDS`` plus the rows of the operators table
(``checkin-bot operator add/remove``). Every review command checks the role first and answers a
non-operator exactly like an unknown command; patient data is shown only in the operator's
private chat or the care-team chat. Acknowledging alerts is in :mod:`services.alerts.acknowledge`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Operator
from services.audit import record_event
from services.context import Services
from services.outbox import enqueue
from services.recipients import operator_ids
from services.replies import person_language
from views import texts
from views.i18n import Translator, pick_language, translator
from views.message import Message

__all__ = [
    "OperatorEntry",
    "Render",
    "add_operator",
    "answer_reviewer",
    "check_operator",
    "console_language",
    "list_operators",
    "may_review_here",
    "menu_chats",
    "notice_translator",
    "operator_language",
    "operator_label",
    "operator_names",
    "refuse_command",
    "remove_operator",
    "reviewer_translator",
]

Render = Callable[[AsyncSession, datetime, Translator], Awaitable[Message]]
"""Builds an operator's answer inside the transaction (session, now, the reader's translator)."""
NAME_LENGTH = 64


@dataclass(frozen=True)
class OperatorEntry:
    """An operator: from OPERATOR_IDS (``source="settings"``) or the table (``"table"``)."""

    telegram_user_id: int
    display_name: str | None
    source: str
    added_at: datetime | None = None


async def check_operator(session: AsyncSession, services: Services, user_id: int) -> bool:
    """Whether the user is an operator (OPERATOR_IDS or the operators table).

    Args:
        session: the caller's session.
        services: the service context.
        user_id: a Telegram user id.

    Returns:
        True for an operator.
    """
    if user_id in services.config.operator_ids:
        return True
    found = await session.scalar(select(Operator.id).where(Operator.telegram_user_id == user_id))
    return found is not None


async def operator_names(session: AsyncSession, user_ids: Iterable[int]) -> dict[int, str]:
    """The names the operators table gives these users, in one query (unnamed users left out).

    Args:
        session: the caller's session.
        user_ids: Telegram user ids.

    Returns:
        ``{user id: display name}`` for the users the table names.
    """
    wanted = set(user_ids)
    if not wanted:
        return {}
    rows = await session.execute(
        select(Operator.telegram_user_id, Operator.display_name).where(
            Operator.telegram_user_id.in_(wanted), Operator.display_name.is_not(None)
        )
    )
    return {user_id: name for user_id, name in rows.tuples() if name}


def operator_label(user_id: int, name: str | None) -> str:
    """An operator as posts and pages name them: their name, else ``operator <id>``."""
    return (name or f"operator {user_id}")[:NAME_LENGTH]


def may_review_here(services: Services, user_id: int, chat_id: int) -> bool:
    """Patient data is shown only in the operator's private chat or in the care-team chat."""
    return chat_id == user_id or chat_id == services.config.care_team_chat_id


async def refuse_command(
    session: AsyncSession,
    user_id: int,
    chat_id: int,
    now: datetime,
    language_code: str | None = None,
) -> None:
    """Answer a refused operator command exactly like an unknown command.

    Unknown commands get the help pointer in private chats (in the sender's language) and
    silence in groups.
    """
    if chat_id == user_id:
        tr = translator(await person_language(session, user_id) or language_code)
        enqueue(session, chat_id, texts.unknown(tr), now=now, purpose="reply")


async def operator_language(session: AsyncSession, user_id: int, language_code: str | None) -> str:
    """An operator's own language: the one stored for them, else their Telegram app's.

    An operator of the operators table who has none stored gets their Telegram language
    stored on their first command or press (they may change it with /language). Operators
    only in ``OPERATOR_IDS`` have no row, and the bot adds none (a row would keep them an
    operator after they leave ``OPERATOR_IDS``): their replies follow their Telegram app.

    Args:
        session: the caller's session (the row may be updated).
        user_id: the operator's Telegram user id.
        language_code: the Telegram ``language_code`` of their update (None: not known).

    Returns:
        A supported language.
    """
    row = await session.scalar(select(Operator).where(Operator.telegram_user_id == user_id))
    if row is not None and row.language is None and language_code:
        row.language = pick_language(language_code)
    if row is not None and row.language is not None:
        return pick_language(row.language)
    return pick_language(language_code)


def console_language(stored: str | None, services: Services) -> str:
    """The web console's language for an operator: their stored choice, else
    ``CLINIC_LANGUAGE`` (an operator only in ``OPERATOR_IDS`` has no row, so none stored)."""
    return pick_language(stored or services.config.clinic_language)


async def notice_translator(
    session: AsyncSession, services: Services, user_id: int, language_code: str | None
) -> Translator:
    """The language of a press's notice: the operator's own in Telegram (``language_code``
    given, maybe empty); in the web console (None), :func:`console_language`."""
    if language_code is None:
        stored = await session.scalar(
            select(Operator.language).where(Operator.telegram_user_id == user_id)
        )
        return translator(console_language(stored, services))
    return translator(await operator_language(session, user_id, language_code))


async def reviewer_translator(
    session: AsyncSession,
    services: Services,
    user_id: int,
    chat_id: int,
    language_code: str | None,
) -> Translator:
    """Whose language an operator's answer is in: theirs in their private chat; in the
    care-team chat, which the whole team reads, ``CLINIC_LANGUAGE``."""
    if chat_id == user_id:
        return translator(await operator_language(session, user_id, language_code))
    return translator(services.config.clinic_language)


async def answer_reviewer(
    services: Services,
    user_id: int,
    chat_id: int,
    purpose: str,
    render: Render,
    language_code: str | None = None,
) -> bool:
    """Answer a review command in one transaction: the role and chat first, then the page.

    Args:
        services: the service context.
        user_id: who asks.
        chat_id: where to answer.
        purpose: the outbox purpose of the answer.
        render: builds the answer inside the transaction (session, now, translator).
        language_code: the sender's Telegram ``language_code`` (see :func:`operator_language`).

    Returns:
        False when refused (not an operator, or not a private or care-team chat).
    """
    now = services.now()
    async with services.transaction() as session:
        if not await check_operator(session, services, user_id) or not may_review_here(
            services, user_id, chat_id
        ):
            await refuse_command(session, user_id, chat_id, now, language_code)
            return False
        tr = await reviewer_translator(session, services, user_id, chat_id, language_code)
        message = await render(session, now, tr)
        enqueue(session, chat_id, message, now=now, purpose=purpose)
        return True


async def add_operator(
    services: Services, user_id: int, *, display_name: str | None, actor: str
) -> bool:
    """Add a user to the operators table (audited).

    Args:
        services: the service context.
        user_id: the Telegram user id.
        display_name: the name shown on acknowledged alerts.
        actor: who adds them (for the audit trail).

    Returns:
        False when the user already was in the table (their name is updated).
    """
    now = services.now()
    async with services.transaction() as session:
        row = await session.scalar(select(Operator).where(Operator.telegram_user_id == user_id))
        if row is not None:
            row.display_name = display_name or row.display_name
            return False
        session.add(Operator(telegram_user_id=user_id, display_name=display_name, added_at=now))
        record_event(session, at=now, actor=actor, action="operator_added", user_id=user_id)
        return True


async def remove_operator(services: Services, user_id: int, *, actor: str) -> bool:
    """Remove a user from the operators table (audited); OPERATOR_IDS stay as configured.

    Args:
        services: the service context.
        user_id: the Telegram user id.
        actor: who removes them (for the audit trail).

    Returns:
        False when the user was not in the table.
    """
    now = services.now()
    async with services.transaction() as session:
        result = await session.execute(delete(Operator).where(Operator.telegram_user_id == user_id))
        if not cast(CursorResult[Any], result).rowcount:
            return False
        record_event(session, at=now, actor=actor, action="operator_removed", user_id=user_id)
        return True


async def list_operators(services: Services) -> list[OperatorEntry]:
    """Every operator, those from OPERATOR_IDS first, each once, by user id.

    Returns:
        The operators.
    """
    async with services.transaction() as session:
        rows = (await session.scalars(select(Operator).order_by(Operator.telegram_user_id))).all()
    configured = sorted(services.config.operator_ids)
    entries = [OperatorEntry(uid, None, "settings") for uid in configured]
    entries += [
        OperatorEntry(r.telegram_user_id, r.display_name, "table", r.added_at)
        for r in rows
        if r.telegram_user_id not in services.config.operator_ids
    ]
    return entries


async def menu_chats(services: Services) -> tuple[dict[int, str | None], int | None]:
    """Where the operators' command menu belongs, and in which language: each operator's
    private chat (settings and table) in the language they chose here (None: none chosen),
    and the care-team chat.

    Args:
        services: the service context.

    Returns:
        The operators' user ids with their languages, and the care-team chat id (None when
        unset).
    """
    async with services.session_factory() as session:
        ids = await operator_ids(session, services)
        operators = {user_id: await person_language(session, user_id) for user_id in ids}
    return operators, services.config.care_team_chat_id
