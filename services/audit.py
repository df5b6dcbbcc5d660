"""The audit trail: who viewed, exported, acknowledged or deleted what, and when.

Events name the actor (``operator:<telegram id>``, ``cli:<os user>``, ``patient``), the action,
the patient's reference and a small detail mapping of ids and labels. Never health data: no
answers, reasons or names of patients go into an event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditEvent
from services.context import Services

__all__ = [
    "ACK_ACTION",
    "OUTCOME_ACTION",
    "AuditEntry",
    "alert_deciders",
    "audit_events",
    "cli_actor",
    "format_entry",
    "operator_actor",
    "operator_id_of",
    "patient_trail",
    "record_event",
    "record_operator_event",
]

ACTOR_LENGTH = 32
ACK_ACTION = "alert_acknowledged"  # detail: alert_id, by (the label every post shows), name
OUTCOME_ACTION = "alert_outcome"  # detail: alert_id, outcome, by (the operator's name)


def operator_actor(user_id: int) -> str:
    """The actor label of an operator acting in Telegram."""
    return f"operator:{user_id}"


def operator_id_of(actor: str) -> int | None:
    """The Telegram user id in an operator's actor label (None for any other actor)."""
    prefix, _, rest = actor.partition(":")
    return int(rest) if prefix == "operator" and rest.isdigit() else None


def cli_actor(login: str | None) -> str:
    """The actor label of someone using the command line (their login name, if known)."""
    return f"cli:{login}"[:ACTOR_LENGTH] if login else "cli"


def record_event(
    session: AsyncSession,
    *,
    at: datetime,
    actor: str,
    action: str,
    patient_ref: str | None = None,
    **detail: str | int | None,
) -> None:
    """Add an audit event inside the caller's transaction.

    Args:
        session: the caller's session (the event exists only if the action commits).
        at: when it happened.
        actor: who did it (see :func:`operator_actor`, :func:`cli_actor`).
        action: a short machine label, e.g. ``patient_viewed``.
        patient_ref: the patient concerned, if any.
        **detail: ids and labels only (never health data).
    """
    session.add(
        AuditEvent(
            at=at,
            actor=actor[:ACTOR_LENGTH],
            action=action,
            patient_ref=patient_ref,
            detail=dict(detail),
        )
    )


def record_operator_event(
    session: AsyncSession,
    user_id: int,
    action: str,
    patient_ref: str,
    *,
    at: datetime,
    **detail: str | int | None,
) -> None:
    """Add an audit event of an operator acting in Telegram, inside the caller's transaction.

    Args:
        session: the caller's session (the event exists only if the action commits).
        user_id: the operator's Telegram user id.
        action: a short machine label, e.g. ``patient_viewed``.
        patient_ref: the patient concerned.
        at: when it happened.
        **detail: ids and labels only (never health data).
    """
    record_event(
        session,
        at=at,
        actor=operator_actor(user_id),
        action=action,
        patient_ref=patient_ref,
        **detail,
    )


@dataclass(frozen=True)
class AuditEntry:
    """One audit event, detached from the database."""

    at: datetime
    actor: str
    action: str
    patient_ref: str | None
    detail: dict[str, Any]


async def audit_events(
    services: Services, since: date, until: date | None = None
) -> list[AuditEntry]:
    """The audit events from ``since`` (00:00 UTC) through ``until`` (inclusive), oldest first.

    Args:
        services: the service context.
        since: the first day (UTC).
        until: the last day (UTC), or None for up to now.

    Returns:
        The events in time order.
    """
    start = datetime.combine(since, time(), UTC)
    stmt = select(AuditEvent).where(AuditEvent.at >= start).order_by(AuditEvent.at, AuditEvent.id)
    if until is not None:
        stmt = stmt.where(AuditEvent.at < datetime.combine(until + timedelta(days=1), time(), UTC))
    async with services.transaction() as session:
        rows = (await session.scalars(stmt)).all()
        return [_entry(r) for r in rows]


async def patient_trail(session: AsyncSession, patient_ref: str, limit: int) -> list[AuditEntry]:
    """The latest audit events about one patient, newest first, inside the caller's session.

    Args:
        session: the caller's session.
        patient_ref: the patient's reference (``P-0042``).
        limit: at most this many events.

    Returns:
        The events, newest first.
    """
    rows = await session.scalars(
        select(AuditEvent)
        .where(AuditEvent.patient_ref == patient_ref)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return [_entry(r) for r in rows]


async def alert_deciders(
    session: AsyncSession, patient_ref: str, actions: tuple[str, ...], *, field: str = "by"
) -> dict[tuple[str, int], str]:
    """Who did each audited action on each alert of a patient (the ``by`` of the latest event;
    ``field="name"``: the acknowledging operator's name alone, kept since session 7).

    One query whatever the number of alerts (e.g. ``ACK_ACTION`` and ``OUTCOME_ACTION``).

    Args:
        session: the caller's session.
        patient_ref: the patient's reference.
        actions: the actions wanted.

    Returns:
        ``{(action, alert id): by}`` for the events that name an alert and who.
    """
    events = await session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action.in_(actions), AuditEvent.patient_ref == patient_ref)
        .order_by(AuditEvent.id.desc())
    )
    found: dict[tuple[str, int], str] = {}
    for event in events:
        alert_id, by = event.detail.get("alert_id"), event.detail.get(field)
        if isinstance(alert_id, int) and by:
            found.setdefault((event.action, alert_id), str(by))
    return found


def _entry(row: AuditEvent) -> AuditEntry:
    return AuditEntry(row.at, row.actor, row.action, row.patient_ref, dict(row.detail))


def format_entry(entry: AuditEntry) -> str:
    """One line: time (UTC, ISO 8601), actor, action, patient reference and details."""
    when = entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    details = " ".join(
        f"{key}={json.dumps(value, ensure_ascii=False) if not isinstance(value, int) else value}"
        for key, value in sorted(entry.detail.items())
    )
    parts = [when, entry.actor, entry.action, entry.patient_ref or "-"]
    return "  ".join(parts + ([details] if details else []))
