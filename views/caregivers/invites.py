"""Caregiver invitations, pure copy and keyboards in the reader's language: the patient's
invitation, what an invited person or group sees, the patient's notices, refusals, usage hints,
and the caregiver's choice of language.

Fixed replies are message ids (marked with ``N_``): render one with :func:`say`.
"""

from __future__ import annotations

from views.callbacks import CareAction, CareCb
from views.caregivers.names import who
from views.i18n import LANGUAGE_NAMES, N_, SUPPORTED, Translator
from views.keyboard import Button, Keyboard, grid
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
    "caregiver_language",
    "group_linked",
    "group_linked_for_patient",
    "group_removed_for_patient",
    "invite_message",
    "invite_preview",
    "language_keyboard",
    "say",
]


WHAT_CAREGIVERS_GET = N_(
    "• urgent and emergency alerts, with what was reported\n"
    "• a notice when a daily check-in is missed\n"
    "Answering check-ins for them only if they allow it. "
    "Nothing else about their recovery is shared."
)


def say(msgid: str, tr: Translator) -> Message:
    """One of this module's fixed replies (e.g. :data:`JOIN_USAGE`) in the reader's language."""
    return Message(tr.gettext(msgid))


def invite_message(*, link: str, code: str, valid_until: str, tr: Translator) -> Message:
    """The patient's invitation: a link for a person, the same code for /join or a group.

    Args:
        link: the deep link ``https://t.me/<bot>?start=<token>``.
        code: the short code, formatted for reading (``ABCD-EFGH``).
        valid_until: when it expires, in the patient's local time and language.
        tr: the patient's language.
    """
    return Message(
        tr.gettext(
            "Invite a caregiver: someone who helps you at home.\n\n"
            "Send them this link:\n{link}\n"
            "or ask them to send me: /join {code}\n\n"
            "For a family group chat instead: add me to the group, then send this there:\n"
            "/linkgroup {code}\n\n"
            "The invitation works once and until {valid_until}. Send /invite again for each "
            "person or group.\n\n"
            "Caregivers get urgent alerts and a notice when you miss a check-in. They can answer "
            "check-ins for you only if you allow it in /caregivers, where you can also remove "
            "them at any time.",
            link=link,
            code=code,
            valid_until=valid_until,
        )
    )


def invite_preview(patient_name: str | None, invite_id: int, tr: Translator) -> Message:
    """What a caregiver sees on opening an invitation, with the Accept button."""
    if patient_name:
        head = tr.gettext(
            "{name} invites you to follow their recovery after spine surgery as a caregiver.",
            name=patient_name,
        )
    else:
        head = tr.gettext(
            "A patient invites you to follow their recovery after spine surgery as a caregiver."
        )
    return Message(
        head
        + "\n\n"
        + tr.gettext("You would receive:")
        + "\n"
        + tr.gettext(WHAT_CAREGIVERS_GET)
        + "\n\n"
        + tr.gettext("You can stop at any time by asking them to remove you."),
        ((Button(tr.gettext("Accept"), data=CareCb(CareAction.ACCEPT, invite_id).pack()),),),
    )


def language_keyboard(current: str) -> Keyboard:
    """One button per other supported language, each in its own name (as in the patient's
    /settings), two to a row."""
    buttons = [
        Button(name, data=CareCb(CareAction.LANGUAGE, SUPPORTED.index(code)).pack())
        for code, name in LANGUAGE_NAMES.items()
        if code != current
    ]
    return grid(buttons, 2)


def accepted_for_caregiver(patient_name: str | None, tr: Translator) -> Message:
    """The preview after Accept (edited in place): what they get, and the language buttons."""
    return Message(
        tr.gettext("✓ You are now a caregiver for {name}.", name=who(patient_name, tr))
        + "\n\n"
        + tr.gettext("You will receive:")
        + "\n"
        + tr.gettext(WHAT_CAREGIVERS_GET)
        + "\n\n"
        + tr.gettext(
            "I write to you in {language}. To change it, press a language below or send /settings.",
            language=tr.language_name,
        ),
        language_keyboard(tr.language),
    )


