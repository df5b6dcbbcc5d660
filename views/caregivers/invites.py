"""Caregiver invitations, pure copy and keyboards: the patient's invitation, what an invited
person or group sees, the patient's notices, refusals and usage hints."""

from __future__ import annotations

from views.callbacks import CareAction, CareCb
from views.caregivers.names import who
from views.keyboard import Button
from views.message import Message

__all__ = [
    "ALREADY_LINKED_NOTICE",
    "GROUP_HELLO",
    "INVITE_EXPIRED",
    "INVITE_INVALID",
    "TOO_MANY_TRIES",
    "INVITE_OWN",
    "INVITE_USED",
    "INVITE_USED_NOTICE",
    "JOIN_USAGE",
    "LINKGROUP_IN_PRIVATE",
    "LINKGROUP_USAGE",
    "NOT_A_PATIENT",
    "accepted_for_caregiver",
    "accepted_for_patient",
    "already_linked",
    "group_linked",
    "group_linked_for_patient",
    "group_removed_for_patient",
    "invite_message",
    "invite_preview",
]


WHAT_CAREGIVERS_GET = (
    "• urgent and emergency alerts, with what was reported\n"
    "• a notice when a daily check-in is missed\n"
    "Answering check-ins for them only if they allow it. "
    "Nothing else about their recovery is shared."
)


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
    name = who(patient_name)
    return Message(
        f"{name[0].upper()}{name[1:]} invites you to follow their recovery after spine surgery "
        f"as a caregiver.\n\nYou would receive:\n{WHAT_CAREGIVERS_GET}\n\n"
        "You can stop at any time by asking them to remove you.",
        ((Button("Accept", data=CareCb(CareAction.ACCEPT, invite_id).pack()),),),
    )


def accepted_for_caregiver(patient_name: str | None) -> Message:
    """The preview after Accept (edited in place, buttons gone)."""
    return Message(
        f"✓ You are now a caregiver for {who(patient_name)}.\n\n"
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
        f"✓ This group is now linked to the recovery check-ins of {who(patient_name)}.\n\n"
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
    return Message(f"{subject} already linked to the check-ins of {who(patient_name)}.")


TOO_MANY_TRIES = Message(
    "That was too many invitation codes that did not work, so I will not check another one "
    "for an hour. Please ask the patient to send you the link again (they send /invite)."
)
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
