"""Enrollment summaries and confirmations: what the patient told us and when check-ins come,
in the reader's language.

Pure: plain values and a :class:`Translator` in, :class:`Message` out. Each line is one
catalogued sentence with the value as a placeholder, so in Arabic a Latin name, a date or a
zone id keeps its own direction (the translator isolates it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from recovery import Procedure
from views.dates import full_date, local_moment
from views.enrollment.notices import NOTHING_CHANGED, SAVED
from views.enrollment.questions import (
    BACK,
    CONFIRM,
    HOME,
    HOME_LABEL,
    MENU,
    cb,
    item_label,
    procedure_label,
)
from views.i18n import Translator
from views.keyboard import Button, Keyboard, grid
from views.message import Message

__all__ = [
    "NextCheckin",
    "Profile",
    "describe_next",
    "enrolled",
    "home_noted",
    "saved",
    "settings_menu",
    "status_reminder",
    "summary",
    "welcome_back",
]


@dataclass(frozen=True)
class Profile:
    """What the patient told us, for summaries."""

    display_name: str | None
    procedure: Procedure | None
    surgery_date: date | None
    in_hospital: bool
    timezone: str
    checkin_time: time | None


@dataclass(frozen=True)
class NextCheckin:
    """When the next check-in comes: a local time, or why there is none."""

    at: datetime | None  # aware, in the patient's time zone
    in_hospital: bool = False
    paused: bool = False


def _profile_lines(profile: Profile, tr: Translator) -> list[str]:
    none, missing = tr.gettext("(none)"), tr.gettext("(not given)")
    procedure = profile.procedure
    surgery = profile.surgery_date
    checkin = profile.checkin_time
    lines = [
        tr.gettext("Name for your care team: {name}", name=profile.display_name or none),
        tr.gettext(
            "Operation: {operation}",
            operation=procedure_label(procedure, tr) if procedure else missing,
        ),
        tr.gettext(
            "Surgery date: {date}", date=full_date(surgery, tr.language) if surgery else missing
        ),
    ]
    if procedure is Procedure.FUSION:
        lines.append(
            tr.gettext("Hospital stay: still in hospital")
            if profile.in_hospital
            else tr.gettext("Hospital stay: home")
        )
    lines.append(tr.gettext("Time zone: {zone}", zone=profile.timezone))
    lines.append(
        tr.gettext("Daily check-in: {time}", time=f"{checkin:%H:%M}" if checkin else missing)
    )
    return lines


def describe_next(next_checkin: NextCheckin, tr: Translator) -> str:
    """One sentence about the next check-in."""
    if next_checkin.paused:
        return tr.gettext("Check-ins are paused: send /resume to restart them.")
    if next_checkin.in_hospital:
        return tr.gettext(
            'Check-ins start once you are home from hospital: press "I\'m home" or send /home '
            "when you get there."
        )
    at = next_checkin.at
    if at is None:
        return tr.gettext("No more check-ins are planned.")
    return tr.gettext("Your next check-in comes on {moment}.", moment=local_moment(at, tr.language))


def summary(profile: Profile, tr: Translator, *, note: str | None = None) -> Message:
    """The end-of-enrollment summary (Confirm / Change something); ``note`` is translated."""
    head = f"{note}\n\n" if note else ""
    confirm = Button(tr.gettext("Confirm"), cb(CONFIRM, "ok"))
    change = Button(tr.gettext("Change something"), cb(CONFIRM, "chg"))
    lines = "\n".join(_profile_lines(profile, tr))
    return Message(
        head + tr.gettext("Please check your details:") + "\n" + lines, ((confirm, change),)
    )


def settings_menu(
    profile: Profile, items: tuple[str, ...], tr: Translator, *, head: str | None = None
) -> Message:
    """The item menu of /settings and of "Change something"."""
    buttons = [Button(item_label(item, tr), cb(MENU, item)) for item in items]
    return Message(
        (f"{head}\n\n" if head else "")
        + tr.gettext("Your details:")
        + "\n"
        + "\n".join(_profile_lines(profile, tr))
        + "\n\n"
        + tr.gettext("What would you like to change?"),
        (*grid(buttons, 2), (Button(tr.gettext("Nothing"), cb(BACK, "m")),)),
    )


def _home_button(next_checkin: NextCheckin, tr: Translator) -> Keyboard:
    if next_checkin.in_hospital and not next_checkin.paused:
        return ((Button(tr.gettext(HOME_LABEL), cb(HOME, "1")),),)
    return ()


def enrolled(next_checkin: NextCheckin, emergency_number: str, tr: Translator) -> Message:
    """After Confirm."""
    if next_checkin.in_hospital:
        first = tr.gettext(
            "Your check-ins start once you are home from hospital. When you get home, press "
            '"I\'m home" below or send /home.'
        )
    elif next_checkin.at is not None:
        first = tr.gettext(
            "Your first check-in comes on {moment}. It takes about a minute.",
            moment=local_moment(next_checkin.at, tr.language),
        )
    else:
        first = describe_next(next_checkin, tr)
    return Message(
        tr.gettext("You're all set.")
        + f" {first}\n\n"
        + tr.gettext(
            "Send /settings to change your details and /help to see what else I can do. "
            "I am not an emergency service: in an emergency, call {emergency_number}.",
            emergency_number=emergency_number,
        ),
        _home_button(next_checkin, tr),
    )


def status_reminder(next_checkin: NextCheckin, tr: Translator) -> Message:
    """/start from an enrolled patient."""
    return Message(
        tr.gettext("You're enrolled.")
        + f" {describe_next(next_checkin, tr)}\n\n"
        + tr.gettext("Send /settings to change your details, or /help to see what I can do."),
        _home_button(next_checkin, tr),
    )


def saved(
    profile: Profile, next_checkin: NextCheckin, tr: Translator, *, changed: bool = True
) -> Message:
    """After a /settings change (or Cancel)."""
    head = tr.gettext(SAVED if changed else NOTHING_CHANGED)
    lines = "\n".join(_profile_lines(profile, tr))
    return Message(
        f"{head}\n\n{lines}\n\n{describe_next(next_checkin, tr)}", _home_button(next_checkin, tr)
    )


def welcome_back(next_checkin: NextCheckin, tr: Translator) -> Message:
    """/start after /stop: check-ins are on again."""
    return Message(
        tr.gettext("Welcome back: check-ins are on again.") + f" {describe_next(next_checkin, tr)}",
        _home_button(next_checkin, tr),
    )


def home_noted(next_checkin: NextCheckin, tr: Translator, *, already: bool = False) -> Message:
    """After /home or the "I'm home" button."""
    head = tr.gettext("I already have you at home.") if already else tr.gettext("Welcome home!")
    return Message(f"{head} {describe_next(next_checkin, tr)}")
