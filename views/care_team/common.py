"""What every operator (clinic staff) screen shares: notices, references, paging, short texts.

The screens themselves live beside this module: :mod:`.alert_list`, :mod:`.patient_list`,
:mod:`.patient_detail` and :mod:`.digest`. Pure: plain
values in, :class:`Message` or text out. Every message stays well under Telegram's 4096
characters (lists are paged, long pages are cut with a pointer to the next page).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from recovery import Level
from views.callbacks import PageCb, PageView
from views.dates import short_date
from views.keyboard import Button, Keyboard
from views.message import Message

__all__ = [
    "ACKNOWLEDGED",
    "ALERT_GONE",
    "EXPORT_SENT_PRIVATELY",
    "LEVEL_MARKS",
    "NOT_OPERATOR",
    "OPERATOR_COMMANDS",
    "OPERATOR_PRIVATE_COMMANDS",
    "whoami",
    "OUTCOME_ALREADY",
    "OUTCOME_RECORDED",
    "NO_ARG",
    "PAGE_SIZE",
    "PATIENT_PAGE_SIZE",
    "PATIENT_USAGE",
    "acknowledged_label",
    "ago",
    "already_acknowledged",
    "export_caption",
    "export_filename",
    "fit",
    "fit_page",
    "nav_buttons",
    "nav_rows",
    "page_count",
    "page_slice",
    "pain_rising",
    "pain_trend",
    "parse_ref",
    "unknown_patient",
    "who",
]

PAGE_SIZE = 10
PATIENT_PAGE_SIZE = 5
MAX_CHARS = 3500  # well under Telegram's 4096
TREND_POINTS = 2  # pain up by at least this much from the first to the last score is "rising"
NO_ARG = "-"  # PageCb needs a non-empty argument

NOT_OPERATOR = "Only the care team can use this button."
ALERT_GONE = "This alert no longer exists."
ACKNOWLEDGED = "Acknowledged. Every post of this alert now shows your name."
OUTCOME_RECORDED = "Recorded. Every post of this alert now shows what was done."
OUTCOME_ALREADY = "What was done about this alert is already recorded."
PATIENT_USAGE = Message(
    "Send /patient followed by a reference from /patients, for example: /patient P-0042"
)
EXPORT_SENT_PRIVATELY = Message("I sent you the export in our private chat.")

LEVEL_MARKS = {
    Level.EMERGENCY: "🚨 EMERGENCY",
    Level.URGENT: "⚠️ URGENT",
    Level.ATTENTION: "🔶 attention",
    Level.OK: "ok",
}
_REF = re.compile(r"^\s*(?:p-?)?0*(\d{1,9})\s*$", re.IGNORECASE)
T = TypeVar("T")


def who(ref: str, name: str | None) -> str:
    """A patient as operators see them: ``P-0042 (Ann)`` or ``P-0042``."""
    return f"{ref} ({name})" if name else ref


def parse_ref(text: str) -> int | None:
    """The patient id in a reference typed by an operator (``P-0042``, ``p42``, ``42``)."""
    match = _REF.match(text)
    return int(match.group(1)) if match else None


def unknown_patient(text: str) -> Message:
    """An operator asked for a reference that names no patient."""
    shown = text.strip()[:20] or "?"
    return Message(f"No patient with the reference {shown}. Send /patients to see the list.")


def page_count(total: int, size: int) -> int:
    """How many pages ``total`` items need (at least one, for the empty page)."""
    return max(1, -(-total // size))


def page_slice(items: list[T], page: int, size: int) -> tuple[list[T], int, int]:
    """The items of one page, the page number (clamped to the last page) and the page count."""
    pages = page_count(len(items), size)
    page = min(page, pages - 1)
    return items[page * size : (page + 1) * size], page, pages


def nav_buttons(view: PageView, page: int, pages: int, arg: str = NO_ARG) -> tuple[Button, ...]:
    """The Prev/Next buttons of a paged view (none on a single page)."""
    buttons = []
    if page > 0:
        buttons.append(Button("◀ Prev", data=PageCb(view, page - 1, arg).pack()))
    if page + 1 < pages:
        buttons.append(Button("Next ▶", data=PageCb(view, page + 1, arg).pack()))
    return tuple(buttons)


def nav_rows(view: PageView, page: int, pages: int) -> Keyboard:
    """The Prev/Next buttons as a keyboard row (no row on a single page)."""
    nav = nav_buttons(view, page, pages)
    return (nav,) if nav else ()


def fit_page(lines: Sequence[str], page: int, pages: int) -> str:
    """Join one page's lines with its ``Page n/m`` footer, cut to stay under MAX_CHARS."""
    return fit(lines, f"Page {page + 1}/{pages}" if pages > 1 else "")


