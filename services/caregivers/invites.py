"""Caregiver invitations: create one, open it (a person previews, a group links), accept it.

``/invite`` makes one invitation with two secrets: a long token for the deep link
``https://t.me/<bot>?start=<token>`` and a short code for ``/join CODE`` (a person) or
``/linkgroup CODE`` (a family group). Each secret is stored as its sha256 hash in its own
``Invite`` row (see :mod:`services.caregivers.secrets`); both rows share the patient and creation
time, and using either uses both. A person who opens an invitation by either secret claims both
(``used_by``), so only they can press Accept. The message with the secrets is sent with purpose
``SECRET_PURPOSE`` and its text is replaced once delivered. Accept is in :mod:`.accept`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CareLinkKind, Invite, Patient, PatientStatus
from services.caregivers.guesses import count_wrong, too_many_wrong
from services.caregivers.languages import link_reader
from services.caregivers.links import (
    create_link,
    enqueue_to_link,
    live_link,
    patient_or_refusal,
    tell_patient,
)
from services.caregivers.secrets import (
    MAX_SECRET,
    hash_secret,
    new_code,
    new_token,
    normalize_code,
    readable_code,
)
from services.context import Services
from services.outbox import SECRET_PURPOSE, enqueue
from services.patients import patient_zone
from services.replies import reader_in
from views.caregivers import invites as views
from views.dates import clock_time, short_date
from views.i18n import Translator, translator

__all__ = [
    "InviteCreated",
    "InviteOutcome",
    "InviteRequest",
    "check_invite",
    "create_invite",
    "open_invite",
]

PURPOSE = "caregiver"
INVITING = (PatientStatus.ACTIVE, PatientStatus.PAUSED)


@dataclass(frozen=True)
class InviteCreated:
    """A new invitation as the patient received it (the secrets are stored only hashed)."""

    link: str
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class InviteRequest:
    """Someone opens an invitation: ``/start TOKEN``, ``/join CODE`` or ``/linkgroup CODE``.

    Attributes:
        user_id: who sent it.
        chat_id: where (their private chat, or a group).
        secret: the token or code as typed.
        group: True in a group chat (the group is linked at once).
        title: the group's title (a group's display name in the patient's list).
        language_code: the sender's Telegram ``language_code`` (replies to them use it when
            they chose no language here).
    """

    user_id: int
    chat_id: int
    secret: str
    group: bool = False
    title: str = "Family group"
    language_code: str | None = None


class InviteOutcome(StrEnum):
    """What opening an invitation did."""

    PREVIEW = "preview"  # a person sees whose recovery and the Accept button
    LINKED = "linked"  # a group chat was linked
    INVALID = "invalid"  # unknown (guessed or mistyped) secret, or the patient left
    USED = "used"
    EXPIRED = "expired"
    OWN = "own"  # the patient opened their own invitation
    ALREADY_LINKED = "already_linked"
    TOO_MANY = "too_many"  # too many wrong secrets from this user lately (any instance)


async def create_invite(
    services: Services, user_id: int, chat_id: int, language_code: str | None = None
) -> InviteCreated | None:
    """``/invite``: a single-use, expiring invitation sent to the patient's chat.

    Args:
        services: the service context.
        user_id: the patient's Telegram user id.
        chat_id: the private chat to answer in.
        language_code: the user's Telegram language (for someone who chose none here).

    Returns:
        The link and code, or None when the user is not an active or paused patient.
    """
    now = services.now()
    async with services.transaction() as session:
        patient = await patient_or_refusal(
            session,
            user_id,
            chat_id,
            statuses=INVITING,
            now=now,
            purpose="invite",
            language_code=language_code,
        )
        if patient is None:
            return None
        token, code = new_token(), new_code()
        expires_at = now + services.config.invite_ttl
        for secret in (token, code):
            session.add(
                Invite(
                    patient_id=patient.id,
                    token_hash=hash_secret(secret),
                    purpose=PURPOSE,
                    created_at=now,
                    expires_at=expires_at,
                )
            )
        created = InviteCreated(
            link=f"https://t.me/{services.bot_username}?start={token}",
            code=readable_code(code),
            expires_at=expires_at,
        )
        local = expires_at.astimezone(patient_zone(patient))
        tr = translator(patient.language)
        until = f"{short_date(local.date(), tr.language)} {clock_time(local, tr.language)}"
        message = views.invite_message(
            link=created.link, code=created.code, valid_until=until, tr=tr
        )
        purpose = SECRET_PURPOSE  # the link and code leave the outbox once delivered
        enqueue(session, chat_id, message, now=now, purpose=purpose, patient_id=patient.id)
        return created


async def _find(session: AsyncSession, secret: str) -> Invite | None:
    secret = secret.strip()
    if not secret or len(secret) > MAX_SECRET:
        return None
    hashes = {hash_secret(secret), hash_secret(normalize_code(secret))}
    stmt = select(Invite).where(Invite.token_hash.in_(sorted(hashes))).with_for_update()
    invite: Invite | None = await session.scalar(stmt.limit(1))
    return invite


async def _both_secrets(session: AsyncSession, invite: Invite) -> list[Invite]:
    """The invitation's two rows (the link's and the code's), locked."""
    stmt = select(Invite).where(
        Invite.patient_id == invite.patient_id, Invite.created_at == invite.created_at
    )
    return list((await session.scalars(stmt.with_for_update())).all())


