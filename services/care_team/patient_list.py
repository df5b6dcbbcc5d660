"""The operators' patient list (``/patients``): active patients ordered by risk.

Ordered by :func:`services.care_team.risk.risk_key` (open emergency, open urgent, attention to
review, 2+ missed in a row, unreachable, worsening pain, others; oldest unhandled first); the
list is paged (:class:`~views.callbacks.PageCb`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, AlertStatus, Answer, CheckIn, CheckInStatus, Patient, PatientStatus
from recovery import Level
from services.care_team.operators import answer_reviewer
from services.care_team.patient_detail import PAIN_KEY, PAIN_SCORES, RECENT_CHECKINS
from services.care_team.risk import MISSED_IN_A_ROW, RiskFacts, risk_key
from services.context import Services
from services.patients import patient_day
from views.care_team.common import PAGE_SIZE, page_slice, pain_rising
from views.care_team.patient_list import PatientLine, patients_message
from views.message import Message

__all__ = ["missed_streaks", "open_alerts_by_patient", "patients_page", "show_patients"]

MISSED_WINDOW = timedelta(days=7)


async def show_patients(services: Services, user_id: int, chat_id: int) -> bool:
    """``/patients``: active patients ordered by risk (alerts, rising pain, missed check-ins).

    Args:
        services: the service context.
        user_id: who asks.
        chat_id: where to answer.

    Returns:
        False when refused.
    """
    return await answer_reviewer(
        services,
        user_id,
        chat_id,
        "op_patients",
        lambda session, now: patients_page(session, services, 0, now),
    )


async def patients_page(
    session: AsyncSession, services: Services, page: int, now: datetime
) -> Message:
    """One page of the patients by risk, inside the caller's session.

    Active and paused patients and anyone with an open alert, riskiest first
    (:func:`~services.care_team.risk.risk_key`).

    Args:
        session: the caller's session (reads only).
        services: the service context.
        page: the page wanted, from 0 (past the end: the last page).
        now: the current time (today, each patient's day, the missed-check-in window).

    Returns:
        The rendered page, with a button per patient and Prev/Next buttons.
    """
    today = now.date()
    alerts = await open_alerts_by_patient(session)
    patients = (
        await session.scalars(
            select(Patient).where(
                or_(
                    Patient.status.in_([PatientStatus.ACTIVE, PatientStatus.PAUSED]),
                    Patient.id.in_(list(alerts)),
                )
            )
        )
    ).all()
    missed = dict(
        (
            await session.execute(
                select(CheckIn.patient_id, func.count())
                .where(
                    CheckIn.status == CheckInStatus.MISSED,
                    CheckIn.local_date >= today - MISSED_WINDOW,
                )
                .group_by(CheckIn.patient_id)
            )
        )
        .tuples()
        .all()
    )
    pains = await _pain_scores(session, today - timedelta(days=RECENT_CHECKINS))
    twice = [pid for pid, count in missed.items() if count >= MISSED_IN_A_ROW]
    streaks = await missed_streaks(session, today - MISSED_WINDOW, twice)
    ranked = [
        (
            risk_key(
                RiskFacts(
                    ref=p.ref,
                    name=p.display_name,
                    open_alerts=alerts.get(p.id, ()),
                    missed_streak=streaks.get(p.id, (0, None))[0],
                    missed_since=streaks.get(p.id, (0, None))[1],
                    unreachable_since=p.unreachable_since,
                    pain_worsening=pain_rising(pains.get(p.id, [])[-PAIN_SCORES:]),
                )
            ),
            PatientLine(
                ref=p.ref,
                name=p.display_name,
                procedure=None if p.procedure is None else str(p.procedure),
                day=patient_day(p, now) if p.surgery_date else None,
                status=str(p.status),
                open_alerts=len(alerts.get(p.id, [])),
                worst=Level.max(*(lv for lv, _ in alerts[p.id])) if p.id in alerts else None,
                pain=tuple(pains.get(p.id, [])[-PAIN_SCORES:]),
                missed=missed.get(p.id, 0),
            ),
        )
        for p in patients
    ]
    ranked.sort(key=lambda pair: pair[0])
    lines = [line for _, line in ranked]
    shown, page, pages = page_slice(lines, page, PAGE_SIZE)
    return patients_message(shown, page=page, pages=pages, total=len(lines))


async def open_alerts_by_patient(session: AsyncSession) -> dict[int, list[tuple[Level, datetime]]]:
    """Each patient's open alerts as (level, raised at), for :class:`RiskFacts`."""
    rows = await session.execute(
        select(Alert.patient_id, Alert.level, Alert.created_at).where(
            Alert.status == AlertStatus.OPEN
        )
    )
    alerts: dict[int, list[tuple[Level, datetime]]] = defaultdict(list)
    for patient_id, level, created_at in rows:
        alerts[patient_id].append((Level(level), created_at))
    return alerts


async def missed_streaks(
    session: AsyncSession, since: date, among: list[int] | None = None
) -> dict[int, tuple[int, datetime | None]]:
    """Per patient: missed check-ins in a row up to the latest (a check-in still open today
    neither counts nor breaks the streak) and when the first of them was sent; only the
    patients ``among`` when given (e.g. those with 2+ missed in the window)."""
    stmt = select(CheckIn.patient_id, CheckIn.status, CheckIn.sent_at).where(
        CheckIn.local_date >= since
    )
    if among is not None:
        if not among:
            return {}
        stmt = stmt.where(CheckIn.patient_id.in_(among))
    rows = await session.execute(stmt.order_by(CheckIn.patient_id, CheckIn.local_date.desc()))
    streaks: dict[int, tuple[int, datetime | None]] = {}
    broken: set[int] = set()
    for patient_id, status, sent_at in rows:
        if patient_id in broken or status in (CheckInStatus.SENT, CheckInStatus.IN_PROGRESS):
            continue
        if status != CheckInStatus.MISSED:
            broken.add(patient_id)
            continue
        count, _ = streaks.get(patient_id, (0, None))
        streaks[patient_id] = (count + 1, sent_at)
    return streaks


async def _pain_scores(session: AsyncSession, since: date) -> dict[int, list[int]]:
    rows = await session.execute(
        select(CheckIn.patient_id, Answer.value)
        .join(Answer, Answer.checkin_id == CheckIn.id)
        .where(
            Answer.question_key == PAIN_KEY,
            Answer.superseded_at.is_(None),
            CheckIn.local_date >= since,
        )
        .order_by(CheckIn.patient_id, CheckIn.local_date)
    )
    scores: dict[int, list[int]] = defaultdict(list)
    for patient_id, value in rows:
        if value.isdigit():
            scores[patient_id].append(int(value))
    return scores
