"""Exporting stored check-ins: CSV, JSON Lines or a FHIR R4 Bundle (audited).

Records are read in keyset-paged batches inside one read transaction and written as they
come, so a long range never sits in memory at once. The writers are pure (records in, text
out). Exports are pseudonymous: patients appear by reference (``P-0042``) only, and who
answered as ``patient`` or ``caregiver``.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, TextIO

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, Answer, CheckIn, Patient
from recovery import Procedure, Protocol
from views import operator as views

from . import fhir
from .audit import operator_actor, record_event
from .context import Services
from .operators import check_operator, may_review_here, refuse_command
from .outbox import enqueue, enqueue_document

__all__ = [
    "CSV_HEADER",
    "TELEGRAM_EXPORT_DAYS",
    "AlertRecord",
    "AnswerRecord",
    "CheckInRecord",
    "ExportFormat",
    "ExportQuery",
    "ExportSummary",
    "UnknownPatientError",
    "csv_rows",
    "jsonl_line",
    "send_csv_export",
    "write_export",
]

BATCH = 500
TELEGRAM_EXPORT_DAYS = 30
CSV_HEADER = (
    "patient_ref",
    "procedure",
    "protocol_version",
    "local_date",
    "post_op_day",
    "checkin_status",
    "level",
    "question_key",
    "value",
    "label",
    "answered_by",
    "answered_at",
    "superseded_at",
)


class ExportFormat(StrEnum):
    """The export file formats."""

    CSV = "csv"
    JSONL = "jsonl"
    FHIR = "fhir"


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
class AnswerRecord:
    """One stored answer, superseded ones included."""

    question_key: str
    value: str
    label: str
    answered_by: str  # "patient" or "caregiver"
    answered_at: datetime
    superseded_at: datetime | None


@dataclass(frozen=True)
class AlertRecord:
    """One alert (reasons as rule keys and their plain phrases)."""

    alert_id: int
    patient_ref: str
    checkin_id: int | None
    level: str
    reasons: tuple[str, ...]
    reason_texts: tuple[str, ...]
    status: str
    created_at: datetime
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class CheckInRecord:
    """One check-in with every answer (oldest first) and its alerts."""

    checkin_id: int
    patient_ref: str
    procedure: str
    protocol: str
    protocol_version: str
    local_date: date
    post_op_day: int
    status: str
    level: str | None
    sent_at: datetime
    completed_at: datetime | None
    answers: tuple[AnswerRecord, ...]
    alerts: tuple[AlertRecord, ...] = ()


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    format: ExportFormat
    checkins: int
    answers: int
    alerts: int


def _iso(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def csv_rows(record: CheckInRecord) -> Iterator[tuple[str, ...]]:
    """The CSV rows of one check-in: one per answer (matching :data:`CSV_HEADER`)."""
    for a in record.answers:
        yield (
            record.patient_ref,
            record.procedure,
            record.protocol_version,
            record.local_date.isoformat(),
            str(record.post_op_day),
            record.status,
            record.level or "",
            a.question_key,
            a.value,
            a.label,
            a.answered_by,
            _iso(a.answered_at),
            _iso(a.superseded_at),
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def jsonl_line(record: CheckInRecord) -> str:
    """One check-in with its answers and alerts as one line of JSON (no newline)."""
    return json.dumps(_jsonable(asdict(record)), ensure_ascii=False, separators=(",", ":"))


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
    async with services.transaction() as session:
        return await _export(session, services, query, fmt, out, actor, channel, now)


async def send_csv_export(services: Services, user_id: int, chat_id: int) -> bool:
    """``/export``: the last 30 days as CSV, sent to the operator's private chat (audited).

    Args:
        services: the service context.
        user_id: who asks (the file always goes to their private chat).
        chat_id: where they asked (a note follows there when it is the care-team chat).

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
            refuse_command(session, user_id, chat_id, now)
            return False
        out = io.StringIO()
        summary = await _export(
            session,
            services,
            query,
            ExportFormat.CSV,
            out,
            operator_actor(user_id),
            "telegram",
            now,
        )
        enqueue_document(
            session,
            user_id,
            filename=views.export_filename(query.since, until),
            content=out.getvalue(),
            caption=views.export_caption(query.since, until, summary.checkins),
            now=now,
            purpose="op_export",
        )
        if chat_id != user_id:
            enqueue(session, chat_id, views.EXPORT_SENT_PRIVATELY, now=now, purpose="op_export")
        return True


