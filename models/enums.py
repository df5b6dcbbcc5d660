"""States stored in the database, as string enums (stored as VARCHAR, no native enum types)."""

from enum import StrEnum

__all__ = [
    "AlertStatus",
    "CareLinkKind",
    "CheckInStatus",
    "OutboxStatus",
    "PatientStatus",
]


class PatientStatus(StrEnum):
    """Where a patient is in the programme."""

    ENROLLING = "enrolling"
    ACTIVE = "active"
    PAUSED = "paused"
    FINISHED = "finished"
    WITHDRAWN = "withdrawn"


class CheckInStatus(StrEnum):
    """The life of one day's check-in."""

    SENT = "sent"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    MISSED = "missed"


class CareLinkKind(StrEnum):
    """A caregiver in a private chat, or a family group chat."""

    USER = "user"
    GROUP = "group"


class AlertStatus(StrEnum):
    """An alert stays open until an operator acknowledges it."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"


class OutboxStatus(StrEnum):
    """Delivery state of one outgoing message."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
