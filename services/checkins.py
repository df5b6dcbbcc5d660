"""The daily check-in: start it, record each answer, react at once to red flags, finish it.

Progress lives in the database (``CheckIn.current_question``), so a restart loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Alert,
    Answer,
    CheckIn,
    CheckInStatus,
    Patient,
    PatientStatus,
)
from recovery import Level, PastCheckIn, Protocol, Question, Reason, assess, local_date
from views import checkin as views
from views import texts
from views.callbacks import AnswerCb
from views.message import Message

from .alerts import raise_alert
from .answers import current_answers, history, is_caregiver, may_answer
from .context import Services
from .outbox import Priority, enqueue, enqueue_edit
from .patients import find_patient, patient_protocol, patient_zone

__all__ = [
    "Refusal",
    "create_checkin",
    "record_answer",
    "resend_current",
    "send_question",
    "start_checkin",
]


class Refusal(str):
    """A short notice for a button press that changes nothing (shown as a callback alert)."""


async def create_checkin(
    session: AsyncSession,
    services: Services,
    patient: Patient,
    day_date: date,
    post_op_day: int,
    *,
    trigger: str,
    now: datetime,
) -> CheckIn:
    """Create the day's check-in and queue its first question to the patient."""
    protocol = patient_protocol(patient, services.protocols)
    keys = [q.key for q in protocol.questions_for(post_op_day)]
    checkin = CheckIn(
        patient_id=patient.id,
        local_date=day_date,
        post_op_day=post_op_day,
        status=CheckInStatus.SENT,
        trigger=trigger,
        question_keys=keys,
        current_question=keys[0],
        created_at=now,
        sent_at=now,
    )
    session.add(checkin)
    await session.flush()
    send_question(session, services, patient, checkin, protocol, now=now)
    return checkin


def send_question(
    session: AsyncSession,
    services: Services,
    patient: Patient,
    checkin: CheckIn,
    protocol: Protocol,
    *,
    now: datetime,
    edit: tuple[int, int] | None = None,
    previous: str | None = None,
    not_before: datetime | None = None,
) -> None:
    """Queue the current question: a new message, or an edit of (chat, message) in place."""
    key = checkin.current_question
    question = protocol.question(key) if key else None
    if key is None or question is None:
        return
    position = checkin.question_keys.index(key)
    message = views.question_message(
        checkin.id,
        position,
        len(checkin.question_keys),
        question,
        day=checkin.post_op_day,
        previous=previous,
    )
    if edit is not None:
        enqueue_edit(
            session, edit[0], edit[1], message, now=now, purpose="question", patient_id=patient.id
        )
        return
    enqueue(
        session,
        patient.chat_id,
        message,
        now=now,
        purpose="question",
        priority=Priority.QUESTION,
        patient_id=patient.id,
        not_before=not_before,
    )


async def start_checkin(services: Services, user_id: int, chat_id: int) -> None:
    """``/checkin``: start (or continue, or redo) today's check-in now.

    A completed check-in is reopened: each new answer supersedes the earlier one, which is
    kept as history.
    """
    now = services.now()
    async with services.transaction() as session:
        patient = await find_patient(session, user_id, for_update=True)
        if patient is None or patient.status not in (PatientStatus.ACTIVE, PatientStatus.PAUSED):
            helping = await is_caregiver(session, user_id)
            reply = texts.CAREGIVER_USE_ANSWER if helping else texts.NOT_ENROLLED
            enqueue(session, chat_id, reply, now=now, purpose="reply")
            return
        if patient.in_hospital:
            enqueue(session, chat_id, texts.IN_HOSPITAL, now=now, purpose="reply")
            return
        protocol = patient_protocol(patient, services.protocols)
        today = local_date(now, patient_zone(patient))
        assert patient.surgery_date is not None  # noqa: S101  (active patients have one)
        day = (today - patient.surgery_date).days
        if day < 0:
            enqueue(session, chat_id, texts.BEFORE_SURGERY, now=now, purpose="reply")
            return
        checkin = await session.scalar(
            select(CheckIn).where(CheckIn.patient_id == patient.id, CheckIn.local_date == today)
        )
        if checkin is None:
            await create_checkin(session, services, patient, today, day, trigger="manual", now=now)
            return
        if checkin.current_question is None:
            checkin.current_question = checkin.question_keys[0]
            checkin.status = CheckInStatus.IN_PROGRESS
        send_question(session, services, patient, checkin, protocol, now=now)


async def resend_current(services: Services, user_id: int, chat_id: int) -> bool:
    """Free text while a question waits: a hint and the question again.

    Returns:
        False when the user has no open check-in (the text was not for us).
    """
    now = services.now()
    async with services.transaction() as session:
        patient = await find_patient(session, user_id)
        if patient is None or patient.procedure is None:
            return False
        checkin = await session.scalar(
            select(CheckIn)
            .where(CheckIn.patient_id == patient.id, CheckIn.current_question.is_not(None))
            .order_by(CheckIn.local_date.desc())
            .limit(1)
        )
        if checkin is None:
            return False
        protocol = patient_protocol(patient, services.protocols)
        enqueue(session, chat_id, texts.USE_BUTTONS, now=now, purpose="reply")
        send_question(session, services, patient, checkin, protocol, now=now)
        return True


