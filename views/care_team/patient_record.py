"""A patient's full record for the care team's web console: the parts of the Patient page.

Plain frozen values, no I/O: :mod:`services.care_team.patient_record` fills them in one
transaction and the console renders them. Times are aware datetimes (UTC from the database);
the page formats them in the clinic's or the patient's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from recovery import Level
from views.care_team.alert_list import AlertLine

__all__ = [
    "RecordAlert",
    "RecordAnswer",
    "RecordCaregiver",
    "RecordCheckIn",
    "RecordEarlierAnswer",
    "RecordProfile",
    "RecordView",
]


@dataclass(frozen=True)
class RecordProfile:
    """Who the patient is, where they are in recovery, and the protocol that follows them.

    ``in_hospital`` is None where the question does not apply (it is asked after fusion
    only); the ``protocol_*`` fields are None while the patient has no procedure yet.
    """

    ref: str
    name: str | None
    procedure: str | None
    surgery_date: date | None
    day: int | None  # post-operative day now (surgery day = 0)
    status: str
    timezone: str
    checkin_time: time | None
    in_hospital: bool | None
    discharge_date: date | None
    protocol_family: str | None
    protocol_version: str | None
    protocol_sha256: str | None
    protocol_approved: bool | None


@dataclass(frozen=True)
class RecordEarlierAnswer:
    """An answer that was later changed: what it was, who gave it, and when it was replaced."""

    value: str
    label: str
    by: str | None  # None: the patient
    answered_at: datetime
    changed_at: datetime


@dataclass(frozen=True)
class RecordAnswer:
    """The current answer to one question of a check-in, with the answers it replaced.

    ``question`` is the protocol's short label (``wound``); ``label`` the option's label
    (``Fluid coming out``); ``by`` names a caregiver who answered (None: the patient).
    """

    question_key: str
    question: str
    value: str
    label: str
    by: str | None
    answered_at: datetime
    earlier: tuple[RecordEarlierAnswer, ...] = ()  # oldest first

    @property
    def changed(self) -> bool:
        """True when the answer replaced an earlier one."""
        return bool(self.earlier)


@dataclass(frozen=True)
class RecordCheckIn:
    """One day's check-in: its status, triage level and answers in the order asked."""

    checkin_id: int
    local_date: date
    day: int
    status: str
    level: Level | None
    protocol_version: str  # the protocol that judged it, as stored then
    answers: tuple[RecordAnswer, ...]


@dataclass(frozen=True)
class RecordCaregiver:
    """A caregiver or family group linked to the patient (``until``: when the link ended)."""

    name: str
    relation: str  # "caregiver" (a person) or "family group"
    may_answer: bool
    since: datetime
    until: datetime | None


@dataclass(frozen=True)
class RecordAlert:
    """An alert with what the care team did about it.

    ``acknowledged_by`` reads as every post of the alert names the operator
    (``Dr Lee at 09:31 GMT``); ``outcome_by`` is the operator's name.
    """

    line: AlertLine  # id, level, reasons, raised at, reminders sent
    status: str
    reports: int
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    outcome: str | None
    outcome_label: str | None
    outcome_by: str | None
    outcome_at: datetime | None
    outcome_note: str | None


@dataclass(frozen=True)
class RecordView:
    """One audit event about the patient: who (``viewer``, a readable ``actor``) did what."""

    at: datetime
    actor: str  # as stored: operator:<id>, cli:<login>, patient
    viewer: str
    action: str
    channel: str | None  # "web" for the console; None for Telegram and the command line
