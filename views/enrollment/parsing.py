"""Pure parsers for what patients type during enrollment: dates, times, time zones, names.

Every parser takes the raw text and never raises: it returns the value, or a
:class:`ParseProblem` (dates, names) or None (times, zones, procedures) saying it did not fit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import available_timezones

from recovery import Procedure
from views.enrollment.localized import ascii_digits, date_in_words, time_in_words

__all__ = [
    "MAX_AHEAD_DAYS",
    "MAX_NAME",
    "ParseProblem",
    "Problem",
    "one_year_before",
    "parse_date",
    "parse_name",
    "parse_procedure",
    "parse_time",
    "parse_zone",
]

MAX_AHEAD_DAYS = 28  # a planned operation may be up to 4 weeks ahead
MAX_NAME = 64

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_DAY = r"([0-9]{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:\s+([0-9]{4}))?"
_ISO = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})")
_DOTTED = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})(?:\.([0-9]{4}|[0-9]{2}))?\.?")
_SLASHED = re.compile(r"([0-9]{1,2})([/-])([0-9]{1,2})(?:\2([0-9]{4}|[0-9]{2}))?")
_DAY_MONTH = re.compile(_DAY + r"\s+(?:of\s+)?([a-z]+)\.?" + _YEAR)
_MONTH_DAY = re.compile(r"([a-z]+)\.?\s+" + _DAY + _YEAR)
_DAYS_AGO = re.compile(r"([0-9]{1,3})\s+days?\s+ago")
_TIME = re.compile(r"([0-9]{1,2})(?:\s*[:.h]\s*([0-9]{2}))?\s*(am|pm|a\.m\.?|p\.m\.?)?")
_SPACES = re.compile(r"\s+")
_ZONE_REGIONS = (
    "Europe/",
    "America/",
    "Asia/",
    "Africa/",
    "Australia/",
    "Pacific/",
    "Atlantic/",
    "Indian/",
    "Antarctica/",
)


class Problem(StrEnum):
    """Why a typed answer was not accepted."""

    UNREADABLE = "unreadable"
    AMBIGUOUS = "ambiguous"
    NO_SUCH_DATE = "no_such_date"
    TOO_FAR_AHEAD = "too_far_ahead"
    TOO_LONG_AGO = "too_long_ago"
    EMPTY = "empty"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class ParseProblem:
    """A typed answer that did not fit, with the readings it allowed (ambiguous dates)."""

    problem: Problem
    candidates: tuple[date, ...] = ()


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text.replace(",", " ")).strip().lower()


def one_year_before(day: date) -> date:
    """The same calendar day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _check_range(candidate: date, today: date) -> date | ParseProblem:
    if candidate > today + timedelta(days=MAX_AHEAD_DAYS):
        return ParseProblem(Problem.TOO_FAR_AHEAD)
    if candidate < one_year_before(today):
        return ParseProblem(Problem.TOO_LONG_AGO)
    return candidate


def _make(year: int | None, month: int, day: int, today: date) -> date | None:
    """The calendar date, or None; without a year the latest that is not too far ahead."""
    if year is not None:
        try:
            return date(year, month, day)
        except ValueError:
            return None
    latest = today + timedelta(days=MAX_AHEAD_DAYS)
    for guess in (today.year + 1, today.year, today.year - 1):
        try:
            candidate = date(guess, month, day)
        except ValueError:
            continue
        if candidate <= latest:
            return candidate
    return None


def _year(raw: str | None) -> int | None:
    if raw is None:
        return None
    number = int(raw)
    return 2000 + number if len(raw) == 2 else number


def _one(year: int | None, month: int, day: int, today: date) -> date | ParseProblem:
    found = _make(year, month, day, today)
    if found is None:
        return ParseProblem(Problem.NO_SUCH_DATE)
    return _check_range(found, today)


def _either(year: int | None, first: int, second: int, today: date) -> date | ParseProblem:
    """A slash date: day-first and month-first readings, accepted when only one is possible."""
    readings = {
        found
        for month, day in ((second, first), (first, second))
        if (found := _make(year, month, day, today)) is not None
    }
    if not readings:
        return ParseProblem(Problem.NO_SUCH_DATE)
    if len(readings) == 1:
        return _check_range(readings.pop(), today)
    checked = [_check_range(reading, today) for reading in sorted(readings)]
    in_range = [result for result in checked if isinstance(result, date)]
    if len(in_range) == 1:  # the other reading could never be accepted anyway
        return in_range[0]
    if not in_range and len(set(checked)) == 1:
        return checked[0]
    return ParseProblem(Problem.AMBIGUOUS, tuple(sorted(readings)))


