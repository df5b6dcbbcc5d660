"""The tables of the check-in bot (see DESIGN.md, Data model)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from recovery import Level, Procedure

from .base import Base, TelegramId, enum_column
from .enums import AlertStatus, CareLinkKind, CheckInStatus, OutboxStatus, PatientStatus

# SQLite reuses the highest row ids after a delete unless AUTOINCREMENT is set. Ids travel in
# callback data (check-ins, alerts) and in-flight outbox sends, so a reused id could let an old
# button act on someone else's record. PostgreSQL sequences never reuse ids.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}

__all__ = [
    "Alert",
    "Answer",
    "AuditEvent",
    "CareLink",
    "CheckIn",
    "Invite",
    "Operator",
    "Outbox",
    "Patient",
    "SecretGuess",
]


class Patient(Base):
    """One enrolled (or enrolling) patient, keyed by their Telegram user id."""

    __tablename__ = "patients"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_user_id: Mapped[TelegramId] = mapped_column(unique=True)
    chat_id: Mapped[TelegramId]
    display_name: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[PatientStatus] = enum_column(PatientStatus)
    enrollment_step: Mapped[str | None] = mapped_column(String(24))
    procedure: Mapped[Procedure | None] = enum_column(Procedure, nullable=True)
    surgery_date: Mapped[date | None] = mapped_column(Date)
    in_hospital: Mapped[bool] = mapped_column(Boolean, default=False)
    discharge_date: Mapped[date | None] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))  # views.i18n; None: the default
    checkin_time: Mapped[time | None] = mapped_column(Time)
    consent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    next_checkin_at: Mapped[datetime | None] = mapped_column(index=True)
    unreachable_since: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def ref(self) -> str:
        """The stable reference operators see, e.g. ``P-0042``."""
        return self.ref_of(self.id)

    @staticmethod
    def ref_of(patient_id: int) -> str:
        """The reference of the patient with this id (for rows read without the patient)."""
        return f"P-{patient_id:04d}"


class ProtocolProvenance:
    """Which protocol file judged a check-in or raised an alert, as stored at the time.

    ``protocol_hash`` is the sha256 (hex) of the file's bytes. Rows from before migration 0004
    have version ``unknown`` and no hash (NULL); ``unknown`` is also the server default, so a
    row written without provenance says so instead of failing.
    """

    protocol_family: Mapped[str] = mapped_column(String(32), server_default="unknown")
    protocol_version: Mapped[str] = mapped_column(String(32), server_default="unknown")
    protocol_hash: Mapped[str | None] = mapped_column(String(64))


class CheckIn(ProtocolProvenance, Base):
    """One local day's check-in of one patient; at most one per patient and date."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("patient_id", "local_date"),
        Index("ix_checkins_status_sent_at", "status", "sent_at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    post_op_day: Mapped[int] = mapped_column(Integer)
    status: Mapped[CheckInStatus] = enum_column(CheckInStatus)
    trigger: Mapped[str] = mapped_column(String(12))
    question_keys: Mapped[list[str]]
    current_question: Mapped[str | None] = mapped_column(String(16))
    level: Mapped[Level | None] = enum_column(Level, nullable=True)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]


