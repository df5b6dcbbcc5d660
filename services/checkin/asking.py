"""The daily check-in: create it, send its current question, start it on request.

Progress lives in the database (``CheckIn.current_question``), so a restart loses nothing;
recording answers is :mod:`services.checkin.answering`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CheckIn, CheckInStatus, Patient, PatientStatus, upsert
from recovery import Protocol, local_date
from services.checkin.answers import is_caregiver, may_answer
from services.checkin.due import DueStep
from services.checkin.first_question import QuestionTemplate
from services.context import Services
from services.outbox import Priority, enqueue, enqueue_many, outbox_row, write_edit
from services.patients import (
    find_patient,
    patient_protocol,
    patient_texts,
    patient_zone,
    provenance_of,
    reschedule,
)
from services.replies import reader_in
from services.risk_summary import note_change
from views import checkin as views
from views import texts
from views.i18n import translator

__all__ = [
    "create_checkin",
    "create_checkins",
    "resend_current",
    "send_question",
    "start_checkin",
]

_CHECKINS = cast(Table, CheckIn.__table__)  # the Core table: bulk statements skip the ORM


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
        **provenance_of(protocol),
    )
    session.add(checkin)
    await session.flush()
    await send_question(session, services, patient, checkin, protocol, now=now)
    return checkin


async def create_checkins(session: AsyncSession, steps: list[DueStep], *, now: datetime) -> int:
    """Create today's check-in of many patients and queue each first question, in 2 statements.

    One ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` for the check-ins: a patient who
    already has today's check-in (started by hand, or by another instance) keeps it and gets
    no second question; then one executemany for the first questions of those created.

    Args:
        session: the caller's session (the sweep's batch transaction).
        steps: plans with a ``start``.
        now: the current time.

    Returns:
        How many check-ins were created.
    """
    rows: list[dict[str, object]] = []
    firsts: dict[int, tuple[DueStep, QuestionTemplate]] = {}
    days: dict[tuple[int, str, int], tuple[list[str], QuestionTemplate]] = {}
    for step in steps:
        assert step.start is not None  # noqa: S101  (the caller passes starts only)
        today, day = step.start
        shown, tr = step.shown, translator(step.patient.language)  # as the patient reads it
        known = days.get((id(shown), tr.language, day))
        if known is None:  # once per protocol, language and day in the batch, not per patient
            questions = shown.questions_for(day)
            template = QuestionTemplate.render(0, len(questions), questions[0], day=day, tr=tr)
            known = days[(id(shown), tr.language, day)] = ([q.key for q in questions], template)
        keys, template = known
        firsts[step.patient.id] = (step, template)
        rows.append(
            {
                "patient_id": step.patient.id,
                "local_date": today,
                "post_op_day": day,
                "status": CheckInStatus.SENT,
                "trigger": "scheduled",
                "question_keys": keys,
                "current_question": keys[0],
                "created_at": now,
                "sent_at": now,
                **provenance_of(step.protocol),
            }
        )
    if not rows:
        return 0
    stmt = (
        upsert(session, _CHECKINS)
        .on_conflict_do_nothing(index_elements=["patient_id", "local_date"])
        .returning(_CHECKINS.c.id, _CHECKINS.c.patient_id)
    )
    created = (await session.execute(stmt, rows)).all()
    messages = []
    for checkin_id, patient_id in created:
        step, template = firsts[patient_id]
        messages.append(
            outbox_row(
                step.patient.chat_id,
                template.payload(checkin_id),
                now=now,
                purpose="question",
                priority=Priority.QUESTION,
                patient_id=patient_id,
            )
        )
    await enqueue_many(session, messages)
    return len(created)


async def send_question(
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
    """Queue the current question: a new message, or an edit of (chat, message) in place
    (an answer press's next question: written at once, see :func:`services.outbox.write_edit`)."""
    key = checkin.current_question
    shown = patient_texts(patient, services.protocols)  # the protocol in the patient's language
    question = shown.question(key) if key else None
    if key is None or question is None:
        return
    position = checkin.question_keys.index(key)
    message = views.question_message(
        checkin.id,
        position,
        len(checkin.question_keys),
        question,
        day=checkin.post_op_day,
        tr=translator(patient.language),
        previous=previous,
    )
    if edit is not None:
        await write_edit(
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


async def start_checkin(
    services: Services, user_id: int, chat_id: int, language_code: str | None = None
) -> None:
    """``/checkin``: start (or continue, or redo) today's check-in now.

    A completed check-in is reopened: each new answer supersedes the earlier one, which is
    kept as history.
    """
    now = services.now()
    async with services.transaction() as session:
        patient = await find_patient(session, user_id, now=now, for_update=True)
        if patient is None or patient.status not in (PatientStatus.ACTIVE, PatientStatus.PAUSED):
            helping = await is_caregiver(session, user_id)
            tr = await reader_in(session, user_id, language_code)
            reply = texts.caregiver_use_answer(tr) if helping else texts.not_enrolled(tr)
            enqueue(session, chat_id, reply, now=now, purpose="reply")
            return
        tr = translator(patient.language)
        if patient.in_hospital:
            enqueue(session, chat_id, texts.say(texts.IN_HOSPITAL, tr), now=now, purpose="reply")
            return
        protocol = patient_protocol(patient, services.protocols)
        today = local_date(now, patient_zone(patient))
        assert patient.surgery_date is not None  # noqa: S101  (active patients have one)
        day = (today - patient.surgery_date).days
        if day < 0:
            enqueue(session, chat_id, texts.say(texts.BEFORE_SURGERY, tr), now=now, purpose="reply")
            return
        checkin = await session.scalar(
            select(CheckIn).where(CheckIn.patient_id == patient.id, CheckIn.local_date == today)
        )
        if checkin is None:
            await create_checkin(session, services, patient, today, day, trigger="manual", now=now)
            _skip_todays_slot(patient, services, today)
            return
        if checkin.current_question is None:
            checkin.current_question = checkin.question_keys[0]
            checkin.status = CheckInStatus.IN_PROGRESS  # reopened: no longer done or missed
            note_change(session, patient.id, now)
        await send_question(session, services, patient, checkin, protocol, now=now)


def _skip_todays_slot(patient: Patient, services: Services, today: date) -> None:
    """Today's check-in now exists: the next one is not later today (one per local day)."""
    slot = patient.next_checkin_at
    if slot is not None and local_date(slot, patient_zone(patient)) == today:
        patient.next_checkin_at = reschedule(patient, services.protocols, slot)


async def resend_current(services: Services, user_id: int, chat_id: int) -> bool:
    """Free text while a question waits: a hint and the question again.

    Returns:
        False when the user has no open check-in (the text was not for us).
    """
    now = services.now()
    async with services.transaction() as session:
        patient = await find_patient(session, user_id, now=now)
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
        enqueue(
            session,
            chat_id,
            texts.say(texts.USE_BUTTONS, translator(patient.language)),
            now=now,
            purpose="reply",
        )
        await send_question(session, services, patient, checkin, protocol, now=now)
        return True


async def show_more_guidance(
    services: Services, user_id: int, chat_id: int, checkin_id: int
) -> str | None:
    """The "More advice for today" button: the rest of that check-in day's guidance.

    Returns:
        None when sent; a short notice for a stale, forged or foreign press.
    """
    now = services.now()
    async with services.transaction() as session:
        checkin = await session.get(CheckIn, checkin_id)
        patient = await session.get(Patient, checkin.patient_id) if checkin else None
        if checkin is None or patient is None or patient.procedure is None:
            return texts.STALE_BUTTON
        if not await may_answer(session, patient, user_id):
            return texts.NOT_YOURS
        shown = patient_texts(patient, services.protocols)
        day = checkin.post_op_day
        tr = translator(patient.language)
        _, rest = views.split_guidance(day, shown.guidance_for(day), tr)
        if not rest:
            return texts.STALE_BUTTON
        message = views.guidance_more(day, rest, tr)
        enqueue(session, chat_id, message, now=now, purpose="guidance", patient_id=patient.id)
        return None
