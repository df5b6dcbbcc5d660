"""Dates and times as people read them, the same everywhere in the bot, in the reader's
language (pure). Babel's CLDR data names the days and months in each language (Russian months
in the genitive, as a date needs them); the patterns below set the order and punctuation."""

from __future__ import annotations

from datetime import date, datetime

from views.i18n import DEFAULT_LANGUAGE, translator

__all__ = ["clock_time", "full_date", "local_moment", "short_date"]

# language -> (a day in a list, a day in a sentence, a weekday and day of an appointment)
_PATTERNS = {
    "en": ("EEE d MMM", "EEEE d MMMM y", "EEEE d MMMM"),
    "es": ("EEE d MMM", "EEEE d 'de' MMMM 'de' y", "EEEE d 'de' MMMM"),
    "ru": ("EEE, d MMM", "EEEE, d MMMM y", "EEEE, d MMMM"),
    "ar": ("EEE d MMM", "EEEE d MMMM y", "EEEE d MMMM"),
}


def _format_date(value: date, pattern: str, locale: str) -> str:
    """Babel's ``format_date``, imported at first use (about 50 ms off the bot's start-up)."""
    from babel import dates

    return dates.format_date(value, pattern, locale=locale)


def _patterns(language: str) -> tuple[str, str, str]:
    return _PATTERNS.get(language, _PATTERNS[DEFAULT_LANGUAGE])


def _locale(language: str) -> str:
    return language if language in _PATTERNS else DEFAULT_LANGUAGE


def short_date(value: date, language: str = DEFAULT_LANGUAGE) -> str:
    """A day in a list, e.g. ``Mon 2 Mar`` (es ``lun 2 mar``)."""
    return _format_date(value, _patterns(language)[0], locale=_locale(language))


def full_date(value: date, language: str = DEFAULT_LANGUAGE) -> str:
    """A day in a sentence or a summary, e.g. ``Monday 2 March 2026``."""
    return _format_date(value, _patterns(language)[1], locale=_locale(language))


def clock_time(at: datetime, language: str = DEFAULT_LANGUAGE) -> str:
    """A time of day on the 24-hour clock, e.g. ``18:00``."""
    from babel import dates

    return dates.format_time(at, "HH:mm", locale=_locale(language))


def local_moment(at: datetime, language: str = DEFAULT_LANGUAGE) -> str:
    """An appointment in the reader's zone, e.g. ``Monday 2 March at 18:00 (Europe/London)``.

    Args:
        at: an aware datetime already converted to the reader's time zone.
        language: the reader's language.
    """
    day = _format_date(at, _patterns(language)[2], locale=_locale(language))
    return translator(language).gettext(
        "{day} at {time} ({zone})", day=day, time=clock_time(at, language), zone=at.tzinfo
    )
