"""Each patient's risk summary: the facts the operators' lists sort and show, one row each.

Kept current by :mod:`services.risk_summary` in the transaction of every change to them; the
lists read it instead of every patient's alerts and check-ins. ``tier``, ``tier_since``,
``unnamed``, ``name_key`` and ``patient_id`` are the risk order (``services.risk``): the two
ordered indexes hold it, for the listed patients and for each status.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from recovery import Level, Procedure

from .base import Base, enum_column
from .enums import PatientStatus

__all__ = ["NAME_KEY_LENGTH", "ORDER_COLUMNS", "RiskSummary"]

NAME_KEY_LENGTH = 192  # a 64-character name casefolded (ß -> ss: at most 3 characters each)
# The name orders by code point, as Python compares strings: the "C" collation on PostgreSQL
# (SQLite compares text bytewise already).
_NAME_KEY = String(NAME_KEY_LENGTH).with_variant(
    String(NAME_KEY_LENGTH, collation="C"), "postgresql"
)
ORDER_COLUMNS = ("tier", "tier_since", "unnamed", "name_key", "patient_id")


class RiskSummary(Base):
    """One patient's open alerts, missed check-ins, pain and reach, with their risk order."""

    __tablename__ = "risk_summaries"
    __table_args__ = (
        Index("ix_risk_summaries_listed_order", "listed", *ORDER_COLUMNS),
        Index("ix_risk_summaries_status_order", "status", *ORDER_COLUMNS),
        Index("ix_risk_summaries_name_key", "name_key"),
        Index("ix_risk_summaries_refresh_at", "refresh_at"),
    )

    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    status: Mapped[PatientStatus] = enum_column(PatientStatus)
    procedure: Mapped[Procedure | None] = enum_column(Procedure, nullable=True)
    listed: Mapped[bool] = mapped_column(Boolean)  # on /patients: active, paused or an open alert
    tier: Mapped[int] = mapped_column(SmallInteger)  # services.risk.RiskTier
    tier_since: Mapped[datetime]  # services.risk.NO_TIME for a tier without a time
    unnamed: Mapped[bool] = mapped_column(Boolean)
    name_key: Mapped[str] = mapped_column(_NAME_KEY)
    open_alerts: Mapped[int] = mapped_column(Integer)
    worst_level: Mapped[Level | None] = enum_column(Level, nullable=True)
    oldest_alert_at: Mapped[datetime | None]  # the oldest open alert of the worst level
    pain_scores: Mapped[str] = mapped_column(String(40))  # the last scores in 14 days: "3,5,6"
    pain_worsening: Mapped[bool] = mapped_column(Boolean)
    missed_streak: Mapped[int] = mapped_column(Integer)  # in a row up to the latest (7 days)
    missed_since: Mapped[datetime | None]  # when the first of them was sent
    missed_7d: Mapped[int] = mapped_column(Integer)
    last_checkin_at: Mapped[datetime | None]  # the latest completion of a check-in
    unreachable_since: Mapped[datetime | None]
    refresh_at: Mapped[datetime | None]  # when a fact leaves its window (recomputed then)
    updated_at: Mapped[datetime]
