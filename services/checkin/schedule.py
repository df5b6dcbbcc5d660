"""Due work found in the database on each scheduler tick: check-ins, reminders, missed marks.

Each sweep takes its batches in their own transactions and returns how many items it handled.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CheckIn, CheckInStatus, Patient, PatientStatus
from recovery import UNCLEAR_PREFIX, assess, local_date
from services.checkin.answers import current_answers, history
from services.checkin.asking import create_checkin, send_question
from services.checkin.closing import triage_at_close
from services.context import Services
from services.outbox import Priority, enqueue
from services.patients import patient_protocol, patient_zone, reschedule
from services.recipients import caregiver_links
from services.risk_summary import note_change
from services.timing import after_quiet_hours, local_slot
from views import checkin as views

__all__ = ["dispatch_due", "mark_missed", "remind_due"]

BATCH = 200


async def dispatch_due(services: Services) -> int:
    """Start the check-in of every active patient whose slot has come.

    One check-in per patient and local day (a unique constraint guards it across
    instances); after downtime only today's check-in is sent, never one per missed tick.
    """
    handled = 0
    while True:
        now = services.now()
        async with services.transaction() as session:
            stmt = (
                select(Patient)
                .where(Patient.status == PatientStatus.ACTIVE, Patient.next_checkin_at <= now)
                .order_by(Patient.next_checkin_at)
                .limit(BATCH)
                .with_for_update(skip_locked=True)  # another instance takes the next batch
            )
            patients = (await session.scalars(stmt)).all()
            for patient in patients:
                await _dispatch_one(session, services, patient, now)
        handled += len(patients)
        if len(patients) < BATCH:
            return handled


async def _dispatch_one(
    session: AsyncSession, services: Services, patient: Patient, now: datetime
) -> None:
    tz = patient_zone(patient)
    today = local_date(now, tz)
    assert patient.next_checkin_at is not None  # noqa: S101  (selected on it)
    assert patient.surgery_date is not None  # noqa: S101
    assert patient.checkin_time is not None  # noqa: S101
    stale = local_date(patient.next_checkin_at, tz) < today
    if stale and local_slot(today, patient.checkin_time, tz) > now:
        reschedule(patient, services.protocols, now)  # a missed day: wait for today's slot
        return
    protocol = patient_protocol(patient, services.protocols)
    day = (today - patient.surgery_date).days
    if day > protocol.recovery_window_days:
        patient.status = PatientStatus.FINISHED
        patient.finished_at = now
        note_change(session, patient.id, now)
        patient.next_checkin_at = None
        enqueue(
            session,
            patient.chat_id,
            views.closing_message(protocol.recovery_window_days),
            now=now,
            purpose="closing",
            priority=Priority.ROUTINE,
            patient_id=patient.id,
        )
        return
    exists = await session.scalar(
        select(CheckIn.id).where(CheckIn.patient_id == patient.id, CheckIn.local_date == today)
    )
    if exists is None and protocol.is_checkin_day(day):
        await create_checkin(session, services, patient, today, day, trigger="scheduled", now=now)
    reschedule(patient, services.protocols, now)


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
                views.reminder_message(),
                now=now,
                not_before=when,
                purpose="reminder",
                priority=Priority.ROUTINE,
                patient_id=patient.id,
            )
            protocol = patient_protocol(patient, services.protocols)
            send_question(session, services, patient, checkin, protocol, now=now, not_before=when)
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
            note_change(session, patient.id, now)
            await _triage_missed(session, services, patient, checkin, now)
            name = patient.display_name or "The person you care for"
            for link in await caregiver_links(session, patient.id):
                when = after_quiet_hours(now, patient_zone(patient), services.config.quiet_hours)
                enqueue(
                    session,
                    link.chat_id,
                    views.missed_notice(name),
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
    answers = await current_answers(session, checkin.id)
    if not answers:
        return  # never started: a missed check-in, in the caregivers' notice and the digest
    protocol = patient_protocol(patient, services.protocols)
    past = await history(session, patient.id, checkin)
    assessment = assess(protocol, checkin.post_op_day, answers, past)
    unclear = await triage_at_close(
        session, services, patient, checkin, protocol, answers, assessment, now
    )
    if unclear is not None:
        enqueue(
            session,
            patient.chat_id,
            views.unclear_at_close(unclear.text.removeprefix(UNCLEAR_PREFIX)),
            now=now,
            not_before=after_quiet_hours(now, patient_zone(patient), services.config.quiet_hours),
            purpose="unclear",
            priority=Priority.REPLY,
            patient_id=patient.id,
        )
