"""What enrollment says besides its questions: why a typed answer was not taken, short notes
shown above a question, and one-line notices, in the reader's language (pure).

The notes are message ids (:func:`N_`): services translate them with ``tr.gettext`` where they
send them (a note comes before the question in the same message).
"""

from __future__ import annotations

from views.dates import full_date
from views.enrollment.parsing import MAX_NAME, ParseProblem, Problem
from views.i18n import N_, Translator
from views.message import Message

__all__ = [
    "ALREADY_HOME",
    "BUTTONS_ONLY",
    "FINISH_FIRST",
    "HOME_NOTED",
    "NOTHING_CHANGED",
    "NO_LOCATION",
    "PROCEDURE_PROBLEM",
    "SAVED",
    "STALE",
    "TIME_PROBLEM",
    "ZONE_PROBLEM",
    "date_problem",
    "finished",
    "location_offer",
    "location_unused",
    "name_problem",
    "stopped",
]

_DATE_PROBLEMS = {
    Problem.UNREADABLE: N_("Sorry, I could not read that as a date."),
    Problem.NO_SUCH_DATE: N_("That date does not exist: please check the day and the month."),
    Problem.TOO_FAR_AHEAD: N_("That date is more than 4 weeks in the future."),
    Problem.TOO_LONG_AGO: N_(
        "That date is more than a year ago. I follow the first months after an operation: "
        "please check the year."
    ),
}


def date_problem(problem: ParseProblem, tr: Translator) -> str:
    """Why a typed date was not accepted, and how to write it."""
    if problem.problem is Problem.AMBIGUOUS:
        first, *_, second = problem.candidates
        return tr.gettext(
            "That date could mean {first} or {second}. Please write the month as a word, like "
            '"1 March 2026".',
            first=full_date(first, tr.language),
            second=full_date(second, tr.language),
        )
    reason = _DATE_PROBLEMS.get(problem.problem, _DATE_PROBLEMS[Problem.UNREADABLE])
    how = tr.gettext('Please type it like "1 March 2026", or press a button.')
    return f"{tr.gettext(reason)} {how}"


def name_problem(problem: ParseProblem, tr: Translator) -> str:
    """Why a typed name was not accepted."""
    if problem.problem is Problem.TOO_LONG:
        return tr.gettext(
            "That name is too long: please keep it to {limit} characters or fewer.",
            limit=MAX_NAME,
        )
    return tr.gettext("Please type a name, or press the button.")


PROCEDURE_PROBLEM = N_("Please choose your operation with one of the buttons below.")
SAVED = N_("Saved.")
HOME_NOTED = N_("Noted: you are home.")
TIME_PROBLEM = N_("Sorry, I could not read that as a time.")
ZONE_PROBLEM = N_(
    'Sorry, I do not know that place. Type a city or a country (for example "Manchester" or '
    '"Spain"), or a time zone name.'
)
NO_LOCATION = N_("I cannot work out a time zone from a location here, so please type it instead.")
BUTTONS_ONLY = N_("Please answer with the buttons below.")
STALE = N_("That button belongs to an earlier question, so nothing was changed.")
NOTHING_CHANGED = N_("Nothing was changed.")
ALREADY_HOME = N_("I already have you at home, so nothing was changed.")
FINISH_FIRST = N_("Let's finish signing up first; you can change anything at the end.")


def location_offer(tr: Translator) -> Message:
    """The second message of the time zone question: a button that shares the location."""
    return Message(
        tr.gettext(
            "Or press the button below to share your location once: I use it only to set your "
            "time zone."
        ),
        location_button=tr.gettext("📍 Share my location"),
    )


def location_unused(tr: Translator) -> Message:
    """A location shared when no time zone is being asked."""
    return Message(
        tr.gettext(
            "Thank you, but I only use a location to set your time zone. To change it, send "
            "/settings."
        )
    )


def finished(tr: Translator) -> Message:
    """/start or /settings after the programme ended."""
    return Message(
        tr.gettext("Your check-in programme has finished. Send /help to see what I can still do.")
    )


def stopped(tr: Translator) -> Message:
    """/settings after /stop."""
    return Message(tr.gettext("Check-ins are stopped. Send /start to restart them."))
