"""One patient for operators (``/patient REF``): profile, day, recent check-ins, alerts.

The check-ins show who answered (the patient or a named caregiver) and which answers were
changed; the page is audited as viewed (no health data in the event).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, AlertStatus, Answer, CareLink, CheckIn, Patient
from recovery import Level, Protocol
from services.audit import record_operator_event
from services.care_team.alert_list import shown_line
from services.care_team.operators import answer_reviewer
from services.context import Services
from services.pain_course import PainCourse, read_pain_course, send_pain_chart
from services.patients import patient_day, patient_reasons, patient_texts
from views.care_team.common import (
    PATIENT_PAGE_SIZE,
    PATIENT_USAGE,
    page_count,
    parse_ref,
    unknown_patient,
)
from views.care_team.patient_detail import (
    AnswerLine,
    CaregiverLine,
    CheckInSummary,
    HandledAlert,
    PatientDetail,
    patient_message,
)
from views.i18n import Translator, translator
from views.message import Message

__all__ = [
    "PAIN_KEY",
    "PAIN_SCORES",
    "RECENT_CHECKINS",
    "VIEW_ACTION",
    "answer_label",
    "answers_by_checkin",
    "answerer",
    "caregiver_names",
    "patient_page",
    "show_patient",
]

RECENT_CHECKINS = 14
PAIN_SCORES = 5
HANDLED_SHOWN = 3  # the latest acknowledged alerts shown with what was done
PAIN_KEY = "pain"
VIEW_ACTION = "patient_viewed"


async def show_patient(
    services: Services,
    user_id: int,
    chat_id: int,
    ref: str,
    language_code: str | None = None,
) -> bool:
    """``/patient REF``: profile, day, recent check-ins with who answered, trend, open alerts.

    Args:
        services: the service context.
        user_id: who asks.
        chat_id: where to answer.
        ref: the reference as typed (``P-0042``); empty gets a usage hint.
        language_code: the sender's Telegram language (their replies' language until stored).

    Returns:
        False when refused; True when answered (also for an unknown reference).
    """

    course: PainCourse | None = None

    async def render(session: AsyncSession, now: datetime, tr: Translator) -> Message:
        nonlocal course
        if not ref.strip():
            return Message(tr.gettext(PATIENT_USAGE))
        page = await patient_page(session, services, user_id, ref, 0, now, tr)
        patient_id = parse_ref(ref)
        patient = await session.get(Patient, patient_id) if patient_id is not None else None
        if patient is not None:
            course = await read_pain_course(session, services, patient, now)
        return page

    shown = await answer_reviewer(services, user_id, chat_id, "op_patient", render, language_code)
    if shown:  # the pain course as a picture, after the page
        await send_pain_chart(services, course, chat_id, purpose="op_patient")
    return shown


async def patient_page(
    session: AsyncSession,
    services: Services,
    user_id: int,
    ref: str,
    page: int,
    now: datetime,
    tr: Translator | None = None,
) -> Message:
    """One page of a patient, audited as viewed by the operator, inside the caller's session.

    Args:
        session: the caller's session.
        services: the service context.
        user_id: the operator who views the patient.
        ref: the patient's reference as typed.
        page: the page wanted (clamped to the last one).
        now: the current time.
        tr: the reader's translator (default: ``CLINIC_LANGUAGE``).

    Returns:
        The rendered page, or a notice naming no patient for an unknown reference.
    """
    tr = tr or translator(services.config.clinic_language)
    patient_id = parse_ref(ref)
    patient = await session.get(Patient, patient_id) if patient_id is not None else None
    if patient is None:
        return unknown_patient(ref, tr)
    detail = await _detail(session, services, patient, now, tr)
    pages = page_count(len(detail.checkins), PATIENT_PAGE_SIZE)
    page = min(page, pages - 1)
    record_operator_event(session, user_id, VIEW_ACTION, patient.ref, at=now, page=page)
    return patient_message(detail, tr, page=page, now=now)


async def _detail(
    session: AsyncSession, services: Services, patient: Patient, now: datetime, tr: Translator
) -> PatientDetail:
    """The patient's page, its answers and findings in ``tr``'s language (the overlay's)."""
    protocol = (
        patient_texts(patient, services.protocols, tr.language) if patient.procedure else None
    )
    links = (
        await session.scalars(
            select(CareLink).where(CareLink.patient_id == patient.id).order_by(CareLink.id)
        )
    ).all()
    names = caregiver_names(links, tr)
    checkins = (
        await session.scalars(
            select(CheckIn)
            .where(CheckIn.patient_id == patient.id)
            .order_by(CheckIn.local_date.desc())
            .limit(RECENT_CHECKINS)
        )
    ).all()
    by_checkin = await answers_by_checkin(session, checkins)
    summaries = []
    pain: list[int] = []
    for checkin in checkins:
        rows = by_checkin[checkin.id]
        changed = {a.question_key for a in rows if a.superseded_at is not None}
        current = [a for a in rows if a.superseded_at is None]
        lines = []
        for answer in current:
            question = protocol.question(answer.question_key) if protocol else None
            lines.append(
                AnswerLine(
                    answer.question_key,
                    answer_label(protocol, answer.question_key, answer.value),
                    answerer(answer.answered_by, patient, names, tr),
                    answer.question_key in changed,
                    question.title if question else "",
                )
            )
            if answer.question_key == PAIN_KEY and answer.value.isdigit():
                pain.append(int(answer.value))
        summaries.append(
            CheckInSummary(
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
    handled = (
        await session.scalars(
            select(Alert)
            .where(Alert.patient_id == patient.id, Alert.status == AlertStatus.ACKNOWLEDGED)
            .order_by(Alert.created_at.desc(), Alert.id.desc())
            .limit(HANDLED_SHOWN)
        )
    ).all()
    return PatientDetail(
        ref=patient.ref,
        name=patient.display_name,
        status=str(patient.status),
        procedure=None if patient.procedure is None else str(patient.procedure),
        surgery_date=patient.surgery_date,
        day=patient_day(patient, now) if patient.surgery_date else None,
        timezone=patient.timezone,
        checkin_time=patient.checkin_time,
        caregivers=tuple(
            CaregiverLine(link.display_name, str(link.kind), link.may_answer)
            for link in links
            if link.revoked_at is None
        ),
        pain=tuple(reversed(pain))[-PAIN_SCORES:],
        open_alerts=tuple(shown_line(services, a, patient, tr) for a in alerts),
        checkins=tuple(summaries),
        handled=tuple(
            HandledAlert(
                a.level,
                a.created_at,
                patient_reasons(patient, services.protocols, a.reasons, a.reason_texts, tr),
                a.outcome,
            )
            for a in handled
        ),
    )


def caregiver_names(links: Iterable[CareLink], tr: Translator | None = None) -> dict[int, str]:
    """How answers given by caregivers name them: ``Ann (caregiver)``, by Telegram user id.

    Revoked links count too: their answers stay in the record under the name they had.
    ``tr``: the reader's language (None: English).
    """
    tr = tr or translator(None)
    return {
        link.user_id: tr.gettext(
            "{name} (caregiver)", name=link.display_name or tr.gettext("caregiver")
        )
        for link in links
        if link.user_id is not None
    }


def answerer(
    user_id: int, patient: Patient, names: Mapping[int, str], tr: Translator | None = None
) -> str | None:
    """Who gave an answer: None for the patient, else the caregiver's name (or ``user <id>``)."""
    if user_id == patient.telegram_user_id:
        return None
    return names.get(user_id) or (tr or translator(None)).gettext("user {id}", id=user_id)


def answer_label(protocol: Protocol | None, key: str, value: str) -> str:
    """An answer as the care team reads it: the option's label, else the stored value."""
    question = protocol.question(key) if protocol else None
    option = question.option(value) if question else None
    return option.label if option else value


async def answers_by_checkin(
    session: AsyncSession, checkins: Sequence[CheckIn]
) -> dict[int, list[Answer]]:
    """Every stored answer (current and superseded) of these check-ins, by check-in id, in the
    order they were given (one query)."""
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
    return by_checkin
