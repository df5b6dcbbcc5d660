"""The records an export is made of: a check-in with its answers and alerts (plain values).

``protocol_family``, ``protocol_version`` and ``protocol_hash`` are what the row stored when it
was judged (the hash is None for rows from before provenance was kept), never the protocol
loaded at export time.

Read by :mod:`.rows`, written by :mod:`.formats` and :mod:`.fhir`; this module imports neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

__all__ = ["AlertRecord", "AnswerRecord", "CheckInRecord"]


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
    protocol_family: str
    protocol_version: str
    protocol_hash: str | None
    outcome: str | None = None  # what was done after acknowledgement (AlertOutcome value)
    outcome_note: str | None = None
    outcome_at: datetime | None = None


@dataclass(frozen=True)
class CheckInRecord:
    """One check-in with every answer (oldest first) and its alerts."""

    checkin_id: int
    patient_ref: str
    procedure: str
    protocol_family: str
    protocol_version: str
    protocol_hash: str | None
    local_date: date
    post_op_day: int
    status: str
    level: str | None
    sent_at: datetime
    completed_at: datetime | None
    answers: tuple[AnswerRecord, ...]
    alerts: tuple[AlertRecord, ...] = ()
