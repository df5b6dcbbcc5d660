"""Answering a check-in on the patient's behalf, pure copy and keyboards in the reader's
language: the caregiver's permission, the question as sent to them, the choice of patient,
refusals."""

from __future__ import annotations

from collections.abc import Sequence

from views.callbacks import CareAction, CareCb
from views.caregivers.names import SOMEONE, THE_PATIENT, labelled, who
from views.i18n import N_, Translator
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


def answering_allowed(patient_name: str | None, tr: Translator) -> Message:
    """A caregiver hears that they may now answer check-ins."""
    return Message(
        tr.gettext(
            "{name} now lets you answer their daily check-in for them. When they need help "
            "with it, send /answer to get the open questions.",
            name=who(patient_name, tr, THE_PATIENT),
        )
    )


def answering_for(patient_name: str | None, question: Message, tr: Translator) -> Message:
    """The patient's current question, sent to a caregiver's chat or the group."""
    head = tr.gettext("Answering for {name}:", name=who(patient_name, tr, SOMEONE))
    return Message(f"{head}\n{question.text}", question.keyboard)


def proxy_started_for_patient(caregiver_name: str, tr: Translator) -> Message:
    """The patient hears that someone is answering for them (every answer records who)."""
    return Message(
        tr.gettext(
            "{name} asked for today's check-in questions to answer for you.", name=caregiver_name
        )
    )


def no_open_checkin(patient_name: str | None, tr: Translator) -> Message:
    """No check-in of today is waiting for answers."""
    return Message(
        tr.gettext(
            "{name} has no check-in waiting for answers right now. Try again after today's "
            "check-in has been sent.",
            name=who(patient_name, tr, THE_PATIENT),
        )
    )


def pick_patient(choices: Sequence[tuple[int, str]], tr: Translator) -> Message:
    """Several patients: whose check-in? ``choices`` are (care link id, name)."""
    return Message(
        tr.gettext("Whose check-in do you want to answer?"),
        tuple(
            (Button(labelled("{name}", name, tr), data=CareCb(CareAction.PICK, link_id).pack()),)
            for link_id, name in choices
        ),
    )


NOBODY_TO_ANSWER_FOR = N_(
    "You cannot answer check-ins for anyone yet. A patient can allow it in /caregivers after "
    "inviting you."
)
NOT_ALLOWED_HERE = N_("Only the patient, or a caregiver they allowed, can answer check-ins here.")
UNLINKED_GROUP = N_(
    "This group is not linked to anyone's check-ins. The patient gets a code with /invite; "
    "then send /linkgroup CODE here."
)
