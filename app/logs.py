"""Logging set-up: ids and states only; nothing a patient wrote or answered."""

from __future__ import annotations

import logging

__all__ = ["configure_logging"]

# Loggers whose output below these floors carries health data or secrets, whatever LOG_LEVEL
# says: SQL with its parameters (answers, message payloads), Bot API requests with message
# text, request URLs with the bot token. Scheduler chatter is just noise.
FLOORS = {
    "telegram": logging.INFO,
    "telegram.ext.Updater": logging.WARNING,
    "sqlalchemy": logging.WARNING,
    "aiosqlite": logging.WARNING,
    "asyncpg": logging.WARNING,
    "alembic": logging.INFO,
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "aiohttp": logging.WARNING,  # the Bot API client (bot/request.py)
    "apscheduler": logging.WARNING,
}


def configure_logging(level: str) -> None:
    """Configure the root logger at ``level`` without letting libraries leak content."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    requested = logging.getLevelName(level)
    for name, floor in FLOORS.items():
        logging.getLogger(name).setLevel(max(floor, requested))