@dataclass(frozen=True)
class _Press:
    checkin: CheckIn
    patient: Patient
    protocol: Protocol
    question: Question
    value: str


async def record_answer(
    services: Services, presser_id: int, chat_id: int, message_id: int, data: AnswerCb
) -> Refusal | None:
    """Store one answer, react to red flags at once, then ask the next question or finish.

    Args:
        services: the service context.
        presser_id: the Telegram user who pressed the button.
        chat_id: the chat of the message with the buttons.
        message_id: that message (edited in place to the next question).
        data: the decoded button.

    Returns:
        None when stored; a Refusal (nothing stored) for stale, forged or foreign presses.
    """
    now = services.now()
    async with services.transaction() as session:
        press = await _validate(session, services, presser_id, data)
        if isinstance(press, Refusal):
            return press
        checkin, patient, protocol = press.checkin, press.patient, press.protocol
        answers = await current_answers(session, checkin.id)
        previous = await session.scalar(
            select(Answer).where(
                Answer.checkin_id == checkin.id,
                Answer.question_key == press.question.key,
                Answer.superseded_at.is_(None),
            )
        )
        if previous is not None:
            previous.superseded_at = now
        session.add(
            Answer(
                checkin_id=checkin.id,
                question_key=press.question.key,
                value=press.value,
                answered_by=presser_id,
                answered_at=now,
            )
        )
        answers[press.question.key] = press.value
        past = await history(session, patient.id, checkin)
        assessment = assess(protocol, checkin.post_op_day, answers, past, partial=True)
        await session.flush()
        await _alert_new_reasons(session, services, patient, checkin, assessment.reasons, now)
        label = press.question.option(press.value)
        answered = f"{label.label if label else press.value}"
        checkin.status = CheckInStatus.IN_PROGRESS
        position = checkin.question_keys.index(press.question.key)
        if assessment.level is Level.EMERGENCY or position + 1 == len(checkin.question_keys):
            _finish(session, patient, checkin, protocol, answers, past, now)
            done = Message(f"✓ {answered}\n\nCheck-in closed.")
            enqueue_edit(session, chat_id, message_id, done, now=now, purpose="question")
            return None
        checkin.current_question = checkin.question_keys[position + 1]
        send_question(
            session,
            services,
            patient,
            checkin,
            protocol,
            now=now,
            edit=(chat_id, message_id),
            previous=answered,
        )
        return None


async def _validate(
    session: AsyncSession, services: Services, presser_id: int, data: AnswerCb
) -> _Press | Refusal:
    checkin = await session.scalar(
        select(CheckIn).where(CheckIn.id == data.checkin_id).with_for_update()
    )
    patient = await session.get(Patient, checkin.patient_id) if checkin else None
    if checkin is None or patient is None or patient.procedure is None:
        return Refusal(texts.STALE_BUTTON)
    if not await may_answer(session, patient, presser_id):
        return Refusal(texts.NOT_YOURS)
    if not 0 <= data.question < len(checkin.question_keys):
        return Refusal(texts.STALE_BUTTON)
    key = checkin.question_keys[data.question]
    if checkin.current_question != key:
        return Refusal(texts.ALREADY_ANSWERED)
    protocol = patient_protocol(patient, services.protocols)
    question = protocol.question(key)
    if question is None or not 0 <= data.option < len(question.options):
        return Refusal(texts.STALE_BUTTON)
    return _Press(checkin, patient, protocol, question, question.options[data.option].value)


async def _alert_new_reasons(
    session: AsyncSession,
    services: Services,
    patient: Patient,
    checkin: CheckIn,
    reasons: tuple[Reason, ...],
    now: datetime,
) -> None:
    raised = await session.scalars(select(Alert.reasons).where(Alert.checkin_id == checkin.id))
    already = {key for keys in raised for key in keys}
    fresh = [r for r in reasons if r.level >= Level.URGENT and r.key not in already]
    if fresh:
        await raise_alert(session, services, patient, checkin, fresh, now)


def _finish(
    session: AsyncSession,
    patient: Patient,
    checkin: CheckIn,
    protocol: Protocol,
    answers: dict[str, str],
    history: list[PastCheckIn],
    now: datetime,
) -> None:
    partial = answers.keys() != set(checkin.question_keys)
    assessment = assess(protocol, checkin.post_op_day, answers, history, partial=partial)
    checkin.status = CheckInStatus.COMPLETED
    checkin.current_question = None
    checkin.completed_at = now
    checkin.level = assessment.level
    if assessment.level is Level.EMERGENCY:
        return  # the emergency instruction already went out; nothing may dilute it
    action = protocol.action_text(assessment.level) if assessment.level is not Level.OK else None
    message = views.completion_message(
        day=checkin.post_op_day,
        level=assessment.level,
        reasons=assessment.reasons,
        action=action,
        guidance=protocol.guidance_for(checkin.post_op_day),
        milestones=protocol.milestones_on(checkin.post_op_day),
    )
    enqueue(
        session,
        patient.chat_id,
        message,
        now=now,
        purpose="guidance",
        priority=Priority.REPLY,
        patient_id=patient.id,
    )
