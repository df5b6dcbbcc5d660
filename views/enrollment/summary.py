"""Enrollment summaries and confirmations: what the patient told us and when check-ins come.

Pure: plain values in, :class:`Message` out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from recovery import Procedure
from views.dates import full_date, local_moment
from views.enrollment.questions import (
    BACK,
    CONFIRM,
    HOME,
    ITEM_LABELS,
    MENU,
    NOTHING_CHANGED,
    PROCEDURE_LABELS,
    SAVED,
    cb,
)
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


def _profile_lines(profile: Profile) -> list[str]:
    lines = [
        f"Name for your care team: {profile.display_name or '(none)'}",
        "Operation: "
        + (PROCEDURE_LABELS[profile.procedure] if profile.procedure else "(not given)"),
        "Surgery date: "
        + (full_date(profile.surgery_date) if profile.surgery_date else "(not given)"),
    ]
    if profile.procedure is Procedure.FUSION:
        lines.append("Hospital stay: " + ("still in hospital" if profile.in_hospital else "home"))
    lines.append(f"Time zone: {profile.timezone}")
    checkin = f"{profile.checkin_time:%H:%M}" if profile.checkin_time else "(not given)"
    lines.append(f"Daily check-in: {checkin}")
    return lines


def describe_next(next_checkin: NextCheckin) -> str:
    """One sentence about the next check-in."""
    if next_checkin.paused:
        return "Check-ins are paused: send /resume to restart them."
    if next_checkin.in_hospital:
        return (
            'Check-ins start once you are home from hospital: press "I\'m home" or send '
            "/home when you get there."
        )
    at = next_checkin.at
    if at is None:
        return "No more check-ins are planned."
    return f"Your next check-in comes on {local_moment(at)}."


def summary(profile: Profile, *, note: str | None = None) -> Message:
    """The end-of-enrollment summary (Confirm / Change something)."""
    head = f"{note}\n\n" if note else ""
    return Message(
        head + "Please check your details:\n" + "\n".join(_profile_lines(profile)),
        ((Button("Confirm", cb(CONFIRM, "ok")), Button("Change something", cb(CONFIRM, "chg"))),),
    )


def settings_menu(profile: Profile, items: tuple[str, ...], *, head: str | None = None) -> Message:
    """The item menu of /settings and of "Change something"."""
    buttons = [Button(ITEM_LABELS[item], cb(MENU, item)) for item in items]
    return Message(
        (f"{head}\n\n" if head else "")
        + "Your details:\n"
        + "\n".join(_profile_lines(profile))
        + "\n\nWhat would you like to change?",
        (*grid(buttons, 2), (Button("Nothing", cb(BACK, "m")),)),
    )


def _home_button(next_checkin: NextCheckin) -> Keyboard:
    if next_checkin.in_hospital and not next_checkin.paused:
        return ((Button("I'm home", cb(HOME, "1")),),)
    return ()


def enrolled(next_checkin: NextCheckin, emergency_number: str) -> Message:
    """After Confirm."""
    if next_checkin.in_hospital:
        first = (
            "Your check-ins start once you are home from hospital. When you get home, press "
            '"I\'m home" below or send /home.'
        )
    elif next_checkin.at is not None:
        at = next_checkin.at
        first = f"Your first check-in comes on {local_moment(at)}. It takes about a minute."
    else:
        first = describe_next(next_checkin)
    return Message(
        f"You're all set. {first}\n\n"
        "Send /settings to change your details and /help to see what else I can do. "
        f"I am not an emergency service: in an emergency, call {emergency_number}.",
        _home_button(next_checkin),
    )


def status_reminder(next_checkin: NextCheckin) -> Message:
    """/start from an enrolled patient."""
    return Message(
        f"You're enrolled. {describe_next(next_checkin)}\n\n"
        "Send /settings to change your details, or /help to see what I can do.",
        _home_button(next_checkin),
    )


def saved(profile: Profile, next_checkin: NextCheckin, *, changed: bool = True) -> Message:
    """After a /settings change (or Cancel)."""
    head = SAVED if changed else NOTHING_CHANGED
    return Message(
        f"{head}\n\n" + "\n".join(_profile_lines(profile)) + f"\n\n{describe_next(next_checkin)}",
        _home_button(next_checkin),
    )


def welcome_back(next_checkin: NextCheckin) -> Message:
    """/start after /stop: check-ins are on again."""
    return Message(
        f"Welcome back: check-ins are on again. {describe_next(next_checkin)}",
        _home_button(next_checkin),
    )


def home_noted(next_checkin: NextCheckin, *, already: bool = False) -> Message:
    """After /home or the "I'm home" button."""
    head = "I already have you at home." if already else "Welcome home!"
    return Message(f"{head} {describe_next(next_checkin)}")
