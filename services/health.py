"""What a health check reports: the database, the outbox, alert recipients, protocol sign-off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AlertReach, Outbox, OutboxStatus
from services.context import Services
from services.recipients import operator_ids

__all__ = [
    "CARE_TEAM_UNREACHABLE",
    "NO_OPERATOR_REACHABLE",
    "Health",
    "ProtocolStatus",
    "alert_recipient_count",
    "check_health",
]

STUCK_AFTER_SECONDS = 600
CARE_TEAM_UNREACHABLE = "care-team chat unreachable (Telegram refused CARE_TEAM_CHAT_ID)"
NO_OPERATOR_REACHABLE = "no operator reachable (every operator's private chat refused delivery)"


@dataclass(frozen=True)
class ProtocolStatus:
    """The sign-off of one loaded protocol (a draft is reported, not unhealthy)."""

    family: str
    version: str
    status: str  # "approved" or "draft"
    sha256: str


@dataclass(frozen=True)
class Health:
    """A health snapshot; ``ok`` is False when the database fails, the outbox is stuck, or
    alerts cannot reach the care team (``alerts_problem`` says why)."""

    database: bool
    pending_messages: int
    oldest_pending_seconds: float
    protocols: tuple[ProtocolStatus, ...] = ()
    alerts_problem: str | None = None

    @property
    def ok(self) -> bool:
        """Healthy: database reachable, nothing due waiting for over ten minutes, alerts reach
        the care team."""
        return (
            self.database
            and self.oldest_pending_seconds < STUCK_AFTER_SECONDS
            and self.alerts_problem is None
        )


async def alert_recipient_count(session: AsyncSession, services: Services) -> int:
    """How many places alerts can go: the care-team chat and every operator (settings + table)."""
    team = 0 if services.config.care_team_chat_id is None else 1
    return team + len(await operator_ids(session, services))


async def _alerts_problem(session: AsyncSession, services: Services) -> str | None:
    refused = set((await session.scalars(select(AlertReach.chat_id))).all())
    team = services.config.care_team_chat_id
    if team is not None:
        return CARE_TEAM_UNREACHABLE if team in refused else None
    if set(await operator_ids(session, services)) <= refused:
        return NO_OPERATOR_REACHABLE
    return None


async def check_health(services: Services) -> Health:
    """Probe the database, the outbox backlog and whether alerts reach anyone; list the
    protocols' sign-off (never raises)."""
    now = services.now()
    protocols = tuple(
        ProtocolStatus(p.family, p.version, "approved" if p.approved else "draft", p.content_hash)
        for p in services.protocols.all()
    )
    try:
        async with services.session_factory() as session:
            count, oldest = (
                await session.execute(
                    select(func.count(), func.min(Outbox.not_before)).where(
                        Outbox.status == OutboxStatus.PENDING, Outbox.not_before <= now
                    )
                )
            ).one()
            problem = await _alerts_problem(session, services)
    except Exception:
        return Health(
            database=False, pending_messages=0, oldest_pending_seconds=0.0, protocols=protocols
        )
    if oldest is not None and oldest.tzinfo is None:  # SQLite aggregates lose the type
        oldest = oldest.replace(tzinfo=UTC)
    age = (now - oldest).total_seconds() if oldest is not None else 0.0
    return Health(
        database=True,
        pending_messages=int(count),
        oldest_pending_seconds=age,
        alerts_problem=problem,
        protocols=protocols,
    )
