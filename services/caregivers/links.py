"""Caregiver links as the caregiver use cases share them: who may manage them, finding live
links, messages to a link or to its patient, and revoking (all in the caller's transaction).

A revoked link gets nothing more: ``revoked_at`` is set and its undelivered outbox rows are
deleted in the same transaction; every fan-out (alerts, missed notices) skips revoked links.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CareLink, CareLinkKind, Invite, Outbox, OutboxStatus, Patient, PatientStatus
from services.outbox import Priority, enqueue
from services.patients import find_patient
from services.replies import reader_in
from views.caregivers import invites as views
from views.message import Message

__all__ = [
    "QUESTION",
    "create_link",
    "SUMMARY",
    "drop_pending",
    "enqueue_to_link",
    "live_link",
    "live_links",
    "patient_or_refusal",
    "revoke_link",
    "tell_patient",
]

# Outbox purposes of the messages a link can stop wanting (dropped while still undelivered).
QUESTION = "question"  # a check-in question sent for answering on the patient's behalf
SUMMARY = "summary"  # the daily summary


async def patient_or_refusal(
    session: AsyncSession,
    user_id: int,
    chat_id: int,
    *,
    statuses: Collection[PatientStatus],
    now: datetime,
    purpose: str,
    language_code: str | None = None,
) -> Patient | None:
    """The patient who manages their caregivers, or a refusal to the user.

    Args:
        session: the caller's session.
        user_id: who asks.
        chat_id: the private chat a refusal goes to.
        statuses: the patient statuses that may go on.
        now: the current time.
        purpose: the outbox purpose of a refusal.
        language_code: the user's Telegram language (for someone who chose none here).

    Returns:
        The patient; None (and "only an enrolled patient can...") when the user is no patient
        or their status is not one of ``statuses``.
    """
    patient = await find_patient(session, user_id, now=now)
    if patient is None or patient.status not in statuses:
        tr = await reader_in(session, user_id, language_code)
        enqueue(session, chat_id, views.say(views.NOT_A_PATIENT, tr), now=now, purpose=purpose)
        return None
    return patient


def _live(kind: CareLinkKind, *where: ColumnElement[bool]) -> Select[tuple[CareLink]]:
    return select(CareLink).where(CareLink.kind == kind, CareLink.revoked_at.is_(None), *where)


async def live_links(
    session: AsyncSession, who: ColumnElement[bool], *, group: bool
) -> list[CareLink]:
    """The unrevoked person (or group) links that match ``who``, oldest first."""
    kind = CareLinkKind.GROUP if group else CareLinkKind.USER
    rows = await session.scalars(_live(kind, who).order_by(CareLink.id))
    return list(rows.all())


async def live_link(
    session: AsyncSession, patient_id: int, kind: CareLinkKind, *, user_id: int, chat_id: int
) -> CareLink | None:
    """The patient's unrevoked link to this person (``user_id``) or group (``chat_id``)."""
    who = CareLink.chat_id == chat_id if kind is CareLinkKind.GROUP else CareLink.user_id == user_id
    link: CareLink | None = await session.scalar(
        _live(kind, CareLink.patient_id == patient_id, who)
    )
    return link


def enqueue_to_link(
    session: AsyncSession,
    link: CareLink,
    message: Message,
    now: datetime,
    *,
    purpose: str,
    priority: Priority = Priority.REPLY,
) -> Outbox:
    """Queue a message to a link's chat (flagged on the link if the chat blocks the bot).

    Args:
        session: the caller's session.
        link: the caregiver or group link.
        message: text and keyboard.
        now: the current time.
        purpose: the outbox purpose (e.g. :data:`QUESTION`).
        priority: delivery order among due messages.

    Returns:
        The new outbox row.
    """
    return enqueue(
        session,
        link.chat_id,
        message,
        now=now,
        purpose=purpose,
        priority=priority,
        patient_id=link.patient_id,
        care_link_id=link.id,
    )


def tell_patient(session: AsyncSession, patient: Patient, message: Message, now: datetime) -> None:
    """Queue a notice about their caregivers to the patient."""
    enqueue(session, patient.chat_id, message, now=now, purpose="care", patient_id=patient.id)


async def revoke_link(session: AsyncSession, link: CareLink, now: datetime) -> None:
    """Revoke a link and delete its undelivered messages, in the caller's transaction."""
    link.revoked_at = now
    await drop_pending(session, link.id)


async def drop_pending(session: AsyncSession, link_id: int, purpose: str | None = None) -> None:
    """Delete a link's undelivered messages (of one ``purpose``, or all)."""
    stmt = delete(Outbox).where(
        Outbox.care_link_id == link_id, Outbox.status == OutboxStatus.PENDING
    )
    if purpose is not None:
        stmt = stmt.where(Outbox.purpose == purpose)
    await session.execute(stmt)


async def create_link(
    session: AsyncSession,
    patient: Patient,
    invite: Invite,
    kind: CareLinkKind,
    user_id: int,
    chat_id: int,
    now: datetime,
) -> CareLink:
    """Create the link and use up the invitation and its sibling secret (caller's session)."""
    siblings = await session.scalars(
        select(Invite).where(Invite.patient_id == patient.id, Invite.used_at.is_(None))
    )
    for row in siblings:
        if row.id == invite.id or row.created_at == invite.created_at:
            row.used_at, row.used_by = now, user_id
    link = CareLink(
        patient_id=patient.id,
        kind=kind,
        chat_id=chat_id,
        user_id=None if kind is CareLinkKind.GROUP else user_id,
        may_answer=False,
        receives_summary=False,
        created_at=now,
    )
    session.add(link)
    await session.flush()
    return link