def parse_date(text: str, today: date, language: str = "en") -> date | ParseProblem:
    """Read a surgery date typed in a common format.

    Accepts ISO (2026-03-01), day-month words ("1 March 2026", "1 Mar", "1st of March"),
    month-day words ("March 1", "Mar 1, 2026"), dotted day-first (1.3.2026) and slash dates
    (01/03/2026, ambiguous unless only one reading is possible or in range), plus "today",
    "yesterday" and "N days ago". Without a year, the latest date not more than
    :data:`MAX_AHEAD_DAYS` ahead is meant. In another language, dates in its words are read
    too (:mod:`.localized`), by the same rules.

    Args:
        text: what the patient typed.
        today: the patient's local date.
        language: the patient's language (``en``, ``es``, ``ru``, ``ar``).

    Returns:
        The date, or a ParseProblem (unreadable, ambiguous, no such date, more than 4 weeks
        ahead, more than a year ago).
    """
    cleaned = _clean(text) if language == "en" else ascii_digits(_clean(text))
    if cleaned in ("today", "yesterday"):
        return today - timedelta(days=0 if cleaned == "today" else 1)
    if match := _DAYS_AGO.fullmatch(cleaned):
        return _check_range(today - timedelta(days=int(match[1])), today)
    if match := _ISO.fullmatch(cleaned):
        return _one(int(match[1]), int(match[2]), int(match[3]), today)
    if match := _DOTTED.fullmatch(cleaned):
        return _one(_year(match[3]), int(match[2]), int(match[1]), today)
    if match := _SLASHED.fullmatch(cleaned):
        return _either(_year(match[4]), int(match[1]), int(match[3]), today)
    if language != "en" and (words := date_in_words(cleaned, today, language)) is not None:
        day, no_year = words
        return _one(None, day.month, day.day, today) if no_year else _check_range(day, today)
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        match = pattern.fullmatch(cleaned)
        if match and match[month_group] in MONTHS:
            return _one(_year(match[3]), MONTHS[match[month_group]], int(match[day_group]), today)
    return ParseProblem(Problem.UNREADABLE)


def parse_time(text: str, language: str = "en") -> time | None:
    """Read a local time of day: "18:00", "9:30", "9am", "6:30 pm", "18.30" or a bare hour;
    in another language also with its morning/evening words ("8 утра", "8 de la tarde").

    Returns:
        The time, or None when the text is not a valid time.
    """
    cleaned = _clean(text) if language == "en" else ascii_digits(_clean(text))
    match = _TIME.fullmatch(cleaned)
    if match is None:
        return time_in_words(cleaned, language) if language != "en" else None
    hour, minute = int(match[1]), int(match[2] or 0)
    suffix = match[3]
    if suffix is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix.startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


@lru_cache(maxsize=1)
def _zone_index() -> tuple[dict[str, str], dict[str, str]]:
    """(lower-case full name -> name, lower-case last part -> preferred name)."""
    names = sorted(
        available_timezones(), key=lambda name: (not name.startswith(_ZONE_REGIONS), name)
    )
    full = {name.lower(): name for name in names}
    cities: dict[str, str] = {}
    for name in names:
        cities.setdefault(name.rsplit("/", 1)[-1].lower(), name)
    return full, cities


def parse_zone(text: str) -> str | None:
    """Read a time zone: an IANA name in any case ("europe/london") or a city that ends one
    ("new york" -> America/New_York).

    Returns:
        The IANA name, or None when nothing matches.
    """
    key = _SPACES.sub("_", text.strip()).lower()
    if not key:
        return None
    full, cities = _zone_index()
    city = cities.get(key)
    if city is not None and city.startswith(_ZONE_REGIONS):  # "singapore": Asia/Singapore
        return city
    return full.get(key) or city


def parse_name(text: str) -> str | ParseProblem:
    """A display name: NFC, whitespace collapsed, control and format characters dropped, 1-64.

    Format characters (Unicode category Cf: zero-width spaces and joiners, bidi overrides and
    isolates) are dropped, so a name that is only invisible characters is empty.

    Returns:
        The name, or a ParseProblem (empty, too long, or a command).
    """
    visible = "".join(
        " " if unicodedata.category(c) == "Cc" else c
        for c in unicodedata.normalize("NFC", text)
        if unicodedata.category(c) != "Cf"
    )
    name = _SPACES.sub(" ", visible).strip()
    if not name or name.startswith("/"):
        return ParseProblem(Problem.EMPTY)
    if len(name) > MAX_NAME:
        return ParseProblem(Problem.TOO_LONG)
    return name


_PROCEDURE_WORDS = {
    "vertebroplasty": Procedure.VERTEBROPLASTY,
    "kyphoplasty": Procedure.KYPHOPLASTY,
    "fusion": Procedure.FUSION,
    "spinal fusion": Procedure.FUSION,
    "spine fusion": Procedure.FUSION,
}


def parse_procedure(text: str) -> Procedure | None:
    """A procedure typed by name instead of pressed ("Kyphoplasty", "spinal fusion")."""
    return _PROCEDURE_WORDS.get(_clean(text))
