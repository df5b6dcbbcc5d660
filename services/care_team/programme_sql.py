"""The programme's figures: per procedure, from SQL aggregates (cached by :mod:`.programme`).

Check-in completion by post-operative week, alerts per 100 check-ins by level, minutes from
alert to acknowledgement (median, 90th percentile) and recorded outcomes, per procedure and
in total. Four grouped queries whatever the number of patients; no patient row is loaded:

1. check-ins by procedure, week and status (a scan of ``checkins`` joined to ``patients``);
2. the open ones (sent, in progress; read through the status index) by procedure, week,
   time zone and local date, to tell "still open after its day" from "today's, not due yet"
   in each patient's own zone;
3. alerts by procedure, level and outcome;
4. the acknowledgement delays: ``percentile_cont`` on PostgreSQL; on SQLite (which has no
   percentiles) the delays themselves, one number per acknowledged alert, interpolated the
   same way in Python.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ColumnElement, Float, Integer, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, CheckIn, CheckInStatus, Patient
from recovery import Level, Procedure
from views.callbacks import AlertOutcome
from views.care_team.programme import (
    ALERT_LEVELS,
    ProcedureFigures,
    ProgrammeFigures,
    WeekCompletion,
)

__all__ = ["percentile_cont", "read_figures"]

OPEN = (CheckInStatus.SENT, CheckInStatus.IN_PROGRESS)
_WEEK = CheckIn.post_op_day // literal_column("7", Integer)  # same text in SELECT and GROUP BY

Counts = dict[tuple[Procedure | None, int], dict[str, int]]  # (procedure, week) -> counts by kind
Ack = tuple[int, float | None, float | None]  # acknowledged, median, 90th percentile


async def read_figures(session: AsyncSession, now: datetime) -> ProgrammeFigures:
    """Read the figures afresh: four grouped queries, then the per-procedure sums."""
    weeks = await _checkin_counts(session, now)
    alerts, outcomes = await _alert_counts(session)
    acks = await _ack_times(session, in_sql=_dialect(session) == "postgresql")
    groups = tuple(
        _figures(procedure, weeks, alerts, outcomes, acks.get(procedure)) for procedure in Procedure
    )
    total = _figures(None, weeks, alerts, outcomes, acks.get(None))
    return ProgrammeFigures(as_of=now, procedures=groups, total=total)


def percentile_cont(ordered: Sequence[float], fraction: float) -> float | None:
    """The ``fraction`` percentile of sorted values, interpolated between the two nearest
    ranks exactly as SQL ``percentile_cont`` does (None for no values)."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


async def _checkin_counts(session: AsyncSession, now: datetime) -> Counts:
    counts: Counts = defaultdict(lambda: defaultdict(int))
    rows = await session.execute(
        select(Patient.procedure, _WEEK, CheckIn.status, func.count())
        .join(Patient, Patient.id == CheckIn.patient_id)
        .where(Patient.procedure.is_not(None))
        .group_by(Patient.procedure, _WEEK, CheckIn.status)
    )
    for procedure, week, status, count in rows.tuples():
        counts[procedure, week]["all"] += count  # "sent" is a status too
        counts[procedure, week][str(status)] += count
    open_rows = await session.execute(
        select(Patient.procedure, _WEEK, Patient.timezone, CheckIn.local_date, func.count())
        .join(Patient, Patient.id == CheckIn.patient_id)
        .where(CheckIn.status.in_(OPEN), Patient.procedure.is_not(None))
        .group_by(Patient.procedure, _WEEK, Patient.timezone, CheckIn.local_date)
    )
    today: dict[str, date] = {}
    for procedure, week, zone, local_date, count in open_rows.tuples():
        if zone not in today:
            today[zone] = _local_today(zone, now)
        if local_date < today[zone]:
            counts[procedure, week]["open_past"] += count
    return counts


