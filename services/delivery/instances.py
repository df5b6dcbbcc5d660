"""Which instances are alive: each running bot beats every second; five silent seconds is dead.

The outbox lease (``OUTBOX_LEASE_SECONDS``) is what keeps two live instances from sending one
message twice. A killed instance cannot give its leases back, so an instance is also judged by
its heartbeat: the leases of an instance that has not beaten for :data:`DEAD_AFTER` (or whose
row is gone) are free at once, and a restarted bot sends what the dead one held within seconds
instead of after the lease.

A live instance that stalls for longer than :data:`DEAD_AFTER` (a frozen VM) may see another
send the messages it was about to send; at most its in-flight messages (16) can go twice, the
price of not holding an alert for a minute behind a dead process.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from models import Instance, upsert
from services.context import Services

__all__ = ["DEAD_AFTER", "HEARTBEAT_EVERY", "beat", "forget_dead", "retire"]

HEARTBEAT_EVERY = timedelta(seconds=1)
DEAD_AFTER = timedelta(seconds=5)
FORGET_AFTER = timedelta(hours=1)  # rows of dead instances are deleted after this


async def beat(services: Services, *, mode: str) -> None:
    """Record that this instance is alive now (the first beat registers it)."""
    now = services.now()
    async with services.session_factory.begin() as session:
        stmt = upsert(session, Instance).values(
            id=services.instance_id, mode=mode, started_at=now, seen_at=now
        )
        await session.execute(
            stmt.on_conflict_do_update(index_elements=[Instance.id], set_={"seen_at": now})
        )


async def forget_dead(services: Services) -> int:
    """Delete the rows of instances silent for :data:`FORGET_AFTER` (a sweep; returns how many).

    A dead instance's row is harmless (its leases are free either way); it is kept a while so
    an operator can see which instance died when.
    """
    cutoff = services.now() - FORGET_AFTER
    async with services.session_factory.begin() as session:
        result = await session.execute(delete(Instance).where(Instance.seen_at < cutoff))
        return int(getattr(result, "rowcount", 0) or 0)


async def retire(services: Services) -> None:
    """Remove this instance's row at a clean stop (its sends are finished and recorded)."""
    async with services.session_factory.begin() as session:
        await session.execute(delete(Instance).where(Instance.id == services.instance_id))
