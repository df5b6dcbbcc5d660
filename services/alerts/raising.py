"""Raising alerts and keeping them alive until a human acts.

An urgent or emergency finding becomes an ``Alert`` row and, in the same transaction, outbox
messages to the patient, every linked caregiver and the care team. Alerts stay open until an
operator acknowledges them; unacknowledged ones are re-posted (see :func:`escalate_due`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, AlertStatus, Answer, CheckIn, Patient
from recovery import Level, Reason
from services.alerts.numbers import with_numbers
from services.context import Services
from services.outbox import Priority, enqueue, enqueue_edit
from services.patients import patient_day, patient_protocol
from services.recipients import care_team_chats, caregiver_links, operator_ids
from views import alerts as views
from views import texts
from views.callbacks import FollowupCb, FollowupChoice
from views.message import Message

__all__ = [
    "alert_view",
    "escalate_due",
    "followup_due",
    "patient_unreachable",
    "raise_alert",
    "record_followup",
]


async def raise_alert(
    session: AsyncSession,
    services: Services,
    patient: Patient,
    checkin: CheckIn | None,
    reasons: Sequence[Reason],
    now: datetime,
) -> Alert:
    """Record an alert and queue it to the patient, caregivers and care team.

    Args:
        session: the caller's session (same transaction as the answer that caused it).
        services: the service context.
        patient: whose alert.
        checkin: the check-in behind it, if any.
        reasons: the urgent/emergency reasons (at least one).
        now: the current time.

    Returns:
        The new alert.
    """
    level = Level.max(*(reason.level for reason in reasons))
    config = services.config
    alert = Alert(
        patient_id=patient.id,
        checkin_id=checkin.id if checkin else None,
        level=level,
        reasons=[r.key for r in reasons],
        reason_texts=[r.text for r in reasons],
        status=AlertStatus.OPEN,
        created_at=now,
        escalate_at=now + config.alert_escalation,
        escalation_count=0,
        followup_at=now + config.emergency_followup if level is Level.EMERGENCY else None,
    )
    session.add(alert)
    await session.flush()
    action = _action(services, patient, level)
    _to_patient(session, patient, alert, views.alert_for_patient(level, action, reasons), now)
    view = await alert_view(session, services, alert, patient)
    await _notify_caregivers(session, patient, views.alert_for_caregiver(view, action), alert, now)
    await _to_team(session, services, alert, views.alert_for_care_team(view), now, "alert_team")
    return alert


def _to_patient(
    session: AsyncSession,
    patient: Patient,
    alert: Alert,
    message: Message,
    now: datetime,
    purpose: str = "alert",
) -> None:
    enqueue(
        session,
        patient.chat_id,
        message,
        now=now,
        purpose=purpose,
        priority=Priority.ALERT,
        patient_id=patient.id,
        alert_id=alert.id,
    )


async def _to_team(
    session: AsyncSession,
    services: Services,
    alert: Alert,
    message: Message,
    now: datetime,
    purpose: str,
    *,
    every_operator: bool = False,
) -> None:
    """Queue ``message`` to the care-team chat (and each operator privately, if asked)."""
    chats = set(await care_team_chats(session, services))
    if every_operator:
        chats |= set(await operator_ids(session, services))
    for chat_id in sorted(chats):
        enqueue(
            session,
            chat_id,
            message,
            now=now,
            purpose=purpose,
            priority=Priority.ALERT,
            alert_id=alert.id,
            patient_id=alert.patient_id,
        )


def _action(services: Services, patient: Patient, level: Level) -> str:
    text = patient_protocol(patient, services.protocols).action_text(level)
    return with_numbers(text, services.config, patient.timezone, level)


async def _notify_caregivers(
    session: AsyncSession, patient: Patient, message: Message, alert: Alert, now: datetime
) -> None:
    for link in await caregiver_links(session, patient.id):
        enqueue(
            session,
            link.chat_id,
            message,
            now=now,
            purpose="alert_care",
            priority=Priority.ALERT,
            patient_id=patient.id,
            alert_id=alert.id,
            care_link_id=link.id,
        )


async def alert_view(
    session: AsyncSession, services: Services, alert: Alert, patient: Patient
) -> views.AlertView:
    """What the care team sees: who, procedure, day, reasons and the answers behind them."""
    answers: dict[str, str] = {}
    day = patient_day(patient, alert.created_at)
    if alert.checkin_id is not None:
        checkin = await session.get(CheckIn, alert.checkin_id)
        protocol = patient_protocol(patient, services.protocols)
        rows = await session.scalars(
            select(Answer)
            .where(Answer.checkin_id == alert.checkin_id, Answer.superseded_at.is_(None))
            .order_by(Answer.id)
        )
        for row in rows:
            question = protocol.question(row.question_key)
            option = question.option(row.value) if question else None
            text = question.text if question else row.question_key
            answers[text] = option.label if option else row.value
        day = checkin.post_op_day if checkin else day
    return views.AlertView(
        alert_id=alert.id,
        patient_ref=patient.ref,
        patient_name=patient.display_name,
        procedure=str(patient.procedure),
        day=day,
        level=alert.level,
        reasons=tuple(alert.reason_texts),
        answers=answers,
        escalation=alert.escalation_count,
    )


async def _due(
    session: AsyncSession, *conditions: ColumnElement[bool]
) -> list[tuple[Alert, Patient]]:
    """Due alerts with their patients, oldest first; locked so two instances never share one."""
    stmt = (
        select(Alert, Patient)
        .join(Patient, Patient.id == Alert.patient_id)
        .where(*conditions)
        .order_by(Alert.id)
        .limit(200)
        .with_for_update(skip_locked=True, of=Alert)  # PostgreSQL; SQLite ignores it
    )
    return [(alert, patient) for alert, patient in await session.execute(stmt)]


async def escalate_due(services: Services) -> int:
    """Re-post every open alert past its escalation time to the team and each operator."""
    now = services.now()
    async with services.transaction() as session:
        due = await _due(session, Alert.status == AlertStatus.OPEN, Alert.escalate_at <= now)
        for alert, patient in due:
            alert.escalation_count += 1
            alert.escalate_at = now + services.config.alert_escalation
            view = await alert_view(session, services, alert, patient)
            message = views.alert_for_care_team(view)
            await _to_team(
                session, services, alert, message, now, "alert_escalate", every_operator=True
            )
        return len(due)


async def followup_due(services: Services) -> int:
    """After an emergency answer: ask whether help is coming; no answer raises it again."""
    now = services.now()
    async with services.transaction() as session:
        due = await _due(session, Alert.followup_at <= now, Alert.followup_answer.is_(None))
        for alert, patient in due:
            if alert.followup_asked_at is None:
                alert.followup_asked_at = now
                alert.followup_at = now + services.config.emergency_followup
                question = views.emergency_followup_question(alert.id)
                _to_patient(session, patient, alert, question, now, "followup")
                continue
            alert.followup_at = None
            alert.followup_answer = "no_answer"
            alert.status = AlertStatus.OPEN
            alert.escalate_at = now
            await _notify_caregivers(
                session, patient, views.no_followup_answer(patient.display_name), alert, now
            )
        return len(due)


async def record_followup(
    services: Services, presser_id: int, chat_id: int, message_id: int, data: FollowupCb
) -> str | None:
    """The patient answers "are you getting help?"; "I need help" raises the alert again.

    Returns:
        None when recorded; a short notice for a stale or foreign press.
    """
    now = services.now()
    async with services.transaction() as session:
        alert = await session.get(Alert, data.alert_id, with_for_update=True)
        patient = await session.get(Patient, alert.patient_id) if alert else None
        if alert is None or patient is None:
            return texts.STALE_BUTTON
        if patient.telegram_user_id != presser_id:
            return texts.NOT_YOURS
        if alert.followup_answer is not None:
            return texts.ALREADY_ANSWERED
        alert.followup_answer = data.choice
        alert.followup_at = None
        label = views.FOLLOWUP_LABELS[data.choice]
        enqueue_edit(
            session, chat_id, message_id, Message(f"✓ {label}"), now=now, purpose="followup"
        )
        if data.choice is FollowupChoice.NEED:
            alert.status = AlertStatus.OPEN
            alert.escalate_at = now  # re-posted to the care team on this tick
            action = _action(services, patient, Level.EMERGENCY)
            _to_patient(session, patient, alert, Message(f"🚨 {action}"), now)
            return None
        enqueue(
            session,
            patient.chat_id,
            views.followup_thanks(),
            now=now,
            purpose="followup",
            patient_id=patient.id,
        )
        return None


async def patient_unreachable(
    session: AsyncSession, services: Services, alert_id: int, now: datetime
) -> None:
    """An alert could not be delivered to the patient: tell the care team and caregivers.

    Args:
        session: the caller's session (the transaction that records the failure).
        services: the service context.
        alert_id: the alert whose patient message failed for good.
        now: the current time.
    """
    alert = await session.get(Alert, alert_id)
    patient = await session.get(Patient, alert.patient_id) if alert else None
    if alert is None or patient is None:
        return
    message = views.alert_undeliverable(await alert_view(session, services, alert, patient))
    await _to_team(session, services, alert, message, now, "alert_unreached")
    await _notify_caregivers(session, patient, message, alert, now)
