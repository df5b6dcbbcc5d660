"""What each due patient needs now: today's check-in, nothing until today's slot, or the end.

Pure (no database, no clock): the dispatch sweep reads a batch of due patients as plain rows,
plans each one here, then writes the whole batch in a few statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from models import PatientStatus
from recovery import Procedure, Protocol, ProtocolSet, local_date
from services.patients import next_checkin_slot
from services.timing import local_slot

__all__ = ["DuePatient", "DueStep", "plan_due"]


@dataclass(frozen=True)
class DuePatient:
    """The columns of a due patient the sweep needs (a detached row, not an ORM object)."""

    id: int
    chat_id: int
    status: PatientStatus
    procedure: Procedure | None
    surgery_date: date | None
    discharge_date: date | None
    in_hospital: bool
    timezone: str
    checkin_time: time | None
    next_checkin_at: datetime
    language: str | None = None  # what the patient reads (views.i18n)


@dataclass(frozen=True)
class DueStep:
    """The plan for one due patient.

    Attributes:
        patient: whose plan.
        protocol: the protocol of the patient's procedure.
        texts: the same protocol with its texts in the patient's language (what they read).
        next_at: the new ``next_checkin_at`` (None once the programme is over).
        start: start today's check-in: (local date, post-operative day); None: no check-in.
        finish: the recovery window is over: mark the patient finished, send the closing note.
    """

    patient: DuePatient
    protocol: Protocol
    next_at: datetime | None
    start: tuple[date, int] | None = None
    finish: bool = False
    texts: Protocol | None = None  # None: the protocol's own texts

    @property
    def shown(self) -> Protocol:
        """The protocol as the patient reads it."""
        return self.texts or self.protocol


def plan_due(patient: DuePatient, protocols: ProtocolSet, now: datetime) -> DueStep:
    """Plan one due patient: the same rules for one patient or a batch of thousands.

    After downtime only today's check-in is started, never one per missed day: a slot from an
    earlier local day whose today's slot is still ahead only moves to today's slot. A day
    outside the protocol's taper starts nothing. Past the recovery window the programme ends.
    Whether today's check-in already exists is for the database to say (the unique
    patient-and-date constraint), not for this plan.

    Args:
        patient: a due active patient (procedure, surgery date and check-in time are set).
        protocols: the loaded protocols.
        now: the current time.

    Returns:
        The step to write.

    Raises:
        ValueError: the patient has no procedure, surgery date or check-in time.
    """
    if patient.procedure is None or patient.surgery_date is None or patient.checkin_time is None:
        raise ValueError("a due patient needs a procedure, a surgery date and a check-in time")
    protocol = protocols.for_procedure(Procedure(patient.procedure))
    tz = ZoneInfo(patient.timezone)
    today = local_date(now, tz)
    stale = local_date(patient.next_checkin_at, tz) < today
    if stale and local_slot(today, patient.checkin_time, tz) > now:  # a missed day
        return DueStep(patient, protocol, next_checkin_slot(patient, protocols, now))
    day = (today - patient.surgery_date).days
    if day > protocol.recovery_window_days:
        return DueStep(patient, protocol, None, finish=True)
    start = (today, day) if protocol.is_checkin_day(day) else None
    texts = protocols.for_procedure(Procedure(patient.procedure), patient.language)
    return DueStep(
        patient, protocol, next_checkin_slot(patient, protocols, now), start, texts=texts
    )
