"""Recording an answer: check who pressed what, store it, react at once to red flags, go on.

A changed answer supersedes the earlier one (kept as history); each answer is triaged with
the patient's recent history, and an urgent or emergency finding raises an alert in the same
transaction. The check-in then moves to its next question, or finishes with the day's guidance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from models import Answer, CheckIn, CheckInStatus, Patient
from recovery import Level, PastCheckIn, Protocol, Question, Reason, assess
from recovery.overlay import localize_reasons
from services.alerts import report_findings
from services.checkin.answers import answers_and_history, may_answer
from services.checkin.asking import send_question
from services.checkin.closing import triage_at_close
from services.context import Services
from services.outbox import Priority, enqueue, enqueue_edit
from services.patients import patient_protocol, patient_texts
from services.risk_facts import PAIN_KEY
from services.risk_summary import note_change
from views import checkin as views
from views import texts
from views.callbacks import AnswerCb
from views.i18n import translator
from views.message import Message

__all__ = ["Refusal", "record_answer"]

OPEN = (CheckInStatus.SENT, CheckInStatus.IN_PROGRESS)  # answers here leave the summary as is


# Built once: a statement object keeps its cache key, so each press skips building it again.
_PRESSED = (
    select(CheckIn, Patient)
    .join(Patient, Patient.id == CheckIn.patient_id)
    .where(CheckIn.id == bindparam("checkin"))
    .with_for_update(of=CheckIn)  # presses on one check-in take turns
)


# The press's own writes, as Core statements: the ORM's unit of work at commit cost more than
# the rest of a press (docs/performance.md, Session 7).
_ANSWERS, _CHECKINS = cast(Table, Answer.__table__), cast(Table, CheckIn.__table__)
_INSERT_ANSWER = insert(_ANSWERS)
_ADVANCE = (
    update(_CHECKINS)
    .where(_CHECKINS.c.id == bindparam("row"))
    .values(current_question=bindparam("to"), status=bindparam("state"))
)


class Refusal(str):
    """A short notice for a button press that changes nothing (shown as a callback alert)."""


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
        answers, past = await answers_and_history(session, checkin)
        if press.question.key in answers:  # a changed answer: keep the old one as history
            await session.execute(
                update(Answer)
                .where(
                    Answer.checkin_id == checkin.id,
                    Answer.question_key == press.question.key,
                    Answer.superseded_at.is_(None),
                )
                .values(superseded_at=now)
            )
        await session.execute(
            _INSERT_ANSWER,
            {
                "checkin_id": checkin.id,
                "question_key": press.question.key,
                "value": press.value,
                "answered_by": presser_id,
                "answered_at": now,
            },
        )
        if press.question.key == PAIN_KEY or checkin.status not in OPEN:
            note_change(session, patient.id, now)  # a pain score, or a missed check-in reopened
        earlier = {k: v for k, v in answers.items() if k != press.question.key}
        answers[press.question.key] = press.value
        assessment = assess(protocol, checkin.post_op_day, answers, past, partial=True)
        reported = (
            _reported_now(protocol, checkin, earlier, past, assessment.reasons)
            if assessment.reasons  # nothing fired: nothing new to report
            else []
        )
        await report_findings(
            session, services, patient, checkin, reported, now, answered_in=chat_id
        )
        shown = patient_texts(patient, services.protocols).question(press.question.key)
        label = shown.option(press.value) if shown else None
        answered = label.label if label else press.value
        position = checkin.question_keys.index(press.question.key)
        if assessment.level is Level.EMERGENCY or position + 1 == len(checkin.question_keys):
            await _finish(session, services, patient, checkin, protocol, answers, past, now)
            done = Message(f"✓ {answered}\n\nCheck-in closed.")
            enqueue_edit(
                session,
                chat_id,
                message_id,
                done,
                now=now,
                purpose="question",
                patient_id=patient.id,
            )
            return None
        await _advance(session, checkin, checkin.question_keys[position + 1])
        await send_question(
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
    row = (await session.execute(_PRESSED, {"checkin": data.checkin_id})).first()
    if row is None or row[1].procedure is None:
        return Refusal(texts.STALE_BUTTON)
    checkin, patient = row
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


async def _advance(session: AsyncSession, checkin: CheckIn, key: str) -> None:
    """Move the check-in on to question ``key`` by one Core ``UPDATE`` (the press's hot path:
    no ORM flush at commit), keeping the loaded object in step."""
    await session.execute(
        _ADVANCE, {"row": checkin.id, "to": key, "state": CheckInStatus.IN_PROGRESS}
    )
    set_committed_value(checkin, "current_question", key)
    set_committed_value(checkin, "status", CheckInStatus.IN_PROGRESS)


def _reported_now(
    protocol: Protocol,
    checkin: CheckIn,
    earlier: dict[str, str],
    past: list[PastCheckIn],
    reasons: tuple[Reason, ...],
) -> list[Reason]:
    """The reasons this answer fired: those the other current answers alone do not fire.

    A sign reported again (a second check-in the same day, a caregiver's answer, the same
    emergency answered twice) is therefore reported again, and instructed again, every time.
    """
    without = assess(protocol, checkin.post_op_day, earlier, past, partial=True)
    before = {r.key for r in without.reasons}
    return [r for r in reasons if r.key not in before]


async def _finish(
    session: AsyncSession,
    services: Services,
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
    note_change(session, patient.id, now)  # done: the missed streak ends, the last check-in
    checkin.current_question = None
    checkin.completed_at = now
    checkin.level = assessment.level
    await triage_at_close(session, services, patient, checkin, protocol, answers, assessment, now)
    if assessment.level is Level.EMERGENCY:
        return  # the emergency instruction already went out; nothing may dilute it
    shown = patient_texts(patient, services.protocols)  # in the patient's language
    action = shown.action_text(assessment.level) if assessment.level is not Level.OK else None
    message = views.completion_message(
        checkin_id=checkin.id,
        day=checkin.post_op_day,
        level=assessment.level,
        reasons=localize_reasons(shown, assessment.reasons),
        action=action,
        guidance=shown.guidance_for(checkin.post_op_day),
        milestones=shown.milestones_on(checkin.post_op_day),
        tr=translator(patient.language),
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
