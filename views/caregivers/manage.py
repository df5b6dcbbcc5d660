"""Caregivers and family group chats, pure copy and keyboards: the patient's /caregivers list
and its buttons. No health data beyond what is given.

The other screens of the feature live in :mod:`.invites` (invitations), :mod:`.proxy`
(answering for the patient) and :mod:`.summary` (the daily summary).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from views.callbacks import CareAction, CareCb
from views.caregivers.names import short
from views.keyboard import Button
from views.message import Message

__all__ = [
    "NOT_YOUR_CAREGIVER",
    "CaregiverRow",
    "caregivers_message",
]


# Callback notice (a small alert, at most 200 characters).
NOT_YOUR_CAREGIVER = "Only the patient can change their caregivers."


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
        name = short(row.name)
        remove = Button(f"Remove {name}", data=CareCb(CareAction.REMOVE, row.link_id).pack())
        if row.group:
            action = CareAction.SUMMARY_OFF if row.receives_summary else CareAction.SUMMARY_ON
            label = "Stop daily summary" if row.receives_summary else "Send daily summary"
        else:
            action = CareAction.ANSWER_OFF if row.may_answer else CareAction.ANSWER_ON
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