class Answer(Base):
    """One answer to one question; a changed answer is a new row and the old one is superseded."""

    __tablename__ = "answers"
    __table_args__ = (
        Index("ix_answers_checkin_question", "checkin_id", "question_key"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    question_key: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(16))
    answered_by: Mapped[TelegramId]
    answered_at: Mapped[datetime]
    superseded_at: Mapped[datetime | None]


class Alert(ProtocolProvenance, Base):
    """An urgent or emergency finding; open until an operator acknowledges it."""

    __tablename__ = "alerts"
    __table_args__ = (
        Index("ix_alerts_status_created_at", "status", "created_at"),
        Index("ix_alerts_patient_id_status", "patient_id", "status"),  # one patient's open alerts
        Index("ix_alerts_acknowledged_at", "acknowledged_at"),  # the board's last day
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    checkin_id: Mapped[int | None] = mapped_column(
        ForeignKey("checkins.id", ondelete="SET NULL"), index=True
    )
    level: Mapped[Level] = enum_column(Level)
    reasons: Mapped[list[str]]
    reason_texts: Mapped[list[str]]
    status: Mapped[AlertStatus] = enum_column(AlertStatus)
    created_at: Mapped[datetime]
    acknowledged_by: Mapped[int | None] = mapped_column(BigInteger)
    acknowledged_at: Mapped[datetime | None]
    escalate_at: Mapped[datetime | None] = mapped_column(index=True)
    escalation_count: Mapped[int] = mapped_column(Integer, default=0)
    followup_at: Mapped[datetime | None] = mapped_column(index=True)
    followup_asked_at: Mapped[datetime | None]
    followup_answer: Mapped[str | None] = mapped_column(String(16))
    report_count: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    last_reported_at: Mapped[datetime | None]  # the latest report after the first
    outcome: Mapped[str | None] = mapped_column(String(16))  # views.callbacks.AlertOutcome
    outcome_note: Mapped[str | None] = mapped_column(String(200))
    outcome_by: Mapped[int | None] = mapped_column(BigInteger)
    outcome_at: Mapped[datetime | None]


class CareLink(Base):
    """A caregiver (private chat) or family group chat linked to a patient."""

    __tablename__ = "care_links"
    __table_args__ = (
        Index("ix_care_links_chat_id", "chat_id"),
        Index("ix_care_links_patient_id", "patient_id"),  # a patient's record
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    kind: Mapped[CareLinkKind] = enum_column(CareLinkKind)
    chat_id: Mapped[TelegramId]
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    display_name: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))  # the caregiver's own language
    may_answer: Mapped[bool] = mapped_column(Boolean, default=False)
    receives_summary: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    undeliverable_at: Mapped[datetime | None]


class Invite(Base):
    """A single-use, expiring invitation; only the token's hash is stored."""

    __tablename__ = "invites"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by: Mapped[int | None] = mapped_column(BigInteger)


class Operator(Base):
    """A clinic staff member added on the command line (besides OPERATOR_IDS)."""

    __tablename__ = "operators"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_user_id: Mapped[TelegramId] = mapped_column(unique=True)
    display_name: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))  # their own; posts: CLINIC_LANGUAGE
    added_at: Mapped[datetime]


class AuditEvent(Base):
    """Who viewed, exported, acknowledged or deleted what, and when (no health data)."""

    __tablename__ = "audit_events"
    __table_args__ = (
        # a patient's trail, newest first, and who decided on their alerts
        Index("ix_audit_events_patient_ref_at", "patient_ref", "at", "id"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    patient_ref: Mapped[str | None] = mapped_column(String(16))
    detail: Mapped[dict[str, Any]]


class Outbox(Base):
    """A message the bot must send, written in the transaction that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_not_before", "status", "not_before"),
        Index("ix_outbox_claim", "status", "priority", "id"),  # the sender's claim order
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[TelegramId]
    method: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]]
    purpose: Mapped[str] = mapped_column(String(16))
    priority: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[OutboxStatus] = enum_column(OutboxStatus)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(32))  # the instance holding the lease
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(64))
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    dedupe_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    patient_id: Mapped[int | None] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id", ondelete="SET NULL"))
    care_link_id: Mapped[int | None] = mapped_column(
        ForeignKey("care_links.id", ondelete="SET NULL")
    )


class SecretGuess(Base):
    """Wrong invitation secrets a user sent in the current window (shared by every instance).

    One row per user: ``failures`` counts unknown tokens and codes since ``window_start``;
    :mod:`services.caregivers.guesses` refuses every secret from that user while the count is
    at its limit, so codes cannot be guessed faster by spreading tries over instances.
    """

    __tablename__ = "secret_guesses"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    window_start: Mapped[datetime]
    failures: Mapped[int] = mapped_column(Integer)
