"""A caregiver's own data: their copy (/mydata) and its erasure (/delete).

A caregiver has links (the patient's reference, the name the patient sees, when linked), the
answers they gave for a patient and the invitations they opened. Erasure deletes their links
and the messages queued over them; the answers they gave are part of the patient's record and
stay, attributed to "a caregiver" (``answered_by`` = :data:`ERASED_CAREGIVER`, an id Telegram
never gives, which exports already show as "caregiver").
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Answer, CareLink, CareLinkKind, CheckIn, Invite, Outbox, Patient, SecretGuess

__all__ = ["CAREGIVER_FORMAT", "ERASED_CAREGIVER", "caregiver_copy", "erase_caregiver"]

CAREGIVER_FORMAT = "spine-recovery-checkin/caregiver-export/1"
ERASED_CAREGIVER = 0  # answered_by / used_by of a caregiver who erased their data


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _links(user_id: int) -> Any:
    return select(CareLink).where(CareLink.kind == CareLinkKind.USER, CareLink.user_id == user_id)


async def caregiver_copy(
    session: AsyncSession, user_id: int, exported_at: datetime
) -> dict[str, Any] | None:
    """Everything stored about ``user_id`` as a caregiver, JSON-ready; None when nothing is.

    Patients appear only by reference; the answers are listed with the question key, value and
    time (the patient's own copy has the rest of each check-in).
    """
    links = (await session.scalars(_links(user_id).order_by(CareLink.id))).all()
    answers = (
        await session.execute(
            select(Answer, CheckIn.patient_id, CheckIn.local_date)
            .join(CheckIn, Answer.checkin_id == CheckIn.id)
            .where(Answer.answered_by == user_id)
            .order_by(Answer.answered_at, Answer.id)
        )
    ).all()
    opened = await session.scalar(select(func.count(Invite.id)).where(Invite.used_by == user_id))
    if not links and not answers and not opened:
        return None
    ids = {link.patient_id for link in links} | {patient_id for _a, patient_id, _d in answers}
    patients = await session.scalars(select(Patient).where(Patient.id.in_(sorted(ids))))
    refs = {patient.id: patient.ref for patient in patients}
    return {
        "format": CAREGIVER_FORMAT,
        "exported_at": _iso(exported_at),
        "telegram_user_id": user_id,
        "links": [
            {
                "patient": refs.get(link.patient_id),
                "your_name_as_the_patient_sees_it": link.display_name,
                "your_language": link.language,
                "linked_at": _iso(link.created_at),
                "revoked_at": _iso(link.revoked_at),
                "may_answer": link.may_answer,
                "receives_summary": link.receives_summary,
            }
            for link in links
        ],
        "answers_given": [
            {
                "patient": refs.get(patient_id),
                "checkin_local_date": _iso(local_date),
                "question_key": answer.question_key,
                "value": answer.value,
                "answered_at": _iso(answer.answered_at),
                "current": answer.superseded_at is None,
            }
            for answer, patient_id, local_date in answers
        ],
        "answer_count": len(answers),
        "invitations_opened": opened or 0,
    }


async def erase_caregiver(session: AsyncSession, user_id: int) -> int:
    """Erase ``user_id``'s caregiver data; returns how many links went.

    Links and the messages queued over them are deleted; answers they gave and invitations
    they opened stay, with their id replaced by :data:`ERASED_CAREGIVER`.
    """
    link_ids = list((await session.scalars(_links(user_id).with_only_columns(CareLink.id))).all())
    if link_ids:
        await session.execute(delete(Outbox).where(Outbox.care_link_id.in_(link_ids)))
        await session.execute(delete(CareLink).where(CareLink.id.in_(link_ids)))
    await session.execute(
        update(Answer).where(Answer.answered_by == user_id).values(answered_by=ERASED_CAREGIVER)
    )
    await session.execute(
        update(Invite).where(Invite.used_by == user_id).values(used_by=ERASED_CAREGIVER)
    )
    await session.execute(delete(SecretGuess).where(SecretGuess.user_id == user_id))
    return len(link_ids)