def fit(lines: Sequence[str], footer: str = "") -> str:
    """Join lines, cutting whole lines so the text stays under MAX_CHARS."""
    budget = MAX_CHARS - len(footer) - 40
    kept: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > budget:
            kept.append("… (more on the next page or in /export)")
            break
        kept.append(line)
        used += len(line) + 1
    text = "\n".join(kept)
    return f"{text}\n\n{footer}" if footer else text


def pain_rising(scores: Sequence[int]) -> bool:
    """Pain went up by at least two points from the first to the last of the scores."""
    return len(scores) >= 2 and scores[-1] - scores[0] >= TREND_POINTS


def pain_trend(scores: Sequence[int]) -> str:
    """The pain scores, oldest first, with "rising", "easing" or "steady"."""
    if not scores:
        return "no pain scores yet"
    if len(scores) == 1:
        return f"pain {scores[0]}"
    change = scores[-1] - scores[0]
    word = "rising" if change >= TREND_POINTS else "easing" if change <= -TREND_POINTS else "steady"
    return f"pain {' → '.join(str(s) for s in scores)} ({word})"


def ago(moment: datetime, now: datetime) -> str:
    """How long ago, in minutes, hours and minutes, or days."""
    minutes = max(0, int((now - moment).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d} min ago"
    return f"{minutes // (24 * 60)} days ago"


def already_acknowledged(label: str) -> str:
    """The notice for a press on an alert someone already acknowledged (at most 200 chars)."""
    return f"Already acknowledged by {label}."[:200]


def acknowledged_label(name: str, at: datetime, zone: ZoneInfo) -> str:
    """Who acknowledged and when, e.g. ``Dr Lee at 09:31 GMT``."""
    local = at.astimezone(zone)
    name = name if len(name) <= 24 else name[:23] + "…"  # posts stay short (POST_LIMIT)
    return f"{name} at {local:%H:%M} {local.tzname() or ''}".rstrip()


def export_filename(since: date, until: date) -> str:
    """The name of the /export file."""
    return f"checkins-{since.isoformat()}-to-{until.isoformat()}.csv"


def export_caption(since: date, until: date, checkins: int) -> str:
    """The caption of the /export document."""
    return (
        f"Check-ins {short_date(since)} – {short_date(until)}: {checkins}. One row per answer, "
        "earlier answers included. Patients appear by reference only; keep this file confidential."
    )


# The operators' commands, shown in Telegram's menu only in their chats (scoped setMyCommands).
OPERATOR_COMMANDS: tuple[tuple[str, str], ...] = (
    ("alerts", "Open alerts, most severe first"),
    ("patients", "Active patients by risk"),
    ("patient", "One patient: /patient P-0042"),
    ("export", "CSV of the last 30 days"),
    ("whoami", "Your Telegram id and this chat's id"),
)
# Only in an operator's private chat: the sign-in link is personal.
OPERATOR_PRIVATE_COMMANDS: tuple[tuple[str, str], ...] = (
    ("dashboard", "Sign-in link to the web console"),
)


def whoami(user_id: int, chat_id: int) -> Message:
    """``/whoami``: the sender's Telegram user id and the chat's id, nothing else."""
    return Message(f"Your Telegram user id: {user_id}\nThis chat's id: {chat_id}")
