"""The care team's daily digest: yesterday's attention findings and missed check-ins, in
``CLINIC_LANGUAGE`` (it goes to the care-team chat)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from views.alerts import findings_text
from views.care_team.common import fit, who
from views.dates import short_date
from views.i18n import Translator
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


def _figure_lines(figures: DigestFigures, tr: Translator) -> list[str]:
    if figures.checkins_due:
        share = round(100 * figures.checkins_done / figures.checkins_due)
        done = tr.gettext(
            "{done}/{due} ({share}%)",
            done=figures.checkins_done,
            due=figures.checkins_due,
            share=share,
        )
    else:
        done = tr.gettext("no check-ins due")
    median = (
        tr.gettext(
            "{minutes} min (of {n})",
            minutes=f"{figures.median_ack_minutes:.0f}",
            n=figures.acknowledged,
        )
        if figures.median_ack_minutes is not None
        else tr.gettext("no alerts acknowledged")
    )
    streaks = ", ".join(figures.missed_streaks) or tr.gettext("none")
    return [
        tr.gettext("Check-ins done, last 7 days: {done}", done=done),
        tr.gettext(
            "2+ missed in a row ({n}): {patients}", n=len(figures.missed_streaks), patients=streaks
        ),
        tr.gettext(
            "Open alerts older than {minutes} min: {n}",
            minutes=figures.escalation_minutes,
            n=figures.overdue_alerts,
        ),
        tr.gettext("Median time to acknowledge, last 7 days: {median}", median=median),
        "",
    ]


def _attention_line(item: DigestItem, tr: Translator) -> str:
    parts = [
        who(item.patient_ref, item.patient_name),
        tr.gettext("day {day}", day=item.day),
        findings_text(item.reasons, tr) or tr.gettext("needs attention"),
    ]
    if item.judged_by:
        parts.append(tr.gettext("judged under protocol {protocol}", protocol=item.judged_by))
    return "• " + " · ".join(parts)


def digest_message(
    day: date,
    attention: Sequence[DigestItem],
    missed: Sequence[DigestItem],
    tr: Translator,
    figures: DigestFigures | None = None,
) -> Message:
    """The daily digest: the week's figures, then yesterday's attention findings and missed
    check-ins (riskiest first); ``attention`` carries its findings in ``tr``'s language."""
    lines = ["📋 " + tr.gettext("Daily digest for {day}", day=short_date(day, tr.language)), ""]
    if figures is not None:
        lines += _figure_lines(figures, tr)
    lines.append(tr.gettext("Needs attention ({n}):", n=len(attention)))
    lines += [_attention_line(i, tr) for i in attention] or [tr.gettext("none")]
    lines += ["", tr.gettext("Missed check-ins ({n}):", n=len(missed))]
    lines += [
        "• " + who(i.patient_ref, i.patient_name) + " · " + tr.gettext("day {day}", day=i.day)
        for i in missed
    ] or [tr.gettext("none")]
    return Message(fit(lines, tr, tr.gettext("Details: /patient REF · everything: /patients")))
