"""The care team's daily digest: yesterday's attention findings and missed check-ins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from views.care_team.common import fit, who
from views.dates import short_date
from views.message import Message

__all__ = ["DigestFigures", "DigestItem", "digest_message"]


@dataclass(frozen=True)
class DigestItem:
    """One line of the daily digest."""

    patient_ref: str
    patient_name: str | None
    day: int
    reasons: tuple[str, ...]
    judged_by: str | None = None  # the stored protocol ("augmentation 0.1.0") when not today's


@dataclass(frozen=True)
class DigestFigures:
    """The programme's figures in the digest (the last 7 days unless said otherwise)."""

    checkins_done: int = 0
    checkins_due: int = 0
    missed_streaks: tuple[str, ...] = ()  # patients (who) with 2+ missed check-ins in a row
    overdue_alerts: int = 0  # open alerts older than the escalation time
    escalation_minutes: int = 30
    median_ack_minutes: float | None = None  # alert -> acknowledgement, this week
    acknowledged: int = 0


def _figure_lines(figures: DigestFigures) -> list[str]:
    if figures.checkins_due:
        share = round(100 * figures.checkins_done / figures.checkins_due)
        done = f"{figures.checkins_done}/{figures.checkins_due} ({share}%)"
    else:
        done = "no check-ins due"
    median = (
        f"{figures.median_ack_minutes:.0f} min (of {figures.acknowledged})"
        if figures.median_ack_minutes is not None
        else "no alerts acknowledged"
    )
    streaks = ", ".join(figures.missed_streaks) or "none"
    return [
        f"Check-ins done, last 7 days: {done}",
        f"2+ missed in a row ({len(figures.missed_streaks)}): {streaks}",
        f"Open alerts older than {figures.escalation_minutes} min: {figures.overdue_alerts}",
        f"Median time to acknowledge, last 7 days: {median}",
        "",
    ]


def digest_message(
    day: date,
    attention: Sequence[DigestItem],
    missed: Sequence[DigestItem],
    figures: DigestFigures | None = None,
) -> Message:
    """The daily digest: the week's figures, then yesterday's attention findings and missed
    check-ins (riskiest first)."""
    lines = [f"📋 Daily digest for {short_date(day)}", ""]
    if figures is not None:
        lines += _figure_lines(figures)
    lines.append(f"Needs attention ({len(attention)}):")
    lines += [
        f"• {who(i.patient_ref, i.patient_name)} · day {i.day} · "
        f"{'; '.join(i.reasons) or 'needs attention'}"
        f"{f' · judged under protocol {i.judged_by}' if i.judged_by else ''}"
        for i in attention
    ] or ["none"]
    lines += ["", f"Missed check-ins ({len(missed)}):"]
    lines += [f"• {who(i.patient_ref, i.patient_name)} · day {i.day}" for i in missed] or ["none"]
    return Message(fit(lines, "Details: /patient REF · everything: /patients"))
