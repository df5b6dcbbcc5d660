"""Acknowledging alerts: the first operator's press wins, every post of the alert names them.

An alert is acknowledged once: the first press wins atomically (a conditional UPDATE), every
care-team and operator post of the alert is edited to name who acknowledged it, escalation
stops and an audit event is written. Posts still in flight at that moment are edited by the
:func:`edit_late_posts` sweep once they are delivered.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import CursorResult, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, AlertStatus, Operator, Outbox, OutboxStatus, Patient
from services.alerts.raising import alert_view, clinic_translator
from services.alerts.reports import LATE_WINDOW, TEAM_POST_PURPOSES, team_posts
from services.audit import ACK_ACTION, OUTCOME_ACTION, alert_deciders, record_operator_event
from services.care_team import (
    ALERTS_LIST_PURPOSE,
    alerts_page,
    check_operator,
    notice_translator,
    operator_label,
    operator_names,
    reviewer_translator,
)
from services.context import Services
from services.outbox import enqueue, enqueue_edit, payload_of
from services.risk_summary import note_change
from views import alerts as alert_views
from views.callbacks import AckCb
from views.care_team import common as views
from views.dates import clock_time
from views.i18n import Translator, translator
from views.message import Message

__all__ = [
    "ACK_ACTION",
    "OUTCOME_ACTION",
    "acknowledge_alert",
    "acknowledged_label_of",
    "acknowledged_post",
    "edit_late_posts",
    "operator_name",
]


async def acknowledge_alert(
    services: Services,
    presser_id: int,
    presser_name: str | None,
    data: AckCb,
    *,
    pressed: tuple[int, int] | None = None,
    language_code: str | None = None,
) -> str:
    """An operator pressed Acknowledge: the first press wins, everyone sees who.

    The winner's UPDATE is the transaction's first statement and is conditional on the alert
    being open and the presser being an operator, so concurrent presses serialize in the
    database and exactly one changes the row. The winner's name goes on every care-team and
    operator post of the alert (delivered posts are edited, queued ones rewritten, queued
    reminders dropped; posts in flight are edited by :func:`edit_late_posts`); the patient,
    if reachable, is told that the care team has seen it (naming no one); caregivers hear
    nothing new.

    Args:
        services: the service context.
        presser_id: the Telegram user who pressed.
        presser_name: their Telegram name (used when the operators table has none).
        data: the decoded button (or the console's form: the alert's id).
        pressed: the chat and message of the pressed post in Telegram; None from the console.
        language_code: the presser's Telegram language: the notice is in the operator's
            language (None: from the web console, in its language for the operator).

    Returns:
        The notice to show the presser (acknowledged, already acknowledged by whom, refused).
    """
    now = services.now()
    async with services.transaction() as session:
        won = await _claim(session, services, data.alert_id, presser_id, now)
        tr = await notice_translator(session, services, presser_id, language_code)
        if not won and not await check_operator(session, services, presser_id):
            return tr.gettext(views.NOT_OPERATOR)
        alert = await session.get(Alert, data.alert_id)
        patient = await session.get(Patient, alert.patient_id) if alert else None
        if alert is None or patient is None:
            return tr.gettext(views.ALERT_GONE)
        if won:
            note_change(session, patient.id, now)
            name = await operator_name(session, presser_id, presser_name)
            label = views.acknowledged_label(
                name, now, _zone(services), clinic_translator(services)
            )
            record_operator_event(
                session, presser_id, ACK_ACTION, patient.ref, at=now, alert_id=alert.id, by=label
            )
            _tell_patient(session, services, patient, alert, now)
        else:
            label = await acknowledged_label_of(session, services, alert, patient.ref)
        done = await acknowledged_post(session, services, alert, patient, label)
        posts = await team_posts(session, [alert.id])
        if won:
            await _settle_queued(session, alert, posts, done, now)
        here = [p for p in posts if (p.chat_id, p.message_id) == pressed]
        await _edit_posts(session, alert, posts if won else here, done, now)
        if pressed is not None and not here:
            listed_in = await reviewer_translator(
                session, services, presser_id, pressed[0], language_code
            )
            await _refresh_list(session, services, *pressed, now, listed_in)
        return tr.gettext(views.ACKNOWLEDGED) if won else views.already_acknowledged(label, tr)


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
            edited += await _edit_posts(session, alert, posts, done, now)
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


async def _claim(
    session: AsyncSession, services: Services, alert_id: int, user_id: int, now: datetime
) -> bool:
    conditions = [Alert.id == alert_id, Alert.status == AlertStatus.OPEN]
    if user_id not in services.config.operator_ids:
        conditions.append(exists().where(Operator.telegram_user_id == user_id))
    result = await session.execute(
        update(Alert)
        .where(*conditions)
        .values(
            status=AlertStatus.ACKNOWLEDGED,
            acknowledged_by=user_id,
            acknowledged_at=now,
            escalate_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount == 1


def _tell_patient(
    session: AsyncSession, services: Services, patient: Patient, alert: Alert, now: datetime
) -> None:
    if patient.unreachable_since is not None:  # blocked the bot: the team was told instead
        return
    number = services.config.emergency_number_for(patient.timezone)
    message = alert_views.alert_seen_by_team(number, translator(patient.language))
    enqueue(session, patient.chat_id, message, now=now, purpose="alert_seen", patient_id=patient.id)


def _zone(services: Services) -> ZoneInfo:
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
    return views.acknowledged_label(name, at, _zone(services), clinic_translator(services))


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
        at = alert.outcome_at.astimezone(_zone(services))
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


async def _edit_posts(
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


async def _settle_queued(
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


async def _refresh_list(
    session: AsyncSession,
    services: Services,
    chat_id: int,
    message_id: int,
    now: datetime,
    tr: Translator,
) -> None:
    """A press under an /alerts list: show the list again (first page) without the alert."""
    listing = await session.scalar(
        select(Outbox.id).where(
            Outbox.chat_id == chat_id,
            Outbox.message_id == message_id,
            Outbox.purpose == ALERTS_LIST_PURPOSE,
        )
    )
    if listing is None:
        return
    page = await alerts_page(session, services, 0, now, tr)
    enqueue_edit(session, chat_id, message_id, page, now=now, purpose=ALERTS_LIST_PURPOSE)
