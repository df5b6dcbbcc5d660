"""The daily summary for caregivers and groups who chose it, pure copy: one line about today's
check-in (no health data beyond what is given)."""

from __future__ import annotations

from recovery import Level
from views.caregivers.names import who
from views.message import Message

__all__ = ["daily_summary"]

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
    name = who(patient_name, "The patient")
    parts = [f"📋 {name}, day {day} of recovery: check-in {'done' if completed else 'missed'}"]
    if pain is not None:
        parts.append(f"pain {pain}/10")
    if level is not None:
        parts.append(_LEVEL_WORDS[level])
    return Message(", ".join(parts) + ".")
