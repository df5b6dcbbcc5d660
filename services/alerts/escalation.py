"""Alerts nobody acted on: re-posted to the whole care team; an unreachable patient is flagged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, AlertStatus, Patient
from services.alerts.raising import (
    alert_view,
    clinic_translator,
    post_to_team,
    reasons_in,
    tell_caregivers,
)
from services.context import Services
from views import alerts as views
from views.i18n import Translator
from views.message import Message

__all__ = ["due_alerts", "escalate_due", "patient_unreachable"]


async def due_alerts(
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
        due = await due_alerts(session, Alert.status == AlertStatus.OPEN, Alert.escalate_at <= now)
        for alert, patient in due:
            alert.escalation_count += 1
            alert.escalate_at = now + services.config.alert_escalation
            view = await alert_view(session, services, alert, patient)
            message = views.alert_for_care_team(view, clinic_translator(services))
            await post_to_team(
                session, services, alert, message, now, "alert_escalate", every_operator=True
            )
        return len(due)


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
    view = await alert_view(session, services, alert, patient)
    message = views.alert_undeliverable(view, clinic_translator(services))
    await post_to_team(session, services, alert, message, now, "alert_unreached")

    def render(tr: Translator) -> Message:
        return views.alert_undeliverable(reasons_in(services, patient, alert, view, tr), tr)

    await tell_caregivers(session, patient, render, alert, now)
