"""What the database says at scrape time: outbox backlog, open alerts, recent check-ins.

Read with one grouped query per table, so every instance reports the same numbers and a
restart loses nothing. Labels are fixed codes (purpose, level, status), never patient data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from models import Alert, AlertStatus, CheckIn, CheckInStatus, Outbox, OutboxStatus
from recovery import Level
from services.context import Services

__all__ = ["ALERT_LEVELS", "CHECKIN_WINDOW", "DatabaseGauges", "read_gauges"]

ALERT_LEVELS = (Level.URGENT.value, Level.EMERGENCY.value)  # the levels an alert can have
CHECKIN_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class DatabaseGauges:
    """One scrape's reading of the database."""

    outbox_due: dict[str, int] = field(default_factory=dict)  # pending and due, by purpose
    open_alerts: dict[str, int] = field(default_factory=dict)  # by level, every level present
    oldest_open_alert_seconds: float = 0.0  # 0 when no alert is open
    checkins: dict[str, int] = field(default_factory=dict)  # sent in the window, by status


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)  # SQLite


async def read_gauges(services: Services) -> DatabaseGauges:
    """Count what is waiting in the database now (raises when the database fails)."""
    now = services.now()
    async with services.session_factory() as session:
        outbox = await session.execute(
            select(Outbox.purpose, func.count())
            .where(Outbox.status == OutboxStatus.PENDING, Outbox.not_before <= now)
            .group_by(Outbox.purpose)
        )
        alerts = await session.execute(
            select(Alert.level, func.count(), func.min(Alert.created_at))
            .where(Alert.status == AlertStatus.OPEN)
            .group_by(Alert.level)
        )
        checkins = await session.execute(
            select(CheckIn.status, func.count())
            .where(CheckIn.sent_at >= now - CHECKIN_WINDOW)
            .group_by(CheckIn.status)
        )
        outbox_due = {str(purpose): int(count) for purpose, count in outbox.all()}
        open_alerts = dict.fromkeys(ALERT_LEVELS, 0)
        oldest: datetime | None = None
        for level, count, first in alerts.all():
            open_alerts[str(level)] = int(count)
            if first is not None and (oldest is None or _aware(first) < oldest):
                oldest = _aware(first)
        by_status = dict.fromkeys((s.value for s in CheckInStatus), 0)
        by_status.update({str(status): int(count) for status, count in checkins.all()})
    return DatabaseGauges(
        outbox_due=outbox_due,
        open_alerts=open_alerts,
        oldest_open_alert_seconds=max((now - oldest).total_seconds(), 0.0) if oldest else 0.0,
        checkins=by_status,
    )
