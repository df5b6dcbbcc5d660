"""Messages of the daily check-in: questions, outcomes and reminders (pure).

Alert messages (to the patient, the care team and caregivers) are in :mod:`views.alerts`.
"""

from __future__ import annotations

from collections.abc import Sequence

from recovery import Level, Milestone, Question, QuestionKind, Reason
from views.alerts import reasons_text
from views.callbacks import AnswerCb, MoreCb, MoreTopic
from views.i18n import Translator
from views.keyboard import Button, Keyboard, grid
from views.message import Message

__all__ = [
    "closing_message",
    "GUIDANCE_CHARS",
    "MAX_BULLETS",
    "completion_message",
    "guidance_more",
    "split_guidance",
    "missed_notice",
    "question_message",
    "reminder_message",
    "unclear_at_close",
]

MAX_BULLETS = 3
GUIDANCE_CHARS = 400  # the guidance block of the end-of-check-in message


def _keyboard(checkin_id: int, position: int, question: Question) -> Keyboard:
    buttons = [
        Button(option.label, data=AnswerCb(checkin_id, position, index).pack())
        for index, option in enumerate(question.options)
    ]
    if question.emergency_screen:
        return grid(buttons, 1)  # each sign on its own full-width row, whatever the kind
    if question.kind is QuestionKind.SCALE:
        return grid(buttons, 6)
    if question.kind is QuestionKind.YESNO:
        return grid(buttons, 3)
    return grid(buttons, 1)


def question_message(
    checkin_id: int,
    position: int,
    total: int,
    question: Question,
    *,
    day: int,
    tr: Translator,
    previous: str | None = None,
) -> Message:
    """One question with its answer buttons.

    Args:
        checkin_id: the check-in the buttons belong to.
        position: the question's index in the check-in.
        total: how many questions the check-in has.
        question: the question.
        day: the post-operative day.
        tr: the reader's language (the question itself comes translated, from the overlay).
        previous: the label of the answer just given, shown as a tick line.
    """
    lines = [
        tr.gettext(
            "Daily check-in, day {day} of your recovery ({position}/{total})",
            day=day,
            position=position + 1,
            total=total,
        )
    ]
    if previous:
        lines.append(f"✓ {previous}")
    lines += ["", question.text]
    return Message("\n".join(lines), _keyboard(checkin_id, position, question))


def split_guidance(
    day: int, guidance: Sequence[str], tr: Translator
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(shown, behind "More"): at most 3 bullets and GUIDANCE_CHARS characters are shown, in
    the protocol's order (the first always, however long)."""
    shown: list[str] = []
    for item in guidance:
        candidate = _guidance_block(day, [*shown, item], tr)
        if shown and (len(shown) == MAX_BULLETS or len(candidate) > GUIDANCE_CHARS):
            break
        shown.append(item)
    return tuple(shown), tuple(guidance[len(shown) :])


def _guidance_block(day: int, items: Sequence[str], tr: Translator) -> str:
    heading = tr.gettext("For day {day} of your recovery:", day=day)
    return heading + "\n" + "\n".join(f"• {g}" for g in items)


def completion_message(
    *,
    checkin_id: int,
    day: int,
    level: Level,
    reasons: Sequence[Reason],
    action: str | None,
    guidance: Sequence[str],
    milestones: Sequence[Milestone],
    tr: Translator,
) -> Message:
    """The end of a check-in: the finding, then the day's guidance, short, with "More".

    An urgent finding is named, not instructed again: the instruction went out, in full, the
    moment it was reported.
    """
    parts = ["✅ " + tr.gettext("Check-in done. Thank you.")]
    if level >= Level.URGENT:
        parts.append(
            tr.gettext(
                "Please make sure you have acted on: {reasons} (see my message above).",
                reasons=reasons_text(reasons),
            )
        )
    elif level is Level.ATTENTION:
        because = tr.gettext("Because: {reasons}.", reasons=reasons_text(reasons))
        parts.append(f"{action}\n{because}")
    shown, rest = split_guidance(day, guidance, tr)
    if shown:
        parts.append(_guidance_block(day, shown, tr))
    parts += [f"📅 {m.text}" for m in milestones]
    label = tr.gettext("More advice for today")
    more = Button(label, data=MoreCb(MoreTopic.GUIDANCE, checkin_id).pack())
    return Message("\n\n".join(parts), ((more,),) if rest else ())


def guidance_more(day: int, rest: Sequence[str], tr: Translator) -> Message:
    """The rest of a day's guidance, after "More"."""
    return Message(_guidance_block(day, rest, tr))


def unclear_at_close(signs: str, tr: Translator) -> Message:
    """A check-in ended without a clear answer about warning signs (the care team is told)."""
    return Message(
        tr.gettext("Today's check-in ended without a clear answer about: {signs}.", signs=signs)
        + "\n\n"
        + tr.gettext(
            "If you have any of these, call your doctor or surgeon's office today. "
            "Your care team has been told that these answers are missing."
        )
    )


def reminder_message(tr: Translator) -> Message:
    """The one reminder for an unfinished check-in (the question follows)."""
    return Message(
        tr.gettext("A gentle reminder: today's check-in is waiting for you. It takes a minute.")
    )


def missed_notice(name: str | None, tr: Translator) -> Message:
    """Caregivers hear that a check-in was missed (``name``: the patient's, if given)."""
    if name is None:
        return Message(
            tr.gettext(
                "The person you care for has not completed today's recovery check-in. "
                "You may want to check in."
            )
        )
    return Message(
        tr.gettext(
            "{name} has not completed today's recovery check-in. You may want to check in.",
            name=name,
        )
    )


def closing_message(window_days: int, tr: Translator) -> Message:
    """The end of the programme."""
    return Message(
        tr.gettext(
            "Your {days}-day recovery check-ins are complete. Thank you for taking part!",
            days=window_days,
        )
        + "\n\n"
        + tr.gettext(
            "Keep following your surgeon's advice and go to your follow-up visits. "
            "Your data is kept for your care team; send /mydata for a copy or /delete to erase it."
        )
    )
