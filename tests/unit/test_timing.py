"""Check-in slots and quiet hours across time zones, DST and month ends."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from services.timing import after_quiet_hours, local_slot, next_slot

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("after", "tz", "expected"),
    [
        # London winter (UTC+0) and summer (UTC+1)
        (utc(2026, 1, 10, 8, 0), LONDON, utc(2026, 1, 10, 9, 0)),
        (utc(2026, 7, 10, 7, 0), LONDON, utc(2026, 7, 10, 8, 0)),
        # already past today's 09:00 local: tomorrow
        (utc(2026, 7, 10, 8, 30), LONDON, utc(2026, 7, 11, 8, 0)),
        # Tokyo is ahead: 23:30 UTC is already the next local day
        (utc(2026, 3, 1, 23, 30), TOKYO, utc(2026, 3, 2, 0, 0)),
        # month and year ends
        (utc(2026, 12, 31, 15, 0), NEW_YORK, utc(2027, 1, 1, 14, 0)),
    ],
)
def test_next_slot_is_the_next_local_nine_oclock(
    after: datetime, tz: ZoneInfo, expected: datetime
) -> None:
    assert next_slot(after=after, at=time(9, 0), tz=tz, earliest=date(2026, 1, 1)) == expected


def test_one_slot_per_local_day_across_spring_forward_and_fall_back() -> None:
    slots = []
    moment = utc(2026, 3, 26, 12, 0)
    for _ in range(10):
        moment = next_slot(after=moment, at=time(9, 0), tz=LONDON, earliest=date(2026, 1, 1))
        slots.append(moment)
    local_days = [s.astimezone(LONDON).date() for s in slots]
    assert local_days == sorted(set(local_days))
    assert all(s.astimezone(LONDON).time() == time(9, 0) for s in slots)
    # 29 March 2026 is the switch to BST: 09:00 local becomes 08:00 UTC
    assert utc(2026, 3, 28, 9, 0) in slots
    assert utc(2026, 3, 29, 8, 0) in slots


def test_time_in_the_spring_gap_still_fires_once_that_day() -> None:
    slot = local_slot(date(2026, 3, 8), time(2, 30), NEW_YORK)  # 02:30 does not exist
    assert slot.astimezone(NEW_YORK).date() == date(2026, 3, 8)
    assert slot.astimezone(NEW_YORK).time() == time(3, 30)


def test_repeated_fall_back_hour_fires_at_the_first_occurrence() -> None:
    slot = local_slot(date(2026, 11, 1), time(1, 30), NEW_YORK)
    assert slot == utc(2026, 11, 1, 5, 30)  # EDT, before the clocks go back


def test_earliest_and_taper_skip_days() -> None:
    slot = next_slot(
        after=utc(2026, 5, 1, 0, 0),
        at=time(18, 0),
        tz=LONDON,
        earliest=date(2026, 5, 4),
        include=lambda d: d.day % 2 == 1,
    )
    assert slot == utc(2026, 5, 5, 17, 0)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_slot(after=datetime(2026, 1, 1), at=time(9), tz=LONDON, earliest=date(2026, 1, 1))  # noqa: DTZ001


QUIET = (time(21, 30), time(8, 0))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (utc(2026, 1, 10, 12, 0), utc(2026, 1, 10, 12, 0)),  # daytime: now
        (utc(2026, 1, 10, 22, 0), utc(2026, 1, 11, 8, 0)),  # evening: next morning
        (utc(2026, 1, 11, 3, 0), utc(2026, 1, 11, 8, 0)),  # small hours: this morning
        (utc(2026, 1, 10, 21, 29), utc(2026, 1, 10, 21, 29)),
    ],
)
def test_quiet_hours_hold_routine_messages_until_morning(
    moment: datetime, expected: datetime
) -> None:
    assert after_quiet_hours(moment, LONDON, QUIET) == expected


def test_quiet_hours_are_in_the_recipients_zone() -> None:
    # 12:00 UTC is 21:00 in Tokyo... and 21:30-08:00 there starts at 12:30 UTC
    assert after_quiet_hours(utc(2026, 1, 10, 13, 0), TOKYO, QUIET) == utc(2026, 1, 10, 23, 0)


def test_daytime_quiet_window_not_crossing_midnight() -> None:
    assert after_quiet_hours(utc(2026, 1, 10, 13, 0), LONDON, (time(12), time(14))) == utc(
        2026, 1, 10, 14, 0
    )
