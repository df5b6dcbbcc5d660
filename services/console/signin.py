"""``/dashboard``: an operator asks the bot for a one-time sign-in link to the console.

The link carries a random token; the database keeps only its hash, the link works once and for
:data:`LINK_VALIDITY`, and the outbox forgets the message's text once it is delivered (it is
queued with :data:`~services.outbox.SECRET_PURPOSE`). Anyone who is not an operator, or asks
outside a private chat, gets the bot's usual refusal and no link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update

from models import ConsoleLogin, ConsoleSession, Operator
from services.audit import operator_actor, record_event
from services.care_team import check_operator, console_language, refuse_command
from services.console.secrets import digest, new_token
from services.context import Services
from services.outbox import SECRET_PURPOSE, enqueue
from services.replies import reader_in
from views import console as views

__all__ = ["LINK_VALIDITY", "NewSession", "link_language", "redeem_link", "send_login_link"]

LINK_VALIDITY = timedelta(minutes=10)
SIGNED_IN = "console_signed_in"


async def send_login_link(
    services: Services, user_id: int, chat_id: int, language_code: str | None = None
) -> bool:
    """Send an operator, in their private chat, a link that signs them in to the console.

    Args:
        services: the service context.
        user_id: who asks.
        chat_id: where they asked.
        language_code: the user's Telegram language (for an operator who chose none).

    Returns:
        False when refused (not an operator, not a private chat) or no console is served.
    """
    now = services.now()
    async with services.transaction() as session:
        if chat_id != user_id or not await check_operator(session, services, user_id):
            await refuse_command(session, user_id, chat_id, now, language_code)
            return False
        tr = await reader_in(session, user_id, language_code)  # the operator's own
        base = services.config.console_url
        if base is None:
            enqueue(session, chat_id, views.no_console(tr), now=now, purpose="console_none")
            return False
        token = new_token()
        session.add(
            ConsoleLogin(
                token_hash=digest(token),
                operator_id=user_id,
                created_at=now,
                expires_at=now + LINK_VALIDITY,
            )
        )
        link = f"{base.rstrip('/')}/login/{token}"
        enqueue(session, chat_id, views.login_link(link, tr), now=now, purpose=SECRET_PURPOSE)
        return True


async def link_language(services: Services, token: str) -> str | None:
    """Whether a sign-in link would still open a session (without using it up): the language
    of its operator's console (:func:`services.care_team.console_language`), or None."""
    async with services.session_factory() as session:
        found = (
            await session.execute(
                select(ConsoleLogin.token_hash, Operator.language)
                .outerjoin(Operator, Operator.telegram_user_id == ConsoleLogin.operator_id)
                .where(
                    ConsoleLogin.token_hash == digest(token),
                    ConsoleLogin.used_at.is_(None),
                    ConsoleLogin.expires_at > services.now(),
                )
            )
        ).one_or_none()
        return None if found is None else console_language(found.language, services)


@dataclass(frozen=True)
class NewSession:
    """A session just opened: the cookie's value (known only to the browser) and who it is."""

    cookie: str
    operator_id: int


async def redeem_link(services: Services, token: str) -> NewSession | None:
    """Open a session with a sign-in link's token, once.

    The link is used up by a conditional UPDATE, so two tabs opening it at the same moment get
    one session between them; an expired, used or unknown token, or one whose operator has
    since been removed, opens nothing.

    Args:
        services: the service context.
        token: the token from the link's path.

    Returns:
        The new session, or None.
    """
    now = services.now()
    async with services.transaction() as session:
        claimed = await session.execute(
            update(ConsoleLogin)
            .where(
                ConsoleLogin.token_hash == digest(token),
                ConsoleLogin.used_at.is_(None),
                ConsoleLogin.expires_at > now,
            )
            .values(used_at=now)
            .returning(ConsoleLogin.operator_id)
        )
        operator_id = claimed.scalar_one_or_none()
        await session.execute(delete(ConsoleLogin).where(ConsoleLogin.expires_at <= now))
        if operator_id is None or not await check_operator(session, services, operator_id):
            return None
        cookie = new_token()
        session.add(
            ConsoleSession(
                id_hash=digest(cookie),
                operator_id=operator_id,
                csrf_token=new_token(),
                created_at=now,
                last_seen_at=now,
            )
        )
        record_event(session, at=now, actor=operator_actor(operator_id), action=SIGNED_IN)
        return NewSession(cookie, operator_id)
