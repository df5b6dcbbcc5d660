"""Messages of the daily check-in: questions, outcomes, reminders and alerts (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from recovery import Level, Milestone, Question, QuestionKind, Reason
from views.callbacks import AckCb, AnswerCb, FollowupCb
from views.keyboard import Button, Keyboard, grid
from views.message import Message

__all__ = [
    "AlertView",
    "alert_for_care_team",
    "alert_for_caregiver",
    "alert_for_patient",
    "alert_undeliverable",
    "closing_message",
    "completion_message",
    "emergency_followup_question",
    "followup_thanks",
    "missed_notice",
    "no_followup_answer",
    "question_message",
    "reminder_message",
]

FOLLOWUP_CHOICES = (("help", "Help is on the way"), ("ok", "I'm OK now"), ("need", "I need help"))


def _keyboard(checkin_id: int, position: int, question: Question) -> Keyboard:
    buttons = [
        Button(option.label, data=AnswerCb(checkin_id, position, index).pack())
        for index, option in enumerate(question.options)
    ]
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


def _reasons(reasons: Sequence[Reason] | Sequence[str]) -> str:
    texts = [r.text if isinstance(r, Reason) else r for r in reasons]
    return "; ".join(texts)


def alert_for_patient(level: Level, action: str, reasons: Sequence[Reason]) -> Message:
    """The immediate reply to a red-flag answer, naming what was reported."""
    mark = "🚨" if level is Level.EMERGENCY else "⚠️"
    return Message(f"{mark} {action}\n\nYou reported: {_reasons(reasons)}.")


def completion_message(
    *,
    day: int,
    level: Level,
    reasons: Sequence[Reason],
    action: str | None,
    guidance: Sequence[str],
    milestones: Sequence[Milestone],
) -> Message:
    """The end of a check-in: what to do about any finding, then the day's guidance."""
    parts = ["✅ Check-in done. Thank you."]
    if level >= Level.URGENT:
        parts.append(f"Please make sure you have acted on: {_reasons(reasons)}.\n{action}")
    elif level is Level.ATTENTION:
        parts.append(f"{action}\nBecause: {_reasons(reasons)}.")
    if guidance:
        parts.append(f"For day {day} of your recovery:\n" + "\n".join(f"• {g}" for g in guidance))
    parts += [f"📅 {m.text}" for m in milestones]
    return Message("\n\n".join(parts))


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


def emergency_followup_question(alert_id: int) -> Message:
    """A few minutes after an emergency answer: is help coming?"""
    return Message(
        "Checking on you after what you reported: are you getting help?",
        grid(
            [
                Button(label, data=FollowupCb(alert_id, key).pack())
                for key, label in FOLLOWUP_CHOICES
            ],
            1,
        ),
    )


@dataclass(frozen=True)
class AlertView:
    """What the care team and caregivers see of an alert."""

    alert_id: int
    patient_ref: str
    patient_name: str | None
    procedure: str
    day: int
    level: Level
    reasons: tuple[str, ...]
    answers: Mapping[str, str]  # question text -> answer label
    escalation: int = 0

    @property
    def who(self) -> str:
        """Reference and name, e.g. "P-0042 (Ann)"."""
        return (
            f"{self.patient_ref} ({self.patient_name})" if self.patient_name else self.patient_ref
        )


def alert_for_care_team(view: AlertView, acknowledged: str | None = None) -> Message:
    """The care-team post with the answers behind the alert and an Acknowledge button."""
    head = "🚨 EMERGENCY" if view.level is Level.EMERGENCY else "⚠️ URGENT"
    if view.escalation:
        head += f" (not acknowledged, reminder {view.escalation})"
    lines = [
        f"{head}: {view.who}",
        f"{view.procedure}, day {view.day} after surgery",
        f"Reported: {'; '.join(view.reasons)}",
    ]
    if view.answers:
        lines += ["", "Answers:"] + [f"• {q} {a}" for q, a in view.answers.items()]
    if acknowledged:
        lines += ["", f"✔ Acknowledged by {acknowledged}"]
        return Message("\n".join(lines))
    return Message("\n".join(lines), ((Button("Acknowledge", data=AckCb(view.alert_id).pack()),),))


def alert_for_caregiver(view: AlertView, action: str) -> Message:
    """Caregivers get the finding and what the patient was told to do."""
    mark = "🚨" if view.level is Level.EMERGENCY else "⚠️"
    name = view.patient_name or "The person you care for"
    return Message(
        f"{mark} {name} reported: {'; '.join(view.reasons)}.\n\n"
        f"They were told: {action}\n\nPlease check on them. Their care team has been alerted."
    )


def no_followup_answer(name: str | None) -> Message:
    """Caregivers: the patient did not say whether help is coming after an emergency answer."""
    who = name or "The person you care for"
    return Message(
        f"🚨 {who} reported an emergency symptom and has not answered whether help is coming. "
        "Please contact them now, or call the emergency number if you cannot reach them."
    )


def followup_thanks() -> Message:
    """After the patient confirms help is coming or they are OK."""
    return Message(
        "Thank you for letting me know. Your care team can still see what you reported. "
        "If anything gets worse, call the emergency number straight away."
    )


def alert_undeliverable(view: AlertView) -> Message:
    """The patient could not be told about their own alert (blocked bot or Telegram error)."""
    return Message(
        f"❗ Could not reach {view.who} on Telegram with their {view.level.value} alert "
        f"({'; '.join(view.reasons)}). Please contact them another way."
    )
