"""Enrollment and /settings questions with their buttons, as :class:`Message`, in the
reader's language (a :class:`Translator`).

Pure: plain values in, messages out (summaries and confirmations are in :mod:`.summary`, notes
and notices in :mod:`.notices`). Buttons carry :class:`EnrollCb` with the step's key and a
short token or index (never a clinical value); services map tokens back with the tables here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

from recovery import Procedure
from views.callbacks import EnrollCb
from views.enrollment.parsing import MAX_NAME
from views.i18n import LANGUAGE_NAMES, N_, Translator
from views.keyboard import Button, Keyboard, grid
from views.message import Message

__all__ = [
    "BACK",
    "CHECKIN_TIMES",
    "COMMON_ZONES",
    "CONFIRM",
    "CONSENT",
    "DATE",
    "DAYS_AGO",
    "DEFAULT_ZONE",
    "HOME",
    "HOME_LABEL",
    "HOSPITAL",
    "ITEMS",
    "ITEM_LABELS",
    "LANGUAGE",
    "MENU",
    "NAME",
    "PROCEDURE",
    "PROCEDURE_LABELS",
    "PROCEDURE_TOKENS",
    "TIME",
    "ZONE",
    "ask",
    "cb",
    "item_label",
    "language_buttons",
    "procedure_label",
    "procedure_named",
    "zone_choice",
]

# Step keys: stored in Patient.enrollment_step (alone, or after "fix:"/"edit:") and in buttons.
LANGUAGE = "lang"  # a /settings item, and the language buttons under the consent question
CONSENT, NAME, PROCEDURE, ZONE, DATE, HOSPITAL, TIME, CONFIRM = (
    "consent",
    "name",
    "proc",
    "zone",
    "date",
    "hosp",
    "time",
    "confirm",
)
MENU, BACK, HOME = "menu", "back", "home"  # button families that are not steps
ITEMS = (NAME, PROCEDURE, DATE, HOSPITAL, ZONE, TIME, LANGUAGE)  # what /settings can change
ITEM_LABELS = {
    LANGUAGE: N_("Language / Idioma"),  # translated, but always with a second language
    NAME: N_("Name"),
    PROCEDURE: N_("Operation"),
    DATE: N_("Surgery date"),
    HOSPITAL: N_("Hospital stay"),
    ZONE: N_("Time zone"),
    TIME: N_("Check-in time"),
}
PROCEDURE_TOKENS = {
    "v": Procedure.VERTEBROPLASTY,
    "k": Procedure.KYPHOPLASTY,
    "f": Procedure.FUSION,
}
PROCEDURE_LABELS = {
    Procedure.VERTEBROPLASTY: N_("Vertebroplasty"),
    Procedure.KYPHOPLASTY: N_("Kyphoplasty"),
    Procedure.FUSION: N_("Spinal fusion"),
}
DAYS_AGO = {"0": 0, "1": 1, "2": 2}
_DAYS_AGO_LABELS = (N_("Today"), N_("Yesterday"), N_("2 days ago"))
DEFAULT_ZONE = "d"  # the zone token of the DEFAULT_TIMEZONE setting; others are indexes
COMMON_ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Australia/Sydney",
)
HOME_LABEL = N_("I'm home")
CHECKIN_TIMES = (time(8), time(9), time(10), time(12), time(18), time(20))
_NAME_QUESTION = N_(
    "What name should your care team see for you? Type it (up to {limit} characters), or "
    "press Skip."
)
_NAME_CHANGE = N_(
    "What name should your care team see for you? Type it (up to {limit} characters), press "
    '"No name" to remove it, or Cancel to keep it.'
)
_ZONE_QUESTION = N_(
    "Which time zone are you in? I send your check-ins at your local time.\n"
    'Press a button, type your city or country (for example "Manchester" or "Spain"), or '
    "share your location with the button below."
)
_DATE_QUESTION = N_(
    'When was your operation? Press a button, or type the date, for example "1 March 2026".'
)
_TIME_QUESTION = N_(
    "At what time each day should I send your check-in? Press a button, or type a time such "
    "as 09:30 or 6:30 pm."
)


def cb(step: str, choice: str) -> str:
    """Packed callback data of an enrollment button."""
    return EnrollCb(step, choice).pack()


def _zone_label(zone: str) -> str:
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def item_label(item: str, tr: Translator) -> str:
    """The settings menu label of an item, in ``tr``'s language."""
    return tr.gettext(ITEM_LABELS[item])


