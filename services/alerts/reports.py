"""A warning sign reported: told what to do at once, every time; the open alert is updated.

Every press that reports an urgent or emergency sign gets the instruction straight away, in
the patient's chat and in the chat it was answered in (a caregiver answering for the
patient), however often the sign was reported before. The care team keeps one alert per
check-in while it is open: a sign reported again (a second check-in the same day, a
caregiver's answer) or a new sign updates that alert and its posts in place ("reported again
at 14:05"); a higher level gets a new post, so phones notify, and the earlier posts point to
it. An acknowledged alert is closed: a new report raises a new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, AlertStatus, CheckIn, Outbox, OutboxStatus, Patient
from recovery import Level, Reason
from services.alerts.raising import (
    alert_view,
    caregiver_alert,
    clinic_translator,
    patient_alert,
    post_to_team,
    raise_alert,
    tell_caregivers,
    tell_patient,
)
from services.context import Services
from services.outbox import Priority, enqueue, enqueue_edit, payload_of
from services.risk_summary import note_change
from views import alerts as views
from views.message import Message

__all__ = [
    "TEAM_POST_PURPOSES",
    "edit_late_posts",
    "note_findings",
    "report_findings",
    "team_posts",
]

TEAM_POST_PURPOSES = ("alert_team", "alert_escalate")
LATE_WINDOW = timedelta(days=1)
UNLINKED_WINDOW = timedelta(hours=24)  # findings outside a check-in share an alert this long


async def report_findings(
    session: AsyncSession,
    services: Services,
    patient: Patient,
    checkin: CheckIn | None,
    reasons: Sequence[Reason],
    now: datetime,
    *,
    answered_in: int,
    tell: bool = True,
) -> Alert | None:
    """One report's urgent and emergency reasons: instruct at once, raise or update the alert.

    Args:
        session: the caller's session (the transaction that stores the report).
        services: the service context.
        patient: whose report.
        checkin: the check-in it was given in, if any.
        reasons: what this report fired (reasons below URGENT are ignored here).
        now: the current time.
        answered_in: the chat the report came from (the patient's, or a caregiver's).
        tell: False when the caller sends its own instruction (a sign written in words).

    Returns:
        The alert raised or updated; None when nothing was urgent.
    """
    urgent = [r for r in reasons if r.level >= Level.URGENT]
    if not urgent:
        return None
    alert = await open_alert(session, patient, checkin, now)
    if alert is None:
        return await raise_alert(session, services, patient, checkin, urgent, now, tell=tell)
    await update_alert(session, services, alert, patient, urgent, now, again=True)
    if not tell:
        return alert
    level = Level.max(*(r.level for r in urgent))
    told = patient_alert(services, patient, level, urgent)
    tell_patient(session, patient, alert, told, now)
    if answered_in != patient.chat_id:
        enqueue(
            session,
            answered_in,
            told,
            now=now,
            purpose="alert",
            priority=Priority.ALERT,
            patient_id=patient.id,
            alert_id=alert.id,
        )
    return alert


async def note_findings(
    session: AsyncSession,
    services: Services,
    patient: Patient,
    checkin: CheckIn,
    reasons: Sequence[Reason],
    now: datetime,
) -> Alert | None:
    """Findings at a check-in's close that are on none of its alerts (unclear answers): the
    care team hears of them today, on the check-in's open alert or a new one. The patient is
    not told here (the caller decides). Returns the alert, or None when nothing was new."""
    raised = await session.scalars(select(Alert.reasons).where(Alert.checkin_id == checkin.id))
    known = {key for keys in raised for key in keys}
    fresh = [r for r in reasons if r.key not in known]
    if not fresh:
        return None
    alert = await open_alert(session, patient, checkin, now)
    if alert is None:
        return await raise_alert(session, services, patient, checkin, fresh, now, tell=False)
    await update_alert(session, services, alert, patient, fresh, now, again=False)
    return alert


async def open_alert(
    session: AsyncSession, patient: Patient, checkin: CheckIn | None, now: datetime
) -> Alert | None:
    """The patient's open alert for this check-in (or, without one, from the last 24 hours)."""
    stmt = select(Alert).where(Alert.patient_id == patient.id, Alert.status == AlertStatus.OPEN)
    if checkin is not None:
        stmt = stmt.where(Alert.checkin_id == checkin.id)
    else:
        stmt = stmt.where(Alert.checkin_id.is_(None), Alert.created_at >= now - UNLINKED_WINDOW)
    found = await session.scalars(stmt.order_by(Alert.id.desc()).limit(1).with_for_update())
    return found.first()


