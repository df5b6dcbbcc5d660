"""The care team's daily digest: the week's figures, yesterday's attention findings and missed
check-ins (riskiest first).

The order and the patients with 2+ missed check-ins in a row come from the stored risk
summaries (:mod:`services.risk_summary`), as in ``/patients``: one order everywhere, and no
pass over every patient's history.

Attention reasons are recomputed only with the protocol file that judged the check-in (same
stored hash); a check-in judged by another file is listed with the protocol version it stored.

A sweep (every tick); it posts once a day, on the first tick at or after ``DIGEST_TIME`` in the
clinic's time zone (``CLINIC_TIMEZONE``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, AlertStatus, Answer, CheckIn, CheckInStatus, Outbox, Patient, RiskSummary
from models.risk_summary import ORDER_COLUMNS
from recovery import Level, PastCheckIn, Protocol, Reason, assess
from services.care_team.patient_detail import RECENT_CHECKINS
from services.context import Services
from services.outbox import Priority, enqueue
from services.patients import patient_protocol, patient_reasons
from services.recipients import care_team_chats
from services.risk import MISSED_IN_A_ROW
from views.care_team.common import who
from views.care_team.digest import DigestFigures, DigestItem, digest_message
from views.i18n import Translator, translator

__all__ = ["digest_figures", "send_daily_digest"]

WEEK = timedelta(days=7)
RISK_ORDER = tuple(getattr(RiskSummary, name) for name in ORDER_COLUMNS)


async def send_daily_digest(services: Services) -> int:
    """Post the week's figures and yesterday's findings to the care team, once a day.

    Runs on every tick; acts on the first tick at or after ``DIGEST_TIME`` in the clinic's
    zone. The outbox row's unique ``dedupe_key`` (``digest:<clinic date>``) makes it once per
    day across restarts and instances. Nothing is posted on a day with nothing to report (no
    finding and no check-in due this week). "Yesterday" is the clinic's date before today,
    compared with each check-in's local date.

    Args:
        services: the service context.

    Returns:
        How many findings the digest carried (at least 1 when it was sent, 0 when not).
    """
    now = services.now()
    local = now.astimezone(services.config.clinic_zone)
    today = local.date()
    if local.time() < services.config.digest_time:
        return 0
    key = f"digest:{today.isoformat()}"
    try:
        async with services.transaction() as session:
            if await session.scalar(select(Outbox.id).where(Outbox.dedupe_key == key)):
                return 0
            yesterday = today - timedelta(days=1)
            tr = translator(services.config.clinic_language)  # the care-team chat's language
            attention = await _digest_items(session, services, yesterday, tr, attention=True)
            missed = await _digest_items(session, services, yesterday, tr, attention=False)
            figures = await digest_figures(session, services, today, now)
            if not attention and not missed and not figures.checkins_due:
                return 0  # overdue alerts alone: escalation re-posts them already
            message = digest_message(yesterday, attention, missed, tr, figures)
            for number, chat_id in enumerate(await care_team_chats(session, services)):
                enqueue(
                    session,
                    chat_id,
                    message,
                    now=now,
                    purpose="digest",
                    priority=Priority.ROUTINE,
                    dedupe_key=key if number == 0 else f"{key}:{chat_id}",
                )
            return max(1, len(attention) + len(missed))
    except IntegrityError:
        return 0  # another instance sent today's digest first


async def digest_figures(
    session: AsyncSession, services: Services, today: date, now: datetime
) -> DigestFigures:
    """The programme's figures over the 7 days before ``today`` (the clinic's date).

    Args:
        session: the caller's session (reads only).
        services: the service context (escalation time).
        today: the clinic's date; the week is the 7 local dates before it.
        now: the current time (overdue alerts, the week of acknowledgements).

    Returns:
        Check-ins done of those due, patients with 2+ missed in a row, open alerts older than
        the escalation time, and the median minutes from alert to acknowledgement.
    """
    week = (today - WEEK, today - timedelta(days=1))
    statuses = (
        await session.scalars(select(CheckIn.status).where(CheckIn.local_date.between(*week)))
    ).all()
    absent = (
        await session.scalars(
            select(Patient)
            .join(RiskSummary, RiskSummary.patient_id == Patient.id)
            .where(RiskSummary.missed_streak >= MISSED_IN_A_ROW)
            .order_by(Patient.id)
        )
    ).all()
    escalation = services.config.alert_escalation
    overdue = await session.scalar(
        select(func.count()).where(
            Alert.status == AlertStatus.OPEN, Alert.created_at <= now - escalation
        )
    )
    acked = (
        await session.execute(
            select(Alert.created_at, Alert.acknowledged_at).where(
                Alert.acknowledged_at.is_not(None), Alert.acknowledged_at >= now - WEEK
            )
        )
    ).all()
    waits = [(at - created).total_seconds() / 60 for created, at in acked if at is not None]
    return DigestFigures(
        checkins_done=sum(1 for s in statuses if s == CheckInStatus.COMPLETED),
        checkins_due=len(statuses),
        missed_streaks=tuple(who(p.ref, p.display_name) for p in absent),
        overdue_alerts=overdue or 0,
        escalation_minutes=int(escalation.total_seconds() // 60),
        median_ack_minutes=median(waits) if waits else None,
        acknowledged=len(waits),
    )


async def _digest_items(
    session: AsyncSession, services: Services, day: date, tr: Translator, *, attention: bool
) -> list[DigestItem]:
    condition = (
        CheckIn.level == Level.ATTENTION if attention else CheckIn.status == CheckInStatus.MISSED
    )
    rows = (
        await session.execute(
            select(CheckIn, Patient)
            .join(Patient, Patient.id == CheckIn.patient_id)
            .outerjoin(RiskSummary, RiskSummary.patient_id == Patient.id)  # never drops one
            .where(CheckIn.local_date == day, condition)
            .order_by(*RISK_ORDER, Patient.id)  # riskiest first, as /patients
        )
    ).all()
    items = []
    for checkin, patient in rows:
        reasons: tuple[str, ...] = ()
        judged_by: str | None = None
        if attention and patient.procedure is not None:
            protocol = patient_protocol(patient, services.protocols)
            if protocol.content_hash and protocol.content_hash == checkin.protocol_hash:
                found = await _attention_reasons(session, protocol, patient, checkin)
                keys, texts = [r.key for r in found], [r.text for r in found]
                reasons = patient_reasons(patient, services.protocols, keys, texts, tr)
            else:  # judged by another file: today's rules would not say why
                judged_by = f"{checkin.protocol_family} {checkin.protocol_version}"
        items.append(
            DigestItem(patient.ref, patient.display_name, checkin.post_op_day, reasons, judged_by)
        )
    return items


async def _attention_reasons(
    session: AsyncSession, protocol: Protocol, patient: Patient, checkin: CheckIn
) -> tuple[Reason, ...]:
    """The attention reasons, recomputed by the triage engine (check-ins store only the level)
    with the very protocol file that judged the check-in."""
    recent = (
        await session.scalars(
            select(CheckIn)
            .where(CheckIn.patient_id == patient.id, CheckIn.local_date <= checkin.local_date)
            .order_by(CheckIn.local_date.desc())
            .limit(RECENT_CHECKINS + 1)
        )
    ).all()
    rows = await session.execute(
        select(Answer.checkin_id, Answer.question_key, Answer.value).where(
            Answer.checkin_id.in_([c.id for c in recent]), Answer.superseded_at.is_(None)
        )
    )
    answers: dict[int, dict[str, str]] = defaultdict(dict)
    for checkin_id, key, value in rows:
        answers[checkin_id][key] = value
    history = [PastCheckIn(c.post_op_day, answers[c.id]) for c in reversed(recent[1:])]
    result = assess(protocol, checkin.post_op_day, answers[checkin.id], history)
    return tuple(r for r in result.reasons if r.level is Level.ATTENTION)