def procedure_label(procedure: Procedure, tr: Translator) -> str:
    """An operation's name as its button shows it, in ``tr``'s language."""
    return tr.gettext(PROCEDURE_LABELS[procedure])


def procedure_named(text: str, tr: Translator) -> Procedure | None:
    """The operation whose button label (in ``tr``'s language) was typed, or None."""
    typed = " ".join(text.casefold().split())
    return next((p for p in PROCEDURE_LABELS if procedure_label(p, tr).casefold() == typed), None)


def language_buttons(current: str) -> list[Button]:
    """One button per other supported language, each in its own name."""
    return [
        Button(name, cb(LANGUAGE, code)) for code, name in LANGUAGE_NAMES.items() if code != current
    ]


def _question(step: str, default_zone: str, tr: Translator) -> tuple[str, list[Button], int]:
    """(question text, buttons, row width) of a step."""
    if step == LANGUAGE:
        return tr.gettext("Which language should I write in?"), language_buttons(""), 2
    if step == NAME:
        skip = Button(tr.gettext("Skip"), cb(NAME, "skip"))
        return tr.gettext(_NAME_QUESTION, limit=MAX_NAME), [skip], 1
    if step == PROCEDURE:
        buttons = [
            Button(procedure_label(p, tr), cb(PROCEDURE, t)) for t, p in PROCEDURE_TOKENS.items()
        ]
        return tr.gettext("Which operation did you have?"), buttons, 1
    if step == ZONE:
        zones = [Button(_zone_label(default_zone), cb(ZONE, DEFAULT_ZONE))] + [
            Button(_zone_label(z), cb(ZONE, str(i)))
            for i, z in enumerate(COMMON_ZONES)
            if z != default_zone
        ]
        return tr.gettext(_ZONE_QUESTION), zones, 2
    if step == DATE:
        days = zip(DAYS_AGO, _DAYS_AGO_LABELS, strict=True)
        buttons = [Button(tr.gettext(label), cb(DATE, token)) for token, label in days]
        return tr.gettext(_DATE_QUESTION), buttons, 3
    if step == HOSPITAL:
        return (
            tr.gettext("Are you home from hospital yet?"),
            [
                Button(tr.gettext(HOME_LABEL), cb(HOSPITAL, "home")),
                Button(tr.gettext("Still in hospital"), cb(HOSPITAL, "in")),
            ],
            2,
        )
    if step == TIME:
        buttons = [Button(f"{t:%H:%M}", cb(TIME, str(i))) for i, t in enumerate(CHECKIN_TIMES)]
        return tr.gettext(_TIME_QUESTION), buttons, 3
    raise ValueError(f"no question for step {step!r}")


def _cancel(tr: Translator) -> tuple[Button, ...]:
    return (Button(tr.gettext("Cancel"), cb(BACK, "x")),)


def ask(
    step: str,
    *,
    default_zone: str,
    tr: Translator,
    editing: bool = False,
    note: str | None = None,
) -> Message:
    """The question of one step, with its buttons; ``note`` comes first.

    Args:
        step: a step key (NAME, PROCEDURE, ZONE, DATE, HOSPITAL, TIME).
        default_zone: the DEFAULT_TIMEZONE setting, offered first.
        tr: the reader's language.
        editing: changing one item (settings or the summary): adds a Cancel button.
        note: why the last answer was not accepted, or what just happened (translated).
    """
    text, buttons, width = _question(step, default_zone, tr)
    if editing and step == NAME:  # changing the name: the prompt names the buttons it shows
        text = tr.gettext(_NAME_CHANGE, limit=MAX_NAME)
        buttons = [Button(tr.gettext("No name"), cb(NAME, "skip"))]
    keyboard: Keyboard = grid(buttons, width)
    if editing:
        keyboard = (*keyboard, _cancel(tr))
    return Message(f"{note}\n\n{text}" if note else text, keyboard)


def zone_choice(
    choices: Sequence[tuple[str, str]], *, guessed: bool, editing: bool, tr: Translator
) -> Message:
    """Several zones fit what was typed (a country, namesake cities, or a typo): pick one.

    ``choices`` are (IANA zone, label) pairs; each button carries the zone itself.
    """
    head = (
        tr.gettext("Did you mean one of these? Press one, or type your city again.")
        if guessed
        else tr.gettext("Which of these is your time zone? Press one, or type your city again.")
    )
    rows: Keyboard = tuple((Button(label, cb(ZONE, zone)),) for zone, label in choices)
    if editing:
        rows = (*rows, _cancel(tr))
    return Message(head, rows)
