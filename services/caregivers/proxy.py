"""Answering a check-in on the patient's behalf: ``/answer`` sends the patient's open question
to a caregiver's private chat or a linked family group, and a Pick button chooses the patient
when there are several. Every answer records who gave it (see :mod:`services.checkin.asking`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import CareLink, CheckIn, Patient
from recovery import local_date
from services.caregivers.languages import link_reader
from services.caregivers.links import QUESTION, enqueue_to_link, live_links, tell_patient
from services.checkin import may_answer
from services.context import Services
from services.outbox import Priority, enqueue
from services.patients import patient_texts, patient_zone
from services.replies import reader_in
from views import checkin as checkin_views
from views import texts
from views.caregivers import proxy as views
from views.i18n import translator

__all__ = ["ProxyOutcome", "ProxyRequest", "request_questions", "send_picked_question"]


@dataclass(frozen=True)
class ProxyRequest:
    """``/answer``: someone asks for a patient's open check-in question in this chat."""

    user_id: int
    user_name: str
    chat_id: int
    group: bool
    language_code: str | None = None  # the sender's Telegram language_code


class ProxyOutcome(StrEnum):
    """What ``/answer`` did."""

    SENT = "sent"  # the current question went to the chat
    PICK = "pick"  # several patients: a choice was sent
    NO_CHECKIN = "no_checkin"
    NOT_ALLOWED = "not_allowed"  # nobody here may be answered for by this user
    UNLINKED = "unlinked"  # a group linked to nobody


async def request_questions(services: Services, request: ProxyRequest) -> ProxyOutcome:
    """``/answer``: send a patient's open check-in question to this chat for a caregiver.

    In a private chat the candidates are the patients who allowed this caregiver to answer;
    in a group, the patients linked to the group whom this user may answer for (the patient
    themselves or a caregiver they allowed). Several candidates get a choice of buttons.

    Args:
        services: the service context.
        request: who asks, and in which chat.

    Returns:
        What was sent (the reply is already queued).
    """
    now = services.now()
    async with services.transaction() as session:
        if request.group:
            links = await live_links(session, CareLink.chat_id == request.chat_id, group=True)
        else:
            links = await live_links(session, CareLink.user_id == request.user_id, group=False)
            await session.execute(
                update(CareLink)
                .where(CareLink.chat_id == request.chat_id, CareLink.undeliverable_at.is_not(None))
                .values(undeliverable_at=None)
            )
        allowed: list[tuple[CareLink, Patient]] = []
        for link in links:
            patient = await session.get_one(Patient, link.patient_id)
            if await may_answer(session, patient, request.user_id):
                allowed.append((link, patient))
        tr = await reader_in(session, request.user_id, request.language_code)
        if not allowed:
            if not request.group:
                refusal, outcome = views.NOBODY_TO_ANSWER_FOR, ProxyOutcome.NOT_ALLOWED
            elif links:
                refusal, outcome = views.NOT_ALLOWED_HERE, ProxyOutcome.NOT_ALLOWED
            else:
                refusal, outcome = views.UNLINKED_GROUP, ProxyOutcome.UNLINKED
            message = texts.say(refusal, tr)
            enqueue(session, request.chat_id, message, now=now, purpose="answer")
            return outcome
        if len(allowed) > 1:
            choices = [
                (link.id, patient.display_name or tr.gettext("Patient {n}", n=number))
                for number, (link, patient) in enumerate(allowed, 1)
            ]
            pick = views.pick_patient(choices, tr)
            enqueue(session, request.chat_id, pick, now=now, purpose="answer")
            return ProxyOutcome.PICK
        link, patient = allowed[0]
        sent = await _send_current(
            session, services, link, patient, request.user_id, request.user_name
        )
        return ProxyOutcome.SENT if sent else ProxyOutcome.NO_CHECKIN


async def send_picked_question(
    session: AsyncSession,
    services: Services,
    *,
    link_id: int,
    user_id: int,
    user_name: str,
    chat_id: int,
) -> str | None:
    """A Pick button under ``/answer``: send that patient's open question (caller's session).

    Args:
        session: the caller's session.
        services: the service context.
        link_id: the care link named by the button (whose patient was picked).
        user_id: who pressed (must still be allowed to answer for the patient).
        user_name: their name, as the patient will see it.
        chat_id: where they pressed (must be the link's chat).

    Returns:
        None when handled; a short notice when the button is stale or not theirs.
    """
    link = await session.get(CareLink, link_id)
    patient = await session.get(Patient, link.patient_id) if link else None
    if link is None or patient is None or link.revoked_at is not None:
        return texts.STALE_BUTTON
    if link.chat_id != chat_id or not await may_answer(session, patient, user_id):
        return texts.NOT_YOURS
    await _send_current(session, services, link, patient, user_id, user_name)
    return None


async def _send_current(
    session: AsyncSession,
    services: Services,
    link: CareLink,
    patient: Patient,
    user_id: int,
    user_name: str,
) -> bool:
    """Queue today's open question to the link's chat; False (and a notice) when none."""
    now = services.now()
    checkin = await session.scalar(
        select(CheckIn).where(
            CheckIn.patient_id == patient.id,
            CheckIn.local_date == local_date(now, patient_zone(patient)),
            CheckIn.current_question.is_not(None),
        )
    )
    tr = link_reader(link, patient)  # the caregiver's own language, else the patient's
    protocol = (
        patient_texts(patient, services.protocols, tr.language) if patient.procedure else None
    )
    key = checkin.current_question if checkin else None
    question = protocol.question(key) if protocol and key else None
    if checkin is None or key is None or question is None:
        notice = views.no_open_checkin(patient.display_name, tr)
        enqueue(session, link.chat_id, notice, now=now, purpose="answer", patient_id=patient.id)
        return False
    asked = checkin_views.question_message(
        checkin.id,
        checkin.question_keys.index(key),
        len(checkin.question_keys),
        question,
        day=checkin.post_op_day,
        tr=tr,
    )
    message = views.answering_for(patient.display_name, asked, tr)
    enqueue_to_link(session, link, message, now, purpose=QUESTION, priority=Priority.QUESTION)
    if user_id != patient.telegram_user_id:
        told = views.proxy_started_for_patient(user_name, translator(patient.language))
        tell_patient(session, patient, told, now)
    return True
