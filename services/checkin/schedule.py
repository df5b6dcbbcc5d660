"""Due work found in the database on each scheduler tick: check-ins, reminders, missed marks.

Each sweep takes its batches in their own transactions and returns how many items it handled.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, Select, Table, bindparam, case, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import CheckIn, CheckInStatus, Patient, PatientStatus
from recovery import UNCLEAR_PREFIX, assess
from services.checkin.answers import answers_and_history
from services.checkin.asking import create_checkins, send_question
from services.checkin.closing import triage_at_close
from services.checkin.due import DuePatient, DueStep, plan_due
from services.context import Services
from services.outbox import Priority, enqueue, enqueue_many, outbox_row
from services.patients import patient_protocol, patient_texts, patient_zone
from services.recipients import caregiver_links
from services.risk_summary import note_change
from services.timing import after_quiet_hours
from views import checkin as views
from views.alerts import unclear_signs
from views.i18n import translator

__all__ = ["dispatch_due", "mark_missed", "remind_due"]

_PATIENTS = cast(Table, Patient.__table__)  # the Core table: bulk statements skip the ORM

BATCH = 200  # reminders and missed marks per transaction
DISPATCH_BATCH = 500  # due patients claimed per statement


async def dispatch_due(services: Services) -> int:
    """Start the check-in of every active patient whose slot has come.

    Set-based: each batch of due patients is claimed by one statement (``FOR UPDATE SKIP
    LOCKED`` on PostgreSQL, so another instance takes the next batch), planned in memory
    (:func:`services.checkin.due.plan_due`), and written by one statement per kind: the
    check-ins, their first questions, the closing notes, the patients' next slots. One
    check-in per patient and local day (a unique constraint guards it across instances);
    after downtime only today's check-in is sent, never one per missed tick.

    Returns:
        How many due patients were handled (started, moved on, or finished).
    """
    handled = 0
    while True:
        now = services.now()
        async with services.transaction() as session:
            due = await _claim_due(session, now)
            steps = [plan_due(patient, services.protocols, now) for patient in due]
            await create_checkins(session, [s for s in steps if s.start], now=now)
            await _finish(session, [s for s in steps if s.finish], now)
            await _advance(session, steps, now)
        handled += len(due)
        if len(due) < DISPATCH_BATCH:
            return handled


async def _claim_due(session: AsyncSession, now: datetime) -> list[DuePatient]:
    p = _PATIENTS.c
    stmt = (
        select(
            p.id,
            p.chat_id,
            p.status,
            p.procedure,
            p.surgery_date,
            p.discharge_date,
            p.in_hospital,
            p.timezone,
            p.checkin_time,
            p.next_checkin_at,
            p.language,
        )
        .where(p.status == PatientStatus.ACTIVE, p.next_checkin_at <= now)
        .order_by(p.next_checkin_at)
        .limit(DISPATCH_BATCH)
        .with_for_update(skip_locked=True)  # another instance takes the next batch
    )
    return [DuePatient(*row) for row in await session.execute(stmt)]


async def _finish(session: AsyncSession, steps: list[DueStep], now: datetime) -> None:
    """The recovery window is over: one closing message each (the patient row follows)."""
    rows = [
        outbox_row(
            step.patient.chat_id,
            views.closing_message(
                step.protocol.recovery_window_days, translator(step.patient.language)
            ),
            now=now,
            purpose="closing",
            priority=Priority.ROUTINE,
            patient_id=step.patient.id,
        )
        for step in steps
    ]
    await enqueue_many(session, rows)
    for step in steps:
        note_change(session, step.patient.id, now)  # finished: off the patient lists


async def _advance(session: AsyncSession, steps: list[DueStep], now: datetime) -> None:
    """Every claimed patient's next slot (and the finished ones' status), one executemany."""
    if not steps:
        return
    p = _PATIENTS.c
    stmt = (
        update(_PATIENTS)
        .where(p.id == bindparam("patient"))
        .values(
            next_checkin_at=bindparam("next_at"),
            status=bindparam("new_status"),
            finished_at=case((bindparam("ends") == true(), now), else_=p.finished_at),
        )
    )
    rows = [
        {
            "patient": step.patient.id,
            "next_at": step.next_at,
            "new_status": PatientStatus.FINISHED if step.finish else step.patient.status,
            "ends": step.finish,
        }
        for step in steps
    ]
    await session.execute(stmt, rows)


def _open_checkins(
    before: datetime, *extra: ColumnElement[bool]
) -> Select[tuple[CheckIn, Patient]]:
    return (
        select(CheckIn, Patient)
        .join(Patient, Patient.id == CheckIn.patient_id)
        .where(
            Patient.status == PatientStatus.ACTIVE,
            CheckIn.status.in_([CheckInStatus.SENT, CheckInStatus.IN_PROGRESS]),
            CheckIn.completed_at.is_(None),
            CheckIn.sent_at <= before,
            *extra,
        )
        .order_by(CheckIn.id)
        .limit(BATCH)
        # Claimed as dispatch claims patients: another instance skips these rows, and one that
        # waited re-reads them after this commit (reminded or missed by then, so not chosen).
        .with_for_update(of=CheckIn, skip_locked=True)
    )


async def remind_due(services: Services) -> int:
    """One reminder (outside quiet hours) for a check-in unfinished after the reminder delay."""
    now = services.now()
    async with services.transaction() as session:
        stmt = _open_checkins(now - services.config.reminder_after, CheckIn.reminded_at.is_(None))
        rows = (await session.execute(stmt)).all()
        for checkin, patient in rows:
            checkin.reminded_at = now
            when = after_quiet_hours(now, patient_zone(patient), services.config.quiet_hours)
            enqueue(
                session,
                patient.chat_id,
                views.reminder_message(translator(patient.language)),
                now=now,
                not_before=when,
                purpose="reminder",
                priority=Priority.ROUTINE,
                patient_id=patient.id,
            )
            protocol = patient_protocol(patient, services.protocols)
            await send_question(
                session, services, patient, checkin, protocol, now=now, not_before=when
            )
        return len(rows)


async def mark_missed(services: Services) -> int:
    """Mark check-ins missed after the missed delay, triage what was answered, tell caregivers.

    A half-done check-in is triaged as it stands: an unclear answer to a warning sign reaches
    the care team now, and the patient is told what to do if they have it. Answers may still
    arrive later and are kept: a missed check-in reopens on an answer.
    """
    now = services.now()
    async with services.transaction() as session:
        rows = (await session.execute(_open_checkins(now - services.config.missed_after))).all()
        for checkin, patient in rows:
            checkin.status = CheckInStatus.MISSED
            note_change(session, patient.id, now)  # the missed streak and count change
            await _triage_missed(session, services, patient, checkin, now)
            for link in await caregiver_links(session, patient.id):
                when = after_quiet_hours(now, patient_zone(patient), services.config.quiet_hours)
                enqueue(
                    session,
                    link.chat_id,
                    views.missed_notice(
                        patient.display_name, translator(link.language or patient.language)
                    ),
                    now=now,
                    not_before=when,
                    purpose="missed",
                    priority=Priority.ROUTINE,
                    patient_id=patient.id,
                    care_link_id=link.id,
                )
        return len(rows)


async def _triage_missed(
    session: AsyncSession, services: Services, patient: Patient, checkin: CheckIn, now: datetime
) -> None:
    answers, past = await answers_and_history(session, checkin)
    if not answers:
        return  # never started: a missed check-in, in the caregivers' notice and the digest
    protocol = patient_protocol(patient, services.protocols)
    assessment = assess(protocol, checkin.post_op_day, answers, past)
    unclear = await triage_at_close(
        session, services, patient, checkin, protocol, answers, assessment, now
    )
    if unclear is not None:
        tr = translator(patient.language)
        shown = patient_texts(patient, services.protocols)  # the signs in the patient's words
        signs = unclear_signs(protocol, shown, unclear.text, tr)
        enqueue(
            session,
            patient.chat_id,
            views.unclear_at_close(signs or unclear.text.removeprefix(UNCLEAR_PREFIX), tr),
            now=now,
            not_before=after_quiet_hours(now, patient_zone(patient), services.config.quiet_hours),
            purpose="unclear",
            priority=Priority.REPLY,
            patient_id=patient.id,
        )
