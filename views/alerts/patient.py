"""What patients and caregivers are told about a warning sign (pure): the instruction, the
follow-up question, the notices, in the reader's language (:mod:`views.i18n`)."""

from __future__ import annotations

from collections.abc import Sequence

from recovery import Level, Reason
from views.callbacks import FollowupCb, FollowupChoice
from views.i18n import N_, Translator
from views.keyboard import Button, grid
from views.message import Message

FOLLOWUP_LABELS = {
    FollowupChoice.HELP: N_("Help is on the way"),
    FollowupChoice.OK: N_("I'm OK now"),
    FollowupChoice.NEED: N_("I need help"),
}


def reasons_text(reasons: Sequence[Reason] | Sequence[str]) -> str:
    """Reasons as one phrase list, e.g. "fever; wound drainage"."""
    texts = [r.text if isinstance(r, Reason) else r for r in reasons]
    return "; ".join(texts)


def alert_for_patient(
    level: Level, action: str, reasons: Sequence[Reason], tr: Translator
) -> Message:
    """The immediate reply to a red-flag answer, naming what was reported."""
    mark = "🚨" if level is Level.EMERGENCY else "⚠️"
    reported = tr.gettext("You reported: {reasons}.", reasons=reasons_text(reasons))
    return Message(f"{mark} {action}\n\n{reported}")


def written_instruction(
    level: Level, signs: str, emergency_number: str, tr: Translator, *, team_told: bool
) -> str:
    """The reply to a warning sign written in words, as a condition: right even if misread."""
    if level is Level.EMERGENCY:
        text = "🚨 " + tr.gettext(
            "If you have {signs} now, call {emergency_number} now, or ask someone near you to "
            "call. Do not wait for a reply here.",
            signs=signs,
            emergency_number=emergency_number,
        )
    else:
        text = "⚠️ " + tr.gettext(
            "If you have {signs}, call your doctor or surgeon's office today and tell them. If "
            "you cannot reach them, get medical help today. In an emergency, call "
            "{emergency_number}.",
            signs=signs,
            emergency_number=emergency_number,
        )
    if team_told:
        text += "\n" + tr.gettext("Your care team has been told that you wrote about this.")
    return text


def clinic_phone_line(phone: str, level: Level, tr: Translator) -> str:
    """The surgeon's office as a number Telegram shows as tap-to-call (plain text is enough)."""
    if level is Level.EMERGENCY:
        return tr.gettext(
            "Once help is on the way, also tell your surgeon's office: {phone}", phone=phone
        )
    return tr.gettext("Call your surgeon's office: {phone}", phone=phone)


def alert_seen_by_team(emergency_number: str, tr: Translator) -> Message:
    """The patient's alert was acknowledged: the care team has seen it (no one is named)."""
    return Message(
        "✔ "
        + tr.gettext(
            "Your care team has seen what you reported. Keep following the advice you were "
            "given; if anything gets worse, call {emergency_number}.",
            emergency_number=emergency_number,
        )
    )


def emergency_followup_question(alert_id: int, tr: Translator) -> Message:
    """A few minutes after an emergency answer: is help coming?"""
    return Message(
        tr.gettext("Checking on you after what you reported: are you getting help?"),
        grid(
            [
                Button(tr.gettext(label), data=FollowupCb(alert_id, key).pack())
                for key, label in FOLLOWUP_LABELS.items()
            ],
            1,
        ),
    )


def no_followup_answer(name: str | None, tr: Translator) -> Message:
    """Caregivers: the patient did not say whether help is coming after an emergency answer."""
    if name:
        text = tr.gettext(
            "🚨 {name} reported an emergency symptom and has not answered whether help is "
            "coming. Please contact them now, or call the emergency number if you cannot reach "
            "them.",
            name=name,
        )
    else:
        text = tr.gettext(
            "🚨 The person you care for reported an emergency symptom and has not answered "
            "whether help is coming. Please contact them now, or call the emergency number if "
            "you cannot reach them."
        )
    return Message(text)


def followup_thanks(tr: Translator) -> Message:
    """After the patient confirms help is coming or they are OK."""
    return Message(
        tr.gettext(
            "Thank you for letting me know. Your care team can still see what you reported. "
            "If anything gets worse, call the emergency number straight away."
        )
    )