def caregiver_language(tr: Translator, *, changed: bool = False) -> Message:
    """A caregiver's /settings (or their choice just made): the language, and the others."""
    language = tr.language_name
    if changed:
        text = tr.gettext("✓ I will write to you in {language}.", language=language)
    else:
        text = tr.gettext(
            "I write to you in {language}. Which language should I write in?", language=language
        )
    return Message(text, language_keyboard(tr.language))


def accepted_for_patient(caregiver_name: str, tr: Translator) -> Message:
    """The patient hears that someone accepted."""
    return Message(
        tr.gettext(
            "{name} accepted your invitation and is now your caregiver. They will get urgent "
            "alerts and missed check-in notices.\n\nTo let them answer check-ins for you, or to "
            "remove them, send /caregivers.",
            name=caregiver_name,
        )
    )


def group_linked(patient_name: str | None, tr: Translator) -> Message:
    """Posted in a family group once it is linked."""
    return Message(
        tr.gettext(
            "✓ This group is now linked to the recovery check-ins of {name}.\n\n"
            "The group will receive urgent and emergency alerts and a notice when a check-in is "
            "missed (and a short daily summary if they turn it on). Only they, or a caregiver "
            "they allowed, can answer check-ins here: send /answer.\n\n"
            "To unlink, they remove the group in /caregivers, or remove me from the group.",
            name=who(patient_name, tr),
        )
    )


def group_linked_for_patient(title: str, tr: Translator) -> Message:
    """The patient hears that a group was linked."""
    return Message(
        tr.gettext(
            "The group “{title}” is now linked: it will get urgent alerts and missed check-in "
            "notices. To send it a short daily summary too, or to unlink it, send /caregivers.",
            title=title,
        )
    )


def group_removed_for_patient(title: str, tr: Translator) -> Message:
    """The patient hears that the bot left (or was removed from) a linked group."""
    return Message(
        tr.gettext(
            "I was removed from the group “{title}”, so it no longer receives anything about "
            "your recovery. To link a group again, send /invite.",
            title=title,
        )
    )


def already_linked(patient_name: str | None, tr: Translator, *, group: bool) -> Message:
    """The person or group is already linked to this patient (the invitation stays unused)."""
    name = who(patient_name, tr)
    if group:
        return Message(
            tr.gettext("This group is already linked to the check-ins of {name}.", name=name)
        )
    return Message(tr.gettext("You are already linked to the check-ins of {name}.", name=name))


TOO_MANY_TRIES = N_(
    "That was too many invitation codes that did not work, so I will not check another one "
    "for an hour. Please ask the patient to send you the link again (they send /invite)."
)
INVITE_INVALID = N_(
    "This invitation link or code is not valid. Please check it, or ask the patient for a new "
    "one (they send /invite)."
)
INVITE_USED = N_(
    "This invitation has already been used. Each invitation works once: please ask the "
    "patient for a new one (they send /invite)."
)
INVITE_EXPIRED = N_(
    "This invitation has expired. Please ask the patient for a new one (they send /invite)."
)
INVITE_OWN = N_(
    "This is your own invitation: send the link or code to the person who helps you, or use "
    "the code in your family group chat."
)
NOT_A_PATIENT = N_(
    "Only an enrolled patient can invite caregivers. To enroll, send /start in a private "
    "chat with me."
)
JOIN_USAGE = N_(
    "To accept an invitation, send /join followed by the code the patient gave you, "
    "e.g. /join ABCD-EFGH."
)
LINKGROUP_USAGE = N_(
    "To link this group to someone's recovery check-ins, send /linkgroup followed by the code "
    "they got from /invite, e.g. /linkgroup ABCD-EFGH."
)
LINKGROUP_IN_PRIVATE = N_(
    "/linkgroup works in a family group chat: add me to the group, then send the command "
    "there. To become a caregiver yourself, send /join with the code instead."
)
GROUP_HELLO = N_(
    "Hello! I send this group alerts and check-in notices about a patient's recovery once "
    "they link it. The patient gets a code by sending /invite to me privately; then send "
    "/linkgroup CODE here."
)

# Callback notices (a small alert, at most 200 characters): message ids.
INVITE_USED_NOTICE = N_("This invitation is no longer valid. Ask the patient for a new one.")
ALREADY_LINKED_NOTICE = N_("You are already a caregiver for this patient.")
