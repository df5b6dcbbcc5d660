"""Post-operative day arithmetic in the patient's time zone.

The day of surgery is day 0; the day after is day 1. Days are counted between local calendar
dates, so daylight-saving changes (23- or 25-hour days) never shift the count. Nothing here reads
the clock: ``now`` is always an argument.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = ["date_of_day", "local_date", "post_op_day"]


def local_date(now: datetime, tz: ZoneInfo) -> date:
    """Return the calendar date of an instant in a time zone.

    Args:
        now: A timezone-aware instant.
        tz: The patient's IANA time zone.

    Returns:
        The local date of ``now`` in ``tz``.

    Raises:
        ValueError: ``now`` is naive (has no time zone).
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(tz).date()


def post_op_day(surgery_date: date, now: datetime, tz: ZoneInfo) -> int:
    """Return the post-operative day of an instant for a patient.

    Args:
        surgery_date: The local date of the operation (day 0).
        now: A timezone-aware instant.
        tz: The patient's IANA time zone.

    Returns:
        Local date of ``now`` minus ``surgery_date`` in days; negative before the operation.

    Raises:
        ValueError: ``now`` is naive (has no time zone).
    """
    return (local_date(now, tz) - surgery_date).days


def date_of_day(surgery_date: date, day: int) -> date:
    """Return the local calendar date of a post-operative day (e.g. for a milestone).

    Args:
        surgery_date: The local date of the operation (day 0).
        day: A post-operative day.

    Returns:
        ``surgery_date`` plus ``day`` days.
    """
    return surgery_date + timedelta(days=day)
