"""One patient for operators (``/patient REF``): profile, open alerts, recent check-ins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from recovery import Level
from views.alerts import OUTCOME_LABELS
from views.callbacks import PageCb, PageView
from views.care_team.alert_list import AlertLine
from views.care_team.common import (
    LEVEL_MARKS,
    NO_ARG,
    PATIENT_PAGE_SIZE,
    ago,
    fit_page,
    nav_buttons,
    page_count,
    pain_trend,
    who,
)
from views.dates import short_date
from views.keyboard import Button
from views.message import Message

__all__ = ["AnswerLine", "CheckInSummary", "HandledAlert", "PatientDetail", "patient_message"]

_STATUS_WORDS = {
    "sent": "not answered",
    "in_progress": "started",
    "completed": "done",
    "missed": "missed",
}


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
    handled: tuple[HandledAlert, ...] = ()  # the latest acknowledged alerts, newest first


@dataclass(frozen=True)
class HandledAlert:
    """An acknowledged alert and what was done about it (None: not recorded yet)."""

    level: Level
    created_at: datetime
    reasons: tuple[str, ...]
    outcome: str | None


def _answered_by(answers: Sequence[AnswerLine]) -> str:
    names = sorted({a.by or "patient" for a in answers}, key=lambda n: n != "patient")
    return ", ".join(names)


def _checkin_lines(checkin: CheckInSummary) -> list[str]:
    level = f" · {LEVEL_MARKS[checkin.level]}" if checkin.level else ""
    head = (
        f"• {short_date(checkin.local_date)} · day {checkin.day} · "
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


def _profile_lines(detail: PatientDetail, now: datetime) -> list[str]:
    """The first page's head: procedure, day, check-in time, caregivers, trend, open alerts."""
    when = detail.checkin_time.strftime("%H:%M") if detail.checkin_time else "?"
    surgery = short_date(detail.surgery_date) if detail.surgery_date else "?"
    day = "?" if detail.day is None else str(detail.day)
    lines = [
        f"{detail.procedure or '?'} on {surgery} · day {day} · {detail.status}",
        f"check-in {when} {detail.timezone}",
        f"caregivers: {', '.join(detail.caregivers) if detail.caregivers else 'none'}",
        f"trend: {pain_trend(detail.pain)}",
        "",
    ]
    if detail.open_alerts:
        lines.append(f"Open alerts ({len(detail.open_alerts)}, acknowledge in /alerts):")
        for alert in detail.open_alerts:
            lines.append(
                f"• {LEVEL_MARKS[alert.level]} · {ago(alert.created_at, now)} · "
                f"{'; '.join(alert.reasons)}"
            )
    else:
        lines.append("No open alerts.")
    if detail.handled:
        lines.append("Handled alerts:")
        for done in detail.handled:
            what = {str(k): v for k, v in OUTCOME_LABELS.items()}.get(done.outcome or "")
            lines.append(
                f"• {LEVEL_MARKS[done.level]} · {ago(done.created_at, now)} · "
                f"{'; '.join(done.reasons)} → {what or 'outcome not recorded'}"
            )
    lines.append("")
    return lines


def patient_message(detail: PatientDetail, *, page: int, now: datetime) -> Message:
    """One page of a patient: the profile and alerts on the first, then check-ins, 5 a page."""
    pages = page_count(len(detail.checkins), PATIENT_PAGE_SIZE)
    lines = [f"👤 {who(detail.ref, detail.name)}"]
    if page == 0:
        lines += _profile_lines(detail, now)
    shown = detail.checkins[page * PATIENT_PAGE_SIZE : (page + 1) * PATIENT_PAGE_SIZE]
    lines.append(f"Last check-ins (newest first, {len(detail.checkins)} in all):")
    if not shown:
        lines.append("none yet")
    for checkin in shown:
        lines += _checkin_lines(checkin)
    nav = nav_buttons(PageView.PATIENT, page, pages, detail.ref)
    back = Button("☰ All patients", data=PageCb(PageView.PATIENTS, 0, NO_ARG).pack())
    return Message(fit_page(lines, page, pages), ((*nav, back),))
