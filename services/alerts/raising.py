"""Raising an alert: the row, and in the same transaction the messages to everyone concerned.

An urgent or emergency finding becomes an ``Alert`` row and outbox messages to the patient,
every linked caregiver and the care team. Alerts stay open until an operator acknowledges
them: a finding reported again updates the open alert (:mod:`.reports`), an unacknowledged
one is re-posted (:mod:`.escalation`), and an emergency is followed up (:mod:`.followup`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, AlertStatus, Answer, CheckIn, Patient
from recovery import Level, Reason
from recovery.overlay import localize_reasons
from services.alerts.numbers import with_numbers
from services.context import Services
from services.outbox import Priority, enqueue
from services.patients import (
    patient_day,
    patient_protocol,
    patient_reasons,
    patient_texts,
    provenance_of,
)
from services.recipients import care_team_chats, caregiver_links, operator_ids
from services.risk_summary import note_change
from views import alerts as views
from views.dates import clock_time
from views.i18n import Translator, translator
from views.message import Message

__all__ = [
    "CaregiverRender",
    "alert_view",
    "caregiver_alert",
    "clinic_translator",
    "patient_action",
    "patient_alert",
    "reasons_in",
    "post_to_team",
    "raise_alert",
    "tell_caregivers",
    "tell_patient",
]


async def raise_alert(
    session: AsyncSession,
    services: Services,
    patient: Patient,
    checkin: CheckIn | None,
    reasons: Sequence[Reason],
    now: datetime,
    *,
    tell: bool = True,
) -> Alert:
    """Record an alert and queue it to the patient, caregivers and care team.

    An ATTENTION alert (an unclear answer to a warning sign) goes to the care team only, for
    review the same day; it is listed and acknowledged like the others but not re-posted.

    Args:
        session: the caller's session (same transaction as the answer that caused it).
        services: the service context.
        patient: whose alert.
        checkin: the check-in behind it, if any.
        reasons: the reasons (at least one; the alert takes the most severe level).
        now: the current time.
        tell: False when the patient has already been told (or is told by the caller).

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
        escalate_at=now + config.alert_escalation if level >= Level.URGENT else None,
        escalation_count=0,
        followup_at=now + config.emergency_followup if level is Level.EMERGENCY else None,
        **provenance_of(checkin or patient_protocol(patient, services.protocols)),
    )
    session.add(alert)
    await session.flush()
    note_change(session, patient.id, now)
    if tell:
        told = patient_alert(services, patient, level, reasons)
        tell_patient(session, patient, alert, told, now)
    view = await alert_view(session, services, alert, patient)
    if level >= Level.URGENT:
        render = caregiver_alert(services, patient, alert, view)
        await tell_caregivers(session, patient, render, alert, now)
    post = views.alert_for_care_team(view, clinic_translator(services))
    await post_to_team(session, services, alert, post, now, "alert_team")
    return alert


CaregiverRender = Callable[[Translator], Message]
"""A notice to caregivers, given each caregiver's translator."""


def clinic_translator(services: Services) -> Translator:
    """The care team's language (``CLINIC_LANGUAGE``): posts to the team and the digest."""
    return translator(services.config.clinic_language)


def caregiver_alert(
    services: Services, patient: Patient, alert: Alert, view: views.AlertView
) -> CaregiverRender:
    """The alert as each caregiver reads it: findings and the patient's instruction in their
    language (``view`` gives who and the level)."""

    def render(tr: Translator) -> Message:
        action = patient_action(services, patient, alert.level, tr.language)
        shown = reasons_in(services, patient, alert, view, tr)
        return views.alert_for_caregiver(shown, action, tr)

    return render


def reasons_in(
    services: Services, patient: Patient, alert: Alert, view: views.AlertView, tr: Translator
) -> views.AlertView:
    """``view`` with the alert's findings in ``tr``'s language."""
    keys, texts = alert.reasons, alert.reason_texts
    reasons = patient_reasons(patient, services.protocols, keys, texts, tr)
    return dataclasses.replace(view, reasons=reasons)


def tell_patient(
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


async def post_to_team(
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


def patient_action(
    services: Services, patient: Patient, level: Level, language: str | None = None
) -> str:
    """What to do at ``level``, with the numbers, in ``language`` (default: the patient's).

    The text is the protocol's, from its overlay in that language (every supported language has
    one: the loader refuses an incomplete set); the emergency number is filled in.
    """
    tr = translator(patient.language if language is None else language)
    text = patient_texts(patient, services.protocols, tr.language).action_text(level)
    return with_numbers(text, services.config, patient.timezone, level, tr)


def patient_alert(
    services: Services, patient: Patient, level: Level, reasons: Sequence[Reason]
) -> Message:
    """The instruction a patient gets at once for ``reasons``, in their language."""
    action = patient_action(services, patient, level)
    shown = localize_reasons(patient_texts(patient, services.protocols), tuple(reasons))
    return views.alert_for_patient(level, action, shown, translator(patient.language))


async def tell_caregivers(
    session: AsyncSession, patient: Patient, render: CaregiverRender, alert: Alert, now: datetime
) -> None:
    """Queue ``render`` to every linked caregiver in their own language (else the patient's)."""
    for link in await caregiver_links(session, patient.id):
        enqueue(
            session,
            link.chat_id,
            render(translator(link.language or patient.language)),
            now=now,
            purpose="alert_care",
            priority=Priority.ALERT,
            patient_id=patient.id,
            alert_id=alert.id,
            care_link_id=link.id,
        )


async def alert_view(
    session: AsyncSession,
    services: Services,
    alert: Alert,
    patient: Patient,
    tr: Translator | None = None,
) -> views.AlertView:
    """What the care team sees: who, procedure, day, reasons and the answers that matter.

    Reasons and answers are in ``tr``'s language (default: ``CLINIC_LANGUAGE``): the
    protocol's overlay in that language where it has one, English otherwise.
    """
    tr = tr or clinic_translator(services)
    answers: tuple[views.AnswerLine, ...] = ()
    day = patient_day(patient, alert.created_at)
    if alert.checkin_id is not None:
        checkin = await session.get(CheckIn, alert.checkin_id)
        rows = (
            await session.scalars(
                select(Answer)
                .where(Answer.checkin_id == alert.checkin_id, Answer.superseded_at.is_(None))
                .order_by(Answer.id)
            )
        ).all()
        answers = views.answers_that_matter(
            patient_texts(patient, services.protocols, tr.language),
            alert.reasons,
            {row.question_key: row.value for row in rows},
            {row.question_key for row in rows if row.answered_at > alert.created_at},
        )
        day = checkin.post_op_day if checkin else day
    return views.AlertView(
        alert_id=alert.id,
        patient_ref=patient.ref,
        patient_name=patient.display_name,
        procedure=str(patient.procedure),
        day=day,
        level=alert.level,
        reasons=patient_reasons(patient, services.protocols, alert.reasons, alert.reason_texts, tr),
        answers=answers,
        escalation=alert.escalation_count,
        reported_again=_reported_again(alert, services, tr),
    )


def _reported_again(alert: Alert, services: Services, tr: Translator) -> str | None:
    """When the alert's findings were last reported again, in the clinic's time."""
    if alert.last_reported_at is None or alert.report_count < 2:
        return None
    local = alert.last_reported_at.astimezone(services.config.clinic_zone)
    count = tr.ngettext("{n} report", "{n} reports", alert.report_count)
    times = f" ({count})" if alert.report_count > 2 else ""
    return f"{clock_time(local, tr.language)} {local.tzname() or ''}".rstrip() + times
