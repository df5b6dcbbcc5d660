"""The operators' alert queue (``/alerts``): open alerts, worst first, with Acknowledge buttons."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from recovery import Level
from views.alerts import findings_text
from views.callbacks import AckCb, PageView
from views.care_team.common import PAGE_SIZE, ago, fit_page, level_mark, nav_rows, who
from views.i18n import Translator
from views.keyboard import Button, Keyboard, grid
from views.message import Message

__all__ = ["ACK_LABEL_MAX", "AlertLine", "ack_label", "alerts_message"]

ACK_LABEL_MAX = 32  # characters: a button label readable on a phone


def ack_label(ref: str, reasons: Sequence[str], tr: Translator) -> str:
    """The Acknowledge button of one alert, e.g. "Ack P-0002 · fever +1".

    The first finding is cut to its first clause, without a leading article, and to the
    space left; "+N" counts the other findings.
    """
    head = tr.gettext("Ack {ref}", ref=ref)
    if not reasons:
        return head[:ACK_LABEL_MAX]
    first = re.split(r", | \(|; |، |؛ ", reasons[0], maxsplit=1)[0]
    first = re.sub(r"^(a|an|the) ", "", first.strip(), flags=re.IGNORECASE)
    more = f" +{len(reasons) - 1}" if len(reasons) > 1 else ""
    room = ACK_LABEL_MAX - len(head) - len(" · ") - len(more)
    if room < 4:
        return (head + more)[:ACK_LABEL_MAX]
    if len(first) > room:
        first = first[: room - 1].rstrip() + "…"
    return f"{head} · {first}{more}"


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
    alerts: Sequence[AlertLine],
    tr: Translator,
    *,
    page: int,
    pages: int,
    total: int,
    now: datetime,
) -> Message:
    """The open alerts, worst first then oldest first, each with an Acknowledge button.

    ``alerts`` carry their findings in ``tr``'s language already.
    """
    if total == 0:
        return Message("✅ " + tr.gettext("No open alerts."))
    lines = [tr.gettext("Open alerts: {total} (most severe first, then oldest)", total=total), ""]
    first = page * PAGE_SIZE
    for number, alert in enumerate(alerts, start=first + 1):
        parts = [
            f"{number}. {level_mark(alert.level, tr)} {who(alert.patient_ref, alert.patient_name)}",
            ago(alert.created_at, now, tr),
        ]
        if alert.reminders:
            parts.append(tr.ngettext("{n} reminder", "{n} reminders", alert.reminders))
        lines.append(" · ".join(parts))
        lines.append(f"   {findings_text(alert.reasons, tr)}")
    buttons = [
        Button(ack_label(alert.patient_ref, alert.reasons, tr), data=AckCb(alert.alert_id).pack())
        for alert in alerts
    ]
    keyboard: Keyboard = grid(buttons, 1) + nav_rows(PageView.ALERTS, page, pages, tr)
    return Message(fit_page(lines, page, pages, tr), keyboard)
