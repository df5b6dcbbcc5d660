"""A patient's pain course as a chart: read in the caller's transaction, drawn after it.

Shared by /status (the patient) and /patient (the care team). Reading takes one query whatever
the history (the check-ins joined to their current pain answers, with whether an alert came of
each); drawing (~60 ms) happens in a worker thread after the caller's transaction has ended, so
no database lock is held while matplotlib works, and the photo is queued in a short transaction
of its own.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, Answer, CheckIn, CheckInStatus, Patient
from services.context import Services
from services.outbox import enqueue_photo
from services.patients import patient_day, patient_protocol
from views.i18n import N_, Translator, translator
from views.pain_chart import DayPoint, PainBand, chart_labels, pain_chart

__all__ = ["CHART_CAPTION", "PAIN_QUESTION", "PainCourse", "read_pain_course", "send_pain_chart"]

PAIN_QUESTION = "pain"  # the 0-10 question both protocols ask on every check-in day
CHART_CAPTION = N_("Pain by day since the operation; the shaded band is the usual range.")


@dataclass(frozen=True)
class PainCourse:
    """What the chart shows, read from the database: ready to draw without it."""

    patient_id: int
    points: tuple[DayPoint, ...]
    band: tuple[PainBand, ...]
    today: int
    window: int

    def png(self, tr: Translator | None = None) -> bytes:
        """Draw the chart with its words in ``tr``'s language (None: the clinic's, English).

        CPU-bound: call it in a worker thread.
        """
        labels = chart_labels(tr or translator(None))
        return pain_chart(
            self.points, self.band, today=self.today, window=self.window, labels=labels
        )


async def read_pain_course(
    session: AsyncSession, services: Services, patient: Patient, now: datetime
) -> PainCourse | None:
    """The patient's pain by post-operative day, or None before any check-in."""
    if patient.procedure is None or patient.surgery_date is None:
        return None
    current_pain = and_(
        Answer.checkin_id == CheckIn.id,
        Answer.question_key == PAIN_QUESTION,
        Answer.superseded_at.is_(None),
    )
    alerted = select(Alert.id).where(Alert.checkin_id == CheckIn.id).exists()
    rows = (
        await session.execute(
            select(CheckIn.id, CheckIn.post_op_day, CheckIn.status, Answer.value, alerted)
            .outerjoin(Answer, current_pain)
            .where(CheckIn.patient_id == patient.id)
            .order_by(CheckIn.post_op_day, CheckIn.id)
        )
    ).tuples()
    days: dict[int, DayPoint] = {}  # by check-in: one point each, in day order
    for checkin_id, day, status, score, alert in rows:
        days[checkin_id] = DayPoint(
            day=day,
            score=int(score) if score is not None and score.isdigit() else None,
            missed=status == CheckInStatus.MISSED and score is None,
            alert=bool(alert),
        )
    if not days:
        return None
    points = list(days.values())
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
    services: Services,
    course: PainCourse | None,
    chat_id: int,
    *,
    purpose: str,
    tr: Translator | None = None,
) -> bool:
    """Draw the chart and queue it to ``chat_id`` (kept with the patient's data).

    Call after the transaction that read ``course``. The chart and its caption are in ``tr``'s
    language (the patient's for /status; None: English, as the care team reads it). Returns
    False when there is no chart.
    """
    if course is None:
        return False
    reader = tr or translator(None)
    png = await asyncio.to_thread(course.png, reader)
    async with services.transaction() as session:
        enqueue_photo(
            session,
            chat_id,
            png=png,
            caption=reader.gettext(CHART_CAPTION),
            now=services.now(),
            purpose=purpose,
            patient_id=course.patient_id,
        )
    return True
