"""Reading answers: who may answer, a check-in's current answers, the recent history."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Answer, CareLink, CareLinkKind, CheckIn, Patient
from recovery import PastCheckIn

__all__ = ["HISTORY_LENGTH", "current_answers", "history", "is_caregiver", "may_answer"]

HISTORY_LENGTH = 14


async def may_answer(session: AsyncSession, patient: Patient, user_id: int) -> bool:
    """The patient, or a caregiver the patient allowed to answer for them."""
    if user_id == patient.telegram_user_id:
        return True
    link = await session.scalar(
        select(CareLink.id).where(
            CareLink.patient_id == patient.id,
            CareLink.kind == CareLinkKind.USER,
            CareLink.user_id == user_id,
            CareLink.may_answer.is_(True),
            CareLink.revoked_at.is_(None),
        )
    )
    return link is not None


async def is_caregiver(session: AsyncSession, user_id: int) -> bool:
    """True when ``user_id`` is a caregiver with a live link to some patient."""
    link = await session.scalar(
        select(CareLink.id)
        .where(
            CareLink.kind == CareLinkKind.USER,
            CareLink.user_id == user_id,
            CareLink.revoked_at.is_(None),
        )
        .limit(1)
    )
    return link is not None


async def current_answers(session: AsyncSession, checkin_id: int) -> dict[str, str]:
    """The latest answer to each question of a check-in."""
    rows = await session.scalars(
        select(Answer).where(Answer.checkin_id == checkin_id, Answer.superseded_at.is_(None))
    )
    return {row.question_key: row.value for row in rows}


async def history(session: AsyncSession, patient_id: int, checkin: CheckIn) -> list[PastCheckIn]:
    """The patient's check-ins before ``checkin`` (at most 14, oldest first) with their answers.

    Two queries whatever the length, for the triage engine's trend rules.
    """
    earlier = (
        await session.execute(
            select(CheckIn.id, CheckIn.post_op_day)
            .where(CheckIn.patient_id == patient_id, CheckIn.local_date < checkin.local_date)
            .order_by(CheckIn.local_date.desc())
            .limit(HISTORY_LENGTH)
        )
    ).all()
    answers: dict[int, dict[str, str]] = defaultdict(dict)
    rows = await session.execute(
        select(Answer.checkin_id, Answer.question_key, Answer.value).where(
            Answer.checkin_id.in_([row.id for row in earlier]), Answer.superseded_at.is_(None)
        )
    )
    for checkin_id, key, value in rows:
        answers[checkin_id][key] = value
    return [
        PastCheckIn(post_op_day=row.post_op_day, answers=answers[row.id])
        for row in reversed(earlier)
    ]
