"""What every sending instance shares: who is running, the send budget, and unreachable chats.

A process that is killed (``kill -9``, power loss) leaves the outbox rows it had leased behind.
Their lease would free them eventually; the heartbeat (:class:`Instance`) frees them as soon as
the instance is seen to be dead, so a restarted bot sends what the dead one held within seconds.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

__all__ = ["INSTANCE_ID_LENGTH", "AlertReach", "ChatBudget", "Instance", "SendBudget"]

INSTANCE_ID_LENGTH = 32  # uuid4 hex


class Instance(Base):
    """One running ``checkin-bot run`` process (poller, webhook or worker)."""

    __tablename__ = "instances"

    id: Mapped[str] = mapped_column(String(INSTANCE_ID_LENGTH), primary_key=True)
    mode: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime]
    seen_at: Mapped[datetime]


class SendBudget(Base):
    """The bot token's send budget shared by every instance: one row, a generic cell rate.

    ``tat`` (theoretical arrival time) is the earliest moment the next send overall may start;
    :mod:`services.delivery.budget` advances it atomically before every send.
    """

    __tablename__ = "send_budget"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    tat: Mapped[datetime]


class ChatBudget(Base):
    """The earliest moment the next message to one chat may start, respected by every instance."""

    __tablename__ = "chat_budget"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    next_at: Mapped[datetime] = mapped_column(index=True)


class AlertReach(Base):
    """A chat that alerts go to (the care-team chat, an operator) where delivery failed for good.

    The row is written when Telegram refuses a message to that chat permanently (blocked, chat
    not found) and deleted on the next message delivered there; ``/health`` reads it.
    """

    __tablename__ = "alert_reach"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    failed_at: Mapped[datetime]
    error: Mapped[str] = mapped_column(String(64))
