"""Exporting stored check-ins: CSV, JSON Lines or a FHIR R4 Bundle (audited).

Records are read in keyset-paged batches (:mod:`services.export.rows`), each in a short
session of its own, and written as they come (:mod:`services.export.formats`): no connection is
held while the file is written (on SQLite, answers and urgent replies would wait for the whole
export), and the records never sit in memory twice. The audit event is written once the file
is complete, with what it holds. Exports are pseudonymous: patients appear by reference (``P-0042``)
only, and who answered as ``patient`` or ``caregiver``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TextIO

from sqlalchemy.ext.asyncio import AsyncSession

from models import Patient
from services.audit import operator_actor, record_event
from services.care_team import (
    check_operator,
    may_review_here,
    operator_language,
    refuse_command,
)
from services.context import Services
from services.export.formats import ExportFormat, open_writer
from services.export.rows import Span, alert_batches, checkin_batches
from services.outbox import enqueue, enqueue_document
from views.care_team import common as views
from views.i18n import translator
from views.message import Message

__all__ = [
    "TELEGRAM_EXPORT_DAYS",
    "ExportFormat",
    "ExportQuery",
    "ExportSummary",
    "UnknownPatientError",
    "send_csv_export",
    "write_export",
]

BATCH = 500  # check-ins or alerts read at a time
TELEGRAM_EXPORT_DAYS = 30


class UnknownPatientError(LookupError):
    """The export names a patient reference that does not exist."""


@dataclass(frozen=True)
class ExportQuery:
    """What to export: check-ins dated ``since`` through ``until`` (inclusive, local dates)
    and alerts raised on those days (UTC), of one patient or all."""

    since: date
    until: date | None = None
    patient_ref: str | None = None


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    format: ExportFormat
    checkins: int
    answers: int
    alerts: int


async def write_export(
    services: Services,
    query: ExportQuery,
    fmt: ExportFormat,
    out: TextIO,
    *,
    actor: str,
    channel: str = "cli",
) -> ExportSummary:
    """Write an export to ``out`` and record it in the audit trail.

    Args:
        services: the service context.
        query: the date range and optional patient.
        fmt: the file format.
        out: where to write (text; the caller opens and closes it).
        actor: who exports (see ``services.audit``).
        channel: ``cli`` or ``telegram``, kept in the audit event.

    Returns:
        How many check-ins, answers and alerts were written.

    Raises:
        UnknownPatientError: ``query.patient_ref`` names no patient.
    """
    now = services.now()
    summary, patient_ref = await _export(services, query, fmt, out, now)
    async with services.transaction() as session:
        _audit(session, query, summary, patient_ref, actor, channel, now)
    return summary


async def send_csv_export(
    services: Services, user_id: int, chat_id: int, language_code: str | None = None
) -> bool:
    """``/export``: the last 30 days as CSV, sent to the operator's private chat (audited).

    Args:
        services: the service context.
        user_id: who asks (the file always goes to their private chat).
        chat_id: where they asked (a note follows there when it is the care-team chat).
        language_code: the sender's Telegram language (the caption is in the operator's own).

    Returns:
        False when refused (answered like an unknown command).
    """
    now = services.now()
    until = now.date()
    query = ExportQuery(since=until - timedelta(days=TELEGRAM_EXPORT_DAYS), until=until)
    async with services.transaction() as session:
        if not await check_operator(session, services, user_id) or not may_review_here(
            services, user_id, chat_id
        ):
            await refuse_command(session, user_id, chat_id, now, language_code)
            return False
        own = translator(await operator_language(session, user_id, language_code))
    out = io.StringIO()
    summary, _ = await _export(services, query, ExportFormat.CSV, out, now)
    async with services.transaction() as session:
        _audit(session, query, summary, None, operator_actor(user_id), "telegram", now)
        enqueue_document(
            session,
            user_id,
            filename=views.export_filename(query.since, until),
            content=out.getvalue(),
            caption=views.export_caption(query.since, until, summary.checkins, own),
            now=now,
            purpose="op_export",
        )
        if chat_id != user_id:
            team = translator(services.config.clinic_language)
            note = Message(team.gettext(views.EXPORT_SENT_PRIVATELY))
            enqueue(session, chat_id, note, now=now, purpose="op_export")
        return True


async def _export(
    services: Services, query: ExportQuery, fmt: ExportFormat, out: TextIO, now: datetime
) -> tuple[ExportSummary, str | None]:
    """Write the file, one short read session per batch; returns what it holds and the
    patient's reference (None: every patient)."""
    async with services.session_factory() as session:
        patient_id, patient_ref = await _find_patient(session, query.patient_ref)
    writer = open_writer(fmt, out, now=now, protocols=services.protocols.all())
    span = Span(query.since, query.until, patient_id)
    sessions = services.session_factory
    async for batch in checkin_batches(sessions, services.protocols, span, size=BATCH):
        for record in batch:
            writer.add(record)
    if writer.reads_alerts:
        async for alerts in alert_batches(sessions, span, size=BATCH):
            for alert in alerts:
                writer.add_alert(alert)
    writer.close()
    return ExportSummary(fmt, writer.checkins, writer.answers, writer.alerts), patient_ref


def _audit(
    session: AsyncSession,
    query: ExportQuery,
    summary: ExportSummary,
    patient_ref: str | None,
    actor: str,
    channel: str,
    now: datetime,
) -> None:
    record_event(
        session,
        at=now,
        actor=actor,
        action="export",
        patient_ref=patient_ref,
        format=str(summary.format),
        since=query.since.isoformat(),
        until=query.until.isoformat() if query.until else None,
        checkins=summary.checkins,
        channel=channel,
    )


async def _find_patient(session: AsyncSession, ref: str | None) -> tuple[int | None, str | None]:
    if ref is None:
        return None, None
    patient_id = views.parse_ref(ref)
    found = await session.get(Patient, patient_id) if patient_id is not None else None
    if found is None:
        raise UnknownPatientError(ref)
    return found.id, found.ref
