"""A caregiver accepts an invitation: the link is made in their language and the patient told.

Opening an invitation (the preview with its Accept button) is in :mod:`.invites`.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from models import CareLinkKind, Invite, Patient
from services.caregivers.invites import InviteOutcome, check_invite
from services.caregivers.languages import chosen_language
from services.caregivers.links import create_link, live_link, tell_patient
from services.context import Services
from services.outbox import enqueue_edit
from views.caregivers import invites as views
from views.i18n import translator

__all__ = ["accept_invite"]


async def accept_invite(
    session: AsyncSession,
    services: Services,
    *,
    presser_id: int,
    presser_name: str,
    chat_id: int,
    message_id: int,
    invite_id: int,
    language_code: str | None = None,
) -> str | None:
    """The caregiver pressed Accept under the preview: link them and tell the patient.

    Args:
        session: the caller's session.
        services: the service context.
        presser_id: who pressed (must be who opened the invitation).
        presser_name: their name, as the patient will see it.
        chat_id: the caregiver's private chat.
        message_id: the preview message (edited to the confirmation).
        invite_id: the invitation named by the button.
        language_code: the presser's Telegram ``language_code``: the link's language, unless
            they already chose one here.

    Returns:
        None when linked; a short notice (a message id) otherwise (nothing changes).
    """
    now = services.now()
    invite = await session.get(Invite, invite_id, with_for_update=True)
    if invite is None or invite.used_by != presser_id or chat_id != presser_id:
        return views.INVITE_USED_NOTICE  # not theirs, or pressed outside their private chat
    patient = await session.get(Patient, invite.patient_id)
    outcome = check_invite(invite, patient, now)
    if patient is not None and outcome is InviteOutcome.USED:
        existing = await live_link(
            session, patient.id, CareLinkKind.USER, user_id=presser_id, chat_id=chat_id
        )
        return views.ALREADY_LINKED_NOTICE if existing else views.INVITE_USED_NOTICE
    if outcome is not None or patient is None:
        return views.INVITE_USED_NOTICE
    link = await create_link(session, patient, invite, CareLinkKind.USER, presser_id, chat_id, now)
    link.display_name = presser_name[:64] or "Caregiver"
    link.language = await chosen_language(session, presser_id, language_code)
    confirmation = views.accepted_for_caregiver(patient.display_name, translator(link.language))
    enqueue_edit(
        session, chat_id, message_id, confirmation, now=now, purpose="invite", patient_id=patient.id
    )
    told = views.accepted_for_patient(link.display_name, translator(patient.language))
    tell_patient(session, patient, told, now)
    return None
