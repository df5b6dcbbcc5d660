"""Caregivers and family groups once linked: the patient's ``/caregivers`` list and its buttons,
and the bot joining or leaving a group.

The rest of the feature, beside this module: invitations in :mod:`.invites`, answering on the
patient's behalf in :mod:`.proxy`, the daily summary sweep in :mod:`.summaries`, and what they
share in :mod:`.links`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CareLink, CareLinkKind, Patient, PatientStatus
from services.caregivers.accept import accept_invite
from services.caregivers.languages import link_reader, set_caregiver_language
from services.caregivers.links import (
    QUESTION,
    SUMMARY,
    drop_pending,
    enqueue_to_link,
    live_links,
    patient_or_refusal,
    revoke_link,
    tell_patient,
)
from services.caregivers.proxy import send_picked_question
from services.context import Services
from services.outbox import enqueue, enqueue_edit
from views import texts
from views.callbacks import CareAction, CareCb
from views.caregivers import invites as invite_views
from views.caregivers import manage as views
from views.caregivers import proxy as proxy_views
from views.i18n import Translator, translator

__all__ = [
    "CarePress",
    "group_membership",
    "list_caregivers",
    "press_care_button",
]

LISTING = frozenset(PatientStatus) - {PatientStatus.ENROLLING}  # who has a /caregivers list


@dataclass(frozen=True)
class CarePress:
    """A press on a caregiver button (:class:`~views.callbacks.CareCb`)."""

    user_id: int
    user_name: str
    chat_id: int
    message_id: int
    data: CareCb
    language_code: str | None = None  # the presser's Telegram language_code


def _name(link: CareLink, tr: Translator) -> str:
    if link.display_name:
        return link.display_name
    return tr.gettext(views.A_GROUP if link.kind == CareLinkKind.GROUP else views.A_CAREGIVER)


async def _rows(session: AsyncSession, patient_id: int, tr: Translator) -> list[views.CaregiverRow]:
    links = await session.scalars(
        select(CareLink)
        .where(CareLink.patient_id == patient_id, CareLink.revoked_at.is_(None))
        .order_by(CareLink.id)
    )
    return [
        views.CaregiverRow(
            link_id=link.id,
            name=_name(link, tr),
            group=link.kind == CareLinkKind.GROUP,
            may_answer=link.may_answer,
            receives_summary=link.receives_summary,
            unreachable=link.undeliverable_at is not None,
        )
        for link in links
    ]


async def list_caregivers(
    services: Services, user_id: int, chat_id: int, language_code: str | None = None
) -> int | None:
    """``/caregivers``: the patient's caregivers and groups, each with its buttons.

    Args:
        services: the service context.
        user_id: who asks (an enrolled patient, or they are told only patients can).
        chat_id: the private chat the list goes to.
        language_code: the user's Telegram language (for someone who chose none here).

    Returns:
        How many links were listed, or None when the user is not an enrolled patient.
    """
    now = services.now()
    async with services.transaction() as session:
        patient = await patient_or_refusal(
            session,
            user_id,
            chat_id,
            statuses=LISTING,
            now=now,
            purpose="caregivers",
            language_code=language_code,
        )
        if patient is None:
            return None
        tr = translator(patient.language)
        rows = await _rows(session, patient.id, tr)
        message = views.caregivers_message(rows, tr)
        enqueue(session, chat_id, message, now=now, purpose="caregivers", patient_id=patient.id)
        return len(rows)


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
        if action == CareAction.ACCEPT:
            return await accept_invite(
                session,
                services,
                presser_id=press.user_id,
                presser_name=press.user_name,
                chat_id=press.chat_id,
                message_id=press.message_id,
                invite_id=press.data.target,
                language_code=press.language_code,
            )
        if action == CareAction.LANGUAGE:
            return await set_caregiver_language(
                session,
                services,
                user_id=press.user_id,
                chat_id=press.chat_id,
                message_id=press.message_id,
                choice=press.data.target,
            )
        if action == CareAction.PICK:
            return await send_picked_question(
                session,
                services,
                link_id=press.data.target,
                user_id=press.user_id,
                user_name=press.user_name,
                chat_id=press.chat_id,
            )
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
    elif action == CareAction.REMOVE:
        await revoke_link(session, link, now)
    elif action in (CareAction.ANSWER_ON, CareAction.ANSWER_OFF) and person:
        link.may_answer = action == CareAction.ANSWER_ON
        if link.may_answer:
            allowed = proxy_views.answering_allowed(
                patient.display_name, link_reader(link, patient)
            )
            enqueue_to_link(session, link, allowed, now, purpose="care")
        else:
            await drop_pending(session, link.id, QUESTION)
    elif action in (CareAction.SUMMARY_ON, CareAction.SUMMARY_OFF):
        link.receives_summary = action == CareAction.SUMMARY_ON
        if not link.receives_summary:
            await drop_pending(session, link.id, SUMMARY)
    else:
        return texts.STALE_BUTTON
    tr = translator(patient.language)
    message = views.caregivers_message(await _rows(session, patient.id, tr), tr)
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


async def group_membership(
    services: Services,
    chat_id: int,
    title: str,
    *,
    member: bool,
    language_code: str | None = None,
) -> int:
    """The bot was added to a group (a greeting), or left or was removed (links revoked).

    Args:
        services: the service context.
        chat_id: the group.
        title: its title (named in the patient's notice).
        member: True when the bot is now a member.
        language_code: the Telegram language of whoever added the bot (the greeting's).

    Returns:
        How many links were revoked.
    """
    now = services.now()
    async with services.transaction() as session:
        if member:
            hello = invite_views.say(invite_views.GROUP_HELLO, translator(language_code))
            enqueue(session, chat_id, hello, now=now, purpose="care")
            return 0
        links = await live_links(session, CareLink.chat_id == chat_id, group=True)
        for link in links:
            await revoke_link(session, link, now)
            patient = await session.get_one(Patient, link.patient_id)
            notice = invite_views.group_removed_for_patient(
                link.display_name or title, translator(patient.language)
            )
            tell_patient(session, patient, notice, now)
        return len(links)
