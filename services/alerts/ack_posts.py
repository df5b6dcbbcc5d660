"""An acknowledged alert's posts: each names who acknowledged it (and the outcome, once set).

:func:`.acknowledge.acknowledge_alert` edits the delivered posts and rewrites the queued ones;
posts still in flight at that moment are edited by the :func:`edit_late_posts` sweep once they
are delivered. Labels and posts are in ``CLINIC_LANGUAGE``, like every care-team post.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, AlertStatus, Outbox, OutboxStatus, Patient
from services.alerts.raising import alert_view, clinic_translator
from services.alerts.reports import LATE_WINDOW, TEAM_POST_PURPOSES
from services.audit import ACK_ACTION, OUTCOME_ACTION, alert_deciders
from services.care_team import operator_label, operator_names
from services.context import Services
from services.outbox import enqueue_edit, payload_of
from views import alerts as alert_views
from views.care_team import common as views
from views.dates import clock_time
from views.message import Message

__all__ = [
    "acknowledged_label_of",
    "acknowledged_post",
    "edit_late_posts",
    "edit_posts",
    "operator_name",
    "settle_queued",
    "zone",
]


async def edit_late_posts(services: Services) -> int:
    """Sweep: edit alert posts that were delivered after their alert was acknowledged.

    A post in flight during the acknowledgement gets its Telegram message id only afterwards;
    this catches it on the next tick (alerts acknowledged within the last day).

    Args:
        services: the service context (its clock sets the one-day window).

    Returns:
        How many posts were edited.
    """
    now = services.now()
    async with services.transaction() as session:
        edited = 0
        for alert, posts in await _delivered_after_ack(session, now):
            if not await _missing_edits(session, alert, posts):
                continue
            patient = await session.get(Patient, alert.patient_id)
            if patient is None:
                continue
            label = await acknowledged_label_of(session, services, alert, patient.ref)
            done = await acknowledged_post(session, services, alert, patient, label)
            edited += await edit_posts(session, alert, posts, done, now)
        return edited


async def _delivered_after_ack(
    session: AsyncSession, now: datetime
) -> list[tuple[Alert, list[Outbox]]]:
    """Alerts acknowledged within LATE_WINDOW with their posts delivered after that moment."""
    rows = (
        await session.execute(
            select(Outbox, Alert)
            .join(Alert, Alert.id == Outbox.alert_id)
            .where(
                Alert.status == AlertStatus.ACKNOWLEDGED,
                Alert.acknowledged_at >= now - LATE_WINDOW,
                Outbox.purpose.in_(TEAM_POST_PURPOSES),
                Outbox.message_id.is_not(None),
                Outbox.sent_at >= Alert.acknowledged_at,
            )
            .order_by(Outbox.id)
        )
    ).tuples()
    late: dict[int, tuple[Alert, list[Outbox]]] = {}
    for post, alert in rows:
        late.setdefault(alert.id, (alert, []))[1].append(post)
    return list(late.values())


def zone(services: Services) -> ZoneInfo:
    """The clinic's time zone (labels and posts give times in it)."""
    return services.config.clinic_zone


async def operator_name(session: AsyncSession, user_id: int, telegram_name: str | None) -> str:
    """The operator's name in the operators table, else their Telegram name, else their id."""
    stored = (await operator_names(session, [user_id])).get(user_id)
    return operator_label(user_id, stored or telegram_name)


async def _audited_name(session: AsyncSession, action: str, alert: Alert, ref: str) -> str | None:
    """The ``by`` of the latest audit event of this action on this alert."""
    return (await alert_deciders(session, ref, (action,))).get((action, alert.id))


async def acknowledged_label_of(
    session: AsyncSession, services: Services, alert: Alert, ref: str
) -> str:
    """Who acknowledged the alert and when, from the audit trail (or the alert row)."""
    if label := await _audited_name(session, ACK_ACTION, alert, ref):
        return label
    name = await operator_name(session, alert.acknowledged_by or 0, None)
    at = alert.acknowledged_at or alert.created_at
    return views.acknowledged_label(name, at, zone(services), clinic_translator(services))


async def acknowledged_post(
    session: AsyncSession, services: Services, alert: Alert, patient: Patient, label: str
) -> Message:
    """The acknowledged form of an alert's post: who, then the outcome or its choices."""
    tr = clinic_translator(services)
    view = await alert_view(session, services, alert, patient, tr)
    outcome = None
    if alert.outcome is not None and alert.outcome_at is not None:
        name = await _audited_name(session, OUTCOME_ACTION, alert, patient.ref)
        name = name or await operator_name(session, alert.outcome_by or 0, None)
        at = alert.outcome_at.astimezone(zone(services))
        time = f"{clock_time(at, tr.language)} {at.tzname()}"
        outcome = alert_views.outcome_text(alert.outcome, name, time, tr)
    return alert_views.alert_for_care_team(
        dataclasses.replace(view, escalation=0, outcome=outcome),
        tr,
        acknowledged=label,
        keyboard=() if outcome else alert_views.outcome_keyboard(alert.id, tr),
    )


def _edit_key(post: Outbox, alert: Alert) -> str:
    """One acknowledgement edit per post and acknowledgement (an alert may be re-opened)."""
    stamp = alert.acknowledged_at or alert.created_at
    return f"ack:{post.id}:{stamp.astimezone(UTC):%Y%m%d%H%M%S%f}"


async def _missing_edits(session: AsyncSession, alert: Alert, posts: list[Outbox]) -> list[Outbox]:
    delivered = {_edit_key(p, alert): p for p in posts if p.message_id is not None}
    if not delivered:
        return []
    done = set(
        (
            await session.scalars(select(Outbox.dedupe_key).where(Outbox.dedupe_key.in_(delivered)))
        ).all()
    )
    return [post for key, post in delivered.items() if key not in done]


async def edit_posts(
    session: AsyncSession, alert: Alert, posts: list[Outbox], done: Message, now: datetime
) -> int:
    """Queue the acknowledged form over each delivered post that has no such edit yet."""
    missing = await _missing_edits(session, alert, posts)
    for post in missing:
        assert post.message_id is not None  # noqa: S101  (only delivered posts are missing)
        edit = enqueue_edit(
            session,
            post.chat_id,
            post.message_id,
            done,
            now=now,
            purpose="alert_ack",
            patient_id=alert.patient_id,
        )
        edit.dedupe_key = _edit_key(post, alert)
    return len(missing)


async def settle_queued(
    session: AsyncSession, alert: Alert, posts: list[Outbox], done: Message, now: datetime
) -> None:
    """Queued posts not yet claimed by the sender: the team post shows the acknowledgement,
    reminders are dropped. Claimed ones (leased, in flight) are left to :func:`edit_late_posts`.
    """
    for post in posts:
        queued = post.status == OutboxStatus.PENDING and post.message_id is None
        if not queued or (post.lease_until is not None and post.lease_until > now):
            continue
        if post.purpose == "alert_escalate":
            await session.delete(post)
        else:
            post.payload = payload_of(done)
