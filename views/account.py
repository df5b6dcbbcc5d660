"""Messages of the patient's self-service commands: /status, /pause, /resume, /stop, /mydata,
/delete, in the reader's language. Pure: plain values and a :class:`Translator` in,
:class:`Message` out; no clinical advice here.

Fixed replies are message ids (marked with ``N_``); :func:`say` renders one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from views.callbacks import ConfirmAction, ConfirmCb, ConfirmChoice
from views.dates import full_date, local_moment, short_date
from views.i18n import N_, Translator
from views.keyboard import Button
from views.lists import joined
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
    "say",
    "status_message",
]

OPT_OUT_WORDS = frozenset({"stop", "unsubscribe"})
TREND_POINTS = 2  # a change of at least this many points between first and last is a trend

PROCEDURE_NAMES = {
    "vertebroplasty": N_("vertebroplasty"),
    "kyphoplasty": N_("kyphoplasty"),
    "fusion": N_("spinal fusion"),
}
CHECKIN_STATUS_WORDS = {
    "sent": N_("not answered"),
    "in_progress": N_("started"),
    "completed": N_("done"),
    "missed": N_("missed"),
}
LEVEL_WORDS = {
    "ok": N_("all fine"),
    "attention": N_("needs attention"),
    "urgent": N_("urgent"),
    "emergency": N_("emergency"),
}

NOTHING_STORED = N_("I have no data stored about you. Send /start to sign up.")
STILL_ENROLLING = N_("You have not finished signing up yet. Send /start to continue.")
PROGRAMME_FINISHED = N_(
    "Your check-in programme has finished, so there are no check-ins to pause or resume."
)
PAUSED = N_("Check-ins are paused: I will not send any until you send /resume.")
ALREADY_PAUSED = N_("Check-ins are already paused. Send /resume to restart them.")
STOPPED = N_(
    "Check-ins have ended: I will not send you any more. Your data is kept.\n\n"
    "To start again, send /resume (or /start). To erase your data, send /delete."
)
ALREADY_STOPPED = N_(
    "Check-ins are already stopped. Your data is kept.\n\n"
    "To start again, send /resume (or /start). To erase your data, send /delete."
)
STOPPED_WHILE_ENROLLING = N_(
    "You have not finished signing up, so I will not send you check-ins. "
    "To erase what you entered, send /delete."
)
EXPORT_CAPTION = N_("A copy of everything I store about you (a JSON file, for computers).")
PDF_CAPTION = N_("Your check-ins, warning signs and pain chart, to read or print.")
DELETE_QUESTION_TEXT = N_(
    "Erase all your data? This removes your profile, every check-in and answer, alerts, "
    "caregiver links and invitations. It cannot be undone."
)
ERASED = N_(
    "Everything I stored about you has been erased. If you want to use the bot again, send /start."
)
DELETE_CANCELLED = N_("Nothing was deleted. Your data and check-ins are unchanged.")
DELETE_EXPIRED_NOTICE = N_(
    "This question has expired. Send /delete if you want to erase your data."
)
YES_ERASE = N_("Yes, erase everything")
CANCEL = N_("Cancel")


def say(msgid: str, tr: Translator) -> Message:
    """One of this module's fixed replies (e.g. :data:`PAUSED`) in the reader's language."""
    return Message(tr.gettext(msgid))


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


def pain_trend(values: Sequence[int], tr: Translator) -> str:
    """The pain scores of the last check-ins as a line of text, oldest first.

    A change of at least two points from the first to the last score is "easing" or "rising";
    anything smaller is "steady".
    """
    if not values:
        return tr.gettext("No pain scores yet.")
    if len(values) == 1:
        return tr.gettext("Pain at your last check-in: {score}.", score=values[0])
    change = values[-1] - values[0]
    scores = " → ".join(str(value) for value in values)
    if change <= -TREND_POINTS:
        return tr.gettext("Pain over your last check-ins: {scores} (easing).", scores=scores)
    if change >= TREND_POINTS:
        return tr.gettext("Pain over your last check-ins: {scores} (rising).", scores=scores)
    return tr.gettext("Pain over your last check-ins: {scores} (steady).", scores=scores)


def _next_line(view: StatusView, tr: Translator) -> str:
    if view.patient_status == "paused":
        return tr.gettext("Check-ins are paused. Send /resume to restart them.")
    if view.patient_status == "withdrawn":
        return tr.gettext("Check-ins are stopped. Send /resume to restart them.")
    if view.patient_status == "finished":
        return tr.gettext("Your check-in programme has finished.")
    return _next_checkin(view.next_checkin, view.in_hospital, tr)


def _next_checkin(at: datetime | None, in_hospital: bool, tr: Translator) -> str:
    if in_hospital:
        return tr.gettext("Check-ins start after you get home from hospital.")
    if at is None:
        return tr.gettext("No more check-ins are planned.")
    return tr.gettext("Next check-in: {when}.", when=local_moment(at, tr.language))


def _checkin_line(line: CheckInLine, tr: Translator) -> str:
    status = CHECKIN_STATUS_WORDS.get(line.status)
    parts = [tr.gettext(status) if status else line.status]
    if line.pain is not None:
        parts.append(tr.gettext("pain {score}", score=line.pain))
    if line.level is not None:
        level = LEVEL_WORDS.get(line.level)
        parts.append(tr.gettext(level) if level else line.level)
    day = short_date(line.local_date, tr.language)
    return tr.gettext("• {day}: {parts}", day=day, parts=joined(parts, tr))


def _day_line(view: StatusView, tr: Translator) -> str | None:
    if view.post_op_day is None:
        return None
    known = PROCEDURE_NAMES.get(view.procedure or "")
    procedure = tr.gettext(known) if known else view.procedure
    if view.post_op_day < 0 and view.surgery_date is not None:
        when = full_date(view.surgery_date, tr.language)
        if procedure:
            return tr.gettext(
                "Your operation ({procedure}) is planned for {date}.",
                procedure=procedure,
                date=when,
            )
        return tr.gettext("Your operation is planned for {date}.", date=when)
    if procedure:
        return tr.gettext(
            "Day {day} of your recovery after {procedure}.",
            day=view.post_op_day,
            procedure=procedure,
        )
    return tr.gettext("Day {day} of your recovery.", day=view.post_op_day)


def status_message(view: StatusView, tr: Translator) -> Message:
    """The /status reply: recovery day, procedure, recent check-ins, pain trend, next check-in."""
    blocks: list[str] = []
    if (day := _day_line(view, tr)) is not None:
        blocks.append(day)
    if view.recent:
        lines = "\n".join(_checkin_line(line, tr) for line in view.recent)
        blocks.append(tr.gettext("Your last check-ins:") + f"\n{lines}")
        pains = [line.pain for line in view.recent if line.pain is not None]
        blocks.append(pain_trend(pains, tr))
    else:
        blocks.append(tr.gettext("No check-ins yet."))
    blocks.append(_next_line(view, tr))
    return Message("\n\n".join(blocks))


def resumed_message(
    *,
    next_checkin: datetime | None,
    timezone: str,
    in_hospital: bool,
    already: bool,
    tr: Translator,
) -> Message:
    """The /resume reply: check-ins are (already) on, and when the next one comes."""
    head = (
        tr.gettext("Check-ins are already on.") if already else tr.gettext("Check-ins are back on.")
    )
    return Message(f"{head} {_next_checkin(next_checkin, in_hospital, tr)}")


def delete_question(tr: Translator) -> Message:
    """The /delete confirmation with its two buttons."""
    yes = ConfirmCb(ConfirmAction.DELETE, ConfirmChoice.YES).pack()
    no = ConfirmCb(ConfirmAction.DELETE, ConfirmChoice.NO).pack()
    return Message(
        tr.gettext(DELETE_QUESTION_TEXT),
        keyboard=((Button(tr.gettext(YES_ERASE), data=yes), Button(tr.gettext(CANCEL), data=no)),),
    )


def delete_chosen(*, erased: bool, tr: Translator) -> Message:
    """The confirmation question after a choice, without its buttons."""
    choice = tr.gettext(YES_ERASE if erased else CANCEL)
    return Message(
        tr.gettext(DELETE_QUESTION_TEXT) + "\n\n" + tr.gettext("You chose: {choice}", choice=choice)
    )


def export_filename(patient_ref: str) -> str:
    """The /mydata file name, e.g. ``my-recovery-data-P-0001.json``."""
    return f"my-recovery-data-{patient_ref}.json"
