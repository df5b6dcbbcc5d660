"""What operators (clinic staff) see: alert queue, patients by risk, one patient, the digest.

Pure: plain values in, :class:`Message` out. Every message stays well under Telegram's 4096
characters (lists are paged, long pages are cut with a pointer to the next page).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from recovery import Level

from .callbacks import AckCb, PageCb
from .keyboard import Button, Keyboard, grid
from .message import Message

__all__ = [
    "ACKNOWLEDGED",
    "ALERT_GONE",
    "ALERTS_VIEW",
    "EXPORT_SENT_PRIVATELY",
    "NOT_OPERATOR",
    "NO_ARG",
    "PAGE_SIZE",
    "PATIENT_PAGE_SIZE",
    "PATIENT_USAGE",
    "PATIENT_VIEW",
    "PATIENTS_VIEW",
    "AlertLine",
    "AnswerLine",
    "CheckInSummary",
    "DigestItem",
    "PatientDetail",
    "PatientLine",
    "acknowledged_label",
    "alerts_message",
    "already_acknowledged",
    "digest_message",
    "export_caption",
    "export_filename",
    "page_count",
    "pain_rising",
    "parse_ref",
    "patient_message",
    "patients_message",
    "unknown_patient",
    "who",
]

PAGE_SIZE = 10
PATIENT_PAGE_SIZE = 5
MAX_CHARS = 3500  # well under Telegram's 4096
TREND_POINTS = 2  # pain up by at least this much from the first to the last score is "rising"
ALERTS_VIEW, PATIENTS_VIEW, PATIENT_VIEW = "al", "pl", "pd"
NO_ARG = "-"  # PageCb needs a non-empty argument

NOT_OPERATOR = "Only the care team can use this button."
ALERT_GONE = "This alert no longer exists."
ACKNOWLEDGED = "Acknowledged. Every post of this alert now shows your name."
PATIENT_USAGE = Message(
    "Send /patient followed by a reference from /patients, for example: /patient P-0042"
)
EXPORT_SENT_PRIVATELY = Message("I sent you the export in our private chat.")

_LEVEL_MARKS = {
    Level.EMERGENCY: "🚨 EMERGENCY",
    Level.URGENT: "⚠️ URGENT",
    Level.ATTENTION: "🔶 attention",
    Level.OK: "ok",
}
_STATUS_WORDS = {
    "sent": "not answered",
    "in_progress": "started",
    "completed": "done",
    "missed": "missed",
}
_REF = re.compile(r"^\s*(?:p-?)?0*(\d{1,9})\s*$", re.IGNORECASE)


def who(ref: str, name: str | None) -> str:
    """A patient as operators see them: ``P-0042 (Ann)`` or ``P-0042``."""
    return f"{ref} ({name})" if name else ref


def parse_ref(text: str) -> int | None:
    """The patient id in a reference typed by an operator (``P-0042``, ``p42``, ``42``)."""
    match = _REF.match(text)
    return int(match.group(1)) if match else None


def page_count(total: int, size: int) -> int:
    """How many pages ``total`` items need (at least one, for the empty page)."""
    return max(1, -(-total // size))


def pain_rising(scores: Sequence[int]) -> bool:
    """Pain went up by at least two points from the first to the last of the scores."""
    return len(scores) >= 2 and scores[-1] - scores[0] >= TREND_POINTS


def _trend(scores: Sequence[int]) -> str:
    if not scores:
        return "no pain scores yet"
    if len(scores) == 1:
        return f"pain {scores[0]}"
    change = scores[-1] - scores[0]
    word = "rising" if change >= TREND_POINTS else "easing" if change <= -TREND_POINTS else "steady"
    return f"pain {' → '.join(str(s) for s in scores)} ({word})"


def _nav(view: str, page: int, pages: int, arg: str = NO_ARG) -> tuple[Button, ...]:
    buttons = []
    if page > 0:
        buttons.append(Button("◀ Prev", data=PageCb(view, page - 1, arg).pack()))
    if page + 1 < pages:
        buttons.append(Button("Next ▶", data=PageCb(view, page + 1, arg).pack()))
    return tuple(buttons)


def _fit(lines: Sequence[str], footer: str = "") -> str:
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


def _page_footer(page: int, pages: int) -> str:
    return f"Page {page + 1}/{pages}" if pages > 1 else ""


def _ago(moment: datetime, now: datetime) -> str:
    minutes = max(0, int((now - moment).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d} min ago"
    return f"{minutes // (24 * 60)} days ago"


def _day(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b}"


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
            f"{number}. {_LEVEL_MARKS[alert.level]} {who(alert.patient_ref, alert.patient_name)}"
            f" · {_ago(alert.created_at, now)}{reminded}"
        )
        lines.append(f"   {'; '.join(alert.reasons)}")
    buttons = [
        Button(f"✔ {number} {alert.patient_ref}", data=AckCb(alert.alert_id).pack())
        for number, alert in enumerate(alerts, start=first + 1)
    ]
    keyboard: Keyboard = grid(buttons, 2) + _rows(_nav(ALERTS_VIEW, page, pages))
    return Message(_fit(lines, _page_footer(page, pages)), keyboard)


def _rows(nav: tuple[Button, ...]) -> Keyboard:
    return (nav,) if nav else ()


@dataclass(frozen=True)
class PatientLine:
    """One patient in the risk-ordered list."""

    ref: str
    name: str | None
    procedure: str | None
    day: int | None
    status: str
    open_alerts: int
    worst: Level | None
    pain: tuple[int, ...]
    missed: int


def patients_message(
    patients: Sequence[PatientLine], *, page: int, pages: int, total: int
) -> Message:
    """Active patients, riskiest first, with a button per patient for the details."""
    if total == 0:
        return Message("No active patients.")
    lines = [f"Patients by risk: {total} (open alerts, rising pain, missed check-ins)", ""]
    for number, patient in enumerate(patients, start=page * PAGE_SIZE + 1):
        where = f"{patient.procedure or '?'}, day {'?' if patient.day is None else patient.day}"
        status = "" if patient.status == "active" else f" · {patient.status}"
        lines.append(f"{number}. {who(patient.ref, patient.name)} · {where}{status}")
        flags = []
        if patient.open_alerts:
            mark = _LEVEL_MARKS[patient.worst or Level.URGENT]
            flags.append(f"{mark} {patient.open_alerts} open")
        if patient.pain:
            flags.append(_trend(patient.pain))
        if patient.missed:
            flags.append(f"{patient.missed} missed (7 days)")
        lines.append(f"   {' · '.join(flags) if flags else 'nothing to flag'}")
    buttons = [Button(p.ref, data=PageCb(PATIENT_VIEW, 0, p.ref).pack()) for p in patients]
    keyboard = grid(buttons, 5) + _rows(_nav(PATIENTS_VIEW, page, pages))
    return Message(_fit(lines, _page_footer(page, pages)), keyboard)


@dataclass(frozen=True)
class AnswerLine:
    """One current answer; ``by`` names a caregiver who gave it (None: the patient)."""

    question_key: str
    answer: str
    by: str | None
    changed: bool = False


@dataclass(frozen=True)
class CheckInSummary:
    """One check-in of a patient with its current answers."""

    local_date: date
    day: int
    status: str
    level: Level | None
    answers: tuple[AnswerLine, ...]


@dataclass(frozen=True)
class PatientDetail:
    """A patient's profile, recent check-ins (newest first), pain trend and open alerts."""

    ref: str
    name: str | None
    status: str
    procedure: str | None
    surgery_date: date | None
    day: int | None
    timezone: str
    checkin_time: time | None
    caregivers: tuple[str, ...]
    pain: tuple[int, ...]
    open_alerts: tuple[AlertLine, ...]
    checkins: tuple[CheckInSummary, ...]


