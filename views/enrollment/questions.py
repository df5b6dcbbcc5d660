"""Enrollment and /settings questions, re-asks and notices, as :class:`Message`.

Pure: plain values in, messages out (summaries and confirmations are in
``enrollment_summary``). Buttons carry :class:`EnrollCb` with the step's key and a short token
or index (never a clinical value); services map tokens back with the tables here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

from recovery import Procedure
from views.callbacks import EnrollCb
from views.enrollment.parsing import MAX_NAME, ParseProblem, Problem
from views.i18n import LANGUAGE_NAMES
from views.keyboard import Button, Keyboard, grid
from views.message import Message

__all__ = [
    "ALREADY_HOME",
    "BACK",
    "BUTTONS_ONLY",
    "CHECKIN_TIMES",
    "COMMON_ZONES",
    "CONFIRM",
    "CONSENT",
    "DATE",
    "DAYS_AGO",
    "DEFAULT_ZONE",
    "FINISHED",
    "FINISH_FIRST",
    "HOME",
    "HOME_NOTED",
    "HOSPITAL",
    "ITEMS",
    "ITEM_LABELS",
    "LANGUAGE",
    "LOCATION_UNUSED",
    "MENU",
    "NAME",
    "NOTHING_CHANGED",
    "NO_LOCATION",
    "PROCEDURE",
    "PROCEDURE_LABELS",
    "PROCEDURE_PROBLEM",
    "PROCEDURE_TOKENS",
    "SAVED",
    "STALE",
    "STOPPED",
    "TIME",
    "TIME_PROBLEM",
    "ZONE",
    "LOCATION_OFFER",
    "ZONE_PROBLEM",
    "zone_choice",
    "ask",
    "cb",
    "date_problem",
    "item_label",
    "language_buttons",
    "name_problem",
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
    LANGUAGE: "Language / Idioma",
    NAME: "Name",
    PROCEDURE: "Operation",
    DATE: "Surgery date",
    HOSPITAL: "Hospital stay",
    ZONE: "Time zone",
    TIME: "Check-in time",
}
PROCEDURE_TOKENS = {
    "v": Procedure.VERTEBROPLASTY,
    "k": Procedure.KYPHOPLASTY,
    "f": Procedure.FUSION,
}
PROCEDURE_LABELS = {
    Procedure.VERTEBROPLASTY: "Vertebroplasty",
    Procedure.KYPHOPLASTY: "Kyphoplasty",
    Procedure.FUSION: "Spinal fusion",
}
DAYS_AGO = {"0": 0, "1": 1, "2": 2}
_DAYS_AGO_LABELS = ("Today", "Yesterday", "2 days ago")
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
CHECKIN_TIMES = (time(8), time(9), time(10), time(12), time(18), time(20))
_DATE_PROBLEMS = {
    Problem.UNREADABLE: "Sorry, I could not read that as a date.",
    Problem.NO_SUCH_DATE: "That date does not exist: please check the day and the month.",
    Problem.TOO_FAR_AHEAD: "That date is more than 4 weeks in the future.",
    Problem.TOO_LONG_AGO: "That date is more than a year ago. I follow the first months "
    "after an operation: please check the year.",
}


def cb(step: str, choice: str) -> str:
    """Packed callback data of an enrollment button."""
    return EnrollCb(step, choice).pack()


def _zone_label(zone: str) -> str:
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def item_label(item: str) -> str:
    """The settings menu label of an item."""
    return ITEM_LABELS[item]


def language_buttons(current: str) -> list[Button]:
    """One button per other supported language, each in its own name."""
    return [
        Button(name, cb(LANGUAGE, code)) for code, name in LANGUAGE_NAMES.items() if code != current
    ]


def _question(step: str, default_zone: str) -> tuple[str, list[Button], int]:
    """(question text, buttons, row width) of a step."""
    if step == LANGUAGE:
        return "Which language should I write in?", language_buttons(""), 2
    if step == NAME:
        return (
            "What name should your care team see for you? Type it (up to "
            f"{MAX_NAME} characters), or press Skip.",
            [Button("Skip", cb(NAME, "skip"))],
            1,
        )
    if step == PROCEDURE:
        buttons = [
            Button(PROCEDURE_LABELS[p], cb(PROCEDURE, t)) for t, p in PROCEDURE_TOKENS.items()
        ]
        return "Which operation did you have?", buttons, 1
    if step == ZONE:
        zones = [Button(_zone_label(default_zone), cb(ZONE, DEFAULT_ZONE))] + [
            Button(_zone_label(z), cb(ZONE, str(i)))
            for i, z in enumerate(COMMON_ZONES)
            if z != default_zone
        ]
        return (
            "Which time zone are you in? I send your check-ins at your local time.\n"
            'Press a button, type your city or country (for example "Manchester" or "Spain"), '
            "or share your location with the button below.",
            zones,
            2,
        )
    if step == DATE:
        return (
            "When was your operation? Press a button, or type the date, for example "
            '"1 March 2026".',
            [
                Button(label, cb(DATE, token))
                for token, label in zip(DAYS_AGO, _DAYS_AGO_LABELS, strict=True)
            ],
            3,
        )
    if step == HOSPITAL:
        return (
            "Are you home from hospital yet?",
            [
                Button("I'm home", cb(HOSPITAL, "home")),
                Button("Still in hospital", cb(HOSPITAL, "in")),
            ],
            2,
        )
    if step == TIME:
        return (
            "At what time each day should I send your check-in? Press a button, or type a "
            "time such as 09:30 or 6:30 pm.",
            [Button(f"{t:%H:%M}", cb(TIME, str(i))) for i, t in enumerate(CHECKIN_TIMES)],
            3,
        )
    raise ValueError(f"no question for step {step!r}")


def ask(step: str, *, default_zone: str, editing: bool = False, note: str | None = None) -> Message:
    """The question of one step, with its buttons; ``note`` comes first.

    Args:
        step: a step key (NAME, PROCEDURE, ZONE, DATE, HOSPITAL, TIME).
        default_zone: the DEFAULT_TIMEZONE setting, offered first.
        editing: changing one item (settings or the summary): adds a Cancel button.
        note: why the last answer was not accepted, or what just happened.
    """
    text, buttons, width = _question(step, default_zone)
    if editing and step == NAME:  # changing the name: the prompt names the buttons it shows
        text = (
            f"What name should your care team see for you? Type it (up to {MAX_NAME} "
            'characters), press "No name" to remove it, or Cancel to keep it.'
        )
        buttons = [Button("No name", cb(NAME, "skip"))]
    keyboard: Keyboard = grid(buttons, width)
    if editing:
        keyboard = (*keyboard, (Button("Cancel", cb(BACK, "x")),))
    return Message(f"{note}\n\n{text}" if note else text, keyboard)


def zone_choice(choices: Sequence[tuple[str, str]], *, guessed: bool, editing: bool) -> Message:
    """Several zones fit what was typed (a country, namesake cities, or a typo): pick one.

    ``choices`` are (IANA zone, label) pairs; each button carries the zone itself.
    """
    head = "Did you mean one of these?" if guessed else "Which of these is your time zone?"
    rows: Keyboard = tuple((Button(label, cb(ZONE, zone)),) for zone, label in choices)
    if editing:
        rows = (*rows, (Button("Cancel", cb(BACK, "x")),))
    return Message(f"{head} Press one, or type your city again.", rows)


def date_problem(problem: ParseProblem) -> str:
    """Why a typed date was not accepted, and how to write it."""
    if problem.problem is Problem.AMBIGUOUS:
        readings = " or ".join(f"{d.day} {d:%B}" for d in problem.candidates)
        return (
            f"That date could mean {readings}. "
            'Please write the month as a word, like "1 March 2026".'
        )
    reason = _DATE_PROBLEMS.get(problem.problem, _DATE_PROBLEMS[Problem.UNREADABLE])
    return f'{reason} Please type it like "1 March 2026", or press a button.'


def name_problem(problem: ParseProblem) -> str:
    """Why a typed name was not accepted."""
    if problem.problem is Problem.TOO_LONG:
        return f"That name is too long: please keep it to {MAX_NAME} characters or fewer."
    return "Please type a name, or press the button."


PROCEDURE_PROBLEM = "Please choose your operation with one of the buttons below."
SAVED = "Saved."
HOME_NOTED = "Noted: you are home."
TIME_PROBLEM = "Sorry, I could not read that as a time."
ZONE_PROBLEM = (
    'Sorry, I do not know that place. Type a city or a country (for example "Manchester" or '
    '"Spain"), or a time zone name.'
)
LOCATION_OFFER = Message(
    "Or press the button below to share your location once: I use it only to set your time zone.",
    location_button="📍 Share my location",
)
NO_LOCATION = "I cannot work out a time zone from a location here, so please type it instead."
BUTTONS_ONLY = "Please answer with the buttons below."
STALE = "That button belongs to an earlier question, so nothing was changed."
LOCATION_UNUSED = Message(
    "Thank you, but I only use a location to set your time zone. To change it, send /settings."
)
FINISHED = Message("Your check-in programme has finished. Send /help to see what I can still do.")
NOTHING_CHANGED = "Nothing was changed."
ALREADY_HOME = "I already have you at home, so nothing was changed."
FINISH_FIRST = "Let's finish signing up first; you can change anything at the end."
STOPPED = Message("Check-ins are stopped. Send /start to restart them.")
