"""The care team's daily digest: yesterday's attention findings and missed check-ins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from views.care_team.common import fit, who
from views.dates import short_date
from views.message import Message

__all__ = ["DigestItem", "digest_message"]


@dataclass(frozen=True)
class DigestItem:
    """One line of the daily digest."""

    patient_ref: str
    patient_name: str | None
    day: int
    reasons: tuple[str, ...]
    judged_by: str | None = None  # the stored protocol ("augmentation 0.1.0") when not today's


def digest_message(
    day: date, attention: Sequence[DigestItem], missed: Sequence[DigestItem]
) -> Message:
    """The daily digest of yesterday's attention findings and missed check-ins."""
    lines = [f"📋 Daily digest for {short_date(day)}", ""]
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