def check_invite(invite: Invite, patient: Patient | None, now: datetime) -> InviteOutcome | None:
    """Why an invitation cannot be used now (None: it can)."""
    if patient is None or patient.status not in INVITING:
        return InviteOutcome.INVALID
    if invite.used_at is not None:
        return InviteOutcome.USED
    if invite.expires_at <= now:
        return InviteOutcome.EXPIRED
    return None


_REFUSALS = {
    InviteOutcome.INVALID: views.INVITE_INVALID,
    InviteOutcome.USED: views.INVITE_USED,
    InviteOutcome.EXPIRED: views.INVITE_EXPIRED,
    InviteOutcome.OWN: views.INVITE_OWN,
}


async def open_invite(services: Services, request: InviteRequest) -> InviteOutcome:
    """Open an invitation: a person gets a preview with Accept, a group is linked at once.

    A used, expired or unknown secret gets a clear refusal; the patient cannot invite
    themselves (but may link their own family group). After too many unknown secrets a user
    is refused for a while, whatever they send (:mod:`.guesses`).

    Args:
        services: the service context.
        request: who opened which secret, and where.

    Returns:
        What happened (the reply is already queued).
    """
    now = services.now()
    async with services.transaction() as session:
        tr = await reader_in(session, request.user_id, request.language_code)
        if await too_many_wrong(session, request.user_id, now):
            refusal = views.say(views.TOO_MANY_TRIES, tr)
            enqueue(session, request.chat_id, refusal, now=now, purpose="invite")
            return InviteOutcome.TOO_MANY
        invite = await _find(session, request.secret)
        if invite is None:
            await count_wrong(session, request.user_id, now)
        patient = await session.get(Patient, invite.patient_id) if invite else None
        refused = InviteOutcome.INVALID if invite is None else check_invite(invite, patient, now)
        if refused is None and invite is not None and patient is not None:
            outcome = await _open(session, services, request, invite, patient, tr)
        else:
            outcome = refused or InviteOutcome.INVALID
        if outcome in _REFUSALS:
            refusal = views.say(_REFUSALS[outcome], tr)
            enqueue(session, request.chat_id, refusal, now=now, purpose="invite")
        return outcome


async def _open(
    session: AsyncSession,
    services: Services,
    request: InviteRequest,
    invite: Invite,
    patient: Patient,
    tr: Translator,
) -> InviteOutcome:
    """Open a valid invitation for a person (``tr``: their language) or a group."""
    now = services.now()
    kind = CareLinkKind.GROUP if request.group else CareLinkKind.USER
    if not request.group and request.user_id == patient.telegram_user_id:
        return InviteOutcome.OWN
    secrets = await _both_secrets(session, invite)
    if any(row.used_by not in (None, request.user_id) for row in secrets):
        return InviteOutcome.USED  # another person opened it (by the link or the code) first
    existing = await live_link(
        session, patient.id, kind, user_id=request.user_id, chat_id=request.chat_id
    )
    if existing is not None:
        message = views.already_linked(patient.display_name, tr, group=request.group)
        enqueue(session, request.chat_id, message, now=now, purpose="invite", patient_id=patient.id)
        return InviteOutcome.ALREADY_LINKED
    if not request.group:
        for row in secrets:  # one invitation, one claim: the link and the code together
            row.used_by = request.user_id
        preview = views.invite_preview(patient.display_name, invite.id, tr)
        enqueue(session, request.chat_id, preview, now=now, purpose="invite", patient_id=patient.id)
        return InviteOutcome.PREVIEW
    link = await create_link(session, patient, invite, kind, request.user_id, request.chat_id, now)
    link.display_name = request.title[:64]
    told = views.group_linked(patient.display_name, link_reader(link, patient))
    enqueue_to_link(session, link, told, now, purpose="care")
    patient_tr = translator(patient.language)
    tell_patient(
        session, patient, views.group_linked_for_patient(link.display_name, patient_tr), now
    )
    return InviteOutcome.LINKED