async def _export(
    session: AsyncSession,
    services: Services,
    query: ExportQuery,
    fmt: ExportFormat,
    out: TextIO,
    actor: str,
    channel: str,
    now: datetime,
) -> ExportSummary:
    patient_id, patient_ref = await _find_patient(session, query.patient_ref)
    checkins = answers = alerts = 0
    if fmt is ExportFormat.CSV:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        async for batch in _checkin_batches(session, services, query, patient_id):
            for record in batch:
                writer.writerows(csv_rows(record))
                checkins, answers = checkins + 1, answers + len(record.answers)
    elif fmt is ExportFormat.JSONL:
        async for batch in _checkin_batches(session, services, query, patient_id):
            for record in batch:
                out.write(jsonl_line(record) + "\n")
                checkins, answers = checkins + 1, answers + len(record.answers)
                alerts += len(record.alerts)
    else:
        bundle = fhir.BundleWriter(out, now)
        described: set[str] = set()
        protocols = {p.family: p for p in services.protocols.all()}
        async for batch in _checkin_batches(session, services, query, patient_id):
            for record in batch:
                protocol = protocols.get(record.protocol)
                if protocol is not None and record.protocol not in described:
                    described.add(record.protocol)
                    bundle.add(fhir.questionnaire(protocol))
                bundle.add(fhir.questionnaire_response(record, protocol))
                checkins, answers = checkins + 1, answers + len(record.answers)
        async for alert_batch in _alert_batches(session, query, patient_id):
            for alert in alert_batch:
                bundle.add(fhir.flag(alert))
                alerts += 1
        bundle.close()
    record_event(
        session,
        at=now,
        actor=actor,
        action="export",
        patient_ref=patient_ref,
        format=str(fmt),
        since=query.since.isoformat(),
        until=query.until.isoformat() if query.until else None,
        checkins=checkins,
        channel=channel,
    )
    return ExportSummary(fmt, checkins, answers, alerts)


async def _find_patient(session: AsyncSession, ref: str | None) -> tuple[int | None, str | None]:
    if ref is None:
        return None, None
    patient_id = views.parse_ref(ref)
    found = await session.get(Patient, patient_id) if patient_id is not None else None
    if found is None:
        raise UnknownPatientError(ref)
    return found.id, found.ref


async def _checkin_batches(
    session: AsyncSession, services: Services, query: ExportQuery, patient_id: int | None
) -> AsyncIterator[list[CheckInRecord]]:
    """Check-ins ordered by patient and date, BATCH at a time (keyset paging)."""
    conditions = [CheckIn.local_date >= query.since]
    if query.until is not None:
        conditions.append(CheckIn.local_date <= query.until)
    if patient_id is not None:
        conditions.append(CheckIn.patient_id == patient_id)
    last: tuple[int, date] | None = None
    while True:
        stmt = (
            select(CheckIn, Patient)
            .join(Patient, Patient.id == CheckIn.patient_id)
            .where(*conditions)
            .order_by(CheckIn.patient_id, CheckIn.local_date)
            .limit(BATCH)
        )
        if last is not None:
            stmt = stmt.where(
                or_(
                    CheckIn.patient_id > last[0],
                    and_(CheckIn.patient_id == last[0], CheckIn.local_date > last[1]),
                )
            )
        rows = (await session.execute(stmt)).tuples().all()
        if not rows:
            return
        yield await _records(session, services, rows)
        last = (rows[-1][0].patient_id, rows[-1][0].local_date)
        if len(rows) < BATCH:
            return


