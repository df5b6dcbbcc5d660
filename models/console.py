"""The care team's web console: one-time sign-in links and the sessions they open.

Both hold only hashes of their secrets (sha256 of the token in the link, of the session cookie),
so a copy of the database opens no session.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

__all__ = ["ConsoleLogin", "ConsoleSession"]

HASH_LENGTH = 64  # hex sha256


class ConsoleLogin(Base):
    """A sign-in link sent to an operator by ``/dashboard``: valid once, for a few minutes."""

    __tablename__ = "console_logins"

    token_hash: Mapped[str] = mapped_column(String(HASH_LENGTH), primary_key=True)
    operator_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class ConsoleSession(Base):
    """A signed-in browser: ends at sign-out, after the idle limit, or when the operator goes."""

    __tablename__ = "console_sessions"
    __table_args__ = (Index("ix_console_sessions_operator_id", "operator_id"),)

    id_hash: Mapped[str] = mapped_column(String(HASH_LENGTH), primary_key=True)
    operator_id: Mapped[int] = mapped_column(BigInteger)
    csrf_token: Mapped[str] = mapped_column(String(HASH_LENGTH))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
