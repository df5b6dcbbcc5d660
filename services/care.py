"""Caregivers and family groups once linked: the patient's ``/caregivers`` list and its
buttons, answering a check-in on the patient's behalf, the bot leaving a group, and the daily
summary sweep. Invitations live in :mod:`services.invites`.

A revoked link gets nothing more: ``revoked_at`` is set and its undelivered outbox rows are
deleted in the same transaction; every fan-out (alerts, missed notices) skips revoked links.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Answer,
    CareLink,
    CareLinkKind,
    CheckIn,
    CheckInStatus,
    Outbox,
    OutboxStatus,
    Patient,
    PatientStatus,
)
from recovery import Level, local_date
from views import care as views
from views import checkin as checkin_views
from views import texts
from views.callbacks import CareCb
from views.message import Message

from .answers import may_answer
from .context import Services
from .invites import accept_invite
from .outbox import Priority, enqueue, enqueue_edit
from .patients import find_patient, patient_protocol, patient_zone
from .timing import after_quiet_hours

__all__ = [
    "CarePress",
    "ProxyOutcome",
    "ProxyRequest",
    "group_membership",
    "list_caregivers",
    "press_care_button",
    "request_questions",
    "revoke_link",
    "send_daily_summaries",
]

PAIN_KEY = "pain"
SUMMARY = "summary"
QUESTION = "question"


@dataclass(frozen=True)
class CarePress:
    """A press on a caregiver button (:class:`~views.callbacks.CareCb`)."""

    user_id: int
    user_name: str
    chat_id: int
    message_id: int
    data: CareCb


@dataclass(frozen=True)
class ProxyRequest:
    """``/answer``: someone asks for a patient's open check-in question in this chat."""

    user_id: int
    user_name: str
    chat_id: int
    group: bool


class ProxyOutcome(StrEnum):
    """What ``/answer`` did."""

    SENT = "sent"  # the current question went to the chat
    PICK = "pick"  # several patients: a choice was sent
    NO_CHECKIN = "no_checkin"
    NOT_ALLOWED = "not_allowed"  # nobody here may be answered for by this user
    UNLINKED = "unlinked"  # a group linked to nobody


def _name(link: CareLink) -> str:
    return link.display_name or ("Family group" if link.kind == CareLinkKind.GROUP else "Caregiver")


async def _rows(session: AsyncSession, patient_id: int) -> list[views.CaregiverRow]:
    links = await session.scalars(
        select(CareLink)
        .where(CareLink.patient_id == patient_id, CareLink.revoked_at.is_(None))
        .order_by(CareLink.id)
    )
    return [
        views.CaregiverRow(
            link_id=link.id,
            name=_name(link),
            group=link.kind == CareLinkKind.GROUP,
            may_answer=link.may_answer,
            receives_summary=link.receives_summary,
            unreachable=link.undeliverable_at is not None,
        )
        for link in links
    ]


async def list_caregivers(services: Services, user_id: int, chat_id: int) -> int | None:
    """``/caregivers``: the patient's caregivers and groups, each with its buttons.

    Args:
        services: the service context.
        user_id: the patient's Telegram user id.
        chat_id: the private chat to answer in.

    Returns:
        How many links were listed, or None when the user is not an enrolled patient.
    """
    now = services.now()
    async with services.transaction() as session:
        patient = await find_patient(session, user_id)
        if patient is None or patient.status == PatientStatus.ENROLLING:
            enqueue(session, chat_id, views.NOT_A_PATIENT, now=now, purpose="caregivers")
            return None
        rows = await _rows(session, patient.id)
        message = views.caregivers_message(rows)
        enqueue(session, chat_id, message, now=now, purpose="caregivers", patient_id=patient.id)
        return len(rows)


async def revoke_link(session: AsyncSession, link: CareLink, now: datetime) -> None:
    """Revoke a link and delete its undelivered messages, in the caller's transaction."""
    link.revoked_at = now
    await _drop_pending(session, link.id)


async def _drop_pending(session: AsyncSession, link_id: int, purpose: str | None = None) -> None:
    stmt = delete(Outbox).where(
        Outbox.care_link_id == link_id, Outbox.status == OutboxStatus.PENDING
    )
    if purpose is not None:
        stmt = stmt.where(Outbox.purpose == purpose)
    await session.execute(stmt)


