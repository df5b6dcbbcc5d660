"""The daily summary sweep: today's check-in in one line, as the caption of the pain chart.

In three steps, so no database lock is held while charts are drawn: read what is due (one
transaction), draw the charts (worker threads), queue the photos (one transaction, each under
its dedupe key, so a second instance racing this one fails to commit and tries next tick).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import Answer, CareLink, CheckIn, CheckInStatus, Outbox, Patient
from recovery import Level, local_date
from services.caregivers.languages import link_reader
from services.caregivers.links import SUMMARY
from services.context import Services
from services.outbox import Priority, enqueue, enqueue_photo
from services.pain_course import PainCourse, read_pain_course
from services.patients import patient_zone
from services.timing import after_quiet_hours
from views.caregivers import summary as views
from views.i18n import Translator
from views.message import Message

__all__ = ["send_daily_summaries"]

PAIN_KEY = "pain"


@dataclass(frozen=True)
class _Due:
    key: str
    link: CareLink
    message: Message
    not_before: datetime
    course: PainCourse | None
    tr: Translator  # the link's reader


async def send_daily_summaries(services: Services) -> int:
    """Post today's finished or missed check-in to the links that chose it.

    Once per check-in and link (an outbox dedupe key), only for the patient's local today,
    held back until the end of quiet hours in the patient's time zone.

    Args:
        services: the service context.

    Returns:
        How many summaries were queued.
    """
    now = services.now()
    due = await _read_due(services, now)
    if not due:
        return 0
    pictures = [await asyncio.to_thread(d.course.png, d.tr) if d.course else None for d in due]
    try:
        async with services.transaction() as session:
            for item, png in zip(due, pictures, strict=True):
                if png is None:
                    row = enqueue(
                        session, item.link.chat_id, item.message, now=now, purpose=SUMMARY
                    )
                else:
                    caption = item.message.text
                    row = enqueue_photo(
                        session,
                        item.link.chat_id,
                        png=png,
                        caption=caption,
                        now=now,
                        purpose=SUMMARY,
                    )
                row.patient_id, row.care_link_id = item.link.patient_id, item.link.id
                row.priority, row.not_before = int(Priority.ROUTINE), item.not_before
                row.dedupe_key = item.key
    except IntegrityError:  # another instance queued the same summaries first
        return 0
    return len(due)


async def _read_due(services: Services, now: datetime) -> list[_Due]:
    async with services.session_factory() as session:
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
            return []
        done = set(
            await session.scalars(select(Outbox.dedupe_key).where(Outbox.dedupe_key.in_(list(due))))
        )
        found: list[_Due] = []
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
            tr = link_reader(link, patient)
            message = views.daily_summary(
                patient.display_name,
                day=checkin.post_op_day,
                completed=checkin.status == CheckInStatus.COMPLETED,
                pain=int(pain) if pain is not None and pain.isdigit() else None,
                level=None if checkin.level is None else Level(checkin.level),
                tr=tr,
            )
            when = after_quiet_hours(now, patient_zone(patient), services.config.quiet_hours)
            course = await read_pain_course(session, services, patient, now)
            found.append(_Due(key, link, message, when, course, tr))
        return found