def _answered_by(answers: Sequence[AnswerLine]) -> str:
    names = sorted({a.by or "patient" for a in answers}, key=lambda n: n != "patient")
    return ", ".join(names)


def _checkin_lines(checkin: CheckInSummary) -> list[str]:
    level = f" · {_LEVEL_MARKS[checkin.level]}" if checkin.level else ""
    head = (
        f"• {_day(checkin.local_date)} · day {checkin.day} · "
        f"{_STATUS_WORDS.get(checkin.status, checkin.status)}{level}"
    )
    if not checkin.answers:
        return [head]
    mixed = len({a.by for a in checkin.answers}) > 1
    parts = []
    for answer in checkin.answers:
        mark = " (changed)" if answer.changed else ""
        by = f" [{answer.by}]" if mixed and answer.by else ""
        parts.append(f"{answer.question_key.replace('_', ' ')}: {answer.answer}{mark}{by}")
    return [head, f"   {'; '.join(parts)}", f"   answered by {_answered_by(checkin.answers)}"]


def patient_message(detail: PatientDetail, *, page: int, now: datetime) -> Message:
    """One page of a patient: the profile and alerts on the first, then check-ins, 5 a page."""
    pages = page_count(len(detail.checkins), PATIENT_PAGE_SIZE)
    lines = [f"👤 {who(detail.ref, detail.name)}"]
    if page == 0:
        when = detail.checkin_time.strftime("%H:%M") if detail.checkin_time else "?"
        surgery = _day(detail.surgery_date) if detail.surgery_date else "?"
        day = "?" if detail.day is None else str(detail.day)
        lines += [
            f"{detail.procedure or '?'} on {surgery} · day {day} · {detail.status}",
            f"check-in {when} {detail.timezone}",
            f"caregivers: {', '.join(detail.caregivers) if detail.caregivers else 'none'}",
            f"trend: {_trend(detail.pain)}",
            "",
        ]
        if detail.open_alerts:
            lines.append(f"Open alerts ({len(detail.open_alerts)}, acknowledge in /alerts):")
            for alert in detail.open_alerts:
                lines.append(
                    f"• {_LEVEL_MARKS[alert.level]} · {_ago(alert.created_at, now)} · "
                    f"{'; '.join(alert.reasons)}"
                )
        else:
            lines.append("No open alerts.")
        lines.append("")
    shown = detail.checkins[page * PATIENT_PAGE_SIZE : (page + 1) * PATIENT_PAGE_SIZE]
    lines.append(f"Last check-ins (newest first, {len(detail.checkins)} in all):")
    if not shown:
        lines.append("none yet")
    for checkin in shown:
        lines += _checkin_lines(checkin)
    nav = _nav(PATIENT_VIEW, page, pages, detail.ref)
    back = Button("☰ All patients", data=PageCb(PATIENTS_VIEW, 0, NO_ARG).pack())
    return Message(_fit(lines, _page_footer(page, pages)), ((*nav, back),))


