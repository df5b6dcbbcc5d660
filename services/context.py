"""What every use case needs: sessions, a clock, configuration and the protocols."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Protocol
from uuid import uuid4
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from recovery import ProtocolSet
from recovery.emergency import DEFAULT_EMERGENCY_NUMBER, emergency_number

__all__ = ["Clock", "ServiceConfig", "Services", "SystemClock"]


class Clock(Protocol):
    """Source of the current time; tests inject a fake one."""

    def now(self) -> datetime:
        """The current aware UTC time."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """The current aware UTC time."""
        return datetime.now(UTC)


@dataclass(frozen=True)
class ServiceConfig:
    """Settings the use cases read (built from app.settings.Settings)."""

    operator_ids: frozenset[int] = frozenset()
    care_team_chat_id: int | None = None
    default_timezone: str = "UTC"
    clinic_timezone: str | None = None  # CLINIC_TIMEZONE; None: DEFAULT_TIMEZONE
    emergency_number: str | None = None  # EMERGENCY_NUMBER: when set, wins for every patient
    clinic_phone: str | None = None
    clinic_language: str = "en"  # CLINIC_LANGUAGE: care-team posts
    reminder_after: timedelta = timedelta(hours=2)
    missed_after: timedelta = timedelta(hours=6)
    alert_escalation: timedelta = timedelta(minutes=30)
    emergency_followup: timedelta = timedelta(minutes=10)
    quiet_hours: tuple[time, time] = (time(21, 30), time(8, 0))
    digest_time: time = time(8, 0)  # DIGEST_TIME, in the clinic's zone
    invite_ttl: timedelta = timedelta(hours=48)
    outbox_lease: timedelta = timedelta(seconds=60)
    outbox_retention: timedelta = timedelta(days=30)
    console_url: str | None = None  # WEB_PUBLIC_URL; None: this instance serves no console

    @property
    def clinic_zone(self) -> ZoneInfo:
        """The clinic's time zone: care-team posts and the digest show times in it."""
        return ZoneInfo(self.clinic_timezone or self.default_timezone)

    def emergency_number_for(self, zone: str) -> str:
        """The number a patient in ``zone`` should dial: EMERGENCY_NUMBER if set, else the
        number of the zone's country, else 112."""
        if self.emergency_number:
            return self.emergency_number
        return emergency_number(zone, default=DEFAULT_EMERGENCY_NUMBER)


@dataclass
class Services:
    """The composition of use-case dependencies, handed to bot/ and scheduler/."""

    session_factory: async_sessionmaker[AsyncSession]
    protocols: ProtocolSet
    config: ServiceConfig = field(default_factory=ServiceConfig)
    clock: Clock = field(default_factory=SystemClock)
    bot_username: str = "bot"
    outbox_ready: Callable[[], None] = lambda: None
    instance_id: str = field(default_factory=lambda: uuid4().hex)  # whose leases are whose

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One transaction: commits on success, rolls back on error, then wakes the sender."""
        async with self.session_factory.begin() as session:
            yield session
        self.outbox_ready()

    def now(self) -> datetime:
        """The current time from the injected clock."""
        return self.clock.now()
