"""Messages of the daily check-in: questions, outcomes and reminders (pure).

Alert messages (to the patient, the care team and caregivers) are in :mod:`views.alerts`.
"""

from __future__ import annotations

from collections.abc import Sequence

from recovery import Level, Milestone, Question, QuestionKind, Reason
from views.alerts import reasons_text
from views.callbacks import AnswerCb, MoreCb, MoreTopic
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
    previous: str | None = None,
) -> Message:
    """One question with its answer buttons.

    Args:
        checkin_id: the check-in the buttons belong to.
        position: the question's index in the check-in.
        total: how many questions the check-in has.
        question: the question.
        day: the post-operative day.
        previous: the label of the answer just given, shown as a tick line.
    """
    lines = [f"Daily check-in, day {day} of your recovery ({position + 1}/{total})"]
    if previous:
        lines.append(f"✓ {previous}")
    lines += ["", question.text]
    return Message("\n".join(lines), _keyboard(checkin_id, position, question))


def split_guidance(day: int, guidance: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(shown, behind "More"): at most 3 bullets and GUIDANCE_CHARS characters are shown, in
    the protocol's order (the first always, however long)."""
    shown: list[str] = []
    for item in guidance:
        candidate = _guidance_block(day, [*shown, item])
        if shown and (len(shown) == MAX_BULLETS or len(candidate) > GUIDANCE_CHARS):
            break
        shown.append(item)
    return tuple(shown), tuple(guidance[len(shown) :])


def _guidance_block(day: int, items: Sequence[str]) -> str:
    return f"For day {day} of your recovery:\n" + "\n".join(f"• {g}" for g in items)


def completion_message(
    *,
    checkin_id: int,
    day: int,
    level: Level,
    reasons: Sequence[Reason],
    action: str | None,
    guidance: Sequence[str],
    milestones: Sequence[Milestone],
) -> Message:
    """The end of a check-in: the finding, then the day's guidance, short, with "More".

    An urgent finding is named, not instructed again: the instruction went out, in full, the
    moment it was reported.
    """
    parts = ["✅ Check-in done. Thank you."]
    if level >= Level.URGENT:
        parts.append(
            f"Please make sure you have acted on: {reasons_text(reasons)} (see my message above)."
        )
    elif level is Level.ATTENTION:
        parts.append(f"{action}\nBecause: {reasons_text(reasons)}.")
    shown, rest = split_guidance(day, guidance)
    if shown:
        parts.append(_guidance_block(day, shown))
    parts += [f"📅 {m.text}" for m in milestones]
    more = Button("More advice for today", data=MoreCb(MoreTopic.GUIDANCE, checkin_id).pack())
    return Message("\n\n".join(parts), ((more,),) if rest else ())


def guidance_more(day: int, rest: Sequence[str]) -> Message:
    """The rest of a day's guidance, after "More"."""
    return Message(_guidance_block(day, rest))


def unclear_at_close(signs: str) -> Message:
    """A check-in ended without a clear answer about warning signs (the care team is told)."""
    return Message(
        f"Today's check-in ended without a clear answer about: {signs}.\n\n"
        "If you have any of these, call your doctor or surgeon's office today. "
        "Your care team has been told that these answers are missing."
    )


def reminder_message() -> Message:
    """The one reminder for an unfinished check-in (the question follows)."""
    return Message("A gentle reminder: today's check-in is waiting for you. It takes a minute.")


def missed_notice(name: str) -> Message:
    """Caregivers hear that a check-in was missed."""
    return Message(f"{name} has not completed today's recovery check-in. You may want to check in.")


def closing_message(window_days: int) -> Message:
    """The end of the programme."""
    return Message(
        f"Your {window_days}-day recovery check-ins are complete. Thank you for taking part!\n\n"
        "Keep following your surgeon's advice and go to your follow-up visits. "
        "Your data is kept for your care team; send /mydata for a copy or /delete to erase it."
    )
