"""The patient's check-in switches: /status, /pause, /resume and /stop (or the word "stop").

Each function is one transaction that reads or changes the patient and enqueues the reply to
``chat_id`` (the private chat the command came from). A user who is not a patient gets a
pointer to /start, in the language they chose here, else their Telegram app's
(``language_code``). /mydata lives in :mod:`.my_data`, /delete in :mod:`.erasure`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Answer, CheckIn, Outbox, OutboxStatus, Patient, PatientStatus
from recovery import ProtocolSet
from services.context import Services
from services.outbox import Priority, enqueue
from services.pain_course import read_pain_course, send_pain_chart
from services.patients import find_patient, patient_day, patient_zone, reschedule
from services.replies import reader_in
from services.risk_summary import note_change
from views import account as views
from views import texts
from views.account import is_opt_out_word
from views.i18n import Translator, translator
from views.message import Message

__all__ = [
    "PatientState",
    "is_opt_out_word",
    "pause_checkins",
    "resume_checkins",
    "show_status",
    "stop_checkins",
]

RECENT_CHECKINS = 5
PAIN_KEY = "pain"
PAUSE_REFUSALS = {  # why /pause changes nothing, by the patient's status
    PatientStatus.ENROLLING: views.STILL_ENROLLING,
    PatientStatus.PAUSED: views.ALREADY_PAUSED,
    PatientStatus.WITHDRAWN: views.ALREADY_STOPPED,
    PatientStatus.FINISHED: views.PROGRAMME_FINISHED,
}

Switch = Callable[[AsyncSession, Patient, datetime, Translator], Awaitable[tuple[Message, bool]]]
"""Changes a found patient (at ``now``); returns the reply in the patient's language and
whether anything changed."""


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


async def show_status(
    services: Services, user_id: int, chat_id: int, language_code: str | None = None
) -> views.StatusView | None:
    """Send /status: recovery day, procedure, last check-ins, pain trend and next check-in.

    Args:
        services: the service context.
        user_id: the Telegram user asking.
        chat_id: where to reply.

    Returns:
        What was shown, or None when the user is not an enrolled patient.
    """
    now = services.now()
    async with services.transaction() as session:
        patient = await find_patient(session, user_id, now=now)
        if patient is None:
            await _not_enrolled(session, user_id, chat_id, now, "status", language_code)
            return None
        tr = translator(patient.language)
        if patient.status == PatientStatus.ENROLLING:
            message = views.say(views.STILL_ENROLLING, tr)
            enqueue(session, chat_id, message, now=now, purpose="status", patient_id=patient.id)
            return None
        zone = patient_zone(patient)
        view = views.StatusView(
            patient_status=str(patient.status),
            procedure=None if patient.procedure is None else str(patient.procedure),
            surgery_date=patient.surgery_date,
            post_op_day=(patient_day(patient, now) if patient.surgery_date is not None else None),
            in_hospital=patient.in_hospital,
            next_checkin=(
                patient.next_checkin_at.astimezone(zone) if patient.next_checkin_at else None
            ),
            timezone=patient.timezone,
            recent=await _recent_lines(session, patient.id),
        )
        message = views.status_message(view, tr)
        enqueue(session, chat_id, message, now=now, purpose="status", patient_id=patient.id)
        course = await read_pain_course(session, services, patient, now)
    await send_pain_chart(services, course, chat_id, purpose="status", tr=tr)
    return view


async def _not_enrolled(
    session: AsyncSession,
    user_id: int,
    chat_id: int,
    now: datetime,
    purpose: str,
    language_code: str | None,
) -> None:
    tr = await reader_in(session, user_id, language_code)
    enqueue(session, chat_id, texts.not_enrolled(tr), now=now, purpose=purpose)


async def _switch(
    services: Services,
    user_id: int,
    chat_id: int,
    language_code: str | None,
    purpose: str,
    switch: Switch,
) -> PatientState | None:
    """One switch command in one transaction: find and lock the patient, switch, reply."""
    now = services.now()
    async with services.transaction() as session:
        patient = await find_patient(session, user_id, now=now, for_update=True)
        if patient is None:
            await _not_enrolled(session, user_id, chat_id, now, purpose, language_code)
            return None
        message, changed = await switch(session, patient, now, translator(patient.language))
        enqueue(session, chat_id, message, now=now, purpose=purpose, patient_id=patient.id)
        return PatientState(patient.ref, patient.status, patient.next_checkin_at, changed)


async def _halt(
    session: AsyncSession, patient: Patient, status: PatientStatus, now: datetime
) -> None:
    """End check-ins with ``status``: no next check-in and no undelivered routine messages.

    Questions, reminders and notices about the patient not yet delivered (e.g. held back by
    quiet hours) are forgotten, so none of them arrives; alerts and replies stay.
    """
    patient.status = status
    patient.next_checkin_at = None
    patient.updated_at = now
    note_change(session, patient.id, now)
    await session.execute(
        delete(Outbox).where(
            Outbox.patient_id == patient.id,
            Outbox.status == OutboxStatus.PENDING,
            Outbox.priority >= int(Priority.QUESTION),
        )
    )


async def _pause(
    session: AsyncSession, patient: Patient, now: datetime, tr: Translator
) -> tuple[Message, bool]:
    if patient.status != PatientStatus.ACTIVE:
        return views.say(PAUSE_REFUSALS[patient.status], tr), False
    await _halt(session, patient, PatientStatus.PAUSED, now)
    return views.say(views.PAUSED, tr), True


async def _resume(
    protocols: ProtocolSet, session: AsyncSession, patient: Patient, now: datetime, tr: Translator
) -> tuple[Message, bool]:
    if patient.status == PatientStatus.ENROLLING:
        return views.say(views.STILL_ENROLLING, tr), False
    if patient.status == PatientStatus.FINISHED:
        return views.say(views.PROGRAMME_FINISHED, tr), False
    changed = patient.status != PatientStatus.ACTIVE
    if changed:
        patient.status = PatientStatus.ACTIVE
        patient.updated_at = now
        note_change(session, patient.id, now)
        reschedule(patient, protocols, now)
    nxt = patient.next_checkin_at
    message = views.resumed_message(
        next_checkin=None if nxt is None else nxt.astimezone(patient_zone(patient)),
        timezone=patient.timezone,
        in_hospital=patient.in_hospital,
        already=not changed,
        tr=tr,
    )
    return message, changed


async def _stop(
    session: AsyncSession, patient: Patient, now: datetime, tr: Translator
) -> tuple[Message, bool]:
    if patient.status == PatientStatus.ENROLLING:
        return views.say(views.STOPPED_WHILE_ENROLLING, tr), False
    if patient.status == PatientStatus.WITHDRAWN:
        return views.say(views.ALREADY_STOPPED, tr), False
    await _halt(session, patient, PatientStatus.WITHDRAWN, now)
    return views.say(views.STOPPED, tr), True


async def pause_checkins(
    services: Services, user_id: int, chat_id: int, language_code: str | None = None
) -> PatientState | None:
    """Send /pause: no check-ins until /resume (status PAUSED, no next check-in).

    Undelivered questions, reminders and notices about the patient are dropped.

    Args:
        services: the service context.
        user_id: the Telegram user asking.
        chat_id: where to reply.

    Returns:
        The patient's state afterwards (changed only if they were active), or None when the
        user is not a patient.
    """
    return await _switch(services, user_id, chat_id, language_code, "pause", _pause)


async def resume_checkins(
    services: Services, user_id: int, chat_id: int, language_code: str | None = None
) -> PatientState | None:
    """Send /resume: a paused or stopped patient is active again; says when the next one comes.

    Args:
        services: the service context.
        user_id: the Telegram user asking.
        chat_id: where to reply.

    Returns:
        The patient's state afterwards (unchanged while enrolling, when finished or already
        active), or None when the user is not a patient.
    """
    resume = partial(_resume, services.protocols)
    return await _switch(services, user_id, chat_id, language_code, "resume", resume)


async def stop_checkins(
    services: Services, user_id: int, chat_id: int, language_code: str | None = None
) -> PatientState | None:
    """Send /stop (or the word "stop"): check-ins end for good, the data is kept.

    The patient becomes WITHDRAWN with no next check-in and undelivered questions, reminders
    and notices about them are dropped; /resume or /start brings them back, /delete erases the
    data. A user still enrolling keeps their state (no check-ins are due).

    Args:
        services: the service context.
        user_id: the Telegram user asking.
        chat_id: where to reply.

    Returns:
        The patient's state afterwards (unchanged while enrolling or when already stopped),
        or None when the user is not a patient.
    """
    return await _switch(services, user_id, chat_id, language_code, "stop", _stop)
