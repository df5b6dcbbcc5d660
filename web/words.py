"""The console's words, dates and numbers in the operator's language: the Jinja2 filters of
:mod:`web.templating`, one set per language (pure).

Level, procedure, status and outcome words are the ones the bot already translates for the care
team (:mod:`views.alerts`, :mod:`views.care_team`); dates and times come from
:mod:`views.dates`, numbers from Babel's CLDR data (Spanish and Russian write ``1,5``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from recovery import Level
from views.alerts import LEVEL_WORDS, outcome_label, procedure_word
from views.care_team.patient_detail import checkin_status_word
from views.care_team.patient_list import status_word
from views.dates import clock_time, full_date, short_date
from views.i18n import N_, Translator

__all__ = ["ACTION_WORDS", "NONE", "bdi", "comma", "filters", "upper_first"]

NONE = "—"  # no value
ACTION_WORDS = {  # audit actions about a patient, as the record's trail names them
    "patient_viewed": N_("viewed the record"),
    "export": N_("exported check-ins"),
    "alert_acknowledged": N_("acknowledged an alert"),
    "alert_outcome": N_("recorded what was done"),
    "patient_export": N_("downloaded their own data"),
    "patient_deleted": N_("deleted their data"),
}
WEB_CHANNEL = "web"
_COMMAS = {"ar": "، "}  # between the parts of a line, in the language's own form


def upper_first(text: str) -> str:
    """``text`` with its first letter a capital (the rest as it is: "Kyphoplasty")."""
    return text[:1].upper() + text[1:]


def comma(language: str) -> str:
    """What separates the parts of a line (", "; Arabic "، ")."""
    return _COMMAS.get(language, ", ")


def bdi(value: object) -> Markup:
    """A name, reference or number isolated from the text around it (its own direction)."""
    return Markup("<bdi>%s</bdi>") % escape(value)


def _pattern(digits: int) -> str:
    return "#,##0" + ("." + "#" * digits if digits else "")


def filters(tr: Translator) -> dict[str, Callable[..., Any]]:
    """The filters of one language's templates (see :mod:`web.templating`)."""
    lang = tr.language

    @pass_context
    def when(context: Context, moment: datetime | None, style: str = "full") -> str:
        """A time in the clinic's zone: "Tue 1 Dec, 14:05 GMT" (``style="time"``: "14:05")."""
        if moment is None:
            return NONE
        zone: ZoneInfo = context["clinic_zone"]
        local = moment.astimezone(zone)
        if style == "time":
            return clock_time(local, lang)
        return tr.gettext(
            "{day}, {time} {zone}",
            day=short_date(local, lang),
            time=clock_time(local, lang),
            zone=local.tzname() or "",
        )

    def day(value: date | None, style: str = "short") -> str:
        """A day: "Mon 2 Mar" (``style="full"``: "Monday 2 March 2026")."""
        if value is None:
            return NONE
        return full_date(value, lang) if style == "full" else short_date(value, lang)

    def level_word(level: Level | str | None) -> str:
        word = LEVEL_WORDS.get(Level(level)) if level else None
        return upper_first(tr.gettext(word)) if word else str(level or NONE)

    def procedure(value: str | None) -> str:
        return upper_first(procedure_word(value, tr)) if value else NONE

    def action(value: str) -> str:
        word = ACTION_WORDS.get(value)
        return tr.gettext(word) if word else value.replace("_", " ")

    def channel(value: str | None) -> str:
        if value == WEB_CHANNEL:
            return tr.gettext("console")
        return value or tr.gettext("Telegram / command line")

    def number(value: float | None, digits: int = 1) -> str:
        """A figure in the language's digits and separators, at most ``digits`` decimals."""
        from babel.numbers import format_decimal  # at first use (start-up time)

        if value is None:
            return NONE
        return format_decimal(round(value, digits), _pattern(digits), locale=lang)

    def percent(value: float | None, digits: int = 0) -> str:
        """A share (0.425) as a percentage ("42.5%", es "42,5 %")."""
        from babel.numbers import format_percent

        if value is None:
            return NONE
        return format_percent(value, _pattern(digits) + "%", locale=lang)

    return {
        "when": when,
        "day": day,
        "level_word": level_word,
        "procedure": procedure,
        "patient_status": lambda value: upper_first(status_word(value, tr)),
        "checkin_status": lambda value: checkin_status_word(value, tr),
        "outcome": lambda value: outcome_label(value, tr),
        "action": action,
        "channel": channel,
        "number": number,
        "percent": percent,
        "bdi": bdi,
        "upper_first": upper_first,
    }
