"""The daily summary sweep: one line about today's check-in for the links that chose it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from models import Answer, CareLink, CheckIn, CheckInStatus, Outbox, Patient
from recovery import Level, local_date
from services.caregivers.links import SUMMARY
from services.context import Services
from services.outbox import Priority, enqueue
from services.patients import patient_zone
from services.timing import after_quiet_hours
from views.caregivers import summary as views

__all__ = ["send_daily_summaries"]

PAIN_KEY = "pain"


async def send_daily_summaries(services: Services) -> int:
    """Post one line about today's finished or missed check-in to links that chose it.

    Once per check-in and link (an outbox dedupe key), only for the patient's local today,
    held back until the end of quiet hours in the patient's time zone.

    Args:
        services: the service context.

    Returns:
        How many summaries were queued.
    """
    now = services.now()
    async with services.transaction() as session:
        rows = await session.execute(
            select(CheckIn, Patient, CareLink)
            .join(Patient, Patient.id == CheckIn.patient_id)
            .join(CareLink, CareLink.patient_id == Patient.id)
            .where(
                CheckIn.status.in_([CheckInStatus.COMPLETED, CheckInStatus.MISSED]),
                CheckIn.local_date >= (now - timedelta(days=2)).date(),
                CareLink.receives_summary.is_(True),
                CareLink.revoked_at.is_(None),
                CareLink.undeliverable_at.is_(None),
            )
            .order_by(CheckIn.id, CareLink.id)
        )
        due = {
            f"{SUMMARY}:{link.id}:{checkin.id}": (checkin, patient, link)
            for checkin, patient, link in rows
            if checkin.local_date == local_date(now, patient_zone(patient))
        }
        if not due:
            return 0
        done = set(
            await session.scalars(select(Outbox.dedupe_key).where(Outbox.dedupe_key.in_(list(due))))
        )
        for key, (checkin, patient, link) in due.items():
            if key in done:
                continue
            pain = await session.scalar(
                select(Answer.value).where(
                    Answer.checkin_id == checkin.id,
                    Answer.question_key == PAIN_KEY,
                    Answer.superseded_at.is_(None),
                )
            )
            message = views.daily_summary(
                patient.display_name,
                day=checkin.post_op_day,
                completed=checkin.status == CheckInStatus.COMPLETED,
                pain=int(pain) if pain is not None and pain.isdigit() else None,
                level=None if checkin.level is None else Level(checkin.level),
            )
            when = after_quiet_hours(now, patient_zone(patient), services.config.quiet_hours)
            enqueue(
                session,
                link.chat_id,
                message,
                now=now,
                purpose=SUMMARY,
                priority=Priority.ROUTINE,
                not_before=when,
                patient_id=link.patient_id,
                care_link_id=link.id,
                dedupe_key=key,
            )
        return len(due) - len(done)
