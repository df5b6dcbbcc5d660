"""The daily summary for caregivers and groups who chose it, pure copy in the reader's
language: one line about today's check-in (no health data beyond what is given)."""

from __future__ import annotations

from recovery import Level
from views.caregivers.names import THE_PATIENT, who
from views.i18n import N_, Translator
from views.lists import joined
from views.message import Message

__all__ = ["daily_summary"]

_LEVEL_WORDS = {
    Level.OK: N_("nothing of concern reported"),
    Level.ATTENTION: N_("they were advised to contact their care team soon"),
    Level.URGENT: N_("they reported something urgent and were told to call their doctor"),
    Level.EMERGENCY: N_("they reported emergency symptoms"),
}


def daily_summary(
    patient_name: str | None,
    *,
    day: int,
    completed: bool,
    pain: int | None,
    level: Level | None,
    tr: Translator,
) -> Message:
    """One line about today's check-in: done or missed, pain score, level in words.

    Args:
        patient_name: the patient's display name, if any.
        day: the post-operative day.
        completed: True when completed, False when missed.
        pain: the pain score 0-10, if answered.
        level: the check-in's triage level, if it was assessed.
        tr: the reader's language.
    """
    name = who(patient_name, tr, THE_PATIENT)
    if completed:
        head = tr.gettext("{name}, day {day} of recovery: check-in done", name=name, day=day)
    else:
        head = tr.gettext("{name}, day {day} of recovery: check-in missed", name=name, day=day)
    parts = [f"📋 {head}"]
    if pain is not None:
        parts.append(tr.gettext("pain {score}/10", score=pain))
    if level is not None:
        parts.append(tr.gettext(_LEVEL_WORDS[level]))
    return Message(joined(parts, tr) + ".")