async def press_care_button(services: Services, press: CarePress) -> str | None:
    """A caregiver button: Accept an invitation, pick a patient, or the patient's list buttons.

    Args:
        services: the service context.
        press: who pressed what, where.

    Returns:
        None when done; a short notice (shown as a callback alert) when nothing changed.
    """
    async with services.transaction() as session:
        action = press.data.action
        if action == views.ACCEPT:
            return await accept_invite(
                session,
                services,
                presser_id=press.user_id,
                presser_name=press.user_name,
                chat_id=press.chat_id,
                message_id=press.message_id,
                invite_id=press.data.target,
            )
        if action == views.PICK:
            return await _pick(session, services, press)
        return await _manage(session, services, press)


async def _manage(session: AsyncSession, services: Services, press: CarePress) -> str | None:
    now = services.now()
    link = await session.get(CareLink, press.data.target, with_for_update=True)
    patient = await session.get(Patient, link.patient_id) if link else None
    if link is None or patient is None or patient.telegram_user_id != press.user_id:
        return views.NOT_YOUR_CAREGIVER
    action = press.data.action
    person = link.kind == CareLinkKind.USER
    if link.revoked_at is not None:
        pass  # an old list: just show the current one
    elif action == views.REMOVE:
        await revoke_link(session, link, now)
    elif action in (views.ANSWER_ON, views.ANSWER_OFF) and person:
        link.may_answer = action == views.ANSWER_ON
        if link.may_answer:
            allowed = views.answering_allowed(patient.display_name)
            _to_link(session, link, allowed, now, purpose="care")
        else:
            await _drop_pending(session, link.id, QUESTION)
    elif action in (views.SUMMARY_ON, views.SUMMARY_OFF):
        link.receives_summary = action == views.SUMMARY_ON
        if not link.receives_summary:
            await _drop_pending(session, link.id, SUMMARY)
    else:
        return texts.STALE_BUTTON
    message = views.caregivers_message(await _rows(session, patient.id))
    enqueue_edit(
        session,
        press.chat_id,
        press.message_id,
        message,
        now=now,
        purpose="caregivers",
        patient_id=patient.id,
    )
    return None


def _to_link(
    session: AsyncSession,
    link: CareLink,
    message: Message,
    now: datetime,
    *,
    purpose: str,
    priority: Priority = Priority.REPLY,
    not_before: datetime | None = None,
    dedupe_key: str | None = None,
) -> None:
    enqueue(
        session,
        link.chat_id,
        message,
        now=now,
        purpose=purpose,
        priority=priority,
        not_before=not_before,
        patient_id=link.patient_id,
        care_link_id=link.id,
        dedupe_key=dedupe_key,
    )


# --- answering on the patient's behalf ---


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
            links = await _links(session, CareLink.chat_id == request.chat_id, group=True)
        else:
            links = await _links(session, CareLink.user_id == request.user_id, group=False)
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
        if not allowed:
            if not request.group:
                refusal, outcome = views.NOBODY_TO_ANSWER_FOR, ProxyOutcome.NOT_ALLOWED
            elif links:
                refusal, outcome = views.NOT_ALLOWED_HERE, ProxyOutcome.NOT_ALLOWED
            else:
                refusal, outcome = views.UNLINKED_GROUP, ProxyOutcome.UNLINKED
            enqueue(session, request.chat_id, refusal, now=now, purpose="answer")
            return outcome
        if len(allowed) > 1:
            choices = [
                (link.id, patient.display_name or f"Patient {number}")
                for number, (link, patient) in enumerate(allowed, 1)
            ]
            enqueue(
                session, request.chat_id, views.pick_patient(choices), now=now, purpose="answer"
            )
            return ProxyOutcome.PICK
        link, patient = allowed[0]
        sent = await _send_current(
            session, services, link, patient, request.user_id, request.user_name
        )
        return ProxyOutcome.SENT if sent else ProxyOutcome.NO_CHECKIN


async def _links(session: AsyncSession, who: ColumnElement[bool], *, group: bool) -> list[CareLink]:
    kind = CareLinkKind.GROUP if group else CareLinkKind.USER
    rows = await session.scalars(
        select(CareLink)
        .where(CareLink.kind == kind, CareLink.revoked_at.is_(None), who)
        .order_by(CareLink.id)
    )
    return list(rows.all())


