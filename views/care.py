"""Caregivers and family group chats: invitations, the /caregivers list, answering for the
patient and the daily summary (pure copy and keyboards; no health data beyond what is given)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from recovery import Level

from .callbacks import CareCb
from .keyboard import Button
from .message import Message

__all__ = [
    "ACCEPT",
    "ALREADY_LINKED_NOTICE",
    "ANSWER_OFF",
    "ANSWER_ON",
    "GROUP_HELLO",
    "INVITE_EXPIRED",
    "INVITE_INVALID",
    "INVITE_OWN",
    "INVITE_USED",
    "INVITE_USED_NOTICE",
    "JOIN_USAGE",
    "LINKGROUP_IN_PRIVATE",
    "LINKGROUP_USAGE",
    "NOBODY_TO_ANSWER_FOR",
    "NOT_ALLOWED_HERE",
    "NOT_A_PATIENT",
    "NOT_YOUR_CAREGIVER",
    "PICK",
    "REMOVE",
    "SUMMARY_OFF",
    "SUMMARY_ON",
    "UNLINKED_GROUP",
    "CaregiverRow",
    "accepted_for_caregiver",
    "accepted_for_patient",
    "already_linked",
    "answering_allowed",
    "answering_for",
    "caregivers_message",
    "daily_summary",
    "group_linked",
    "group_linked_for_patient",
    "group_removed_for_patient",
    "invite_message",
    "invite_preview",
    "no_open_checkin",
    "pick_patient",
    "proxy_started_for_patient",
]

# CareCb actions (target: invite id for ACCEPT, care link id for the others).
ACCEPT = "acc"
REMOVE = "rm"
ANSWER_ON = "ans1"
ANSWER_OFF = "ans0"
SUMMARY_ON = "sum1"
SUMMARY_OFF = "sum0"
PICK = "pick"

SOMEONE = "the person you care for"
NAME_IN_BUTTON = 24

WHAT_CAREGIVERS_GET = (
    "• urgent and emergency alerts, with what was reported\n"
    "• a notice when a daily check-in is missed\n"
    "Answering check-ins for them only if they allow it. "
    "Nothing else about their recovery is shared."
)


def _who(name: str | None, default: str = "a patient") -> str:
    return name or default


def _short(name: str) -> str:
    return name if len(name) <= NAME_IN_BUTTON else name[: NAME_IN_BUTTON - 1] + "…"


# --- invitations ---


def invite_message(*, link: str, code: str, valid_until: str) -> Message:
    """The patient's invitation: a link for a person, the same code for /join or a group.

    Args:
        link: the deep link ``https://t.me/<bot>?start=<token>``.
        code: the short code, formatted for reading (``ABCD-EFGH``).
        valid_until: when it expires, in the patient's local time, e.g. "Wed 4 Mar 09:00".
    """
    return Message(
        "Invite a caregiver: someone who helps you at home.\n\n"
        f"Send them this link:\n{link}\n"
        f"or ask them to send me: /join {code}\n\n"
        "For a family group chat instead: add me to the group, then send this there:\n"
        f"/linkgroup {code}\n\n"
        f"The invitation works once and until {valid_until}. Send /invite again for each "
        "person or group.\n\n"
        "Caregivers get urgent alerts and a notice when you miss a check-in. They can answer "
        "check-ins for you only if you allow it in /caregivers, where you can also remove "
        "them at any time."
    )


def invite_preview(patient_name: str | None, invite_id: int) -> Message:
    """What a caregiver sees on opening an invitation, with the Accept button."""
    who = _who(patient_name)
    return Message(
        f"{who[0].upper()}{who[1:]} invites you to follow their recovery after spine surgery "
        f"as a caregiver.\n\nYou would receive:\n{WHAT_CAREGIVERS_GET}\n\n"
        "You can stop at any time by asking them to remove you.",
        ((Button("Accept", data=CareCb(ACCEPT, invite_id).pack()),),),
    )


def accepted_for_caregiver(patient_name: str | None) -> Message:
    """The preview after Accept (edited in place, buttons gone)."""
    return Message(
        f"✓ You are now a caregiver for {_who(patient_name)}.\n\n"
        f"You will receive:\n{WHAT_CAREGIVERS_GET}"
    )


def accepted_for_patient(caregiver_name: str) -> Message:
    """The patient hears that someone accepted."""
    return Message(
        f"{caregiver_name} accepted your invitation and is now your caregiver. They will get "
        "urgent alerts and missed check-in notices.\n\nTo let them answer check-ins for you, "
        "or to remove them, send /caregivers."
    )


def group_linked(patient_name: str | None) -> Message:
    """Posted in a family group once it is linked."""
    return Message(
        f"✓ This group is now linked to the recovery check-ins of {_who(patient_name)}.\n\n"
        "The group will receive urgent and emergency alerts and a notice when a check-in is "
        "missed (and a short daily summary if they turn it on). Only they, or a caregiver "
        "they allowed, can answer check-ins here: send /answer.\n\n"
        "To unlink, they remove the group in /caregivers, or remove me from the group."
    )


def group_linked_for_patient(title: str) -> Message:
    """The patient hears that a group was linked."""
    return Message(
        f"The group “{title}” is now linked: it will get urgent alerts and missed check-in "
        "notices. To send it a short daily summary too, or to unlink it, send /caregivers."
    )


def group_removed_for_patient(title: str) -> Message:
    """The patient hears that the bot left (or was removed from) a linked group."""
    return Message(
        f"I was removed from the group “{title}”, so it no longer receives anything about "
        "your recovery. To link a group again, send /invite."
    )


def already_linked(patient_name: str | None, *, group: bool) -> Message:
    """The person or group is already linked to this patient (the invitation stays unused)."""
    subject = "This group is" if group else "You are"
    return Message(f"{subject} already linked to the check-ins of {_who(patient_name)}.")


INVITE_INVALID = Message(
    "This invitation link or code is not valid. Please check it, or ask the patient for a new "
    "one (they send /invite)."
)
INVITE_USED = Message(
    "This invitation has already been used. Each invitation works once: please ask the "
    "patient for a new one (they send /invite)."
)
INVITE_EXPIRED = Message(
    "This invitation has expired. Please ask the patient for a new one (they send /invite)."
)
INVITE_OWN = Message(
    "This is your own invitation: send the link or code to the person who helps you, or use "
    "the code in your family group chat."
)
NOT_A_PATIENT = Message(
    "Only an enrolled patient can invite caregivers. To enroll, send /start in a private "
    "chat with me."
)
JOIN_USAGE = Message(
    "To accept an invitation, send /join followed by the code the patient gave you, "
    "e.g. /join ABCD-EFGH."
)
LINKGROUP_USAGE = Message(
    "To link this group to someone's recovery check-ins, send /linkgroup followed by the code "
    "they got from /invite, e.g. /linkgroup ABCD-EFGH."
)
LINKGROUP_IN_PRIVATE = Message(
    "/linkgroup works in a family group chat: add me to the group, then send the command "
    "there. To become a caregiver yourself, send /join with the code instead."
)
GROUP_HELLO = Message(
    "Hello! I send this group alerts and check-in notices about a patient's recovery once "
    "they link it. The patient gets a code by sending /invite to me privately; then send "
    "/linkgroup CODE here."
)

# Callback notices (a small alert, at most 200 characters).
INVITE_USED_NOTICE = "This invitation is no longer valid. Ask the patient for a new one."
ALREADY_LINKED_NOTICE = "You are already a caregiver for this patient."
NOT_YOUR_CAREGIVER = "Only the patient can change their caregivers."


# --- the patient's list ---


@dataclass(frozen=True)
class CaregiverRow:
    """One linked caregiver or group, as the patient sees it."""

    link_id: int
    name: str
    group: bool
    may_answer: bool
    receives_summary: bool
    unreachable: bool


def _describe(row: CaregiverRow) -> str:
    gets = ["alerts", "missed check-ins"]
    if row.group and row.receives_summary:
        gets.append("daily summary")
    text = f"• {row.name}{' (group)' if row.group else ''}: {', '.join(gets)}"
    if not row.group:
        text += "; may answer check-ins" if row.may_answer else "; cannot answer check-ins"
    if row.unreachable:
        text += " (unreachable: they blocked me or removed me)"
    return text


def caregivers_message(rows: Sequence[CaregiverRow]) -> Message:
    """``/caregivers``: one line and one row of buttons per caregiver or group."""
    if not rows:
        return Message(
            "You have no caregivers or family groups linked. Send /invite to invite someone."
        )
    keyboard = []
    for row in rows:
        name = _short(row.name)
        remove = Button(f"Remove {name}", data=CareCb(REMOVE, row.link_id).pack())
        if row.group:
            action = SUMMARY_OFF if row.receives_summary else SUMMARY_ON
            label = "Stop daily summary" if row.receives_summary else "Send daily summary"
        else:
            action = ANSWER_OFF if row.may_answer else ANSWER_ON
            label = "Stop answering" if row.may_answer else "Allow answering"
        keyboard.append((remove, Button(label, data=CareCb(action, row.link_id).pack())))
    lines = "\n".join(_describe(row) for row in rows)
    return Message(
        f"Your caregivers and groups:\n{lines}\n\n"
        "Remove someone and they get nothing more from me. You can let a person answer "
        "check-ins for you, and send a group a short daily summary (done or missed, pain "
        "score, how it went). Send /invite to add someone.",
        tuple(keyboard),
    )


# --- answering for the patient ---


def answering_allowed(patient_name: str | None) -> Message:
    """A caregiver hears that they may now answer check-ins."""
    return Message(
        f"{_who(patient_name, 'The patient')} now lets you answer their daily check-in for "
        "them. When they need help with it, send /answer to get the open questions."
    )


def answering_for(patient_name: str | None, question: Message) -> Message:
    """The patient's current question, sent to a caregiver's chat or the group."""
    return Message(
        f"Answering for {_who(patient_name, SOMEONE)}:\n{question.text}", question.keyboard
    )


def proxy_started_for_patient(caregiver_name: str) -> Message:
    """The patient hears that someone is answering for them (every answer records who)."""
    return Message(f"{caregiver_name} asked for today's check-in questions to answer for you.")


def no_open_checkin(patient_name: str | None) -> Message:
    """No check-in of today is waiting for answers."""
    return Message(
        f"{_who(patient_name, 'The patient')} has no check-in waiting for answers "
        "right now. Try again after today's check-in has been sent."
    )


def pick_patient(choices: Sequence[tuple[int, str]]) -> Message:
    """Several patients: whose check-in? ``choices`` are (care link id, name)."""
    return Message(
        "Whose check-in do you want to answer?",
        tuple(
            (Button(_short(name), data=CareCb(PICK, link_id).pack()),) for link_id, name in choices
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


# --- the daily summary ---

_LEVEL_WORDS = {
    Level.OK: "nothing of concern reported",
    Level.ATTENTION: "they were advised to contact their care team soon",
    Level.URGENT: "they reported something urgent and were told to call their doctor",
    Level.EMERGENCY: "they reported emergency symptoms",
}


def daily_summary(
    patient_name: str | None, *, day: int, completed: bool, pain: int | None, level: Level | None
) -> Message:
    """One line about today's check-in: done or missed, pain score, level in words.

    Args:
        patient_name: the patient's display name, if any.
        day: the post-operative day.
        completed: True when completed, False when missed.
        pain: the pain score 0-10, if answered.
        level: the check-in's triage level, if it was assessed.
    """
    who = _who(patient_name, "The patient")
    parts = [f"📋 {who}, day {day} of recovery: check-in {'done' if completed else 'missed'}"]
    if pain is not None:
        parts.append(f"pain {pain}/10")
    if level is not None:
        parts.append(_LEVEL_WORDS[level])
    return Message(", ".join(parts) + ".")
