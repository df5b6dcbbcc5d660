"""The operators' alert queue (``/alerts``): open alerts, worst first, with Acknowledge buttons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from recovery import Level
from views.callbacks import AckCb, PageView
from views.care_team.common import LEVEL_MARKS, PAGE_SIZE, ago, fit_page, nav_rows, who
from views.keyboard import Button, Keyboard, grid
from views.message import Message

__all__ = ["AlertLine", "alerts_message"]


@dataclass(frozen=True)
class AlertLine:
    """One open alert in the queue."""

    alert_id: int
    patient_ref: str
    patient_name: str | None
    level: Level
    reasons: tuple[str, ...]
    created_at: datetime
    reminders: int


def alerts_message(
    alerts: Sequence[AlertLine], *, page: int, pages: int, total: int, now: datetime
) -> Message:
    """The open alerts, worst first then oldest first, each with an Acknowledge button."""
    if total == 0:
        return Message("✅ No open alerts.")
    lines = [f"Open alerts: {total} (most severe first, then oldest)", ""]
    first = page * PAGE_SIZE
    for number, alert in enumerate(alerts, start=first + 1):
        reminded = f" · {alert.reminders} reminders" if alert.reminders else ""
        lines.append(
            f"{number}. {LEVEL_MARKS[alert.level]} {who(alert.patient_ref, alert.patient_name)}"
            f" · {ago(alert.created_at, now)}{reminded}"
        )
        lines.append(f"   {'; '.join(alert.reasons)}")
    buttons = [
        Button(f"✔ {number} {alert.patient_ref}", data=AckCb(alert.alert_id).pack())
        for number, alert in enumerate(alerts, start=first + 1)
    ]
    keyboard: Keyboard = grid(buttons, 2) + nav_rows(PageView.ALERTS, page, pages)
    return Message(fit_page(lines, page, pages), keyboard)
