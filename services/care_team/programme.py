"""The programme's figures for the care team's console: per procedure, from SQL aggregates.

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

The first query reads every check-in row (no index covers procedure, day and status): with
350,000 check-ins that takes about a second on SQLite, more than a page may wait. So the
figures are kept for :data:`CACHE_FOR` (60 s) per database, by the injected time ``now``,
and say when they were read (``as_of``); callers at the same time wait for one reading.
After that minute the held figures are still shown (up to :data:`SERVE_STALE_FOR`) while
they are read afresh in the background, so a fresh reading lands on a page's path only when
nothing recent is held (the first page after a start, or after ten quiet minutes).
"""

from __future__ import annotations

import asyncio
import logging
import math
import weakref
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ColumnElement, Float, Integer, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, CheckIn, CheckInStatus, Patient
from recovery import Level, Procedure
from services.context import Services
from views.callbacks import AlertOutcome
from views.care_team.programme import (
    ALERT_LEVELS,
    ProcedureFigures,
    ProgrammeFigures,
    WeekCompletion,
)

__all__ = ["CACHE_FOR", "SERVE_STALE_FOR", "percentile_cont", "programme_figures"]

CACHE_FOR = timedelta(seconds=60)
SERVE_STALE_FOR = timedelta(minutes=10)  # older figures are not shown: the page waits

logger = logging.getLogger(__name__)

OPEN = (CheckInStatus.SENT, CheckInStatus.IN_PROGRESS)
_WEEK = CheckIn.post_op_day // literal_column("7", Integer)  # same text in SELECT and GROUP BY

Counts = dict[tuple[Procedure | None, int], dict[str, int]]  # (procedure, week) -> counts by kind
Ack = tuple[int, float | None, float | None]  # acknowledged, median, 90th percentile


async def programme_figures(
    session: AsyncSession, services: Services, now: datetime, *, max_age: timedelta = CACHE_FOR
) -> ProgrammeFigures:
    """The programme's figures, per procedure and in total, read at most ``max_age`` ago.

    Figures past ``max_age`` but younger than :data:`SERVE_STALE_FOR` are returned at once
    while a task reads them afresh for the next caller, so a page waits for the reading only
    when there are no figures yet (or they are too old to show).

    Args:
        session: the caller's session (reads only).
        services: the service context (its session factory keys the cache).
        now: the current time (the injected clock): which open check-ins are past their
            local day, and whether the cached figures are still fresh.
        max_age: how old cached figures may be; ``timedelta(0)`` reads afresh and waits.

    Returns:
        One :class:`ProcedureFigures` per procedure (in :class:`Procedure` order, empty ones
        too) and the total over all of them, with ``as_of`` the time they were read.
    """
    cache = _CACHES.setdefault(services.session_factory, _Cache())
    held = cache.figures
    if (
        held is not None
        and max_age > timedelta(0)
        and held.as_of <= now < held.as_of + SERVE_STALE_FOR
    ):
        if now >= held.as_of + max_age:
            cache.refresh_later(services, now, max_age)
        return held
    return await cache.read(session, now, max_age)


@dataclass
class _Cache:
    """One database's figures; one reading at a time (callers meanwhile wait for it)."""

    figures: ProgrammeFigures | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    refreshing: asyncio.Task[ProgrammeFigures] | None = None

    async def read(
        self, session: AsyncSession, now: datetime, max_age: timedelta
    ) -> ProgrammeFigures:
        async with self.lock:
            held = self.figures
            if held is not None and held.as_of <= now < held.as_of + max_age:
                return held  # read by the caller we waited for
            self.figures = await _read_figures(session, now)
            return self.figures

    def refresh_later(self, services: Services, now: datetime, max_age: timedelta) -> None:
        """Read afresh in a task of its own (with its own session), unless one is running."""
        if self.refreshing is not None and not self.refreshing.done():
            return

        async def refresh() -> ProgrammeFigures:
            async with services.session_factory() as session:
                return await self.read(session, now, max_age)

        self.refreshing = asyncio.create_task(refresh(), name="programme figures")
        self.refreshing.add_done_callback(_log_failure)


def _log_failure(task: asyncio.Task[ProgrammeFigures]) -> None:
    if not task.cancelled() and (error := task.exception()) is not None:
        logger.error("programme figures: reading afresh failed: %s", type(error).__name__)


_CACHES: weakref.WeakKeyDictionary[object, _Cache] = weakref.WeakKeyDictionary()


async def _read_figures(session: AsyncSession, now: datetime) -> ProgrammeFigures:
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
