"""Dates and times typed in Spanish, Russian or Arabic (pure; used by :mod:`.parsing`).

Numbers typed as digits (ISO, dotted or slash dates, "8:30") are read by the language-neutral
rules of :mod:`.parsing`, so "03/04" is still asked about, never guessed. Dates in words ("3 de
marzo", "12 марта", "٣ مارس", "вчера", "hace 3 días") are read by ``dateparser`` restricted to
the reader's language; times in words ("8 утра", "8 de la tarde", "٨ مساءً") by the small
table of morning/evening words below. Arabic-Indic digits read as 0-9.
"""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime, time, timedelta

__all__ = ["ascii_digits", "date_in_words", "time_in_words"]

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Levantine/Iraqi month names that dateparser does not know, as the Egyptian ones it does.
_LEVANT_MONTHS = {
    "كانون الثاني": "يناير",
    "شباط": "فبراير",
    "آذار": "مارس",
    "اذار": "مارس",
    "نيسان": "أبريل",
    "أيار": "مايو",
    "ايار": "مايو",
    "حزيران": "يونيو",
    "تموز": "يوليو",
    "آب": "أغسطس",
    "اب": "أغسطس",
    "أيلول": "سبتمبر",
    "ايلول": "سبتمبر",
    "تشرين الأول": "أكتوبر",
    "تشرين الاول": "أكتوبر",
    "تشرين الثاني": "نوفمبر",
    "كانون الأول": "ديسمبر",
    "كانون الاول": "ديسمبر",
}
_LEADING_WORDS = re.compile(r"^(?:el|la|el día|el dia|день|في|يوم)\s+")
_SHIFT = timedelta(days=1000)  # not a whole number of years: tells relative words apart
# Words after an hour that say morning (+0) or afternoon/evening (+12), per language.
_HALF_DAY = {
    "es": {
        "de la mañana": 0,
        "de la manana": 0,
        "am": 0,
        "a m": 0,
        "de la tarde": 12,
        "de la noche": 12,
        "pm": 12,
        "p m": 12,
    },
    "ru": {"утра": 0, "дня": 12, "вечера": 12},  # "ночи" is 2 am but 10 pm: asked again
    "ar": {
        "صباحا": 0,
        "صباحًا": 0,
        "صباحاً": 0,
        "ص": 0,
        "مساء": 12,
        "مساءً": 12,
        "مساءا": 12,
        "م": 12,
    },
}
_HOUR_WORDS = re.compile(r"([0-9]{1,2})(?:\s*(?:[:.]|h|ч)\s*([0-9]{2}))?\s*(?:h|ч|час\w*)?\s*(.*)")


def ascii_digits(text: str) -> str:
    """``text`` with Arabic-Indic and Persian digits as 0-9."""
    return text.translate(_DIGITS)


def date_in_words(text: str, today: date, language: str) -> tuple[date, bool] | None:
    """A date written in words in ``language``.

    Args:
        text: cleaned text (lower case, single spaces, ASCII digits).
        today: the reader's local date (what "yesterday" is relative to).
        language: ``es``, ``ru`` or ``ar``.

    Returns:
        (the date, whether it is a fixed calendar day that names no year) or None when the
        text is not a date in that language. A date without a year is re-dated by the caller's
        rule (the latest that is not too far ahead); relative words ("yesterday") are not.
    """
    import dateparser  # a heavy import, only when a date is typed in another language

    words = _LEADING_WORDS.sub("", text)
    for levant, standard in _LEVANT_MONTHS.items():
        words = re.sub(rf"(?<!\w){levant}(?!\w)", standard, words)
    noon = datetime(today.year, today.month, today.day, 12)  # noqa: DTZ001 - a calendar date
    readings = []
    for base in (noon, noon + _SHIFT):
        settings = {"RELATIVE_BASE": base, "REQUIRE_PARTS": ["day", "month"]}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dateparser warns about pytz/locale internals
            found = dateparser.parse(words, languages=[language], settings=settings)  # type: ignore[arg-type,unused-ignore]
        if found is None:
            return None
        readings.append(found.date())
    shift = readings[1] - readings[0]
    if shift == _SHIFT:  # moved with "today": relative words
        return readings[0], False
    return readings[0], shift != timedelta(0)  # the year moved with "today": none was named


def time_in_words(text: str, language: str) -> time | None:
    """A time of day with the language's morning/evening words ("8 утра", "8:30 de la tarde").

    Args:
        text: cleaned text (lower case, single spaces, ASCII digits).
        language: ``es``, ``ru`` or ``ar``.

    Returns:
        The time, or None when the text is not one.
    """
    match = _HOUR_WORDS.fullmatch(text)
    if match is None:
        return None
    hour, minute, rest = int(match[1]), int(match[2] or 0), match[3].strip()
    if rest:
        half = _HALF_DAY.get(language, {}).get(rest)
        if half is None or not 1 <= hour <= 12:
            return None
        hour = hour % 12 + half
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)
