"""What a health check reports: the database answers, the outbox is moving, protocol sign-off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import func, select

from models import Outbox, OutboxStatus
from services.context import Services

__all__ = ["Health", "ProtocolStatus", "check_health"]

STUCK_AFTER_SECONDS = 600


@dataclass(frozen=True)
class ProtocolStatus:
    """The sign-off of one loaded protocol (a draft is reported, not unhealthy)."""

    family: str
    version: str
    status: str  # "approved" or "draft"
    sha256: str


@dataclass(frozen=True)
class Health:
    """A health snapshot; ``ok`` is False when the database fails or the outbox is stuck."""

    database: bool
    pending_messages: int
    oldest_pending_seconds: float
    protocols: tuple[ProtocolStatus, ...] = ()

    @property
    def ok(self) -> bool:
        """Healthy: database reachable and nothing due waiting for over ten minutes."""
        return self.database and self.oldest_pending_seconds < STUCK_AFTER_SECONDS


async def check_health(services: Services) -> Health:
    """Probe the database and the outbox backlog, list the protocols' sign-off (never raises)."""
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
    except Exception:
        return Health(
            database=False, pending_messages=0, oldest_pending_seconds=0.0, protocols=protocols
        )
    if oldest is not None and oldest.tzinfo is None:  # SQLite aggregates lose the type
        oldest = oldest.replace(tzinfo=UTC)
    age = (now - oldest).total_seconds() if oldest is not None else 0.0
    return Health(
        database=True, pending_messages=int(count), oldest_pending_seconds=age, protocols=protocols
    )
