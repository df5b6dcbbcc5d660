"""Pure time arithmetic for scheduling: local check-in slots and quiet hours.

Every function takes ``now`` (aware) as an argument; nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["after_quiet_hours", "local_slot", "next_slot"]


def local_slot(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of local time ``at`` on ``day`` in ``tz``.

    A time that does not exist (the spring-forward gap) resolves to the instant just after
    the gap; a time that occurs twice (fall-back) resolves to its first occurrence.
    """
    # zoneinfo resolves a gap time with the pre-transition offset, which lands just after the
    # gap, and an ambiguous time with fold=0, its first occurrence: both what we want.
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def next_slot(
    *,
    after: datetime,
    at: time,
    tz: ZoneInfo,
    earliest: date,
    include: Callable[[date], bool] = lambda _day: True,
    horizon_days: int = 400,
) -> datetime | None:
    """The first local check-in instant strictly after ``after``.

    Args:
        after: an aware instant (usually now).
        at: the patient's local check-in time.
        tz: the patient's time zone.
        earliest: no slot on a local date before this one (surgery or discharge day).
        include: whether a local date is a check-in day (the protocol's taper).
        horizon_days: how far ahead to look.

    Returns:
        The UTC instant, or None when no date within the horizon qualifies.

    Raises:
        ValueError: ``after`` is naive.
    """
    if after.tzinfo is None:
        raise ValueError("after must be timezone-aware")
    day = max(after.astimezone(tz).date(), earliest)
    for _ in range(horizon_days):
        slot = local_slot(day, at, tz)
        if slot > after and include(day):
            return slot
        day += timedelta(days=1)
    return None


def after_quiet_hours(moment: datetime, tz: ZoneInfo, quiet: tuple[time, time]) -> datetime:
    """``moment`` if it is outside the recipient's quiet hours, else the end of them.

    Args:
        moment: an aware instant.
        tz: the recipient's time zone.
        quiet: (start, end) local times; the range may cross midnight (21:30-08:00).

    Returns:
        The earliest instant at or after ``moment`` outside quiet hours (UTC).
    """
    start, end = quiet
    local = moment.astimezone(tz)
    clock = local.time().replace(tzinfo=None)
    crosses_midnight = start > end
    if crosses_midnight:
        in_quiet = clock >= start or clock < end
        end_day = local.date() + timedelta(days=1) if clock >= start else local.date()
    else:
        in_quiet = start <= clock < end
        end_day = local.date()
    if not in_quiet:
        return moment.astimezone(UTC)
    return local_slot(end_day, end, tz)
