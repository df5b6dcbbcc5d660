"""The patient's /mydata: everything stored about them, as a PDF to read and a JSON file.

The document itself is built by :func:`services.account.data_copy.build_patient_export`; its
question texts, answer labels and warning signs are in the patient's language, as the check-ins
asked them (:func:`services.patients.patient_texts`, :func:`services.patients.patient_reasons`).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, Answer, CareLink, CheckIn, Invite
from services.account.caregiver_data import caregiver_copy
from services.account.data_copy import build_patient_export
from services.audit import record_event
from services.context import Services
from services.outbox import enqueue, enqueue_document
from services.pain_course import PainCourse, read_pain_course
from services.patients import find_patient, patient_reasons, patient_texts
from services.replies import reader_in
from views import account as views
from views.data_pdf import data_pdf
from views.i18n import Translator, translator

__all__ = ["ExportResult", "export_my_data"]

ACTOR = "patient"


@dataclass(frozen=True)
class ExportResult:
    """What /mydata sent: the file name and the number of check-ins in it."""

    filename: str
    checkins: int


async def export_my_data(
    services: Services, user_id: int, chat_id: int, language_code: str | None = None
) -> ExportResult | None:
    """Send /mydata: everything stored about the patient as a JSON document; audited.

    Args:
        services: the service context.
        user_id: the Telegram user asking.
        chat_id: where to send the file.
        language_code: the user's Telegram language (for someone who chose none here).

    Returns:
        The file name and the number of check-ins exported, or None for a non-patient.
    """
    now = services.now()
    async with services.transaction() as session:
        patient = await find_patient(session, user_id, now=now)
        if patient is None:
            return await _caregiver_copy(session, user_id, chat_id, now, language_code)
        pid, tr = patient.id, translator(patient.language)
        checkins = (await session.scalars(select(CheckIn).where(CheckIn.patient_id == pid))).all()
        answers = (
            await session.scalars(
                select(Answer)
                .join(CheckIn, Answer.checkin_id == CheckIn.id)
                .where(CheckIn.patient_id == pid)
            )
        ).all()
        alerts = (await session.scalars(select(Alert).where(Alert.patient_id == pid))).all()
        links = (await session.scalars(select(CareLink).where(CareLink.patient_id == pid))).all()
        invites = (await session.scalars(select(Invite).where(Invite.patient_id == pid))).all()
        document = build_patient_export(
            patient,
            checkins=checkins,
            answers=answers,
            alerts=alerts,
            care_links=links,
            invites=invites,
            protocol=patient_texts(patient, services.protocols) if patient.procedure else None,
            exported_at=now,
            reasons_shown={
                a.id: patient_reasons(patient, services.protocols, a.reasons, a.reason_texts, tr)
                for a in alerts
            },
        )
        filename = views.export_filename(patient.ref)
        course = await read_pain_course(session, services, patient, now)
        _send_json(session, chat_id, filename, document, now, tr, patient_id=pid)
        record_event(session, at=now, actor=ACTOR, action="patient_export", patient_ref=patient.ref)
    await _send_pdf(services, chat_id, pid, document, course, filename, tr)
    return ExportResult(filename=filename, checkins=len(checkins))


async def _send_pdf(
    services: Services,
    chat_id: int,
    patient_id: int,
    document: dict[str, Any],
    course: PainCourse | None,
    filename: str,
    tr: Translator,
) -> None:
    """The same data as a PDF a person can read (in their language), drawn after the reading
    transaction."""

    def render() -> bytes:
        return data_pdf(document, tr, course.png(tr) if course is not None else None)

    pdf = await asyncio.to_thread(render)
    async with services.transaction() as session:
        enqueue_document(
            session,
            chat_id,
            filename=filename.removesuffix(".json") + ".pdf",
            content=pdf,
            caption=tr.gettext(views.PDF_CAPTION),
            now=services.now(),
            purpose="export",
            patient_id=patient_id,
        )


async def _caregiver_copy(
    session: AsyncSession, user_id: int, chat_id: int, now: datetime, language_code: str | None
) -> ExportResult | None:
    """/mydata from someone who is no patient: their caregiver data, or "nothing stored"."""
    document = await caregiver_copy(session, user_id, now) if chat_id == user_id else None
    tr = await reader_in(session, user_id, language_code)
    if document is None:
        enqueue(session, chat_id, views.say(views.NOTHING_STORED, tr), now=now, purpose="export")
        return None
    filename = views.export_filename("caregiver")
    _send_json(session, chat_id, filename, document, now, tr)
    record_event(session, at=now, actor="caregiver", action="caregiver_export")
    return ExportResult(filename=filename, checkins=0)


def _send_json(
    session: AsyncSession,
    chat_id: int,
    filename: str,
    document: dict[str, Any],
    now: datetime,
    tr: Translator,
    *,
    patient_id: int | None = None,
) -> None:
    """Queue the copy as a JSON file (kept with the patient's data when it is a patient's)."""
    enqueue_document(
        session,
        chat_id,
        filename=filename,
        content=json.dumps(document, indent=2, ensure_ascii=False),
        caption=tr.gettext(views.EXPORT_CAPTION),
        now=now,
        purpose="export",
        patient_id=patient_id,
    )
