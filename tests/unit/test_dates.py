"""Dates and times in each reader's language (views.dates, Babel's CLDR data)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from views.dates import clock_time, full_date, local_moment, short_date
from views.i18n import FSI, PDI

DAY = date(2026, 3, 2)  # a Monday
AT = datetime(2026, 3, 2, 18, 5, tzinfo=ZoneInfo("Europe/Madrid"))


def test_english_keeps_the_day_month_order_people_already_read():
    assert short_date(DAY) == "Mon 2 Mar"
    assert full_date(DAY) == "Monday 2 March 2026"
    assert local_moment(AT) == "Monday 2 March at 18:05 (Europe/Madrid)"


@pytest.mark.parametrize(
    ("language", "short", "full"),
    [
        ("es", "lun 2 mar", "lunes 2 de marzo de 2026"),
        ("ru", "пн, 2 мар.", "понедельник, 2 марта 2026"),  # the month in the genitive
        ("ar", "الاثنين 2 مارس", "الاثنين 2 مارس 2026"),
    ],
)
def test_days_and_months_are_named_in_the_readers_language(language, short, full):
    assert short_date(DAY, language) == short
    assert full_date(DAY, language) == full


def test_an_appointment_reads_whole_in_the_readers_language():
    assert local_moment(AT, "es") == "lunes 2 de marzo a las 18:05 (Europe/Madrid)"
    assert local_moment(AT, "ru") == "понедельник, 2 марта в 18:05 (Europe/Madrid)"


def test_in_arabic_the_time_and_zone_keep_their_own_direction():
    moment = local_moment(AT, "ar")
    assert f"{FSI}18:05{PDI}" in moment
    assert f"{FSI}Europe/Madrid{PDI}" in moment
    assert "الساعة" in moment


def test_an_unsupported_language_reads_english_and_the_clock_is_24_hour():
    assert full_date(DAY, "xx") == "Monday 2 March 2026"
    assert clock_time(AT, "es") == "18:05"
