"""The language each caregiver reads: set from their Telegram app when they accept an
invitation, changed with the language buttons (under the acceptance, or from /settings).

A person's language is kept on each of their live care links (``CareLink.language``), so every
message to a link (alerts, missed check-in notices, summaries) is rendered in it; a family
group has none of its own and reads the patient's language (:func:`link_reader`).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import CareLink, CareLinkKind, Patient
from services.caregivers.links import live_links
from services.context import Services
from services.outbox import enqueue, enqueue_edit
from services.replies import person_language
from views import texts
from views.caregivers import invites as views
from views.i18n import SUPPORTED, Translator, pick_language, translator

__all__ = [
    "caregiver_settings",
    "chosen_language",
    "link_reader",
    "set_caregiver_language",
]


def link_reader(link: CareLink, patient: Patient) -> Translator:
    """The translator of messages to ``link``: the caregiver's own language, else the patient's."""
    return translator(link.language or patient.language)


async def chosen_language(session: AsyncSession, user_id: int, language_code: str | None) -> str:
    """The language a new caregiver link starts in: one they already chose here (on another
    link, or as a patient), else their Telegram app's (a supported language, else English)."""
    return pick_language(await person_language(session, user_id) or language_code)


async def caregiver_settings(services: Services, user_id: int, chat_id: int) -> bool:
    """``/settings`` from a caregiver who is not a patient: their language and the others.

    Args:
        services: the service context.
        user_id: who asks.
        chat_id: their private chat.

    Returns:
        False (nothing sent) when the user has no live caregiver link: /settings is then the
        patient's (enrollment's) command.
    """
    async with services.transaction() as session:
        patient = await session.scalar(
            select(Patient.id).where(Patient.telegram_user_id == user_id)
        )
        if patient is not None:
            return False
        links = await live_links(session, CareLink.user_id == user_id, group=False)
        if not links:
            return False
        tr = translator(links[-1].language)
        enqueue(session, chat_id, views.caregiver_language(tr), now=services.now(), purpose="care")
        return True


async def set_caregiver_language(
    session: AsyncSession,
    services: Services,
    *,
    user_id: int,
    chat_id: int,
    message_id: int,
    choice: int,
) -> str | None:
    """A language button pressed by a caregiver: every live link of theirs reads it from now on.

    Args:
        session: the caller's session.
        services: the service context.
        user_id: who pressed.
        chat_id: where (their private chat).
        message_id: the message with the buttons (edited to the confirmation, in that language).
        choice: the language's index in :data:`views.i18n.SUPPORTED`.

    Returns:
        None when changed; a notice (a message id) for a stale or foreign press.
    """
    if chat_id != user_id or not 0 <= choice < len(SUPPORTED):
        return texts.STALE_BUTTON  # a person's language is chosen in their private chat
    language = SUPPORTED[choice]
    changed = await session.execute(
        update(CareLink)
        .where(
            CareLink.user_id == user_id,
            CareLink.kind == CareLinkKind.USER,
            CareLink.revoked_at.is_(None),
        )
        .values(language=language)
    )
    if not changed.rowcount:  # type: ignore[attr-defined]
        return texts.STALE_BUTTON  # no live link any more
    confirmation = views.caregiver_language(translator(language), changed=True)
    enqueue_edit(session, chat_id, message_id, confirmation, now=services.now(), purpose="care")
    return None
