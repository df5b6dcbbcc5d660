"""Messages of the patient's self-service commands: /status, /pause, /resume, /stop, /mydata,
/delete. Pure: plain values in, :class:`Message` out; no clinical advice here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from views.callbacks import ConfirmAction, ConfirmCb, ConfirmChoice
from views.dates import full_date, local_moment, short_date
from views.keyboard import Button
from views.message import Message

__all__ = [
    "ALREADY_PAUSED",
    "ALREADY_STOPPED",
    "DELETE_CANCELLED",
    "DELETE_EXPIRED_NOTICE",
    "ERASED",
    "EXPORT_CAPTION",
    "PDF_CAPTION",
    "NOTHING_STORED",
    "PAUSED",
    "PROGRAMME_FINISHED",
    "STILL_ENROLLING",
    "STOPPED",
    "STOPPED_WHILE_ENROLLING",
    "CheckInLine",
    "StatusView",
    "delete_chosen",
    "delete_question",
    "export_filename",
    "is_opt_out_word",
    "pain_trend",
    "resumed_message",
    "status_message",
]

OPT_OUT_WORDS = frozenset({"stop", "unsubscribe"})
TREND_POINTS = 2  # a change of at least this many points between first and last is a trend
CALL_BACK = "To start again, send /resume (or /start). To erase your data, send /delete."

PROCEDURE_NAMES = {
    "vertebroplasty": "vertebroplasty",
    "kyphoplasty": "kyphoplasty",
    "fusion": "spinal fusion",
}
CHECKIN_STATUS_WORDS = {
    "sent": "not answered",
    "in_progress": "started",
    "completed": "done",
    "missed": "missed",
}
LEVEL_WORDS = {
    "ok": "all fine",
    "attention": "needs attention",
    "urgent": "urgent",
    "emergency": "emergency",
}

NOTHING_STORED = Message("I have no data stored about you. Send /start to sign up.")
STILL_ENROLLING = Message("You have not finished signing up yet. Send /start to continue.")
PROGRAMME_FINISHED = Message(
    "Your check-in programme has finished, so there are no check-ins to pause or resume."
)
PAUSED = Message("Check-ins are paused: I will not send any until you send /resume.")
ALREADY_PAUSED = Message("Check-ins are already paused. Send /resume to restart them.")
STOPPED = Message(
    f"Check-ins have ended: I will not send you any more. Your data is kept.\n\n{CALL_BACK}"
)
ALREADY_STOPPED = Message(f"Check-ins are already stopped. Your data is kept.\n\n{CALL_BACK}")
STOPPED_WHILE_ENROLLING = Message(
    "You have not finished signing up, so I will not send you check-ins. "
    "To erase what you entered, send /delete."
)
EXPORT_CAPTION = "A copy of everything I store about you (a JSON file, for computers)."
PDF_CAPTION = "Your check-ins, warning signs and pain chart, to read or print."
DELETE_QUESTION_TEXT = (
    "Erase all your data? This removes your profile, every check-in and answer, alerts, "
    "caregiver links and invitations. It cannot be undone."
)
ERASED = Message(
    "Everything I stored about you has been erased. If you want to use the bot again, send /start."
)
DELETE_CANCELLED = Message("Nothing was deleted. Your data and check-ins are unchanged.")
DELETE_EXPIRED_NOTICE = "This question has expired. Send /delete if you want to erase your data."


@dataclass(frozen=True)
class CheckInLine:
    """One past check-in as shown in /status (values are the stored enum strings)."""

    local_date: date
    status: str
    pain: int | None = None
    level: str | None = None


@dataclass(frozen=True)
class StatusView:
    """What /status shows.

    ``next_checkin`` is in the patient's zone; ``recent`` holds the last check-ins, oldest first;
    ``patient_status`` is the stored status string (active, paused, withdrawn, finished).
    """

    patient_status: str
    procedure: str | None
    surgery_date: date | None
    post_op_day: int | None
    in_hospital: bool
    next_checkin: datetime | None
    timezone: str
    recent: tuple[CheckInLine, ...] = ()


def is_opt_out_word(text: str | None) -> bool:
    """Whether a whole message is an opt-out word ("stop", "STOP", "unsubscribe"...).

    Case and surrounding spaces or a final "." or "!" are ignored; "stop the reminders" or
    "/stop" are not words (the command has its own handler).
    """
    if not text:
        return False
    return text.strip().rstrip(".!").strip().casefold() in OPT_OUT_WORDS


def pain_trend(values: Sequence[int]) -> str:
    """The pain scores of the last check-ins as a line of text, oldest first.

    A change of at least two points from the first to the last score is "easing" or "rising";
    anything smaller is "steady".
    """
    if not values:
        return "No pain scores yet."
    if len(values) == 1:
        return f"Pain at your last check-in: {values[0]}."
    change = values[-1] - values[0]
    if change <= -TREND_POINTS:
        word = "easing"
    elif change >= TREND_POINTS:
        word = "rising"
    else:
        word = "steady"
    scores = " → ".join(str(value) for value in values)
    return f"Pain over your last check-ins: {scores} ({word})."


def _next_line(view: StatusView) -> str:
    if view.patient_status == "paused":
        return "Check-ins are paused. Send /resume to restart them."
    if view.patient_status == "withdrawn":
        return "Check-ins are stopped. Send /resume to restart them."
    if view.patient_status == "finished":
        return "Your check-in programme has finished."
    if view.in_hospital:
        return "Check-ins start after you get home from hospital."
    if view.next_checkin is None:
        return "No more check-ins are planned."
    return f"Next check-in: {local_moment(view.next_checkin)}."


def _checkin_line(line: CheckInLine) -> str:
    parts = [CHECKIN_STATUS_WORDS.get(line.status, line.status)]
    if line.pain is not None:
        parts.append(f"pain {line.pain}")
    if line.level is not None:
        parts.append(LEVEL_WORDS.get(line.level, line.level))
    return f"• {short_date(line.local_date)}: {', '.join(parts)}"


def _day_line(view: StatusView) -> str | None:
    if view.post_op_day is None:
        return None
    procedure = PROCEDURE_NAMES.get(view.procedure or "", view.procedure)
    if view.post_op_day < 0 and view.surgery_date is not None:
        return f"Your {procedure or 'surgery'} is planned for {full_date(view.surgery_date)}."
    after = f" after {procedure}" if procedure else ""
    return f"Day {view.post_op_day} of your recovery{after}."


def status_message(view: StatusView) -> Message:
    """The /status reply: recovery day, procedure, recent check-ins, pain trend, next check-in."""
    blocks: list[str] = []
    if (day := _day_line(view)) is not None:
        blocks.append(day)
    if view.recent:
        lines = "\n".join(_checkin_line(line) for line in view.recent)
        blocks.append(f"Your last check-ins:\n{lines}")
        pains = [line.pain for line in view.recent if line.pain is not None]
        blocks.append(pain_trend(pains))
    else:
        blocks.append("No check-ins yet.")
    blocks.append(_next_line(view))
    return Message("\n\n".join(blocks))


def resumed_message(
    *, next_checkin: datetime | None, timezone: str, in_hospital: bool, already: bool
) -> Message:
    """The /resume reply: check-ins are (already) on, and when the next one comes."""
    head = "Check-ins are already on." if already else "Check-ins are back on."
    if in_hospital:
        tail = "They start after you get home from hospital."
    elif next_checkin is None:
        tail = "No more check-ins are planned."
    else:
        tail = f"Next check-in: {local_moment(next_checkin)}."
    return Message(f"{head} {tail}")


def delete_question() -> Message:
    """The /delete confirmation with its two buttons."""
    yes = ConfirmCb(ConfirmAction.DELETE, ConfirmChoice.YES).pack()
    no = ConfirmCb(ConfirmAction.DELETE, ConfirmChoice.NO).pack()
    return Message(
        DELETE_QUESTION_TEXT,
        keyboard=((Button("Yes, erase everything", data=yes), Button("Cancel", data=no)),),
    )


def delete_chosen(*, erased: bool) -> Message:
    """The confirmation question after a choice, without its buttons."""
    choice = "Yes, erase everything" if erased else "Cancel"
    return Message(f"{DELETE_QUESTION_TEXT}\n\nYou chose: {choice}")


def export_filename(patient_ref: str) -> str:
    """The /mydata file name, e.g. ``my-recovery-data-P-0001.json``."""
    return f"my-recovery-data-{patient_ref}.json"