async def _alert_counts(
    session: AsyncSession,
) -> tuple[dict[tuple[Procedure | None, Level], int], dict[tuple[Procedure | None, str], int]]:
    by_level: dict[tuple[Procedure | None, Level], int] = defaultdict(int)
    by_outcome: dict[tuple[Procedure | None, str], int] = defaultdict(int)
    rows = await session.execute(
        select(Patient.procedure, Alert.level, Alert.outcome, func.count())
        .join(Patient, Patient.id == Alert.patient_id)
        .where(Patient.procedure.is_not(None))
        .group_by(Patient.procedure, Alert.level, Alert.outcome)
    )
    for procedure, level, outcome, count in rows.tuples():
        by_level[procedure, level] += count
        if outcome is not None:
            by_outcome[procedure, outcome] += count
    return by_level, by_outcome


async def _ack_times(session: AsyncSession, *, in_sql: bool) -> dict[Procedure | None, Ack]:
    """Acknowledged count, median and 90th percentile minutes per procedure (None: all)."""
    acknowledged = (Alert.acknowledged_at.is_not(None), Patient.procedure.is_not(None))
    minutes = _minutes(session)
    if in_sql:
        median = func.percentile_cont(literal_column("0.5")).within_group(minutes)
        p90 = func.percentile_cont(literal_column("0.9")).within_group(minutes)
        rows = await session.execute(
            select(Patient.procedure, func.count(), median, p90)
            .join(Patient, Patient.id == Alert.patient_id)
            .where(*acknowledged)
            .group_by(func.rollup(Patient.procedure))  # the NULL group is the total
        )
        return {
            procedure: (count, _float(low), _float(high))
            for procedure, count, low, high in rows.tuples()
        }
    delays: dict[Procedure | None, list[float]] = defaultdict(list)
    found = await session.execute(
        select(Patient.procedure, minutes)
        .join(Patient, Patient.id == Alert.patient_id)
        .where(*acknowledged)
    )
    for procedure, delay in found.tuples():
        delays[procedure].append(delay)
        delays[None].append(delay)
    return {
        procedure: (len(values), percentile_cont(values, 0.5), percentile_cont(values, 0.9))
        for procedure, values in ((p, sorted(v)) for p, v in delays.items())
    }


def _minutes(session: AsyncSession) -> ColumnElement[float]:
    """Minutes from the alert to its acknowledgement, in SQL."""
    if _dialect(session) == "postgresql":
        seconds = func.extract("epoch", Alert.acknowledged_at - Alert.created_at)
        return (seconds / literal_column("60.0")).cast(Float)
    days = func.julianday(Alert.acknowledged_at) - func.julianday(Alert.created_at)
    return (days * literal_column("1440.0")).cast(Float)


def _figures(
    procedure: Procedure | None,
    weeks: Counts,
    alerts: dict[tuple[Procedure | None, Level], int],
    outcomes: dict[tuple[Procedure | None, str], int],
    ack: Ack | None,
) -> ProcedureFigures:
    """One group's figures (``procedure`` None: summed over every procedure)."""

    def mine(key: Procedure | None) -> bool:
        return procedure is None or key == procedure

    merged: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (key, week), counts in weeks.items():
        if mine(key):
            for kind, count in counts.items():
                merged[week][kind] += count
    levels = {
        level: sum(n for (key, lv), n in alerts.items() if lv == level and mine(key))
        for level in ALERT_LEVELS
    }
    by_outcome: dict[str, int] = defaultdict(int)
    for (key, value), count in outcomes.items():
        if mine(key):
            by_outcome[value] += count
    known = [o.value for o in AlertOutcome]
    count, median, p90 = ack or (0, None, None)
    return ProcedureFigures(
        procedure=procedure,
        weeks=tuple(
            WeekCompletion(
                week=week,
                sent=c["all"],
                completed=c[CheckInStatus.COMPLETED.value],
                missed=c[CheckInStatus.MISSED.value],
                open_past=c["open_past"],
            )
            for week, c in sorted(merged.items())
        ),
        attention=levels[Level.ATTENTION],
        urgent=levels[Level.URGENT],
        emergency=levels[Level.EMERGENCY],
        acknowledged=count,
        ack_median_minutes=median,
        ack_p90_minutes=p90,
        outcomes=tuple((value, by_outcome[value]) for value in known)
        + tuple(sorted((v, n) for v, n in by_outcome.items() if v not in known)),
    )


def _local_today(zone: str, now: datetime) -> date:
    """The date now in ``zone`` (UTC for a zone this machine does not know)."""
    try:
        return now.astimezone(ZoneInfo(zone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return now.date()


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name
