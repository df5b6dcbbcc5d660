"""Writing outgoing messages to the outbox, inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum

from sqlalchemy.ext.asyncio import AsyncSession

from models import Outbox, OutboxStatus
from views.keyboard import keyboard_to_json
from views.message import Message

__all__ = ["Priority", "enqueue", "enqueue_document", "enqueue_edit"]


class Priority(IntEnum):
    """Lower goes first: alerts never wait behind reminders."""

    ALERT = 0
    REPLY = 1
    QUESTION = 2
    ROUTINE = 5


def enqueue(
    session: AsyncSession,
    chat_id: int,
    message: Message,
    *,
    now: datetime,
    purpose: str,
    priority: Priority = Priority.REPLY,
    not_before: datetime | None = None,
    patient_id: int | None = None,
    alert_id: int | None = None,
    care_link_id: int | None = None,
    dedupe_key: str | None = None,
) -> Outbox:
    """Add a sendMessage to the outbox (sent after the transaction commits).

    Args:
        session: the caller's session (its transaction decides whether the message exists).
        chat_id: the recipient chat.
        message: text and keyboard.
        now: the current time.
        purpose: a short machine label (question, alert, reminder...) kept for metrics.
        priority: delivery order among due messages.
        not_before: earliest delivery time (quiet hours), default now.
        patient_id: whose message it is (deleted with the patient's data).
        alert_id: the alert it delivers, if any.
        care_link_id: the caregiver link it goes to, if any (flagged on 403).
        dedupe_key: a unique key; a second message with the same key violates the constraint.

    Returns:
        The new outbox row (flushed by the caller's commit).
    """
    payload: dict[str, object] = {"text": message.text}
    if message.keyboard:
        payload["keyboard"] = keyboard_to_json(message.keyboard)
    row = Outbox(
        chat_id=chat_id,
        method="send",
        payload=payload,
        purpose=purpose,
        priority=int(priority),
        status=OutboxStatus.PENDING,
        attempts=0,
        not_before=not_before or now,
        created_at=now,
        patient_id=patient_id,
        alert_id=alert_id,
        care_link_id=care_link_id,
        dedupe_key=dedupe_key,
    )
    session.add(row)
    return row


def enqueue_edit(
    session: AsyncSession,
    chat_id: int,
    message_id: int,
    message: Message,
    *,
    now: datetime,
    purpose: str,
    patient_id: int | None = None,
) -> Outbox:
    """Add an editMessageText (e.g. show the chosen answer and drop the buttons)."""
    payload: dict[str, object] = {"text": message.text, "message_id": message_id}
    if message.keyboard:
        payload["keyboard"] = keyboard_to_json(message.keyboard)
    row = Outbox(
        chat_id=chat_id,
        method="edit",
        payload=payload,
        purpose=purpose,
        priority=int(Priority.REPLY),
        status=OutboxStatus.PENDING,
        attempts=0,
        not_before=now,
        created_at=now,
        patient_id=patient_id,
    )
    session.add(row)
    return row


def enqueue_document(
    session: AsyncSession,
    chat_id: int,
    *,
    filename: str,
    content: str,
    caption: str,
    now: datetime,
    purpose: str,
    patient_id: int | None = None,
) -> Outbox:
    """Add a sendDocument of a text file; the content is dropped from the row once sent."""
    row = Outbox(
        chat_id=chat_id,
        method="document",
        payload={"filename": filename, "content": content, "caption": caption},
        purpose=purpose,
        priority=int(Priority.REPLY),
        status=OutboxStatus.PENDING,
        attempts=0,
        not_before=now,
        created_at=now,
        patient_id=patient_id,
    )
    session.add(row)
    return row
