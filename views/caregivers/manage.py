"""Caregivers and family group chats, pure copy and keyboards in the reader's language: the
patient's /caregivers list and its buttons. No health data beyond what is given.

The other screens of the feature live in :mod:`.invites` (invitations), :mod:`.proxy`
(answering for the patient) and :mod:`.summary` (the daily summary).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from views.callbacks import CareAction, CareCb
from views.caregivers.names import labelled
from views.i18n import N_, Translator
from views.keyboard import Button
from views.message import Message

__all__ = [
    "A_CAREGIVER",
    "A_GROUP",
    "NOT_YOUR_CAREGIVER",
    "CaregiverRow",
    "caregivers_message",
]


A_CAREGIVER = N_("Caregiver")  # a person who gave Telegram no name
A_GROUP = N_("Family group")  # a group with no title

# Callback notice (a small alert, at most 200 characters).
NOT_YOUR_CAREGIVER = N_("Only the patient can change their caregivers.")
TOGGLES = {  # (group, on) -> the button that turns it the other way
    (True, True): N_("Stop daily summary"),
    (True, False): N_("Send daily summary"),
    (False, True): N_("Stop answering"),
    (False, False): N_("Allow answering"),
}


@dataclass(frozen=True)
class CaregiverRow:
    """One linked caregiver or group, as the patient sees it."""

    link_id: int
    name: str
    group: bool
    may_answer: bool
    receives_summary: bool
    unreachable: bool


def _describe(row: CaregiverRow, tr: Translator) -> str:
    if row.group and row.receives_summary:
        gets = tr.gettext("alerts, missed check-ins, daily summary")
    else:
        gets = tr.gettext("alerts, missed check-ins")
    if row.group:
        text = tr.gettext("• {name} (group): {gets}", name=row.name, gets=gets)
    elif row.may_answer:
        text = tr.gettext("• {name}: {gets}; may answer check-ins", name=row.name, gets=gets)
    else:
        text = tr.gettext("• {name}: {gets}; cannot answer check-ins", name=row.name, gets=gets)
    if row.unreachable:
        text += " " + tr.gettext("(unreachable: they blocked me or removed me)")
    return text


def caregivers_message(rows: Sequence[CaregiverRow], tr: Translator) -> Message:
    """``/caregivers``: one line and one row of buttons per caregiver or group."""
    if not rows:
        return Message(
            tr.gettext(
                "You have no caregivers or family groups linked. Send /invite to invite someone."
            )
        )
    keyboard = []
    for row in rows:
        remove = Button(
            labelled(N_("Remove {name}"), row.name, tr),
            data=CareCb(CareAction.REMOVE, row.link_id).pack(),
        )
        on = row.receives_summary if row.group else row.may_answer
        if row.group:
            action = CareAction.SUMMARY_OFF if on else CareAction.SUMMARY_ON
        else:
            action = CareAction.ANSWER_OFF if on else CareAction.ANSWER_ON
        toggle = Button(
            tr.gettext(TOGGLES[(row.group, on)]), data=CareCb(action, row.link_id).pack()
        )
        keyboard.append((remove, toggle))
    lines = "\n".join(_describe(row, tr) for row in rows)
    return Message(
        tr.gettext("Your caregivers and groups:")
        + f"\n{lines}\n\n"
        + tr.gettext(
            "Remove someone and they get nothing more from me. You can let a person answer "
            "check-ins for you, and send a group a short daily summary (done or missed, pain "
            "score, how it went). Send /invite to add someone."
        ),
        tuple(keyboard),
    )
