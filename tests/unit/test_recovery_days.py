"""Post-operative day arithmetic: local dates, DST, month ends, leap days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recovery import date_of_day, local_date, post_op_day

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
ZONES = [LONDON, NEW_YORK, ZoneInfo("Australia/Sydney"), ZoneInfo("Asia/Kolkata"), ZoneInfo("UTC")]
ZONES += [ZoneInfo("Pacific/Apia"), ZoneInfo("America/St_Johns")]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_surgery_day_is_day_zero_all_day() -> None:
    surgery = date(2024, 6, 10)
    assert post_op_day(surgery, datetime(2024, 6, 10, 0, 0, tzinfo=LONDON), LONDON) == 0
    assert post_op_day(surgery, datetime(2024, 6, 10, 23, 59, tzinfo=LONDON), LONDON) == 0
    assert post_op_day(surgery, datetime(2024, 6, 11, 0, 0, tzinfo=LONDON), LONDON) == 1


def test_before_surgery_is_negative() -> None:
    assert post_op_day(date(2024, 6, 10), utc(2024, 6, 8, 12), LONDON) == -2


@pytest.mark.parametrize(
    ("surgery", "now", "tz", "expected"),
    [
        # Europe/London springs forward 2024-03-31 01:00 GMT -> 02:00 BST
        (date(2024, 3, 30), utc(2024, 3, 31, 0, 30), LONDON, 1),
        (date(2024, 3, 30), utc(2024, 3, 31, 22, 30), LONDON, 1),  # 23:30 BST
        (date(2024, 3, 30), utc(2024, 3, 31, 23, 30), LONDON, 2),  # 00:30 BST on 1 April
        # Europe/London falls back 2024-10-27 02:00 BST -> 01:00 GMT
        (date(2024, 10, 26), utc(2024, 10, 26, 23, 30), LONDON, 1),  # 00:30 BST on the 27th
        (date(2024, 10, 26), utc(2024, 10, 27, 0, 30), LONDON, 1),  # 01:30 BST
        (date(2024, 10, 26), utc(2024, 10, 27, 1, 30), LONDON, 1),  # 01:30 GMT
        (date(2024, 10, 26), utc(2024, 10, 27, 23, 59), LONDON, 1),
        (date(2024, 10, 26), utc(2024, 10, 28, 0, 0), LONDON, 2),
        # America/New_York springs forward 2024-03-10, falls back 2024-11-03
        (date(2024, 3, 9), utc(2024, 3, 11, 3, 30), NEW_YORK, 1),  # 23:30 EDT on the 10th
        (date(2024, 3, 9), utc(2024, 3, 11, 4, 30), NEW_YORK, 2),  # 00:30 EDT on the 11th
        (date(2024, 11, 2), utc(2024, 11, 4, 4, 30), NEW_YORK, 1),  # 23:30 EST on the 3rd
        (date(2024, 11, 2), utc(2024, 11, 4, 5, 0), NEW_YORK, 2),
    ],
)
def test_dst_changes(surgery: date, now: datetime, tz: ZoneInfo, expected: int) -> None:
    assert post_op_day(surgery, now, tz) == expected


@pytest.mark.parametrize(
    ("surgery", "today", "expected"),
    [
        (date(2024, 1, 31), date(2024, 2, 1), 1),
        (date(2024, 1, 31), date(2024, 3, 1), 30),  # leap year
        (date(2023, 1, 31), date(2023, 3, 1), 29),
        (date(2024, 2, 28), date(2024, 3, 1), 2),
        (date(2024, 2, 29), date(2024, 3, 1), 1),
        (date(2024, 2, 29), date(2025, 2, 28), 365),
        (date(2023, 12, 31), date(2024, 1, 1), 1),
        (date(2024, 4, 30), date(2024, 6, 11), 42),
    ],
)
def test_month_ends_and_leap_days(surgery: date, today: date, expected: int) -> None:
    now = datetime.combine(today, time(9, 0), tzinfo=NEW_YORK)
    assert post_op_day(surgery, now, NEW_YORK) == expected
    assert date_of_day(surgery, expected) == today


def test_the_local_date_of_the_patient_counts_not_utc() -> None:
    now = utc(2024, 6, 1, 23, 30)
    assert local_date(now, ZoneInfo("Asia/Tokyo")) == date(2024, 6, 2)
    assert local_date(now, ZoneInfo("America/Los_Angeles")) == date(2024, 6, 1)
    assert post_op_day(date(2024, 6, 1), now, ZoneInfo("Asia/Tokyo")) == 1


def test_naive_now_is_rejected() -> None:
    naive = datetime(2024, 6, 1, 12, 0)  # noqa: DTZ001
    with pytest.raises(ValueError, match="timezone-aware"):
        post_op_day(date(2024, 6, 1), naive, LONDON)
    with pytest.raises(ValueError, match="timezone-aware"):
        local_date(naive, LONDON)


@settings(max_examples=200, deadline=None)
@given(
    surgery=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    day=st.integers(min_value=-30, max_value=400),
    clock=st.sampled_from([time(0, 0), time(4, 0), time(12, 0), time(23, 59)]),
    tz=st.sampled_from(ZONES),
)
def test_any_local_time_of_day_n_is_day_n(
    surgery: date, day: int, clock: time, tz: ZoneInfo
) -> None:
    local = datetime.combine(surgery + timedelta(days=day), clock, tzinfo=tz)
    instant = local.astimezone(UTC)
    if instant.astimezone(tz).date() != local.date():
        return  # a wall time that does not exist on that date (a skipped hour)
    assert post_op_day(surgery, instant, tz) == day
