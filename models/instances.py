"""The running instances of the bot, each with a heartbeat, so a dead one's claims are taken back.

A process that is killed (``kill -9``, power loss) leaves the outbox rows it had leased behind.
Their lease would free them eventually; the heartbeat frees them as soon as the instance is seen
to be dead, so a restarted bot sends what the dead one held within seconds.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

__all__ = ["INSTANCE_ID_LENGTH", "Instance"]

INSTANCE_ID_LENGTH = 32  # uuid4 hex


class Instance(Base):
    """One running ``checkin-bot run`` process (poller, webhook or worker)."""

    __tablename__ = "instances"

    id: Mapped[str] = mapped_column(String(INSTANCE_ID_LENGTH), primary_key=True)
    mode: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime]
    seen_at: Mapped[datetime]
