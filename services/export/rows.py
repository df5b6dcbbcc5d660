"""Reading check-ins and alerts for an export, in keyset-paged batches, as the records of
:mod:`.records`.

Each batch is read in a short session of its own, closed before the batch is yielded: an
export never holds a connection while it writes, so on SQLite (one connection, one writer)
a patient's answer or an urgent reply waits for one batch at most, never for the whole
export. A long export is therefore consistent per batch, not as one snapshot: a check-in
answered meanwhile shows its answers as of its own batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Alert, Answer, CheckIn, Patient
from recovery import Procedure, Protocol, ProtocolSet
from services.export.records import AlertRecord, AnswerRecord, CheckInRecord
from services.patients import provenance_of

__all__ = ["Span", "alert_batches", "checkin_batches"]

_Row = TypeVar("_Row", CheckIn, Alert)
_Record = TypeVar("_Record", CheckInRecord, AlertRecord)
Sessions = async_sessionmaker[AsyncSession]


@dataclass(frozen=True)
class Span:
    """What to read: days ``since`` through ``until`` (None: no end), of one patient or all."""

    since: date
    until: date | None
    patient_id: int | None


async def _pages(
    sessions: Sessions,
    page: Callable[[_Row | None], Select[tuple[_Row, Patient]]],
    size: int,
    records: Callable[[AsyncSession, Sequence[tuple[_Row, Patient]]], Awaitable[list[_Record]]],
) -> AsyncIterator[list[_Record]]:
    """Pages of ``size`` rows as records; ``page(last)`` selects, in order, the rows after
    ``last``; ``records`` turns a page into records in the same short session."""
    last: _Row | None = None
    while True:
        async with sessions() as session:
            rows = (await session.execute(page(last).limit(size))).tuples().all()
            if not rows:
                return
            last = rows[-1][0]
            batch = await records(session, rows)
        yield batch
        if len(rows) < size:
            return


async def checkin_batches(
    sessions: Sessions, protocols: ProtocolSet, span: Span, *, size: int
) -> AsyncIterator[list[CheckInRecord]]:
    """Check-ins dated in ``span`` (local dates), ordered by patient and date.

    Args:
        sessions: the session factory (one short session per batch).
        protocols: the protocols (answer labels only: the protocol family, version and hash
            of each record are the ones its check-in stored).
        span: the dates and the patient.
        size: how many check-ins a batch holds at most.

    Yields:
        Batches of check-ins, each with every answer and its alerts.
    """
    conditions = [CheckIn.local_date >= span.since]
    if span.until is not None:
        conditions.append(CheckIn.local_date <= span.until)
    if span.patient_id is not None:
        conditions.append(CheckIn.patient_id == span.patient_id)

    def page(last: CheckIn | None) -> Select[tuple[CheckIn, Patient]]:
        stmt = (
            select(CheckIn, Patient)
            .join(Patient, Patient.id == CheckIn.patient_id)
            .where(*conditions)
            .order_by(CheckIn.patient_id, CheckIn.local_date)
        )
        if last is None:
            return stmt
        return stmt.where(
            or_(
                CheckIn.patient_id > last.patient_id,
                and_(CheckIn.patient_id == last.patient_id, CheckIn.local_date > last.local_date),
            )
        )

    async def records(
        session: AsyncSession, rows: Sequence[tuple[CheckIn, Patient]]
    ) -> list[CheckInRecord]:
        return await _records(session, protocols, rows)

    async for batch in _pages(sessions, page, size, records):
        yield batch


async def alert_batches(
    sessions: Sessions, span: Span, *, size: int
) -> AsyncIterator[list[AlertRecord]]:
    """Alerts raised from ``span.since`` 00:00 UTC through ``span.until`` 24:00 UTC, by id.

    Args:
        sessions: the session factory (one short session per batch).
        span: the days (UTC) and the patient.
        size: how many alerts a batch holds at most.

    Yields:
        Batches of alerts.
    """
    conditions = [Alert.created_at >= datetime.combine(span.since, time(), UTC)]
    if span.until is not None:
        end = datetime.combine(span.until + timedelta(days=1), time(), UTC)
        conditions.append(Alert.created_at < end)
    if span.patient_id is not None:
        conditions.append(Alert.patient_id == span.patient_id)

    def page(last: Alert | None) -> Select[tuple[Alert, Patient]]:
        return (
            select(Alert, Patient)
            .join(Patient, Patient.id == Alert.patient_id)
            .where(*conditions, Alert.id > (0 if last is None else last.id))
            .order_by(Alert.id)
        )

    async def records(
        session: AsyncSession, rows: Sequence[tuple[Alert, Patient]]
    ) -> list[AlertRecord]:
        return [_alert_record(alert, patient) for alert, patient in rows]

    async for batch in _pages(sessions, page, size, records):
        yield batch


async def _records(
    session: AsyncSession, protocols: ProtocolSet, rows: Iterable[tuple[CheckIn, Patient]]
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
        protocol = protocols.for_procedure(procedure) if procedure else None
        records.append(
            CheckInRecord(
                checkin_id=checkin.id,
                patient_ref=patient.ref,
                procedure=str(procedure or ""),
                **provenance_of(checkin),
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
        outcome=alert.outcome,
        outcome_note=alert.outcome_note,
        outcome_at=alert.outcome_at,
        **provenance_of(alert),
    )
