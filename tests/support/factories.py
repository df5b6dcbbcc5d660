"""Rows for tests, written straight to the database (no enrollment or check-in flow needed).

Each factory takes the ``services`` of the test (its session factory and clock), commits one
transaction and returns the new row's id. Times default to ``services.now()``. Like the use
cases, the factories of patients, check-ins, answers and alerts have the patient's risk
summary refreshed in their transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from models import (
    Alert,
    AlertStatus,
    Answer,
    CareLink,
    CareLinkKind,
    CheckIn,
    CheckInStatus,
    Invite,
    Patient,
    PatientStatus,
)
from recovery import Level, Procedure
from services.context import Services
from services.patients import patient_protocol, provenance_of, reschedule
from services.risk_summary import note_change

__all__ = [
    "make_alert",
    "make_answer",
    "make_care_link",
    "make_checkin",
    "make_invite",
    "make_patient",
]


async def make_patient(
    services: Services,
    *,
    user_id: int = 501,
    procedure: Procedure | None = Procedure.KYPHOPLASTY,
    surgery_date: date | None = date(2026, 2, 20),
    status: PatientStatus = PatientStatus.ACTIVE,
    checkin_time: time | None = time(9),
    timezone: str = "Europe/London",
    display_name: str | None = "Pat",
    in_hospital: bool = False,
    discharge_date: date | None = None,
    chat_id: int | None = None,
    schedule: bool = True,
) -> int:
    """Create an enrolled patient (private chat id = user id unless given).

    An ACTIVE patient gets ``next_checkin_at`` from the real scheduling rule unless
    ``schedule`` is False; other statuses get none.

    Returns:
        The patient's id.
    """
    now = services.now()
    patient = Patient(
        telegram_user_id=user_id,
        chat_id=user_id if chat_id is None else chat_id,
        display_name=display_name,
        status=status,
        procedure=procedure,
        surgery_date=surgery_date,
        in_hospital=in_hospital,
        discharge_date=discharge_date,
        timezone=timezone,
        checkin_time=checkin_time,
        consent_at=None if status == PatientStatus.ENROLLING else now,
        created_at=now,
        updated_at=now,
    )
    if schedule:
        reschedule(patient, services.protocols, now)
    async with services.session_factory.begin() as session:
        session.add(patient)
        await session.flush()
        note_change(session, patient.id, now)
        return patient.id


async def make_checkin(
    services: Services,
    patient_id: int,
    local_date: date,
    post_op_day: int,
    *,
    answers: Mapping[str, str | int] | None = None,
    status: CheckInStatus = CheckInStatus.COMPLETED,
    level: Level | None = None,
    answered_by: int | None = None,
    at: datetime | None = None,
    trigger: str = "scheduled",
) -> int:
    """Create a check-in with current answers (one per key, answered by the patient unless
    ``answered_by`` says who).

    Returns:
        The check-in's id.
    """
    at = at or services.now()
    answers = dict(answers or {})
    async with services.session_factory.begin() as session:
        patient = await session.get_one(Patient, patient_id)
        if answered_by is None:
            answered_by = patient.telegram_user_id
        checkin = CheckIn(
            patient_id=patient_id,
            local_date=local_date,
            post_op_day=post_op_day,
            status=status,
            trigger=trigger,
            question_keys=list(answers),
            current_question=None,
            level=level,
            created_at=at,
            sent_at=at,
            completed_at=at if status == CheckInStatus.COMPLETED else None,
            **provenance_of(patient_protocol(patient, services.protocols)),
        )
        session.add(checkin)
        await session.flush()
        for offset, (key, value) in enumerate(answers.items()):
            session.add(
                Answer(
                    checkin_id=checkin.id,
                    question_key=key,
                    value=str(value),
                    answered_by=answered_by,
                    answered_at=at + timedelta(seconds=offset),
                )
            )
        note_change(session, patient_id, services.now())
        return checkin.id


async def make_answer(
    services: Services,
    checkin_id: int,
    key: str,
    value: str | int,
    *,
    answered_by: int,
    at: datetime | None = None,
    supersede: bool = True,
) -> int:
    """Record a (changed) answer; with ``supersede`` the earlier current answer to ``key``
    is marked superseded at the same time, as a real change of answer would.

    Returns:
        The answer's id.
    """
    at = at or services.now()
    async with services.session_factory.begin() as session:
        if supersede:
            earlier = await session.scalars(
                select(Answer).where(
                    Answer.checkin_id == checkin_id,
                    Answer.question_key == key,
                    Answer.superseded_at.is_(None),
                )
            )
            for answer in earlier:
                answer.superseded_at = at
        answer = Answer(
            checkin_id=checkin_id,
            question_key=key,
            value=str(value),
            answered_by=answered_by,
            answered_at=at,
        )
        session.add(answer)
        await session.flush()
        checkin = await session.get_one(CheckIn, checkin_id)
        note_change(session, checkin.patient_id, services.now())
        return answer.id


async def make_care_link(
    services: Services,
    patient_id: int,
    *,
    user_id: int | None = 601,
    chat_id: int | None = None,
    kind: CareLinkKind = CareLinkKind.USER,
    display_name: str | None = "Carer",
    may_answer: bool = True,
    receives_summary: bool = False,
) -> int:
    """Link a caregiver (private chat = user id unless given) or a group chat to a patient.

    Returns:
        The link's id.
    """
    if chat_id is None:
        if user_id is None:
            raise ValueError("give user_id or chat_id")
        chat_id = user_id
    async with services.session_factory.begin() as session:
        link = CareLink(
            patient_id=patient_id,
            kind=kind,
            chat_id=chat_id,
            user_id=user_id,
            display_name=display_name,
            may_answer=may_answer,
            receives_summary=receives_summary,
            created_at=services.now(),
        )
        session.add(link)
        await session.flush()
        return link.id


async def make_alert(
    services: Services,
    patient_id: int,
    *,
    checkin_id: int | None = None,
    level: Level = Level.URGENT,
    reasons: tuple[str, ...] = ("fever",),
    reason_texts: tuple[str, ...] = ("You have a fever.",),
    status: AlertStatus = AlertStatus.OPEN,
) -> int:
    """Create an alert (open unless ``status`` says otherwise).

    Returns:
        The alert's id.
    """
    async with services.session_factory.begin() as session:
        checkin = await session.get(CheckIn, checkin_id) if checkin_id is not None else None
        patient = await session.get_one(Patient, patient_id)
        alert = Alert(
            patient_id=patient_id,
            checkin_id=checkin_id,
            level=level,
            reasons=list(reasons),
            reason_texts=list(reason_texts),
            status=status,
            created_at=services.now(),
            escalation_count=0,
            **provenance_of(checkin or patient_protocol(patient, services.protocols)),
        )
        session.add(alert)
        await session.flush()
        note_change(session, patient_id, services.now())
        return alert.id


async def make_invite(
    services: Services,
    patient_id: int,
    *,
    token_hash: str = "0" * 64,
    purpose: str = "caregiver",
    ttl: timedelta = timedelta(hours=48),
) -> int:
    """Create an unused invitation (only a hash is stored, as in production).

    Returns:
        The invitation's id.
    """
    now = services.now()
    async with services.session_factory.begin() as session:
        invite = Invite(
            patient_id=patient_id,
            token_hash=token_hash,
            purpose=purpose,
            created_at=now,
            expires_at=now + ttl,
        )
        session.add(invite)
        await session.flush()
        return invite.id
