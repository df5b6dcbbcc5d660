"""A patient's pain course as a chart: read in the caller's transaction, drawn after it.

Shared by /status (the patient) and /patient (the care team). Reading takes three queries
whatever the history (check-ins, their current pain answers, their alerts); drawing (~60 ms)
happens in a worker thread after the caller's transaction has ended, so no database lock is
held while matplotlib works, and the photo is queued in a short transaction of its own.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, Answer, CheckIn, CheckInStatus, Patient
from services.context import Services
from services.outbox import enqueue_photo
from services.patients import patient_day, patient_protocol
from views.pain_chart import DayPoint, PainBand, pain_chart

__all__ = ["CHART_CAPTION", "PAIN_QUESTION", "PainCourse", "read_pain_course", "send_pain_chart"]

PAIN_QUESTION = "pain"  # the 0-10 question both protocols ask on every check-in day
CHART_CAPTION = "Pain by day since the operation; the shaded band is the usual range."


@dataclass(frozen=True)
class PainCourse:
    """What the chart shows, read from the database: ready to draw without it."""

    patient_id: int
    points: tuple[DayPoint, ...]
    band: tuple[PainBand, ...]
    today: int
    window: int

    def png(self) -> bytes:
        """Draw the chart (CPU-bound: call it in a worker thread)."""
        return pain_chart(self.points, self.band, today=self.today, window=self.window)


async def read_pain_course(
    session: AsyncSession, services: Services, patient: Patient, now: datetime
) -> PainCourse | None:
    """The patient's pain by post-operative day, or None before any check-in."""
    if patient.procedure is None or patient.surgery_date is None:
        return None
    checkins = (
        await session.execute(
            select(CheckIn.id, CheckIn.post_op_day, CheckIn.status)
            .where(CheckIn.patient_id == patient.id)
            .order_by(CheckIn.post_op_day)
        )
    ).all()
    if not checkins:
        return None
    ids = [row.id for row in checkins]
    answered = await session.execute(
        select(Answer.checkin_id, Answer.value).where(
            Answer.checkin_id.in_(ids),
            Answer.question_key == PAIN_QUESTION,
            Answer.superseded_at.is_(None),
        )
    )
    scores = {checkin_id: value for checkin_id, value in answered.tuples()}
    alerted = set(
        (await session.scalars(select(Alert.checkin_id).where(Alert.checkin_id.in_(ids)))).all()
    )
    points = [
        DayPoint(
            day=row.post_op_day,
            score=int(scores[row.id]) if scores.get(row.id, "").isdigit() else None,
            missed=row.status == CheckInStatus.MISSED and row.id not in scores,
            alert=row.id in alerted,
        )
        for row in checkins
    ]
    protocol = patient_protocol(patient, services.protocols)
    window = protocol.recovery_window_days
    band = tuple(
        PainBand(day, usual.low, usual.high)
        for day in range(window + 1)
        if (usual := protocol.expected_pain_on(day)) is not None
    )
    today = patient_day(patient, now)
    return PainCourse(patient.id, tuple(points), band, today, window)


async def send_pain_chart(
    services: Services, course: PainCourse | None, chat_id: int, *, purpose: str
) -> bool:
    """Draw the chart and queue it to ``chat_id`` (kept with the patient's data).

    Call after the transaction that read ``course``. Returns False when there is no chart.
    """
    if course is None:
        return False
    png = await asyncio.to_thread(course.png)
    async with services.transaction() as session:
        enqueue_photo(
            session,
            chat_id,
            png=png,
            caption=CHART_CAPTION,
            now=services.now(),
            purpose=purpose,
            patient_id=course.patient_id,
        )
    return True
