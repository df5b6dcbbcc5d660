"""Console sessions: who a browser's cookie belongs to, for as long as they may use it.

Every request checks the session afresh: it must exist, have been used within
:data:`IDLE_LIMIT`, and belong to someone who is still an operator (OPERATOR_IDS or the table),
so removing an operator ends their sessions at once. Only the cookie's hash is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update

from models import ConsoleSession, Operator
from services.audit import operator_actor, record_event
from services.care_team import console_language, operator_label
from services.console.secrets import digest
from services.context import Services
from views.i18n import DEFAULT_LANGUAGE

__all__ = ["IDLE_LIMIT", "ConsoleUser", "end_session", "purge_sessions", "resolve_session"]

IDLE_LIMIT = timedelta(hours=8)
TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often per session
SIGNED_OUT = "console_signed_out"


@dataclass(frozen=True)
class ConsoleUser:
    """The operator behind a request: their Telegram id, name, this session's CSRF token, and
    the language their pages are in (:func:`services.care_team.console_language`)."""

    operator_id: int
    name: str
    csrf_token: str
    language: str = DEFAULT_LANGUAGE


async def resolve_session(services: Services, cookie: str | None) -> ConsoleUser | None:
    """The operator a session cookie belongs to, or None (unknown, idle too long, not an
    operator any more: such a session is deleted).

    One statement on every page (the session with its operator's row, if any); a second one
    writes ``last_seen_at`` at most every :data:`TOUCH_EVERY`. Nothing is queued, so the
    sender is not woken.
    """
    if not cookie:
        return None
    now = services.now()
    key = digest(cookie)
    async with services.session_factory.begin() as session:
        row = (
            await session.execute(
                select(
                    ConsoleSession.operator_id,
                    ConsoleSession.csrf_token,
                    ConsoleSession.last_seen_at,
                    Operator.id.label("listed"),
                    Operator.display_name,
                    Operator.language,
                )
                .outerjoin(Operator, Operator.telegram_user_id == ConsoleSession.operator_id)
                .where(ConsoleSession.id_hash == key)
            )
        ).one_or_none()
        if row is None:
            return None
        still_operator = row.listed is not None or row.operator_id in services.config.operator_ids
        mine = ConsoleSession.id_hash == key
        if now - row.last_seen_at > IDLE_LIMIT or not still_operator:
            await session.execute(delete(ConsoleSession).where(mine))
            return None
        if now - row.last_seen_at >= TOUCH_EVERY:
            await session.execute(update(ConsoleSession).where(mine).values(last_seen_at=now))
        name = operator_label(row.operator_id, row.display_name)
        language = console_language(row.language, services)
        return ConsoleUser(row.operator_id, name, row.csrf_token, language)


async def end_session(services: Services, cookie: str | None) -> bool:
    """Sign out: forget the session (True if there was one)."""
    if not cookie:
        return False
    now = services.now()
    async with services.transaction() as session:
        gone = await session.execute(
            delete(ConsoleSession)
            .where(ConsoleSession.id_hash == digest(cookie))
            .returning(ConsoleSession.operator_id)
        )
        operator_id = gone.scalar_one_or_none()
        if operator_id is None:
            return False
        record_event(session, at=now, actor=operator_actor(operator_id), action=SIGNED_OUT)
        return True


async def purge_sessions(services: Services) -> int:
    """Sweep: delete sessions idle longer than :data:`IDLE_LIMIT`."""
    cutoff: datetime = services.now() - IDLE_LIMIT
    async with services.transaction() as session:
        result = await session.execute(
            delete(ConsoleSession).where(ConsoleSession.last_seen_at < cutoff)
        )
        return cast(CursorResult[Any], result).rowcount
