"""Shared patient operations used inside other use cases (they take the caller's session)."""

from __future__ import annotations

import typing
from datetime import date, datetime, time
from typing import TypedDict
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, CheckIn, Patient, PatientStatus
from recovery import Procedure, Protocol, ProtocolSet, post_op_day
from services.risk_summary import note_change
from services.timing import next_slot
from views.alerts.reasons import shown_reasons
from views.i18n import Translator

__all__ = [
    "Provenance",
    "Schedulable",
    "find_patient",
    "next_checkin_slot",
    "patient_day",
    "patient_protocol",
    "patient_reasons",
    "patient_texts",
    "patient_zone",
    "procedure_reasons",
    "provenance_of",
    "reschedule",
]


async def find_patient(
    session: AsyncSession, user_id: int, *, now: datetime, for_update: bool = False
) -> Patient | None:
    """The patient with this Telegram user id; a patient who writes is reachable again.

    Args:
        session: the caller's session.
        user_id: the Telegram user id.
        now: the current time (the risk summary of a patient reachable again is refreshed).
        for_update: lock the row (PostgreSQL) against concurrent changes.

    Returns:
        The patient, or None.
    """
    stmt = select(Patient).where(Patient.telegram_user_id == user_id)
    if for_update:
        stmt = stmt.with_for_update()
    patient = await session.scalar(stmt)
    if patient is not None and patient.unreachable_since is not None:
        patient.unreachable_since = None
        note_change(session, patient.id, now)
    return patient


def patient_zone(patient: Patient) -> ZoneInfo:
    """The patient's time zone."""
    return ZoneInfo(patient.timezone)


def patient_protocol(patient: Patient, protocols: ProtocolSet) -> Protocol:
    """The protocol of the patient's procedure.

    Raises:
        ValueError: the patient has no procedure yet (still enrolling).
    """
    if patient.procedure is None:
        raise ValueError("patient has no procedure yet")
    return protocols.for_procedure(Procedure(patient.procedure))


def patient_texts(
    patient: Patient, protocols: ProtocolSet, language: str | None = None
) -> Protocol:
    """The patient's protocol with its texts in ``language`` (default: the patient's own).

    For what a patient or caregiver reads (questions, buttons, instructions, guidance); triage,
    stored reasons and the care team use :func:`patient_protocol`, in the protocol's English.

    Raises:
        ValueError: the patient has no procedure yet (still enrolling).
    """
    if patient.procedure is None:
        raise ValueError("patient has no procedure yet")
    chosen = patient.language if language is None else language
    return protocols.for_procedure(Procedure(patient.procedure), chosen)


def patient_reasons(
    patient: Patient,
    protocols: ProtocolSet,
    keys: typing.Sequence[str],
    texts: typing.Sequence[str],
    tr: Translator,
) -> tuple[str, ...]:
    """A patient's stored reasons (an alert's keys and English texts) in ``tr``'s language.

    Rule phrases come from the protocol's overlay in that language (English where it has
    none); see :func:`views.alerts.reasons.shown_reasons`.
    """
    return procedure_reasons(patient.procedure, protocols, keys, texts, tr)


def procedure_reasons(
    procedure: str | None,
    protocols: ProtocolSet,
    keys: typing.Sequence[str],
    texts: typing.Sequence[str],
    tr: Translator,
) -> tuple[str, ...]:
    """:func:`patient_reasons` for a patient known by their procedure alone (None: none yet)."""
    if procedure is None:
        return shown_reasons(keys, texts, None, None, tr)
    operation = Procedure(procedure)
    english = protocols.for_procedure(operation)
    return shown_reasons(keys, texts, english, protocols.for_procedure(operation, tr.language), tr)


class Provenance(TypedDict):
    """The provenance columns of a check-in or alert (``CheckIn(**provenance_of(p))``)."""

    protocol_family: str
    protocol_version: str
    protocol_hash: str | None


def provenance_of(source: Protocol | CheckIn | Alert) -> Provenance:
    """Which protocol file judges a new row: the loaded protocol, or copied from a stored row.

    Args:
        source: the protocol in use now, or the check-in (or alert) the new row comes from.

    Returns:
        The values of the three provenance columns.
    """
    if isinstance(source, Protocol):
        return Provenance(
            protocol_family=source.family,
            protocol_version=source.version,
            protocol_hash=source.content_hash or None,
        )
    return Provenance(
        protocol_family=source.protocol_family,
        protocol_version=source.protocol_version,
        protocol_hash=source.protocol_hash,
    )


def patient_day(patient: Patient, now: datetime) -> int:
    """The patient's post-operative day now (surgery day = 0).

    Raises:
        ValueError: the patient has no surgery date yet.
    """
    if patient.surgery_date is None:
        raise ValueError("patient has no surgery date yet")
    return post_op_day(patient.surgery_date, now, patient_zone(patient))


class Schedulable(typing.Protocol):
    """What the next check-in slot depends on: a :class:`Patient`, or a plain row of its values."""

    @property
    def status(self) -> PatientStatus: ...
    @property
    def procedure(self) -> Procedure | None: ...
    @property
    def surgery_date(self) -> date | None: ...
    @property
    def discharge_date(self) -> date | None: ...
    @property
    def in_hospital(self) -> bool: ...
    @property
    def timezone(self) -> str: ...
    @property
    def checkin_time(self) -> time | None: ...


def next_checkin_slot(
    patient: Schedulable, protocols: ProtocolSet, now: datetime
) -> datetime | None:
    """The patient's next local check-in slot after ``now`` (pure: nothing is changed).

    No slot while the patient is not active, is still in hospital after fusion, or lacks a
    time or date. Slots follow the protocol's taper; the first slot after the recovery window
    is kept so the dispatch sweep can close the programme with a message.

    Args:
        patient: the patient (or a row with the same fields).
        protocols: the loaded protocols.
        now: the current time.

    Returns:
        The slot (UTC), or None.
    """
    surgery, at = patient.surgery_date, patient.checkin_time
    if (
        patient.status != PatientStatus.ACTIVE
        or at is None
        or surgery is None
        or patient.procedure is None
        or patient.in_hospital
    ):
        return None
    protocol = protocols.for_procedure(Procedure(patient.procedure))
    window = protocol.recovery_window_days

    def include(day: date) -> bool:
        offset = (day - surgery).days
        return offset > window or protocol.is_checkin_day(offset)

    return next_slot(
        after=now,
        at=at,
        tz=ZoneInfo(patient.timezone),
        earliest=max(surgery, patient.discharge_date or surgery),
        include=include,
    )


def reschedule(patient: Patient, protocols: ProtocolSet, now: datetime) -> datetime | None:
    """Set ``next_checkin_at`` to the patient's next local check-in slot after ``now``.

    See :func:`next_checkin_slot` for the rule.

    Returns:
        The new ``next_checkin_at`` (UTC) or None.
    """
    patient.next_checkin_at = next_checkin_slot(patient, protocols, now)
    return patient.next_checkin_at
