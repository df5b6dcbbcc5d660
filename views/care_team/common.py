"""What every operator (clinic staff) screen shares: notices, references, paging, short texts.

The screens themselves live beside this module: :mod:`.alert_list`, :mod:`.patient_list`,
:mod:`.patient_detail` and :mod:`.digest`. Pure: plain values and the reader's
:class:`~views.i18n.Translator` in (an operator's own language in their private chat,
``CLINIC_LANGUAGE`` in the care-team chat), :class:`Message` or text out. Every message stays
well under Telegram's 4096 characters (lists are paged, long pages are cut with a pointer to
the next page).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from recovery import Level
from views.callbacks import PageCb, PageView
from views.dates import clock_time, short_date
from views.i18n import N_, Translator
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
    "level_mark",
    "nav_buttons",
    "nav_rows",
    "next_button",
    "prev_button",
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

# Notices (a button press's alert, or a short reply), translated where they are shown.
NOT_OPERATOR = N_("Only the care team can use this button.")
ALERT_GONE = N_("This alert no longer exists.")
ACKNOWLEDGED = N_("Acknowledged. Every post of this alert now shows your name.")
OUTCOME_RECORDED = N_("Recorded. Every post of this alert now shows what was done.")
OUTCOME_ALREADY = N_("What was done about this alert is already recorded.")
PATIENT_USAGE = N_(
    "Send /patient followed by a reference from /patients, for example: /patient P-0042"
)
EXPORT_SENT_PRIVATELY = N_("I sent you the export in our private chat.")

LEVEL_MARKS = {
    Level.EMERGENCY: ("🚨", N_("EMERGENCY")),
    Level.URGENT: ("⚠️", N_("URGENT")),
    Level.ATTENTION: ("🔶", N_("attention")),
    Level.OK: ("", N_("ok")),
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


def level_mark(level: Level, tr: Translator) -> str:
    """A level in a list, e.g. "🚨 EMERGENCY", "🔶 attention"."""
    mark, word = LEVEL_MARKS[level]
    return f"{mark} {tr.gettext(word)}".strip()


def unknown_patient(text: str, tr: Translator) -> Message:
    """An operator asked for a reference that names no patient."""
    shown = text.strip()[:20] or "?"
    return Message(
        tr.gettext(
            "No patient with the reference {ref}. Send /patients to see the list.", ref=shown
        )
    )


def page_count(total: int, size: int) -> int:
    """How many pages ``total`` items need (at least one, for the empty page)."""
    return max(1, -(-total // size))


def page_slice(items: list[T], page: int, size: int) -> tuple[list[T], int, int]:
    """The items of one page, the page number (clamped to the last page) and the page count."""
    pages = page_count(len(items), size)
    page = min(page, pages - 1)
    return items[page * size : (page + 1) * size], page, pages


def prev_button(view: PageView, page: int, arg: str, tr: Translator) -> Button:
    """The button to the page before ``page``."""
    return Button("◀ " + tr.gettext("Prev"), data=PageCb(view, page - 1, arg).pack())


def next_button(view: PageView, page: int, arg: str, tr: Translator) -> Button:
    """The button to the page after ``page``."""
    return Button(tr.gettext("Next") + " ▶", data=PageCb(view, page + 1, arg).pack())


def nav_buttons(
    view: PageView, page: int, pages: int, tr: Translator, arg: str = NO_ARG
) -> tuple[Button, ...]:
    """The Prev/Next buttons of a paged view (none on a single page)."""
    buttons = []
    if page > 0:
        buttons.append(prev_button(view, page, arg, tr))
    if page + 1 < pages:
        buttons.append(next_button(view, page, arg, tr))
    return tuple(buttons)


def nav_rows(view: PageView, page: int, pages: int, tr: Translator) -> Keyboard:
    """The Prev/Next buttons as a keyboard row (no row on a single page)."""
    nav = nav_buttons(view, page, pages, tr)
    return (nav,) if nav else ()


def fit_page(lines: Sequence[str], page: int, pages: int, tr: Translator) -> str:
    """Join one page's lines with its ``Page n/m`` footer, cut to stay under MAX_CHARS."""
    footer = tr.gettext("Page {page}/{pages}", page=page + 1, pages=pages) if pages > 1 else ""
    return fit(lines, tr, footer)


