"""After an emergency answer: is help coming? No answer, or "I need help", raises it again."""

from __future__ import annotations

from functools import partial

from models import Alert, AlertStatus, Patient
from recovery import Level
from services.alerts.escalation import due_alerts
from services.alerts.raising import (
    patient_action,
    tell_caregivers,
    tell_patient,
)
from services.context import Services
from services.outbox import enqueue, enqueue_edit
from services.risk_summary import note_change
from views import alerts as views
from views import texts
from views.callbacks import FollowupCb, FollowupChoice
from views.i18n import translator
from views.message import Message

__all__ = ["followup_due", "record_followup"]


async def followup_due(services: Services) -> int:
    """After an emergency answer: ask whether help is coming; no answer raises it again."""
    now = services.now()
    async with services.transaction() as session:
        due = await due_alerts(session, Alert.followup_at <= now, Alert.followup_answer.is_(None))
        for alert, patient in due:
            if alert.followup_asked_at is None:
                alert.followup_asked_at = now
                alert.followup_at = now + services.config.emergency_followup
                question = views.emergency_followup_question(alert.id, translator(patient.language))
                tell_patient(session, patient, alert, question, now, "followup")
                continue
            alert.followup_at = None
            alert.followup_answer = "no_answer"
            alert.status = AlertStatus.OPEN  # open again if it was acknowledged meanwhile
            note_change(session, patient.id, now)
            alert.escalate_at = now
            told = partial(views.no_followup_answer, patient.display_name)
            await tell_caregivers(session, patient, told, alert, now)
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
        tr = translator(patient.language)
        label = tr.gettext(views.FOLLOWUP_LABELS[data.choice])
        enqueue_edit(
            session, chat_id, message_id, Message(f"✓ {label}"), now=now, purpose="followup"
        )
        if data.choice is FollowupChoice.NEED:
            alert.status = AlertStatus.OPEN
            note_change(session, patient.id, now)
            alert.escalate_at = now  # re-posted to the care team on this tick
            action = patient_action(services, patient, Level.EMERGENCY)
            tell_patient(session, patient, alert, Message(f"🚨 {action}"), now)
            return None
        enqueue(
            session,
            patient.chat_id,
            views.followup_thanks(tr),
            now=now,
            purpose="followup",
            patient_id=patient.id,
        )
        return None
