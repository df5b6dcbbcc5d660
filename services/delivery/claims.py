"""Claiming due outbox messages: a lease on each, at most one per chat, most urgent first.

Both statements are built once, with bound parameters: at a steady trickle of presses every
message is claimed on its own, and building the claim's statement (its instance subquery, its
cache key) and loading ORM objects to flush a lease on them cost more than running it
(``bench.sender_bookkeeping``; docs/performance.md, Session 8).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields
from typing import Any, cast

from sqlalchemy import Row, Table, and_, bindparam, or_, select, update

from models import Instance, Outbox, OutboxStatus
from services.context import Services
from services.delivery.instances import DEAD_AFTER

__all__ = ["Claimed", "OutgoingMessage", "claim_due"]


@dataclass(frozen=True)
class OutgoingMessage:
    """A claimed outbox row, detached from the database."""

    id: int
    chat_id: int
    method: str
    payload: dict[str, Any]
    purpose: str
    attempts: int
    alert_id: int | None
    patient_id: int | None
    care_link_id: int | None


class Claimed(list[OutgoingMessage]):
    """The messages :func:`claim_due` leased, most urgent first; :attr:`more` is True when it
    left due messages behind (for a chat it skipped or took one of already, beyond ``take``,
    or beyond the rows it looked at), so a send that ends is worth another claim."""

    more: bool = False


_OUTBOX = cast(Table, Outbox.__table__)
_C = _OUTBOX.c
_DUE = (
    select(*(_C[field.name] for field in fields(OutgoingMessage)))  # the message's own columns
    .where(
        _C.status == OutboxStatus.PENDING,
        _C.not_before <= bindparam("now"),
        or_(
            _C.lease_until.is_(None),
            _C.lease_until < bindparam("now"),
            and_(  # leased by an instance that has died: free now, not at the lease's end
                _C.claimed_by != bindparam("me"),
                _C.claimed_by.not_in(
                    select(Instance.id).where(Instance.seen_at >= bindparam("alive_since"))
                ),
            ),
        ),
    )
    .order_by(_C.priority, _C.id)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True)  # other instances skip these; SQLite ignores it
)
_LEASE = (
    update(_OUTBOX)
    .where(_C.id.in_(bindparam("ids", expanding=True)))
    .values(lease_until=bindparam("until"), claimed_by=bindparam("me"))
)


async def claim_due(
    services: Services,
    *,
    limit: int = 100,
    take: int | None = None,
    skip_chats: Collection[int] = (),
) -> Claimed:
    """Lease due messages, at most one per chat (so each chat's messages keep their order).

    Args:
        services: the service context.
        limit: how many rows to look at.
        take: lease at most this many (what the sender can start now); the rest stay free
            for other instances, and a crash holds no more than these.
        skip_chats: chats with a message still in flight in this process.

    Returns:
        The leased messages, most urgent first (with :attr:`Claimed.more`).
    """
    now, me = services.now(), services.instance_id
    due = {"now": now, "me": me, "alive_since": now - DEAD_AFTER, "limit": limit}
    async with services.session_factory.begin() as session:
        rows = (await session.execute(_DUE, due)).all()
        chosen: dict[int, Row[Any]] = {}
        for row in rows:
            if take is not None and len(chosen) >= take:
                break
            if row.chat_id not in chosen and row.chat_id not in skip_chats:
                chosen[row.chat_id] = row
        if chosen:
            ids = [row.id for row in chosen.values()]
            lease = {"ids": ids, "until": now + services.config.outbox_lease, "me": me}
            await session.execute(_LEASE, lease)
    claimed = Claimed(_detach(row) for row in chosen.values())
    claimed.more = len(chosen) < len(rows) or len(rows) == limit
    return claimed


def _detach(row: Row[Any]) -> OutgoingMessage:
    return OutgoingMessage(**{**row._mapping, "payload": dict(row.payload)})
