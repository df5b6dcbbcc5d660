"""Writing outgoing messages to the outbox, inside the caller's transaction."""

from __future__ import annotations

import base64
from datetime import datetime
from enum import IntEnum
from typing import cast

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import Outbox, OutboxStatus
from views.keyboard import keyboard_to_json
from views.message import Message

__all__ = [
    "REDACTED_SECRET",
    "SECRET_PURPOSE",
    "Priority",
    "attach_photo",
    "enqueue",
    "enqueue_many",
    "enqueue_clear_buttons",
    "enqueue_document",
    "enqueue_edit",
    "enqueue_photo",
    "outbox_row",
    "payload_of",
    "write_edit",
]

_OUTBOX = cast(Table, Outbox.__table__)  # the Core table: bulk statements skip the ORM
_INSERT = insert(_OUTBOX)  # built once: a statement object keeps its cache key

SECRET_PURPOSE = "invite_secret"  # noqa: S105  (a purpose label: the message has secrets)
REDACTED_SECRET = "(an invitation: its link and code were removed once delivered)"  # noqa: S105


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
    return _add(
        session,
        chat_id,
        "send",
        payload_of(message),
        now=now,
        purpose=purpose,
        priority=priority,
        not_before=not_before or now,
        patient_id=patient_id,
        alert_id=alert_id,
        care_link_id=care_link_id,
        dedupe_key=dedupe_key,
    )


def outbox_row(
    chat_id: int,
    message: Message | dict[str, object],
    *,
    now: datetime,
    purpose: str,
    priority: Priority,
    patient_id: int | None = None,
    method: str = "send",
) -> dict[str, object]:
    """The column values of one sendMessage (or ``method``), for :func:`enqueue_many` (as
    :func:`enqueue`).

    ``message`` may be a ready payload (e.g. from a
    :class:`services.checkin.first_question.QuestionTemplate`).
    """
    return {
        "chat_id": chat_id,
        "method": method,
        "payload": payload_of(message) if isinstance(message, Message) else message,
        "purpose": purpose,
        "priority": int(priority),
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "not_before": now,
        "created_at": now,
        "patient_id": patient_id,
    }


async def enqueue_many(session: AsyncSession, rows: list[dict[str, object]]) -> None:
    """Add many messages in one statement (an executemany), inside the caller's transaction.

    Args:
        session: the caller's session.
        rows: values from :func:`outbox_row`, all with the same keys.
    """
    if rows:
        await session.execute(_INSERT, rows)


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
    payload = {**payload_of(message), "message_id": message_id}
    return _add(session, chat_id, "edit", payload, now=now, purpose=purpose, patient_id=patient_id)


async def write_edit(
    session: AsyncSession,
    chat_id: int,
    message_id: int,
    message: Message,
    *,
    now: datetime,
    purpose: str,
    patient_id: int | None = None,
) -> None:
    """As :func:`enqueue_edit`, but written now by one Core ``INSERT``, not as an ORM row.

    For an answer press's next question, the hot path of a check-in: the ORM's unit of work
    costs more than the rest of the press's writes together (docs/performance.md, Session 7).
    Rows the caller queued before are flushed first, so the outbox keeps their order.
    """
    payload = {**payload_of(message), "message_id": message_id}
    row = outbox_row(
        chat_id,
        payload,
        now=now,
        purpose=purpose,
        priority=Priority.REPLY,
        patient_id=patient_id,
        method="edit",
    )
    await session.flush()
    await session.execute(_INSERT, row)


def enqueue_clear_buttons(
    session: AsyncSession,
    chat_id: int,
    message_id: int,
    *,
    now: datetime,
    purpose: str,
    patient_id: int | None = None,
) -> Outbox:
    """Add an editMessageReplyMarkup that removes a message's buttons (its text stays)."""
    payload: dict[str, object] = {"message_id": message_id}
    return _add(
        session, chat_id, "markup", payload, now=now, purpose=purpose, patient_id=patient_id
    )


def enqueue_document(
    session: AsyncSession,
    chat_id: int,
    *,
    filename: str,
    content: str | bytes,
    caption: str,
    now: datetime,
    purpose: str,
    patient_id: int | None = None,
) -> Outbox:
    """Add a sendDocument (text, or bytes such as a PDF); the content is dropped once sent."""
    payload: dict[str, object] = {"filename": filename, "caption": caption}
    if isinstance(content, bytes):
        payload |= {"content": base64.b64encode(content).decode(), "encoding": "base64"}
    else:
        payload["content"] = content
    return _add(
        session, chat_id, "document", payload, now=now, purpose=purpose, patient_id=patient_id
    )


def enqueue_photo(
    session: AsyncSession,
    chat_id: int,
    *,
    png: bytes,
    caption: str,
    now: datetime,
    purpose: str,
    patient_id: int | None = None,
) -> Outbox:
    """Add a sendPhoto of a PNG (a chart); the image is dropped from the row once sent."""
    payload: dict[str, object] = {"png": base64.b64encode(png).decode(), "caption": caption}
    return _add(session, chat_id, "photo", payload, now=now, purpose=purpose, patient_id=patient_id)


def attach_photo(row: Outbox, png: bytes) -> bool:
    """Turn a queued text message into a photo captioned with that text, before it is sent.

    Returns:
        False (nothing changed) when the row was sent or claimed meanwhile.
    """
    if row.status != OutboxStatus.PENDING or row.lease_until is not None or row.method != "send":
        return False
    caption = str(row.payload.get("text", ""))
    row.method = "photo"
    row.payload = {"png": base64.b64encode(png).decode(), "caption": caption}
    return True


def payload_of(message: Message) -> dict[str, object]:
    """The outbox payload of a message: its text and keyboard as JSON."""
    payload: dict[str, object] = {"text": message.text}
    if message.keyboard:
        payload["keyboard"] = keyboard_to_json(message.keyboard)
    if message.location_button:
        payload["location_button"] = message.location_button
    return payload


def _add(
    session: AsyncSession,
    chat_id: int,
    method: str,
    payload: dict[str, object],
    *,
    now: datetime,
    purpose: str,
    priority: Priority = Priority.REPLY,
    not_before: datetime | None = None,
    **links: int | str | None,
) -> Outbox:
    row = Outbox(
        chat_id=chat_id,
        method=method,
        payload=payload,
        purpose=purpose,
        priority=int(priority),
        status=OutboxStatus.PENDING,
        attempts=0,
        not_before=not_before or now,
        created_at=now,
        **links,
    )
    session.add(row)
    return row
