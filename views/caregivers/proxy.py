"""Answering a check-in on the patient's behalf, pure copy and keyboards: the caregiver's
permission, the question as sent to them, the choice of patient, refusals."""

from __future__ import annotations

from collections.abc import Sequence

from views.callbacks import CareAction, CareCb
from views.caregivers.names import SOMEONE, short, who
from views.keyboard import Button
from views.message import Message

__all__ = [
    "NOBODY_TO_ANSWER_FOR",
    "NOT_ALLOWED_HERE",
    "UNLINKED_GROUP",
    "answering_allowed",
    "answering_for",
    "no_open_checkin",
    "pick_patient",
    "proxy_started_for_patient",
]


def answering_allowed(patient_name: str | None) -> Message:
    """A caregiver hears that they may now answer check-ins."""
    return Message(
        f"{who(patient_name, 'The patient')} now lets you answer their daily check-in for "
        "them. When they need help with it, send /answer to get the open questions."
    )


def answering_for(patient_name: str | None, question: Message) -> Message:
    """The patient's current question, sent to a caregiver's chat or the group."""
    return Message(
        f"Answering for {who(patient_name, SOMEONE)}:\n{question.text}", question.keyboard
    )


def proxy_started_for_patient(caregiver_name: str) -> Message:
    """The patient hears that someone is answering for them (every answer records who)."""
    return Message(f"{caregiver_name} asked for today's check-in questions to answer for you.")


def no_open_checkin(patient_name: str | None) -> Message:
    """No check-in of today is waiting for answers."""
    return Message(
        f"{who(patient_name, 'The patient')} has no check-in waiting for answers "
        "right now. Try again after today's check-in has been sent."
    )


def pick_patient(choices: Sequence[tuple[int, str]]) -> Message:
    """Several patients: whose check-in? ``choices`` are (care link id, name)."""
    return Message(
        "Whose check-in do you want to answer?",
        tuple(
            (Button(short(name), data=CareCb(CareAction.PICK, link_id).pack()),)
            for link_id, name in choices
        ),
    )


NOBODY_TO_ANSWER_FOR = Message(
    "You cannot answer check-ins for anyone yet. A patient can allow it in /caregivers after "
    "inviting you."
)
NOT_ALLOWED_HERE = Message(
    "Only the patient, or a caregiver they allowed, can answer check-ins here."
)
UNLINKED_GROUP = Message(
    "This group is not linked to anyone's check-ins. The patient gets a code with /invite; "
    "then send /linkgroup CODE here."
)
