"""What a patient's risk summary is computed from: a few indexed reads per batch of patients,
bounded by the pain window, whatever the history (sync: they run in the session's greenlet,
inside :func:`services.risk_summary.refresh_summaries`' transaction)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from models import Alert, AlertStatus, Answer, CheckIn, CheckInStatus
from recovery import Level
from services.risk_facts import PAIN_KEY, PAIN_WINDOW, Day

__all__ = ["last_completions", "open_alerts", "recent_days"]


def open_alerts(session: Session, ids: list[int]) -> dict[int, list[tuple[Level, datetime]]]:
    """Each patient's open alerts: (level, raised at)."""
    found: dict[int, list[tuple[Level, datetime]]] = {}
    rows = session.execute(
        select(Alert.patient_id, Alert.level, Alert.created_at).where(
            Alert.patient_id.in_(ids), Alert.status == AlertStatus.OPEN
        )
    )
    for patient_id, level, created_at in rows:
        found.setdefault(patient_id, []).append((Level(level), created_at))
    return found


def recent_days(session: Session, ids: list[int], today: date) -> dict[int, list[Day]]:
    """Each patient's check-ins of the pain window, oldest first, with their pain scores."""
    rows = session.execute(
        select(
            CheckIn.patient_id,
            CheckIn.id,
            CheckIn.local_date,
            CheckIn.status,
            CheckIn.sent_at,
            Answer.value,
        )
        .outerjoin(
            Answer,
            and_(
                Answer.checkin_id == CheckIn.id,
                Answer.question_key == PAIN_KEY,
                Answer.superseded_at.is_(None),
            ),
        )
        .where(CheckIn.patient_id.in_(ids), CheckIn.local_date >= today - PAIN_WINDOW)
        .order_by(CheckIn.patient_id, CheckIn.local_date, Answer.id)
    )
    found: dict[int, list[Day]] = {}
    for patient_id, checkin_id, local_date, status, sent_at, value in rows:
        days = found.setdefault(patient_id, [])
        score = int(value) if value is not None and value.isdigit() else None
        if days and days[-1].checkin_id == checkin_id:
            if score is not None:
                days[-1] = days[-1].with_score(score)
            continue
        days.append(
            Day(
                checkin_id,
                local_date,
                CheckInStatus(status),
                sent_at,
                () if score is None else (score,),
            )
        )
    return found


def last_completions(session: Session, ids: list[int]) -> dict[int, datetime]:
    """When each patient last completed a check-in (patients who never did are left out)."""
    rows = session.execute(
        select(CheckIn.patient_id, func.max(CheckIn.completed_at))
        .where(CheckIn.patient_id.in_(ids), CheckIn.completed_at.is_not(None))
        .group_by(CheckIn.patient_id)
    )
    return {patient_id: at for patient_id, at in rows if at is not None}
