"""Alert messages (pure): the patient's urgent reply, the care-team post, caregivers' notices,
and the emergency follow-up question."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from recovery import Level, Reason
from views.callbacks import AckCb, FollowupCb, FollowupChoice
from views.keyboard import Button, grid
from views.message import Message

__all__ = [
    "FOLLOWUP_LABELS",
    "AlertView",
    "alert_for_care_team",
    "alert_for_caregiver",
    "alert_for_patient",
    "alert_superseded",
    "written_instruction",
    "alert_seen_by_team",
    "alert_undeliverable",
    "clinic_phone_line",
    "emergency_followup_question",
    "followup_thanks",
    "no_followup_answer",
    "reasons_text",
]

HEADS = {
    Level.EMERGENCY: "🚨 EMERGENCY",
    Level.URGENT: "⚠️ URGENT",
    Level.ATTENTION: "🟡 REVIEW TODAY",
    Level.OK: "ℹ️",
}

FOLLOWUP_LABELS = {
    FollowupChoice.HELP: "Help is on the way",
    FollowupChoice.OK: "I'm OK now",
    FollowupChoice.NEED: "I need help",
}


def reasons_text(reasons: Sequence[Reason] | Sequence[str]) -> str:
    """Reasons as one phrase list, e.g. "fever; wound drainage"."""
    texts = [r.text if isinstance(r, Reason) else r for r in reasons]
    return "; ".join(texts)


def alert_for_patient(level: Level, action: str, reasons: Sequence[Reason]) -> Message:
    """The immediate reply to a red-flag answer, naming what was reported."""
    mark = "🚨" if level is Level.EMERGENCY else "⚠️"
    return Message(f"{mark} {action}\n\nYou reported: {reasons_text(reasons)}.")


def written_instruction(level: Level, signs: str, *, team_told: bool) -> str:
    """The reply to a warning sign written in words, as a condition: right even if misread.

    ``{emergency_number}`` is left for the caller to fill in for the person's country.
    """
    if level is Level.EMERGENCY:
        text = (
            f"🚨 If you have {signs} now, call {{emergency_number}} now, or ask someone near you "
            "to call. Do not wait for a reply here."
        )
    else:
        text = (
            f"⚠️ If you have {signs}, call your doctor or surgeon's office today and tell them. "
            "If you cannot reach them, get medical help today. In an emergency, call "
            "{emergency_number}."
        )
    if team_told:
        text += "\nYour care team has been told that you wrote about this."
    return text


def clinic_phone_line(phone: str, level: Level) -> str:
    """The surgeon's office as a number Telegram shows as tap-to-call (plain text is enough)."""
    if level is Level.EMERGENCY:
        return f"Once help is on the way, also tell your surgeon's office: {phone}"
    return f"Call your surgeon's office: {phone}"


def alert_seen_by_team(emergency_number: str) -> Message:
    """The patient's alert was acknowledged: the care team has seen it (no one is named)."""
    return Message(
        "✔ Your care team has seen what you reported. Keep following the advice you were "
        f"given; if anything gets worse, call {emergency_number}."
    )


def emergency_followup_question(alert_id: int) -> Message:
    """A few minutes after an emergency answer: is help coming?"""
    return Message(
        "Checking on you after what you reported: are you getting help?",
        grid(
            [
                Button(label, data=FollowupCb(alert_id, key).pack())
                for key, label in FOLLOWUP_LABELS.items()
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
    reported_again: str | None = None  # e.g. "at 14:05 (patient's time)"

    @property
    def who(self) -> str:
        """Reference and name, e.g. "P-0042 (Ann)"."""
        return (
            f"{self.patient_ref} ({self.patient_name})" if self.patient_name else self.patient_ref
        )


def alert_for_care_team(view: AlertView, acknowledged: str | None = None) -> Message:
    """The care-team post with the answers behind the alert and an Acknowledge button."""
    head = HEADS[view.level]
    if view.escalation:
        head += f" (not acknowledged, reminder {view.escalation})"
    lines = [
        f"{head}: {view.who}",
        f"{view.procedure}, day {view.day} after surgery",
        f"Reported: {'; '.join(view.reasons)}",
    ]
    if view.reported_again:
        lines.append(f"↻ Reported again {view.reported_again}")
    if view.answers:
        lines += ["", "Answers:"] + [f"• {q} {a}" for q, a in view.answers.items()]
    if acknowledged:
        lines += ["", f"✔ Acknowledged by {acknowledged}"]
        return Message("\n".join(lines))
    return Message("\n".join(lines), ((Button("Acknowledge", data=AckCb(view.alert_id).pack()),),))


def alert_superseded(view: AlertView) -> Message:
    """An earlier post of an alert whose level rose: it points at the newer post."""
    return Message(
        f"{HEADS[view.level]}: {view.who}: raised to {view.level.value}, see the newer post."
    )


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