def unknown_patient(text: str) -> Message:
    """An operator asked for a reference that names no patient."""
    shown = text.strip()[:20] or "?"
    return Message(f"No patient with the reference {shown}. Send /patients to see the list.")


def already_acknowledged(label: str) -> str:
    """The notice for a press on an alert someone already acknowledged (at most 200 chars)."""
    return f"Already acknowledged by {label}."[:200]


def acknowledged_label(name: str, at: datetime, zone: ZoneInfo) -> str:
    """Who acknowledged and when, e.g. ``Dr Lee at 09:31 GMT``."""
    local = at.astimezone(zone)
    return f"{name} at {local:%H:%M} {local.tzname() or ''}".rstrip()


@dataclass(frozen=True)
class DigestItem:
    """One line of the daily digest."""

    patient_ref: str
    patient_name: str | None
    day: int
    reasons: tuple[str, ...]


def digest_message(
    day: date, attention: Sequence[DigestItem], missed: Sequence[DigestItem]
) -> Message:
    """The daily digest of yesterday's attention findings and missed check-ins."""
    lines = [f"📋 Daily digest for {_day(day)}", ""]
    lines.append(f"Needs attention ({len(attention)}):")
    lines += [
        f"• {who(i.patient_ref, i.patient_name)} · day {i.day} · "
        f"{'; '.join(i.reasons) or 'needs attention'}"
        for i in attention
    ] or ["none"]
    lines += ["", f"Missed check-ins ({len(missed)}):"]
    lines += [f"• {who(i.patient_ref, i.patient_name)} · day {i.day}" for i in missed] or ["none"]
    return Message(_fit(lines, "Details: /patient REF · everything: /patients"))


def export_filename(since: date, until: date) -> str:
    """The name of the /export file."""
    return f"checkins-{since.isoformat()}-to-{until.isoformat()}.csv"


def export_caption(since: date, until: date, checkins: int) -> str:
    """The caption of the /export document."""
    return (
        f"Check-ins {_day(since)} – {_day(until)}: {checkins}. One row per answer, earlier "
        "answers included. Patients appear by reference only; keep this file confidential."
    )
