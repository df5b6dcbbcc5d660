"""A warning sign written in words: the instruction at once, and the care team is told.

Every plain text a person sends the bot in a private chat is screened first, whatever they
are in the middle of (enrollment, a check-in, nothing). On a match the reply is conditional
("If you have chest pain or trouble breathing now, call 112 now"), so it is right even when
the match was a negation or a misunderstanding. For an enrolled patient, or a caregiver of
one, the care team's alert for today is raised or updated ("a message about ..."). Logs carry
the matched sign keys only, never the text.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CareLink, CareLinkKind, CheckIn, Patient
from recovery import WRITTEN_PREFIX, Level, Reason, TextSign, local_date, screen_text
from services.alerts.numbers import with_numbers
from services.alerts.reports import report_findings
from services.context import Services
from services.outbox import Priority, enqueue
from services.patients import find_patient, patient_zone
from views import alerts as views
from views.i18n import translator
from views.message import Message

__all__ = ["screen_written"]

log = logging.getLogger(__name__)


async def screen_written(services: Services, user_id: int, chat_id: int, text: str) -> bool:
    """Screen one written message for warning signs; act on a match.

    Args:
        services: the service context.
        user_id: who wrote.
        chat_id: their private chat (the reply goes there).
        text: what they wrote (never logged).

    Returns:
        True when a sign matched and the instruction was queued (the text needs no other reply).
    """
    signs = screen_text(text)  # English and every supported language: who writes may not
    # write in the patient's language (a caregiver, a neighbour), and a match costs one reply
    if not signs:
        return False
    log.info("written warning sign: %s", ",".join(sign.key for sign in signs))
    now = services.now()
    async with services.transaction() as session:
        patient = await _whose(session, user_id, now)
        enrolled = patient is not None and patient.procedure is not None
        zone = patient.timezone if patient is not None else services.config.default_timezone
        own = patient is not None and patient.telegram_user_id == user_id
        tr = translator(patient.language if own and patient is not None else None)
        top = [s for s in signs if s.level is signs[0].level]
        number = services.config.emergency_number_for(zone)
        # the signs in the reader's language, as their language says "a or b"
        signs_read = views.list_text([s.sign_in(tr.language) for s in top], tr, style="or")
        words = views.written_instruction(
            signs[0].level, signs_read, number, tr, team_told=enrolled
        )
        reply = Message(with_numbers(words, services.config, zone, signs[0].level, tr))
        enqueue(
            session,
            chat_id,
            reply,
            now=now,
            purpose="alert",
            priority=Priority.ALERT,
            patient_id=patient.id if patient is not None else None,
        )
        if patient is not None and enrolled:
            checkin = await _todays_checkin(session, patient, now)
            reasons = [_reason(sign) for sign in signs]
            await report_findings(
                session, services, patient, checkin, reasons, now, answered_in=chat_id, tell=False
            )
    return True


def _reason(sign: TextSign) -> Reason:
    """The stored reason (English, as every stored reason; readers get their language)."""
    return Reason(
        key=f"{WRITTEN_PREFIX}{sign.key}",
        level=Level(sign.level),
        text=translator(None).gettext("a message about {sign}", sign=sign.sign),
        source=sign.source,
    )


async def _whose(session: AsyncSession, user_id: int, now: datetime) -> Patient | None:
    """The patient who wrote, or the patient of the caregiver who wrote (oldest link first)."""
    patient = await find_patient(session, user_id, now=now)
    if patient is not None:
        return patient
    patient_id = await session.scalar(
        select(CareLink.patient_id)
        .where(
            CareLink.kind == CareLinkKind.USER,
            CareLink.user_id == user_id,
            CareLink.revoked_at.is_(None),
        )
        .order_by(CareLink.id)
        .limit(1)
    )
    return await session.get(Patient, patient_id) if patient_id is not None else None


async def _todays_checkin(session: AsyncSession, patient: Patient, now: datetime) -> CheckIn | None:
    today = local_date(now, patient_zone(patient))
    found: CheckIn | None = await session.scalar(
        select(CheckIn).where(CheckIn.patient_id == patient.id, CheckIn.local_date == today)
    )
    return found