def fit(lines: Sequence[str], tr: Translator, footer: str = "") -> str:
    """Join lines, cutting whole lines so the text stays under MAX_CHARS."""
    budget = MAX_CHARS - len(footer) - 80
    kept: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > budget:
            kept.append("… " + tr.gettext("(more on the next page or in /export)"))
            break
        kept.append(line)
        used += len(line) + 1
    text = "\n".join(kept)
    return f"{text}\n\n{footer}" if footer else text


def pain_rising(scores: Sequence[int]) -> bool:
    """Pain went up by at least two points from the first to the last of the scores."""
    return len(scores) >= 2 and scores[-1] - scores[0] >= TREND_POINTS


def pain_trend(scores: Sequence[int], tr: Translator) -> str:
    """The pain scores, oldest first, with "rising", "easing" or "steady"."""
    if not scores:
        return tr.gettext("no pain scores yet")
    if len(scores) == 1:
        return tr.gettext("pain {score}", score=scores[0])
    change = scores[-1] - scores[0]
    if change >= TREND_POINTS:
        word = tr.gettext("rising")
    elif change <= -TREND_POINTS:
        word = tr.gettext("easing")
    else:
        word = tr.gettext("steady")
    shown = " → ".join(str(s) for s in scores)
    return tr.gettext("pain {scores} ({trend})", scores=shown, trend=word)


def ago(moment: datetime, now: datetime, tr: Translator) -> str:
    """How long ago, in minutes, hours and minutes, or days."""
    minutes = max(0, int((now - moment).total_seconds() // 60))
    if minutes < 60:
        return tr.gettext("{minutes} min ago", minutes=minutes)
    if minutes < 48 * 60:
        return tr.gettext(
            "{hours} h {minutes} min ago", hours=minutes // 60, minutes=f"{minutes % 60:02d}"
        )
    return tr.ngettext("{n} day ago", "{n} days ago", minutes // (24 * 60))


def already_acknowledged(label: str, tr: Translator) -> str:
    """The notice for a press on an alert someone already acknowledged (at most 200 chars)."""
    return tr.gettext("Already acknowledged by {name}.", name=label)[:200]


def acknowledged_label(name: str, at: datetime, zone: ZoneInfo, tr: Translator) -> str:
    """Who acknowledged and when, e.g. ``Dr Lee at 09:31 GMT`` (as every post names them)."""
    local = at.astimezone(zone)
    name = name if len(name) <= 24 else name[:23] + "…"  # posts stay short (POST_LIMIT)
    time = f"{clock_time(local, tr.language)} {local.tzname() or ''}".rstrip()
    return tr.gettext("{name} at {time}", name=name, time=time)


def export_filename(since: date, until: date) -> str:
    """The name of the /export file."""
    return f"checkins-{since.isoformat()}-to-{until.isoformat()}.csv"


def export_caption(since: date, until: date, checkins: int, tr: Translator) -> str:
    """The caption of the /export document."""
    return tr.gettext(
        "Check-ins {since} – {until}: {checkins}. One row per answer, earlier answers "
        "included. Patients appear by reference only; keep this file confidential.",
        since=short_date(since, tr.language),
        until=short_date(until, tr.language),
        checkins=checkins,
    )


# The operators' commands, shown in Telegram's menu only in their chats (scoped setMyCommands),
# described in each operator's language, and in CLINIC_LANGUAGE in the care-team chat.
OPERATOR_COMMANDS: tuple[tuple[str, str], ...] = (
    ("alerts", N_("Open alerts, most severe first")),
    ("patients", N_("Active patients by risk")),
    ("patient", N_("One patient: /patient P-0042")),
    ("export", N_("CSV of the last 30 days")),
    ("whoami", N_("Your Telegram id and this chat's id")),
)
# Only in an operator's private chat: the sign-in link is personal.
OPERATOR_PRIVATE_COMMANDS: tuple[tuple[str, str], ...] = (
    ("dashboard", N_("Sign-in link to the web console")),
    ("language", N_("Your language for replies here")),
)


def whoami(user_id: int, chat_id: int, tr: Translator) -> Message:
    """``/whoami``: the sender's Telegram user id and the chat's id, nothing else."""
    return Message(
        tr.gettext("Your Telegram user id: {user_id}", user_id=user_id)
        + "\n"
        + tr.gettext("This chat's id: {chat_id}", chat_id=chat_id)
    )