async def _records(
    session: AsyncSession, services: Services, rows: Iterable[tuple[CheckIn, Patient]]
) -> list[CheckInRecord]:
    rows = list(rows)
    ids = [checkin.id for checkin, _ in rows]
    answers: dict[int, list[Answer]] = defaultdict(list)
    for answer in await session.scalars(
        select(Answer).where(Answer.checkin_id.in_(ids)).order_by(Answer.id)
    ):
        answers[answer.checkin_id].append(answer)
    alerts: dict[int, list[AlertRecord]] = defaultdict(list)
    for alert, patient in (
        await session.execute(
            select(Alert, Patient)
            .join(Patient, Patient.id == Alert.patient_id)
            .where(Alert.checkin_id.in_(ids))
            .order_by(Alert.id)
        )
    ).tuples():
        alerts[alert.checkin_id or 0].append(_alert_record(alert, patient))
    records = []
    for checkin, patient in rows:
        procedure = Procedure(patient.procedure) if patient.procedure else None
        protocol = services.protocols.for_procedure(procedure) if procedure else None
        records.append(
            CheckInRecord(
                checkin_id=checkin.id,
                patient_ref=patient.ref,
                procedure=str(procedure or ""),
                protocol=protocol.family if protocol else "",
                protocol_version=protocol.version if protocol else "",
                local_date=checkin.local_date,
                post_op_day=checkin.post_op_day,
                status=str(checkin.status),
                level=None if checkin.level is None else str(checkin.level),
                sent_at=checkin.sent_at,
                completed_at=checkin.completed_at,
                answers=tuple(_answer_record(a, patient, protocol) for a in answers[checkin.id]),
                alerts=tuple(alerts[checkin.id]),
            )
        )
    return records


def _answer_record(answer: Answer, patient: Patient, protocol: Protocol | None) -> AnswerRecord:
    question = protocol.question(answer.question_key) if protocol else None
    option = question.option(answer.value) if question else None
    return AnswerRecord(
        question_key=answer.question_key,
        value=answer.value,
        label=option.label if option else answer.value,
        answered_by="patient" if answer.answered_by == patient.telegram_user_id else "caregiver",
        answered_at=answer.answered_at,
        superseded_at=answer.superseded_at,
    )


def _alert_record(alert: Alert, patient: Patient) -> AlertRecord:
    return AlertRecord(
        alert_id=alert.id,
        patient_ref=patient.ref,
        checkin_id=alert.checkin_id,
        level=str(alert.level),
        reasons=tuple(alert.reasons),
        reason_texts=tuple(alert.reason_texts),
        status=str(alert.status),
        created_at=alert.created_at,
        acknowledged_at=alert.acknowledged_at,
    )


async def _alert_batches(
    session: AsyncSession, query: ExportQuery, patient_id: int | None
) -> AsyncIterator[list[AlertRecord]]:
    """Alerts raised from ``since`` 00:00 UTC through ``until`` 24:00 UTC, by id."""
    conditions = [Alert.created_at >= datetime.combine(query.since, time(), UTC)]
    if query.until is not None:
        end = datetime.combine(query.until + timedelta(days=1), time(), UTC)
        conditions.append(Alert.created_at < end)
    if patient_id is not None:
        conditions.append(Alert.patient_id == patient_id)
    last = 0
    while True:
        rows = (
            (
                await session.execute(
                    select(Alert, Patient)
                    .join(Patient, Patient.id == Alert.patient_id)
                    .where(*conditions, Alert.id > last)
                    .order_by(Alert.id)
                    .limit(BATCH)
                )
            )
            .tuples()
            .all()
        )
        if not rows:
            return
        yield [_alert_record(alert, patient) for alert, patient in rows]
        last = rows[-1][0].id
        if len(rows) < BATCH:
            return
