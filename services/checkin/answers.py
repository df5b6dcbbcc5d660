"""Reading answers: who may answer, a check-in's current answers, the recent history."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import cast

from sqlalchemy import Select, Table, and_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Answer, CareLink, CareLinkKind, CheckIn, Patient
from recovery import PastCheckIn

__all__ = ["HISTORY_LENGTH", "answers_and_history", "is_caregiver", "may_answer"]

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


def _recent_answers() -> Select[tuple[int, int, date, str | None, str | None]]:
    """Written on the tables' columns, not the mapped classes': a Core statement skips the
    ORM's compile and result stages (a press reads this every time), and also its autoflush:
    answers or check-ins added as ORM objects and not yet flushed are not seen (the callers
    write answers by Core ``INSERT``; flush first if that changes)."""
    checkins, answers = cast(Table, CheckIn.__table__), cast(Table, Answer.__table__)
    recent = (
        select(checkins.c.id, checkins.c.post_op_day, checkins.c.local_date)
        .where(
            checkins.c.patient_id == bindparam("patient"),
            checkins.c.local_date <= bindparam("day"),
        )
        .order_by(checkins.c.local_date.desc())
        .limit(HISTORY_LENGTH + 1)
        .subquery()
    )
    current = and_(answers.c.checkin_id == recent.c.id, answers.c.superseded_at.is_(None))
    return select(
        recent.c.id,
        recent.c.post_op_day,
        recent.c.local_date,
        answers.c.question_key,
        answers.c.value,
    ).outerjoin(answers, current)


# Built once: a statement object keeps its cache key, so each press skips building it again.
_RECENT_ANSWERS = _recent_answers()


async def answers_and_history(
    session: AsyncSession, checkin: CheckIn
) -> tuple[dict[str, str], list[PastCheckIn]]:
    """The latest answer to each question of ``checkin``, and the patient's check-ins before it
    (at most 14, oldest first) with theirs, for the triage engine's trend rules.

    One query whatever the length: the check-in and the 14 before it (one per local date),
    each with its current answers.

    Returns:
        (question key -> value of ``checkin``, the history).
    """
    rows = await session.execute(
        _RECENT_ANSWERS, {"patient": checkin.patient_id, "day": checkin.local_date}
    )
    days: dict[int, tuple[date, int]] = {}
    answers: dict[int, dict[str, str]] = defaultdict(dict)
    for checkin_id, day, local_date, key, value in rows:
        days[checkin_id] = (local_date, day)
        if key is not None:
            answers[checkin_id][key] = value
    current = answers.pop(checkin.id, {})
    earlier = sorted((d, cid) for cid, d in days.items() if cid != checkin.id)
    past = [PastCheckIn(post_op_day=days[cid][1], answers=answers[cid]) for _, cid in earlier]
    return current, past
