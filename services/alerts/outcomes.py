"""After Acknowledge, what was done: the operator picks an outcome, stored once and audited.

The acknowledged post offers the outcomes (:class:`views.callbacks.AlertOutcome`); the first
operator's press records it (a conditional UPDATE, like the acknowledgement), every post of
the alert is edited to show it, and an audit event is written. The outcome is what the
monitoring trials report as "alerts acted on" and "time to act".
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, exists, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, AlertStatus, Operator, Patient
from services.alerts.ack_posts import acknowledged_label_of, acknowledged_post, operator_name
from services.alerts.reports import team_posts
from services.audit import OUTCOME_ACTION, record_operator_event
from services.care_team import check_operator, notice_translator
from services.context import Services
from services.outbox import enqueue_edit
from views.callbacks import OutcomeCb
from views.care_team import common as views

__all__ = ["OUTCOME_ACTION", "record_outcome"]


async def record_outcome(
    services: Services,
    presser_id: int,
    presser_name: str | None,
    data: OutcomeCb,
    language_code: str | None = None,
) -> str:
    """An operator pressed an outcome under an acknowledged alert: store it, show it everywhere.

    Args:
        services: the service context.
        presser_id: the Telegram user who pressed.
        presser_name: their Telegram name (used when the operators table has none).
        data: the decoded button (alert id and outcome).
        language_code: the presser's Telegram language: the notice is in the operator's
            language (None: from the web console, in its language for the operator).

    Returns:
        The notice to show the presser (recorded, already recorded, refused).
    """
    now = services.now()
    async with services.transaction() as session:
        won = await _claim(session, services, data, presser_id)
        tr = await notice_translator(session, services, presser_id, language_code)
        if not won and not await check_operator(session, services, presser_id):
            return tr.gettext(views.NOT_OPERATOR)
        alert = await session.get(Alert, data.alert_id)
        patient = await session.get(Patient, alert.patient_id) if alert else None
        if alert is None or patient is None:
            return tr.gettext(views.ALERT_GONE)
        if not won:
            return tr.gettext(views.OUTCOME_ALREADY)
        await session.refresh(alert)
        record_operator_event(
            session,
            presser_id,
            OUTCOME_ACTION,
            patient.ref,
            at=now,
            alert_id=alert.id,
            outcome=str(data.outcome),
            by=await operator_name(session, presser_id, presser_name),
        )
        label = await acknowledged_label_of(session, services, alert, patient.ref)
        done = await acknowledged_post(session, services, alert, patient, label)
        for post in await team_posts(session, [alert.id]):
            if post.message_id is not None:
                enqueue_edit(
                    session,
                    post.chat_id,
                    post.message_id,
                    done,
                    now=now,
                    purpose="alert_outcome",
                    patient_id=alert.patient_id,
                )
        return tr.gettext(views.OUTCOME_RECORDED)


async def _claim(session: AsyncSession, services: Services, data: OutcomeCb, user_id: int) -> bool:
    """Store the outcome if the alert is acknowledged, has none yet, and the presser may."""
    conditions = [
        Alert.id == data.alert_id,
        Alert.status == AlertStatus.ACKNOWLEDGED,
        Alert.outcome.is_(None),
    ]
    if user_id not in services.config.operator_ids:
        conditions.append(exists().where(Operator.telegram_user_id == user_id))
    result = await session.execute(
        update(Alert)
        .where(*conditions)
        .values(outcome=str(data.outcome), outcome_by=user_id, outcome_at=services.now())
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount == 1
