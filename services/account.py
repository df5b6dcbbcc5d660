"""The patient's self-service use cases: status, pause, resume, stop, export and erase.

Each function is one transaction that changes the patient and enqueues the reply to ``chat_id``
(the private chat the command came from). A user who is not a patient gets a pointer to /start.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Alert,
    Answer,
    AuditEvent,
    CareLink,
    CheckIn,
    Invite,
    Outbox,
    OutboxStatus,
    Patient,
    PatientStatus,
)
from views import account as views
from views.account import is_opt_out_word
from views.message import Message

from .context import Services
from .export_patient import build_patient_export
from .outbox import Priority, enqueue, enqueue_document, enqueue_edit
from .patients import find_patient, patient_day, patient_protocol, patient_zone, reschedule

__all__ = [
    "DELETE_CONFIRM_TTL",
    "DeletionOutcome",
    "ExportResult",
    "PatientState",
    "confirm_deletion",
    "export_my_data",
    "is_opt_out_word",
    "pause_checkins",
    "request_deletion",
    "resume_checkins",
    "show_status",
    "stop_checkins",
]

RECENT_CHECKINS = 5
PAIN_KEY = "pain"
DELETE_CONFIRM_PURPOSE = "delete_confirm"
DELETE_CONFIRM_TTL = timedelta(hours=24)
ACTOR = "patient"


@dataclass(frozen=True)
class PatientState:
    """A patient's scheduling state after a command.

    Attributes:
        ref: the patient's reference (``P-0001``).
        status: the stored status after the command.
        next_checkin_at: the next check-in (UTC), or None.
        changed: False when the command found the patient already in that state (or could not
            apply, e.g. the programme has finished or enrollment is unfinished).
    """

    ref: str
    status: PatientStatus
    next_checkin_at: datetime | None
    changed: bool


@dataclass(frozen=True)
class ExportResult:
    """What /mydata sent: the file name and the number of check-ins in it."""

    filename: str
    checkins: int


class DeletionOutcome(StrEnum):
    """The result of a press on the /delete confirmation."""

    ERASED = "erased"
    CANCELLED = "cancelled"
    STALE = "stale"  # no such patient any more, or the question is not this patient's current one


def _reply(
    session: AsyncSession,
    services: Services,
    chat_id: int,
    message: Message,
    purpose: str,
    patient_id: int | None,
) -> None:
    enqueue(session, chat_id, message, now=services.now(), purpose=purpose, patient_id=patient_id)


async def _drop_routine_messages(session: AsyncSession, patient_id: int) -> None:
    """Forget undelivered questions, reminders and notices about the patient (e.g. held back
    by quiet hours): after /pause or /stop none of them may arrive. Alerts and replies stay."""
    await session.execute(
        delete(Outbox).where(
            Outbox.patient_id == patient_id,
            Outbox.status == OutboxStatus.PENDING,
            Outbox.priority >= int(Priority.QUESTION),
        )
    )


def _state(patient: Patient, *, changed: bool) -> PatientState:
    return PatientState(patient.ref, patient.status, patient.next_checkin_at, changed)


async def _recent_lines(session: AsyncSession, patient_id: int) -> tuple[views.CheckInLine, ...]:
    checkins = (
        await session.scalars(
            select(CheckIn)
            .where(CheckIn.patient_id == patient_id)
            .order_by(CheckIn.local_date.desc())
            .limit(RECENT_CHECKINS)
        )
    ).all()
    pains: dict[int, int] = {}
    if checkins:
        rows = await session.execute(
            select(Answer.checkin_id, Answer.value).where(
                Answer.checkin_id.in_([c.id for c in checkins]),
                Answer.question_key == PAIN_KEY,
                Answer.superseded_at.is_(None),
            )
        )
        pains = {checkin_id: int(value) for checkin_id, value in rows if value.isdigit()}
    return tuple(
        views.CheckInLine(
            local_date=c.local_date,
            status=str(c.status),
            pain=pains.get(c.id),
            level=None if c.level is None else str(c.level),
        )
        for c in reversed(checkins)
    )


async def show_status(services: Services, user_id: int, chat_id: int) -> views.StatusView | None:
    """Send /status: recovery day, procedure, last check-ins, pain trend and next check-in.

    Args:
        services: the service context.
        user_id: the Telegram user asking.
        chat_id: where to reply.

    Returns:
        What was shown, or None when the user is not an enrolled patient.
    """
    async with services.transaction() as session:
        patient = await find_patient(session, user_id)
        if patient is None or patient.status == PatientStatus.ENROLLING:
            if patient is None:
                _reply(session, services, chat_id, views.NOT_ENROLLED, "status", None)
            else:
                _reply(session, services, chat_id, views.STILL_ENROLLING, "status", patient.id)
            return None
        zone = patient_zone(patient)
        view = views.StatusView(
            patient_status=str(patient.status),
            procedure=None if patient.procedure is None else str(patient.procedure),
            surgery_date=patient.surgery_date,
            post_op_day=(
                patient_day(patient, services.now()) if patient.surgery_date is not None else None
            ),
            in_hospital=patient.in_hospital,
            next_checkin=(
                patient.next_checkin_at.astimezone(zone) if patient.next_checkin_at else None
            ),
            timezone=patient.timezone,
            recent=await _recent_lines(session, patient.id),
        )
        _reply(session, services, chat_id, views.status_message(view), "status", patient.id)
        return view


async def pause_checkins(services: Services, user_id: int, chat_id: int) -> PatientState | None:
    """Send /pause: no check-ins until /resume (status PAUSED, no next check-in).

    Undelivered questions, reminders and notices about the patient are dropped.

    Args:
        services: the service context.
        user_id: the Telegram user asking.
        chat_id: where to reply.

    Returns:
        The patient's state afterwards, or None when the user is not a patient.
    """
    now = services.now()
    async with services.transaction() as session:
        patient = await find_patient(session, user_id, for_update=True)
        if patient is None:
            _reply(session, services, chat_id, views.NOT_ENROLLED, "pause", None)
            return None
        changed = patient.status == PatientStatus.ACTIVE
        if changed:
            patient.status = PatientStatus.PAUSED
            patient.next_checkin_at = None
            patient.updated_at = now
            await _drop_routine_messages(session, patient.id)
            message = views.PAUSED
        else:
            message = {
                PatientStatus.ENROLLING: views.STILL_ENROLLING,
                PatientStatus.PAUSED: views.ALREADY_PAUSED,
                PatientStatus.WITHDRAWN: views.ALREADY_STOPPED,
                PatientStatus.FINISHED: views.PROGRAMME_FINISHED,
            }[patient.status]
        _reply(session, services, chat_id, message, "pause", patient.id)
        return _state(patient, changed=changed)


async def resume_checkins(services: Services, user_id: int, chat_id: int) -> PatientState | None:
    """Send /resume: a paused or stopped patient is active again; says when the next one comes.

    Args:
        services: the service context.
        user_id: the Telegram user asking.
        chat_id: where to reply.

    Returns:
        The patient's state afterwards, or None when the user is not a patient.
    """
    now = services.now()
    async with services.transaction() as session:
        patient = await find_patient(session, user_id, for_update=True)
        if patient is None:
            _reply(session, services, chat_id, views.NOT_ENROLLED, "resume", None)
            return None
        if patient.status in (PatientStatus.ENROLLING, PatientStatus.FINISHED):
            message = (
                views.STILL_ENROLLING
                if patient.status == PatientStatus.ENROLLING
                else views.PROGRAMME_FINISHED
            )
            _reply(session, services, chat_id, message, "resume", patient.id)
            return _state(patient, changed=False)
        changed = patient.status != PatientStatus.ACTIVE
        if changed:
            patient.status = PatientStatus.ACTIVE
            patient.updated_at = now
            reschedule(patient, services.protocols, now)
        nxt = patient.next_checkin_at
        message = views.resumed_message(
            next_checkin=None if nxt is None else nxt.astimezone(patient_zone(patient)),
            timezone=patient.timezone,
            in_hospital=patient.in_hospital,
            already=not changed,
        )
        _reply(session, services, chat_id, message, "resume", patient.id)
        return _state(patient, changed=changed)


async def stop_checkins(services: Services, user_id: int, chat_id: int) -> PatientState | None:
    """Send /stop (or the word "stop"): check-ins end for good, the data is kept.

    The patient becomes WITHDRAWN with no next check-in and undelivered questions, reminders
    and notices about them are dropped; /resume or /start brings them back, /delete erases the
    data. A user still enrolling keeps their state (no check-ins are due).

    Args:
        services: the service context.
        user_id: the Telegram user asking.
        chat_id: where to reply.

    Returns:
        The patient's state afterwards, or None when the user is not a patient.
    """
    now = services.now()
    async with services.transaction() as session:
        patient = await find_patient(session, user_id, for_update=True)
        if patient is None:
            _reply(session, services, chat_id, views.NOT_ENROLLED, "stop", None)
            return None
        changed = patient.status not in (PatientStatus.WITHDRAWN, PatientStatus.ENROLLING)
        if changed:
            patient.status = PatientStatus.WITHDRAWN
            patient.next_checkin_at = None
            patient.updated_at = now
            await _drop_routine_messages(session, patient.id)
            message = views.STOPPED
        elif patient.status == PatientStatus.ENROLLING:
            message = views.STOPPED_WHILE_ENROLLING
        else:
            message = views.ALREADY_STOPPED
        _reply(session, services, chat_id, message, "stop", patient.id)
        return _state(patient, changed=changed)


async def export_my_data(services: Services, user_id: int, chat_id: int) -> ExportResult | None:
    """Send /mydata: everything stored about the patient as a JSON document; audited.

    Args:
        services: the service context.
        user_id: the Telegram user asking.
        chat_id: where to send the file.

    Returns:
        The file name and the number of check-ins exported, or None for a non-patient.
    """
    now = services.now()
    async with services.transaction() as session:
        patient = await find_patient(session, user_id)
        if patient is None:
            _reply(session, services, chat_id, views.NOTHING_STORED, "export", None)
            return None
        pid = patient.id
        checkins = (await session.scalars(select(CheckIn).where(CheckIn.patient_id == pid))).all()
        answers = (
            await session.scalars(
                select(Answer)
                .join(CheckIn, Answer.checkin_id == CheckIn.id)
                .where(CheckIn.patient_id == pid)
            )
        ).all()
        alerts = (await session.scalars(select(Alert).where(Alert.patient_id == pid))).all()
        links = (await session.scalars(select(CareLink).where(CareLink.patient_id == pid))).all()
        invites = (await session.scalars(select(Invite).where(Invite.patient_id == pid))).all()
        document = build_patient_export(
            patient,
            checkins=checkins,
            answers=answers,
            alerts=alerts,
            care_links=links,
            invites=invites,
            protocol=patient_protocol(patient, services.protocols) if patient.procedure else None,
            exported_at=now,
        )
        filename = views.export_filename(patient.ref)
        enqueue_document(
            session,
            chat_id,
            filename=filename,
            content=json.dumps(document, indent=2, ensure_ascii=False),
            caption=views.EXPORT_CAPTION,
            now=now,
            purpose="export",
            patient_id=pid,
        )
        session.add(
            AuditEvent(
                at=now, actor=ACTOR, action="patient_export", patient_ref=patient.ref, detail={}
            )
        )
        return ExportResult(filename=filename, checkins=len(checkins))


async def request_deletion(services: Services, user_id: int, chat_id: int) -> bool:
    """Send /delete: ask for confirmation with "Yes, erase everything" / "Cancel" buttons.

    Args:
        services: the service context.
        user_id: the Telegram user asking.
        chat_id: where to ask.

    Returns:
        True when the question was sent, False when there is nothing to delete.
    """
    async with services.transaction() as session:
        patient = await find_patient(session, user_id)
        if patient is None:
            _reply(session, services, chat_id, views.NOTHING_STORED, "delete", None)
            return False
        message = views.delete_question()
        _reply(session, services, chat_id, message, DELETE_CONFIRM_PURPOSE, patient.id)
        return True


async def _current_question(
    session: AsyncSession, patient_id: int, chat_id: int, message_id: int, now: datetime
) -> bool:
    """Whether ``message_id`` is a recent /delete question sent to this patient.

    The question's outbox row goes with the patient, so a button under a question asked before
    an earlier erasure (or to someone else) never erases anything. A question whose delivery is
    not recorded yet (a very quick press) counts as that message.
    """
    found = await session.scalar(
        select(Outbox.id)
        .where(
            Outbox.patient_id == patient_id,
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
    services: Services, user_id: int, chat_id: int, message_id: int, *, erase: bool
) -> DeletionOutcome:
    """Handle a press on the /delete question.

    "Yes" deletes the patient row; the database cascades to check-ins, answers, alerts, caregiver
    links, invitations and the patient's outbox rows. An audit event keeps only the reference.
    The replies are enqueued after the delete, detached from the patient.

    Args:
        services: the service context.
        user_id: the Telegram user who pressed.
        chat_id: the chat of the question.
        message_id: the question's message id.
        erase: True for "Yes, erase everything", False for "Cancel".

    Returns:
        ERASED, CANCELLED, or STALE when there is no patient or the question is not current
        (nothing changes then; the caller shows a notice).
    """
    now = services.now()
    async with services.transaction() as session:
        patient = await find_patient(session, user_id, for_update=True)
        if patient is None or not await _current_question(
            session, patient.id, chat_id, message_id, now
        ):
            return DeletionOutcome.STALE
        if not erase:
            edit = views.delete_chosen(erased=False)
            enqueue_edit(
                session, chat_id, message_id, edit, now=now, purpose="delete", patient_id=patient.id
            )
            _reply(session, services, chat_id, views.DELETE_CANCELLED, "delete", patient.id)
            return DeletionOutcome.CANCELLED
        ref = patient.ref
        await session.delete(patient)
        await session.flush()
        session.add(
            AuditEvent(at=now, actor=ACTOR, action="patient_deleted", patient_ref=ref, detail={})
        )
        enqueue_edit(
            session,
            chat_id,
            message_id,
            views.delete_chosen(erased=True),
            now=now,
            purpose="delete",
        )
        _reply(session, services, chat_id, views.ERASED, "delete", None)
        return DeletionOutcome.ERASED
