"""The risk summaries recomputed from scratch, the way /patients computed them before #19.

An independent oracle for the stored summaries: one bulk pass over every patient's open
alerts and check-ins (the old ``services/care_team/patient_list.py`` queries), not the code
that maintains the rows. :func:`summary_mismatches` lists where stored rows differ.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Alert,
    AlertStatus,
    Answer,
    CheckIn,
    CheckInStatus,
    Patient,
    PatientStatus,
    RiskSummary,
)
from recovery import Level
from services.context import Services
from services.risk import MISSED_IN_A_ROW, RiskFacts, risk_order
from views.care_team.common import pain_rising

__all__ = ["assert_summaries_current", "expected_summaries", "summary_mismatches"]


async def expected_summaries(session: AsyncSession, now: datetime) -> dict[int, dict[str, Any]]:
    """Every patient's summary values, recomputed in bulk at ``now``."""
    today = now.date()
    alerts: dict[int, list[tuple[Level, datetime]]] = defaultdict(list)
    for pid, level, created in await session.execute(
        select(Alert.patient_id, Alert.level, Alert.created_at).where(
            Alert.status == AlertStatus.OPEN
        )
    ):
        alerts[pid].append((Level(level), created))
    missed = dict(
        (
            await session.execute(
                select(CheckIn.patient_id, func.count())
                .where(
                    CheckIn.status == CheckInStatus.MISSED,
                    CheckIn.local_date >= today - timedelta(days=7),
                )
                .group_by(CheckIn.patient_id)
            )
        )
        .tuples()
        .all()
    )
    pains: dict[int, list[int]] = defaultdict(list)
    for pid, value in await session.execute(
        select(CheckIn.patient_id, Answer.value)
        .join(Answer, Answer.checkin_id == CheckIn.id)
        .where(
            Answer.question_key == "pain",
            Answer.superseded_at.is_(None),
            CheckIn.local_date >= today - timedelta(days=14),
        )
        .order_by(CheckIn.patient_id, CheckIn.local_date, Answer.id)
    ):
        if value.isdigit():
            pains[pid].append(int(value))
    streaks: dict[int, tuple[int, datetime | None]] = {}
    broken: set[int] = set()
    for pid, status, sent_at in await session.execute(
        select(CheckIn.patient_id, CheckIn.status, CheckIn.sent_at)
        .where(CheckIn.local_date >= today - timedelta(days=7))
        .order_by(CheckIn.patient_id, CheckIn.local_date.desc())
    ):
        if pid in broken or status in (CheckInStatus.SENT, CheckInStatus.IN_PROGRESS):
            continue
        if status != CheckInStatus.MISSED:
            broken.add(pid)
            continue
        streaks[pid] = (streaks.get(pid, (0, None))[0] + 1, sent_at)
    last = dict(
        (
            await session.execute(
                select(CheckIn.patient_id, func.max(CheckIn.completed_at))
                .where(CheckIn.completed_at.is_not(None))
                .group_by(CheckIn.patient_id)
            )
        )
        .tuples()
        .all()
    )
    expected = {}
    for p in (await session.scalars(select(Patient))).all():
        streak, since = streaks.get(p.id, (0, None))
        scores = pains.get(p.id, [])[-5:]
        open_alerts = alerts.get(p.id, [])
        worst = Level.max(*(lv for lv, _ in open_alerts)) if open_alerts else None
        order = risk_order(
            RiskFacts(
                ref=p.ref,
                name=p.display_name,
                open_alerts=open_alerts,
                missed_streak=streak,
                missed_since=since,
                unreachable_since=p.unreachable_since,
                pain_worsening=pain_rising(scores),
            )
        )
        expected[p.id] = {
            "status": p.status,
            "procedure": p.procedure,
            "listed": p.status in (PatientStatus.ACTIVE, PatientStatus.PAUSED) or bool(open_alerts),
            "tier": int(order.tier),
            "tier_since": order.since,
            "unnamed": order.unnamed,
            "name_key": order.name_key,
            "open_alerts": len(open_alerts),
            "worst_level": worst,
            "pain_scores": ",".join(map(str, scores)),
            "missed_7d": missed.get(p.id, 0),
            "streak_2plus": (streak, since) if streak >= MISSED_IN_A_ROW else (0, None),
            "last_checkin_at": last.get(p.id),
            "unreachable_since": p.unreachable_since,
        }
    return expected


async def summary_mismatches(
    session: AsyncSession, now: datetime, *, skip_due: bool = False
) -> dict[int, dict[str, tuple[Any, Any]]]:
    """Per patient, each value where the stored summary differs: (stored, recomputed).

    Args:
        session: a session on the database.
        now: the time to recompute at.
        skip_due: leave out rows due for the aging sweep (``refresh_at`` reached).
    """
    expected = await expected_summaries(session, now)
    stored = {r.patient_id: r for r in (await session.scalars(select(RiskSummary))).all()}
    wrong: dict[int, dict[str, tuple[Any, Any]]] = {}
    for pid in stored.keys() - expected.keys():
        wrong[pid] = {"row": ("present", "no patient")}
    for pid, values in expected.items():
        row = stored.get(pid)
        if row is None:
            wrong[pid] = {"row": ("missing", "expected")}
            continue
        if skip_due and row.refresh_at is not None and row.refresh_at <= now:
            continue
        got = {name: getattr(row, name) for name in values if name != "streak_2plus"}
        got["streak_2plus"] = (
            (row.missed_streak, row.missed_since)
            if row.missed_streak >= MISSED_IN_A_ROW
            else (0, None)
        )
        diff = {k: (got[k], v) for k, v in values.items() if got[k] != v}
        if diff:
            wrong[pid] = diff
    return wrong


async def assert_summaries_current(services: Services, *, skip_due: bool = True) -> None:
    """Fail when any stored summary differs from the recomputation (one snapshot)."""
    async with services.session_factory() as session:
        if session.bind.dialect.name == "postgresql":
            await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        wrong = await summary_mismatches(session, services.now(), skip_due=skip_due)
    assert not wrong, f"risk summaries differ from a recomputation: {wrong}"
