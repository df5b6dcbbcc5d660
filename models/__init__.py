"""SQLAlchemy models, engine/session factory and migrations."""

from .base import Base
from .console import ConsoleLogin, ConsoleSession
from .db import create_engine, create_session_factory, upsert
from .enums import AlertStatus, CareLinkKind, CheckInStatus, OutboxStatus, PatientStatus
from .risk_summary import RiskSummary
from .sending import AlertReach, ChatBudget, Instance, SendBudget
from .tables import (
    Alert,
    Answer,
    AuditEvent,
    CareLink,
    CheckIn,
    Invite,
    Operator,
    Outbox,
    Patient,
    SecretGuess,
)

__all__ = [
    "Alert",
    "AlertReach",
    "AlertStatus",
    "Answer",
    "AuditEvent",
    "Base",
    "CareLink",
    "CareLinkKind",
    "ChatBudget",
    "CheckIn",
    "CheckInStatus",
    "ConsoleLogin",
    "ConsoleSession",
    "Instance",
    "Invite",
    "Operator",
    "Outbox",
    "OutboxStatus",
    "Patient",
    "PatientStatus",
    "RiskSummary",
    "SecretGuess",
    "SendBudget",
    "create_engine",
    "create_session_factory",
    "upsert",
]
