"""Acknowledging alerts: the first operator's press wins, every post of the alert names them.

An alert is acknowledged once: the first press wins atomically (a conditional UPDATE), every
care-team and operator post of the alert is edited to name who acknowledged it, escalation
stops and an audit event is written. Posts still in flight at that moment are edited by the
:func:`.ack_posts.edit_late_posts` sweep once they are delivered.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, AlertStatus, Operator, Outbox, Patient
from services.alerts.ack_posts import (
    acknowledged_label_of,
    acknowledged_post,
    edit_posts,
    operator_name,
    settle_queued,
    zone,
)
from services.alerts.raising import clinic_translator
from services.alerts.reports import team_posts
from services.audit import ACK_ACTION, record_operator_event
from services.care_team import (
    ALERTS_LIST_PURPOSE,
    alerts_page,
    check_operator,
    notice_translator,
    reviewer_translator,
)
from services.context import Services
from services.outbox import enqueue, enqueue_edit
from services.risk_summary import note_change
from views import alerts as alert_views
from views.callbacks import AckCb
from views.care_team import common as views
from views.i18n import Translator, translator

__all__ = ["acknowledge_alert"]


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
    reminders dropped; posts in flight are edited by :func:`.ack_posts.edit_late_posts`); the
    patient, if reachable, is told that the care team has seen it (naming no one); caregivers
    hear nothing new.

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
            label = views.acknowledged_label(name, now, zone(services), clinic_translator(services))
            record_operator_event(
                session,
                presser_id,
                ACK_ACTION,
                patient.ref,
                at=now,
                alert_id=alert.id,
                by=label,  # as the posts name them, in CLINIC_LANGUAGE
                name=name,  # for a reader of another language
            )
            _tell_patient(session, services, patient, alert, now)
        else:
            label = await acknowledged_label_of(session, services, alert, patient.ref)
        done = await acknowledged_post(session, services, alert, patient, label)
        posts = await team_posts(session, [alert.id])
        if won:
            await settle_queued(session, alert, posts, done, now)
        here = [p for p in posts if (p.chat_id, p.message_id) == pressed]
        await edit_posts(session, alert, posts if won else here, done, now)
        if pressed is not None and not here:
            listed_in = await reviewer_translator(
                session, services, presser_id, pressed[0], language_code
            )
            await _refresh_list(session, services, *pressed, now, listed_in)
        return tr.gettext(views.ACKNOWLEDGED) if won else views.already_acknowledged(label, tr)


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
