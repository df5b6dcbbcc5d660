"""Outbox delivery bookkeeping: claim due messages, record each outcome in its own transaction.

The sender (scheduler/sender.py) calls Telegram between these calls with no transaction open.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import AlertReach, CareLink, Outbox, OutboxStatus, Patient
from services.alerts import patient_unreachable
from services.context import Services
from services.delivery.claims import Claimed, OutgoingMessage, claim_due
from services.outbox import REDACTED_SECRET, SECRET_PURPOSE
from services.recipients import operator_ids
from services.risk_summary import note_change

__all__ = [
    "Claimed",
    "OutgoingMessage",
    "claim_due",
    "mark_failed",
    "mark_sent",
    "mark_sent_many",
    "migrate_chat",
    "purge_delivered",
    "retry_later",
]

log = logging.getLogger(__name__)


async def mark_sent(
    services: Services, message: OutgoingMessage, telegram_message_id: int | None
) -> None:
    """Record a delivered message (see :func:`mark_sent_many`)."""
    await mark_sent_many(services, [(message, telegram_message_id)])


async def mark_sent_many(
    services: Services, sent: Sequence[tuple[OutgoingMessage, int | None]]
) -> None:
    """Record delivered messages in one transaction: one executemany for the plain ones, one
    for those whose payload is trimmed.

    A sent document keeps only its file name, a photo only its caption, a message with
    invitation secrets only a note; a chat that received a message is reachable again.

    Args:
        services: the service context.
        sent: each delivered message with Telegram's message id (None for edits).
    """
    now = services.now()
    plain: list[dict[str, Any]] = []
    trimmed: list[dict[str, Any]] = []
    for message, telegram_id in sent:
        payload = _kept_payload(message)
        row = {"row": message.id, "telegram_id": telegram_id, "now": now}
        if payload is None:
            plain.append(row)
        else:
            trimmed.append(row | {"kept": payload})
    async with services.session_factory.begin() as session:
        if plain:
            await session.execute(_SENT, plain)
        if trimmed:
            await session.execute(_SENT_TRIMMED, trimmed)
        chats = sorted({message.chat_id for message, _ in sent})
        await session.execute(_REACHABLE, {"chats": chats})


_OUTBOX = cast(Table, Outbox.__table__)
# Built once (a statement keeps its compiled form in the cache): every delivery records itself.
_SENT = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("row"), _OUTBOX.c.status == OutboxStatus.PENDING)
    .values(
        status=OutboxStatus.SENT,
        sent_at=bindparam("now"),
        lease_until=None,
        attempts=_OUTBOX.c.attempts + 1,
        message_id=bindparam("telegram_id"),
    )
)
_SENT_TRIMMED = _SENT.values(payload=bindparam("kept", type_=_OUTBOX.c.payload.type))
_REACHABLE = delete(AlertReach).where(AlertReach.chat_id.in_(bindparam("chats", expanding=True)))


def _kept_payload(message: OutgoingMessage) -> dict[str, Any] | None:
    """What stays of a delivered message's payload, when not all of it (None: all of it)."""
    if message.method == "document":
        return {"filename": message.payload.get("filename")}
    if message.method == "photo":  # a chart of health data: keep only that one was sent
        return {"caption": message.payload.get("caption")}
    if message.purpose == SECRET_PURPOSE:  # README: invitation secrets are kept only hashed
        return {"text": REDACTED_SECRET}
    return None


async def retry_later(services: Services, message_id: int, *, delay: timedelta, error: str) -> None:
    """Release the lease and try again after ``delay``."""
    async with services.session_factory.begin() as session:
        await session.execute(
            update(Outbox)
            .where(Outbox.id == message_id, Outbox.status == OutboxStatus.PENDING)
            .values(
                not_before=services.now() + delay,
                lease_until=None,
                attempts=Outbox.attempts + 1,
                last_error=error[:64],
            )
        )


async def mark_failed(
    services: Services, message: OutgoingMessage, *, error: str, unreachable: bool
) -> None:
    """Give up on a message; when the chat blocked us, flag the patient or caregiver link.

    Args:
        services: the service context.
        message: the message that cannot be delivered.
        error: a short error label (never message text).
        unreachable: the recipient blocked the bot or removed it (403).
    """
    now = services.now()
    async with services.transaction() as session:
        await session.execute(
            update(Outbox)
            .where(Outbox.id == message.id, Outbox.status == OutboxStatus.PENDING)
            .values(
                status=OutboxStatus.FAILED,
                lease_until=None,
                attempts=Outbox.attempts + 1,
                last_error=error[:64],
            )
        )
        if message.alert_id is not None and message.purpose == "alert":
            await patient_unreachable(session, services, message.alert_id, now)
        if unreachable or error == "bad_request":  # blocked, or chat not found
            await _alerts_unreachable(session, services, message.chat_id, error, now)
        if not unreachable:
            return
        blocked = Patient.chat_id == message.chat_id, Patient.unreachable_since.is_(None)
        for patient_id in (await session.scalars(select(Patient.id).where(*blocked))).all():
            note_change(session, patient_id, now)  # UNREACHABLE in the lists
        await session.execute(update(Patient).where(*blocked).values(unreachable_since=now))
        await session.execute(
            update(CareLink)
            .where(CareLink.chat_id == message.chat_id, CareLink.undeliverable_at.is_(None))
            .values(undeliverable_at=now)
        )
    log.warning("outbox %s to chat %s undeliverable: %s", message.id, message.chat_id, error)


async def _alerts_unreachable(
    session: AsyncSession, services: Services, chat_id: int, error: str, now: datetime
) -> None:
    """Alerts go to this chat (care-team chat or an operator): remember that it refused them."""
    team = services.config.care_team_chat_id
    if chat_id != team and chat_id not in await operator_ids(session, services):
        return
    await session.merge(AlertReach(chat_id=chat_id, failed_at=now, error=error[:64]))


async def migrate_chat(services: Services, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: move pending messages and links to the new chat id."""
    async with services.session_factory.begin() as session:
        await session.execute(
            update(Outbox)
            .where(Outbox.chat_id == old_chat_id, Outbox.status == OutboxStatus.PENDING)
            .values(chat_id=new_chat_id, lease_until=None)
        )
        await session.execute(
            update(CareLink).where(CareLink.chat_id == old_chat_id).values(chat_id=new_chat_id)
        )


async def purge_delivered(services: Services) -> int:
    """Delete sent and failed messages older than the retention period (they hold health data).

    Returns:
        How many rows were deleted.
    """
    cutoff = services.now() - services.config.outbox_retention
    async with services.session_factory.begin() as session:
        result = await session.execute(
            delete(Outbox).where(
                Outbox.status.in_([OutboxStatus.SENT, OutboxStatus.FAILED]),
                Outbox.created_at < cutoff,
            )
        )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
