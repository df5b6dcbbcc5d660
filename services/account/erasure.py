"""The patient's /delete: a confirmation question, then erasing everything stored about them.

Each function is one transaction; replies go to ``chat_id`` through the outbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Outbox, OutboxStatus, Patient
from services.account.caregiver_data import caregiver_copy, erase_caregiver
from services.account.forget import forget_messages
from services.audit import record_event
from services.context import Services
from services.outbox import enqueue, enqueue_edit
from services.patients import find_patient
from services.replies import reader_in
from views import account as views
from views.i18n import Translator, translator

__all__ = ["DELETE_CONFIRM_TTL", "DeletionOutcome", "confirm_deletion", "request_deletion"]

DELETE_CONFIRM_PURPOSE = "delete_confirm"
DELETE_CONFIRM_TTL = timedelta(hours=24)
ACTOR = "patient"


class DeletionOutcome(StrEnum):
    """The result of a press on the /delete confirmation."""

    ERASED = "erased"
    CANCELLED = "cancelled"
    STALE = "stale"  # no such patient any more, or the question is not this patient's current one


async def request_deletion(
    services: Services, user_id: int, chat_id: int, language_code: str | None = None
) -> bool:
    """Send /delete: ask for confirmation with "Yes, erase everything" / "Cancel" buttons.

    Args:
        services: the service context.
        user_id: the Telegram user asking.
        chat_id: where to ask.
        language_code: the user's Telegram language (for someone who chose none here).

    Returns:
        True when the question was sent, False when there is nothing to delete.
    """
    now = services.now()
    async with services.transaction() as session:
        patient = await find_patient(session, user_id, now=now)
        tr = await _reader(session, user_id, patient, language_code)
        if patient is None and (
            chat_id != user_id or await caregiver_copy(session, user_id, now) is None
        ):
            message = views.say(views.NOTHING_STORED, tr)
            enqueue(session, chat_id, message, now=now, purpose="delete")
            return False
        enqueue(
            session,
            chat_id,
            views.delete_question(tr),
            now=now,
            purpose=DELETE_CONFIRM_PURPOSE,
            patient_id=None if patient is None else patient.id,  # none: a caregiver's question
        )
        return True


async def _reader(
    session: AsyncSession, user_id: int, patient: Patient | None, language_code: str | None
) -> Translator:
    """The language of the person deleting: the patient's, else the one they chose here."""
    if patient is not None:
        return translator(patient.language)
    return await reader_in(session, user_id, language_code)


async def _current_question(
    session: AsyncSession, patient_id: int | None, chat_id: int, message_id: int, now: datetime
) -> bool:
    """Whether ``message_id`` is a recent /delete question sent to this patient.

    The question's outbox row goes with the patient, so a button under a question asked before
    an earlier erasure (or to someone else) never erases anything. A question whose delivery is
    not recorded yet (a very quick press) counts as that message.
    """
    found = await session.scalar(
        select(Outbox.id)
        .where(
            Outbox.patient_id == patient_id if patient_id else Outbox.patient_id.is_(None),
            Outbox.purpose == DELETE_CONFIRM_PURPOSE,
            Outbox.chat_id == chat_id,
            Outbox.created_at >= now - DELETE_CONFIRM_TTL,
            or_(
                Outbox.message_id == message_id,
                and_(Outbox.message_id.is_(None), Outbox.status == OutboxStatus.PENDING),
            ),
        )
        .limit(1)
    )
    return found is not None


async def confirm_deletion(
    services: Services,
    user_id: int,
    chat_id: int,
    message_id: int,
    *,
    erase: bool,
    language_code: str | None = None,
) -> DeletionOutcome:
    """Handle a press on the /delete question.

    "Yes" deletes the patient row; the database cascades to check-ins, answers, alerts, caregiver
    links, invitations and the patient's outbox rows. Messages about the patient not tied to
    them (operator pages and lists, exports) are deleted or redacted first (:mod:`.forget`).
    An audit event keeps only the reference.
    The replies are enqueued after the delete, detached from the patient.

    Args:
        services: the service context.
        user_id: the Telegram user who pressed.
        chat_id: the chat of the question.
        message_id: the question's message id.
        erase: True for "Yes, erase everything", False for "Cancel".
        language_code: the user's Telegram language (for someone who chose none here).

    Returns:
        ERASED, CANCELLED, or STALE when there is no patient or the question is not current
        (nothing changes then; the caller shows a notice).
    """
    now = services.now()
    async with services.transaction() as session:
        patient = await find_patient(session, user_id, now=now, for_update=True)
        tr = await _reader(session, user_id, patient, language_code)
        if patient is None and chat_id == user_id:
            return await _confirm_caregiver(session, user_id, message_id, now, tr, erase=erase)
        if patient is None or not await _current_question(
            session, patient.id, chat_id, message_id, now
        ):
            return DeletionOutcome.STALE
        if not erase:
            edit = views.delete_chosen(erased=False, tr=tr)
            enqueue_edit(
                session, chat_id, message_id, edit, now=now, purpose="delete", patient_id=patient.id
            )
            reply = views.say(views.DELETE_CANCELLED, tr)
            enqueue(session, chat_id, reply, now=now, purpose="delete", patient_id=patient.id)
            return DeletionOutcome.CANCELLED
        ref = patient.ref
        await forget_messages(session, patient)
        await session.delete(patient)
        await session.flush()
        record_event(session, at=now, actor=ACTOR, action="patient_deleted", patient_ref=ref)
        edit = views.delete_chosen(erased=True, tr=tr)
        enqueue_edit(session, chat_id, message_id, edit, now=now, purpose="delete")
        enqueue(session, chat_id, views.say(views.ERASED, tr), now=now, purpose="delete")
        return DeletionOutcome.ERASED


async def _confirm_caregiver(
    session: AsyncSession,
    user_id: int,
    message_id: int,
    now: datetime,
    tr: Translator,
    *,
    erase: bool,
) -> DeletionOutcome:
    """A caregiver's press on their /delete question (in their private chat, id = user id)."""
    if not await _current_question(session, None, user_id, message_id, now):
        return DeletionOutcome.STALE
    chosen = views.delete_chosen(erased=erase, tr=tr)
    enqueue_edit(session, user_id, message_id, chosen, now=now, purpose="delete")
    if not erase:
        enqueue(session, user_id, views.say(views.DELETE_CANCELLED, tr), now=now, purpose="delete")
        return DeletionOutcome.CANCELLED
    links = await erase_caregiver(session, user_id)
    record_event(session, at=now, actor="caregiver", action="caregiver_deleted", links=links)
    enqueue(session, user_id, views.say(views.ERASED, tr), now=now, purpose="delete")
    return DeletionOutcome.ERASED
