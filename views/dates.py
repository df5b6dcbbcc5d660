"""Dates and times as people read them, the same everywhere in the bot (pure)."""

from __future__ import annotations

from datetime import date, datetime

__all__ = ["full_date", "local_moment", "short_date"]


def short_date(value: date) -> str:
    """A day in a list, e.g. ``Mon 2 Mar``."""
    return f"{value:%a} {value.day} {value:%b}"


def full_date(value: date) -> str:
    """A day in a sentence or a summary, e.g. ``Monday 2 March 2026``."""
    return f"{value:%A} {value.day} {value:%B %Y}"


def local_moment(at: datetime) -> str:
    """An appointment in the reader's zone, e.g. ``Monday 2 March at 18:00 (Europe/London)``.

    Args:
        at: an aware datetime already converted to the reader's time zone.
    """
    return f"{at:%A} {at.day} {at:%B} at {at:%H:%M} ({at.tzinfo})"
