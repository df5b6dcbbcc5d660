"""What operators review in Telegram: the alert queue, patients by risk, one patient, the digest.

Every command checks the role first and answers a non-operator exactly like an unknown
command. Patient data is shown only in the operator's private chat or the care-team chat.
Lists are paged (:class:`~views.callbacks.PageCb`), a page turn edits the message in place.
Each view of a patient is audited.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Alert,
    AlertStatus,
    Answer,
    CareLink,
    CheckIn,
    CheckInStatus,
    Outbox,
    Patient,
    PatientStatus,
)
from recovery import Level, PastCheckIn, assess
from views import operator as views
from views import texts
from views.callbacks import PageCb
from views.message import Message

from .audit import operator_actor, record_event
from .context import Services
from .operators import ALERTS_LIST_PURPOSE, check_operator, may_review_here, refuse_command
from .outbox import Priority, enqueue, enqueue_edit
from .patients import patient_day, patient_protocol
from .recipients import care_team_chats

__all__ = [
    "DIGEST_HOUR",
    "alerts_page",
    "send_daily_digest",
    "show_alerts",
    "show_patient",
    "show_patients",
    "turn_page",
]

DIGEST_HOUR = 8  # UTC: the digest goes out on the first tick at or after 08:00
RECENT_CHECKINS = 14
PAIN_SCORES = 5
MISSED_WINDOW = timedelta(days=7)
PAIN_KEY = "pain"
VIEW_ACTION = "patient_viewed"
T = TypeVar("T")


async def show_alerts(services: Services, user_id: int, chat_id: int) -> bool:
    """``/alerts``: the open alerts, most severe first then oldest, with Acknowledge buttons.

    Args:
        services: the service context.
        user_id: who asks.
        chat_id: where to answer.

    Returns:
        False when refused (not an operator, or not a private or care-team chat).
    """
    now = services.now()
    async with services.transaction() as session:
        if not await _allowed(session, services, user_id, chat_id, now):
            return False
        message = await alerts_page(session, services, 0, now)
        enqueue(session, chat_id, message, now=now, purpose=ALERTS_LIST_PURPOSE)
        return True


async def show_patients(services: Services, user_id: int, chat_id: int) -> bool:
    """``/patients``: active patients ordered by risk (alerts, rising pain, missed check-ins).

    Args:
        services: the service context.
        user_id: who asks.
        chat_id: where to answer.

    Returns:
        False when refused.
    """
    now = services.now()
    async with services.transaction() as session:
        if not await _allowed(session, services, user_id, chat_id, now):
            return False
        message = await _patients_page(session, services, 0, now)
        enqueue(session, chat_id, message, now=now, purpose="op_patients")
        return True


async def show_patient(services: Services, user_id: int, chat_id: int, ref: str) -> bool:
    """``/patient REF``: profile, day, recent check-ins with who answered, trend, open alerts.

    Args:
        services: the service context.
        user_id: who asks.
        chat_id: where to answer.
        ref: the reference as typed (``P-0042``); empty gets a usage hint.

    Returns:
        False when refused; True when answered (also for an unknown reference).
    """
    now = services.now()
    async with services.transaction() as session:
        if not await _allowed(session, services, user_id, chat_id, now):
            return False
        if not ref.strip():
            message = views.PATIENT_USAGE
        else:
            message = await _patient_page(session, services, user_id, ref, 0, now)
        enqueue(session, chat_id, message, now=now, purpose="op_patient")
        return True


async def turn_page(
    services: Services, user_id: int, chat_id: int, message_id: int, data: PageCb
) -> str | None:
    """A paging button: edit the message to show the requested page.

    Args:
        services: the service context.
        user_id: who pressed.
        chat_id: the chat of the message.
        message_id: the message to edit.
        data: the decoded button.

    Returns:
        None when the page is shown; a refusal notice otherwise (nothing changes).
    """
    now = services.now()
    page = max(0, data.page)
    async with services.transaction() as session:
        if not await check_operator(session, services, user_id) or not may_review_here(
            services, user_id, chat_id
        ):
            return views.NOT_OPERATOR
        if data.view == views.ALERTS_VIEW:
            message = await alerts_page(session, services, page, now)
        elif data.view == views.PATIENTS_VIEW:
            message = await _patients_page(session, services, page, now)
        elif data.view == views.PATIENT_VIEW:
            message = await _patient_page(session, services, user_id, data.arg, page, now)
        else:
            return texts.STALE_BUTTON
        enqueue_edit(session, chat_id, message_id, message, now=now, purpose="op_page")
        return None


async def _allowed(
    session: AsyncSession, services: Services, user_id: int, chat_id: int, now: datetime
) -> bool:
    if await check_operator(session, services, user_id) and may_review_here(
        services, user_id, chat_id
    ):
        return True
    refuse_command(session, user_id, chat_id, now)
    return False


def _slice(items: list[T], page: int, size: int) -> tuple[list[T], int, int]:
    pages = views.page_count(len(items), size)
    page = min(page, pages - 1)
    return items[page * size : (page + 1) * size], page, pages


async def alerts_page(
    session: AsyncSession, services: Services, page: int, now: datetime
) -> Message:
    """One page of the open alerts (worst first, then oldest), inside the caller's session.

    Args:
        session: the caller's session.
        services: the service context.
        page: the page wanted (clamped to the last one).
        now: the current time.

    Returns:
        The rendered page.
    """
    rows = (
        await session.execute(
            select(Alert, Patient)
            .join(Patient, Patient.id == Alert.patient_id)
            .where(Alert.status == AlertStatus.OPEN)
        )
    ).all()
    lines = sorted(
        (_alert_line(a, p) for a, p in rows),
        key=lambda line: (-line.level.rank, line.created_at, line.alert_id),
    )
    shown, page, pages = _slice(lines, page, views.PAGE_SIZE)
    return views.alerts_message(shown, page=page, pages=pages, total=len(lines), now=now)


def _alert_line(alert: Alert, patient: Patient) -> views.AlertLine:
    return views.AlertLine(
        alert.id,
        patient.ref,
        patient.display_name,
        Level(alert.level),
        tuple(alert.reason_texts),
        alert.created_at,
        alert.escalation_count,
    )


async def _patients_page(
    session: AsyncSession, services: Services, page: int, now: datetime
) -> Message:
    today = now.date()
    open_rows = (
        await session.execute(
            select(Alert.patient_id, Alert.level).where(Alert.status == AlertStatus.OPEN)
        )
    ).all()
    alerts: dict[int, list[Level]] = defaultdict(list)
    for patient_id, level in open_rows:
        alerts[patient_id].append(Level(level))
    patients = (
        await session.scalars(
            select(Patient).where(
                or_(
                    Patient.status.in_([PatientStatus.ACTIVE, PatientStatus.PAUSED]),
                    Patient.id.in_(list(alerts)),
                )
            )
        )
    ).all()
    missed = dict(
        (
            await session.execute(
                select(CheckIn.patient_id, func.count())
                .where(
                    CheckIn.status == CheckInStatus.MISSED,
                    CheckIn.local_date >= today - MISSED_WINDOW,
                )
                .group_by(CheckIn.patient_id)
            )
        )
        .tuples()
        .all()
    )
    pains = await _pain_scores(session, today - timedelta(days=RECENT_CHECKINS))
    lines = [
        views.PatientLine(
            ref=p.ref,
            name=p.display_name,
            procedure=None if p.procedure is None else str(p.procedure),
            day=patient_day(p, now) if p.surgery_date else None,
            status=str(p.status),
            open_alerts=len(alerts.get(p.id, [])),
            worst=Level.max(*alerts[p.id]) if p.id in alerts else None,
            pain=tuple(pains.get(p.id, [])[-PAIN_SCORES:]),
            missed=missed.get(p.id, 0),
        )
        for p in patients
    ]
    lines.sort(key=_risk)
    shown, page, pages = _slice(lines, page, views.PAGE_SIZE)
    return views.patients_message(shown, page=page, pages=pages, total=len(lines))


def _risk(line: views.PatientLine) -> tuple[int, int, int, int, bool, str, str]:
    """Riskiest first: worst open alert, more alerts, rising pain, more missed; then name/ref."""
    worst = line.worst.rank if line.worst else 0
    rising = 1 if views.pain_rising(line.pain) else 0
    name = (line.name or "").casefold()
    return (-worst, -line.open_alerts, -rising, -line.missed, not name, name, line.ref)


async def _pain_scores(session: AsyncSession, since: date) -> dict[int, list[int]]:
    rows = await session.execute(
        select(CheckIn.patient_id, Answer.value)
        .join(Answer, Answer.checkin_id == CheckIn.id)
        .where(
            Answer.question_key == PAIN_KEY,
            Answer.superseded_at.is_(None),
            CheckIn.local_date >= since,
        )
        .order_by(CheckIn.patient_id, CheckIn.local_date)
    )
    scores: dict[int, list[int]] = defaultdict(list)
    for patient_id, value in rows:
        if value.isdigit():
            scores[patient_id].append(int(value))
    return scores


async def _patient_page(
    session: AsyncSession, services: Services, user_id: int, ref: str, page: int, now: datetime
) -> Message:
    patient_id = views.parse_ref(ref)
    patient = await session.get(Patient, patient_id) if patient_id is not None else None
    if patient is None:
        return views.unknown_patient(ref)
    detail = await _detail(session, services, patient, now)
    pages = views.page_count(len(detail.checkins), views.PATIENT_PAGE_SIZE)
    page = min(page, pages - 1)
    record_event(
        session,
        at=now,
        actor=operator_actor(user_id),
        action=VIEW_ACTION,
        patient_ref=patient.ref,
        page=page,
    )
    return views.patient_message(detail, page=page, now=now)


async def _detail(
    session: AsyncSession, services: Services, patient: Patient, now: datetime
) -> views.PatientDetail:
    protocol = patient_protocol(patient, services.protocols) if patient.procedure else None
    links = (
        await session.scalars(
            select(CareLink).where(CareLink.patient_id == patient.id).order_by(CareLink.id)
        )
    ).all()
    names = {link.user_id: f"{link.display_name or 'caregiver'} (caregiver)" for link in links}
    checkins = (
        await session.scalars(
            select(CheckIn)
            .where(CheckIn.patient_id == patient.id)
            .order_by(CheckIn.local_date.desc())
            .limit(RECENT_CHECKINS)
        )
    ).all()
    answers = (
        await session.scalars(
            select(Answer)
            .where(Answer.checkin_id.in_([c.id for c in checkins]))
            .order_by(Answer.id)
        )
    ).all()
    by_checkin: dict[int, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_checkin[answer.checkin_id].append(answer)
    summaries = []
    pain: list[int] = []
    for checkin in checkins:
        rows = by_checkin[checkin.id]
        changed = {a.question_key for a in rows if a.superseded_at is not None}
        current = [a for a in rows if a.superseded_at is None]
        lines = []
        for answer in current:
            question = protocol.question(answer.question_key) if protocol else None
            option = question.option(answer.value) if question else None
            by = None
            if answer.answered_by != patient.telegram_user_id:
                by = names.get(answer.answered_by, f"user {answer.answered_by}")
            lines.append(
                views.AnswerLine(
                    answer.question_key,
                    option.label if option else answer.value,
                    by,
                    answer.question_key in changed,
                )
            )
            if answer.question_key == PAIN_KEY and answer.value.isdigit():
                pain.append(int(answer.value))
        summaries.append(
            views.CheckInSummary(
                checkin.local_date,
                checkin.post_op_day,
                str(checkin.status),
                None if checkin.level is None else Level(checkin.level),
                tuple(lines),
            )
        )
    alerts = (
        await session.scalars(
            select(Alert)
            .where(Alert.patient_id == patient.id, Alert.status == AlertStatus.OPEN)
            .order_by(Alert.created_at)
        )
    ).all()
    return views.PatientDetail(
        ref=patient.ref,
        name=patient.display_name,
        status=str(patient.status),
        procedure=None if patient.procedure is None else str(patient.procedure),
        surgery_date=patient.surgery_date,
        day=patient_day(patient, now) if patient.surgery_date else None,
        timezone=patient.timezone,
        checkin_time=patient.checkin_time,
        caregivers=tuple(
            f"{link.display_name or link.kind}{' (may answer)' if link.may_answer else ''}"
            for link in links
            if link.revoked_at is None
        ),
        pain=tuple(reversed(pain))[-PAIN_SCORES:],
        open_alerts=tuple(_alert_line(a, patient) for a in alerts),
        checkins=tuple(summaries),
    )


async def send_daily_digest(services: Services) -> int:
    """Post yesterday's attention findings and missed check-ins to the care team, once a day.

    Runs on every tick; acts on the first tick at or after ``DIGEST_HOUR`` (UTC). The outbox
    row's unique ``dedupe_key`` (``digest:<date>``) makes it once per day across restarts and
    instances. Nothing is posted on a day with nothing to report. "Yesterday" is the UTC date
    before today, compared with each check-in's local date.

    Args:
        services: the service context.

    Returns:
        How many findings the digest carried (0 when none was sent).
    """
    now = services.now()
    today = now.date()
    if now < datetime.combine(today, time(DIGEST_HOUR), UTC):
        return 0
    key = f"digest:{today.isoformat()}"
    try:
        async with services.transaction() as session:
            if await session.scalar(select(Outbox.id).where(Outbox.dedupe_key == key)):
                return 0
            yesterday = today - timedelta(days=1)
            attention = await _digest_items(session, services, yesterday, attention=True)
            missed = await _digest_items(session, services, yesterday, attention=False)
            if not attention and not missed:
                return 0
            message = views.digest_message(yesterday, attention, missed)
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
            return len(attention) + len(missed)
    except IntegrityError:
        return 0  # another instance sent today's digest first


async def _digest_items(
    session: AsyncSession, services: Services, day: date, *, attention: bool
) -> list[views.DigestItem]:
    condition = (
        CheckIn.level == Level.ATTENTION if attention else CheckIn.status == CheckInStatus.MISSED
    )
    rows = (
        await session.execute(
            select(CheckIn, Patient)
            .join(Patient, Patient.id == CheckIn.patient_id)
            .where(CheckIn.local_date == day, condition)
            .order_by(Patient.id)
        )
    ).all()
    items = []
    for checkin, patient in rows:
        reasons: tuple[str, ...] = ()
        if attention and patient.procedure is not None:
            reasons = await _attention_reasons(session, services, patient, checkin)
        items.append(
            views.DigestItem(patient.ref, patient.display_name, checkin.post_op_day, reasons)
        )
    return items


async def _attention_reasons(
    session: AsyncSession, services: Services, patient: Patient, checkin: CheckIn
) -> tuple[str, ...]:
    """The attention reasons, recomputed by the triage engine (check-ins store only the level)."""
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
    protocol = patient_protocol(patient, services.protocols)
    result = assess(protocol, checkin.post_op_day, answers[checkin.id], history)
    return tuple(r.text for r in result.reasons if r.level is Level.ATTENTION)