async def _pick(session: AsyncSession, services: Services, press: CarePress) -> str | None:
    link = await session.get(CareLink, press.data.target)
    patient = await session.get(Patient, link.patient_id) if link else None
    if link is None or patient is None or link.revoked_at is not None:
        return texts.STALE_BUTTON
    if link.chat_id != press.chat_id or not await may_answer(session, patient, press.user_id):
        return texts.NOT_YOURS
    await _send_current(session, services, link, patient, press.user_id, press.user_name)
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
    protocol = patient_protocol(patient, services.protocols) if patient.procedure else None
    key = checkin.current_question if checkin else None
    question = protocol.question(key) if protocol and key else None
    if checkin is None or key is None or question is None:
        enqueue(
            session,
            link.chat_id,
            views.no_open_checkin(patient.display_name),
            now=now,
            purpose="answer",
        )
        return False
    asked = checkin_views.question_message(
        checkin.id,
        checkin.question_keys.index(key),
        len(checkin.question_keys),
        question,
        day=checkin.post_op_day,
    )
    message = views.answering_for(patient.display_name, asked)
    _to_link(session, link, message, now, purpose=QUESTION, priority=Priority.QUESTION)
    if user_id != patient.telegram_user_id:
        enqueue(
            session,
            patient.chat_id,
            views.proxy_started_for_patient(user_name),
            now=now,
            purpose="care",
            patient_id=patient.id,
        )
    return True


# --- groups ---


async def group_membership(services: Services, chat_id: int, title: str, *, member: bool) -> int:
    """The bot was added to a group (a greeting), or left or was removed (links revoked).

    Args:
        services: the service context.
        chat_id: the group.
        title: its title (named in the patient's notice).
        member: True when the bot is now a member.

    Returns:
        How many links were revoked.
    """
    now = services.now()
    async with services.transaction() as session:
        if member:
            enqueue(session, chat_id, views.GROUP_HELLO, now=now, purpose="care")
            return 0
        links = await _links(session, CareLink.chat_id == chat_id, group=True)
        for link in links:
            await revoke_link(session, link, now)
            patient = await session.get_one(Patient, link.patient_id)
            enqueue(
                session,
                patient.chat_id,
                views.group_removed_for_patient(link.display_name or title),
                now=now,
                purpose="care",
                patient_id=patient.id,
            )
        return len(links)


# --- the daily summary ---


async def send_daily_summaries(services: Services) -> int:
    """Post one line about today's finished or missed check-in to links that chose it.

    Once per check-in and link (an outbox dedupe key), only for the patient's local today,
    held back until the end of quiet hours in the patient's time zone.

    Args:
        services: the service context.

    Returns:
        How many summaries were queued.
    """
    now = services.now()
    async with services.transaction() as session:
        rows = await session.execute(
            select(CheckIn, Patient, CareLink)
            .join(Patient, Patient.id == CheckIn.patient_id)
            .join(CareLink, CareLink.patient_id == Patient.id)
            .where(
                CheckIn.status.in_([CheckInStatus.COMPLETED, CheckInStatus.MISSED]),
                CheckIn.local_date >= (now - timedelta(days=2)).date(),
                CareLink.receives_summary.is_(True),
                CareLink.revoked_at.is_(None),
                CareLink.undeliverable_at.is_(None),
            )
            .order_by(CheckIn.id, CareLink.id)
        )
        due = {
            f"{SUMMARY}:{link.id}:{checkin.id}": (checkin, patient, link)
            for checkin, patient, link in rows
            if checkin.local_date == local_date(now, patient_zone(patient))
        }
        if not due:
            return 0
        done = set(
            await session.scalars(select(Outbox.dedupe_key).where(Outbox.dedupe_key.in_(list(due))))
        )
        for key, (checkin, patient, link) in due.items():
            if key in done:
                continue
            pain = await session.scalar(
                select(Answer.value).where(
                    Answer.checkin_id == checkin.id,
                    Answer.question_key == PAIN_KEY,
                    Answer.superseded_at.is_(None),
                )
            )
            message = views.daily_summary(
                patient.display_name,
                day=checkin.post_op_day,
                completed=checkin.status == CheckInStatus.COMPLETED,
                pain=int(pain) if pain is not None and pain.isdigit() else None,
                level=None if checkin.level is None else Level(checkin.level),
            )
            when = after_quiet_hours(now, patient_zone(patient), services.config.quiet_hours)
            _to_link(
                session,
                link,
                message,
                now,
                purpose=SUMMARY,
                priority=Priority.ROUTINE,
                not_before=when,
                dedupe_key=key,
            )
        return len(due) - len(done)