async def update_alert(
    session: AsyncSession,
    services: Services,
    alert: Alert,
    patient: Patient,
    reasons: Sequence[Reason],
    now: datetime,
    *,
    again: bool,
) -> None:
    """Add reasons to an open alert, raise its level if needed, and show it on its posts."""
    before = alert.level
    new = [r for r in reasons if r.key not in alert.reasons]
    alert.reasons = [*alert.reasons, *(r.key for r in new)]
    alert.reason_texts = [*alert.reason_texts, *(r.text for r in new)]
    alert.level = Level.max(before, *(r.level for r in reasons))
    note_change(session, patient.id, now)
    if again:
        alert.report_count += 1
        alert.last_reported_at = now
    config = services.config
    if alert.level is Level.EMERGENCY and any(r.level is Level.EMERGENCY for r in reasons):
        alert.followup_at = now + config.emergency_followup  # ask again whether help is coming
        alert.followup_asked_at = None
        alert.followup_answer = None
    if alert.escalate_at is None and alert.level >= Level.URGENT:
        alert.escalate_at = now + config.alert_escalation
    view = await alert_view(session, services, alert, patient)
    posts = await team_posts(session, [alert.id])
    tr = clinic_translator(services)
    current = views.alert_for_care_team(view, tr)
    if alert.level > before:  # a new post, so phones notify; the old ones point to it
        _show_on(session, alert, posts, views.alert_superseded(view, tr), now)
        await post_to_team(session, services, alert, current, now, "alert_team")
        render = caregiver_alert(services, patient, alert, view)
        await tell_caregivers(session, patient, render, alert, now)
    else:
        _show_on(session, alert, posts, current, now)


async def team_posts(session: AsyncSession, alert_ids: list[int]) -> list[Outbox]:
    """The care-team and operator posts of these alerts, oldest first."""
    if not alert_ids:
        return []
    rows = await session.scalars(
        select(Outbox)
        .where(Outbox.alert_id.in_(alert_ids), Outbox.purpose.in_(TEAM_POST_PURPOSES))
        .order_by(Outbox.id)
    )
    return list(rows.all())


def _show_on(
    session: AsyncSession, alert: Alert, posts: list[Outbox], message: Message, now: datetime
) -> None:
    """Delivered posts are edited; queued ones not yet claimed are rewritten before sending.

    A post claimed by the sender at this moment keeps the earlier text for now (it is still a
    correct, acknowledgeable alert); :func:`edit_late_posts` edits it on the next tick.
    """
    for post in posts:
        if post.message_id is not None:
            enqueue_edit(
                session,
                post.chat_id,
                post.message_id,
                message,
                now=now,
                purpose="alert_update",
                patient_id=alert.patient_id,
            )
        elif post.status == OutboxStatus.PENDING and (
            post.lease_until is None or post.lease_until <= now
        ):
            post.payload = payload_of(message)


async def edit_late_posts(services: Services) -> int:
    """Sweep: posts that were in flight while their alert was updated get the update now.

    A post claimed by the sender has no Telegram message id until it is delivered, so an
    update at that moment could not edit it; such a post was delivered after the alert's
    last report, with no edit queued since. Open alerts reported again within a day.

    Returns:
        How many posts were edited.
    """
    now = services.now()
    async with services.transaction() as session:
        rows = await session.execute(
            select(Outbox, Alert)
            .join(Alert, Alert.id == Outbox.alert_id)
            .where(
                Alert.status == AlertStatus.OPEN,
                Alert.last_reported_at >= now - LATE_WINDOW,
                Outbox.purpose.in_(TEAM_POST_PURPOSES),
                Outbox.message_id.is_not(None),
                Outbox.created_at < Alert.last_reported_at,
                Outbox.sent_at >= Alert.last_reported_at,
            )
            .order_by(Outbox.id)
        )
        edited = 0
        for post, alert in rows.tuples():
            later = await session.scalar(
                select(Outbox.id).where(
                    Outbox.chat_id == post.chat_id,
                    Outbox.method == "edit",
                    Outbox.created_at >= alert.last_reported_at,
                    Outbox.payload["message_id"].as_integer() == post.message_id,
                )
            )
            patient = await session.get(Patient, alert.patient_id)
            if later is not None or patient is None:
                continue
            view = await alert_view(session, services, alert, patient)
            post_text = views.alert_for_care_team(view, clinic_translator(services))
            _show_on(session, alert, [post], post_text, now)
            edited += 1
        return edited
