"""One patient for operators (``/patient REF``): profile, open alerts, recent check-ins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from recovery import Level
from views.alerts import findings_text, outcome_label, procedure_word
from views.callbacks import PageCb, PageView
from views.care_team.alert_list import AlertLine
from views.care_team.common import (
    NO_ARG,
    PATIENT_PAGE_SIZE,
    ago,
    fit_page,
    level_mark,
    nav_buttons,
    page_count,
    pain_trend,
    who,
)
from views.care_team.patient_list import status_word
from views.dates import short_date
from views.i18n import N_, Translator
from views.keyboard import Button
from views.message import Message

__all__ = [
    "AnswerLine",
    "CaregiverLine",
    "CheckInSummary",
    "HandledAlert",
    "PatientDetail",
    "checkin_status_word",
    "patient_message",
]

_STATUS_WORDS = {
    "sent": N_("not answered"),
    "in_progress": N_("started"),
    "completed": N_("done"),
    "missed": N_("missed"),
}
_LINK_WORDS = {"user": N_("caregiver"), "group": N_("family group")}


def checkin_status_word(status: str, tr: Translator) -> str:
    """A check-in's stored status in words ("done", "missed"; unknown: as stored)."""
    word = _STATUS_WORDS.get(status)
    return tr.gettext(word) if word else status


@dataclass(frozen=True)
class AnswerLine:
    """One current answer; ``by`` names a caregiver who gave it (None: the patient).

    ``question`` is the question's short label in the reader's language (empty: the key).
    """

    question_key: str
    answer: str
    by: str | None
    changed: bool = False
    question: str = ""


@dataclass(frozen=True)
class CaregiverLine:
    """A live caregiver link: their name (None: unnamed), ``user`` or ``group``, may answer."""

    name: str | None
    kind: str
    may_answer: bool


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
    caregivers: tuple[CaregiverLine, ...]
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


def _answered_by(answers: Sequence[AnswerLine], tr: Translator) -> str:
    patient = tr.gettext("patient")
    names = sorted({a.by or patient for a in answers}, key=lambda n: n != patient)
    return ", ".join(names)


def _checkin_lines(checkin: CheckInSummary, tr: Translator) -> list[str]:
    level = f" · {level_mark(checkin.level, tr)}" if checkin.level else ""
    parts = [
        short_date(checkin.local_date, tr.language),
        tr.gettext("day {day}", day=checkin.day),
        checkin_status_word(checkin.status, tr),
    ]
    head = f"• {' · '.join(parts)}{level}"
    if not checkin.answers:
        return [head]
    mixed = len({a.by for a in checkin.answers}) > 1
    answers = []
    for answer in checkin.answers:
        mark = " " + tr.gettext("(changed)") if answer.changed else ""
        by = f" [{answer.by}]" if mixed and answer.by else ""
        question = answer.question or answer.question_key.replace("_", " ")
        answers.append(f"{question}: {answer.answer}{mark}{by}")
    answered = tr.gettext("answered by {names}", names=_answered_by(checkin.answers, tr))
    return [head, f"   {findings_text(answers, tr)}", f"   {answered}"]


def _caregiver(line: CaregiverLine, tr: Translator) -> str:
    kind = _LINK_WORDS.get(line.kind)
    name = line.name or (tr.gettext(kind) if kind else line.kind)
    return tr.gettext("{name} (may answer)", name=name) if line.may_answer else name


def _profile_lines(detail: PatientDetail, now: datetime, tr: Translator) -> list[str]:
    """The first page's head: procedure, day, check-in time, caregivers, trend, open alerts."""
    when = detail.checkin_time.strftime("%H:%M") if detail.checkin_time else "?"
    surgery = short_date(detail.surgery_date, tr.language) if detail.surgery_date else "?"
    day = "?" if detail.day is None else str(detail.day)
    caregivers = ", ".join(_caregiver(c, tr) for c in detail.caregivers) or tr.gettext("none")
    lines = [
        " · ".join(
            [
                tr.gettext(
                    "{procedure} on {date}",
                    procedure=procedure_word(detail.procedure, tr),
                    date=surgery,
                ),
                tr.gettext("day {day}", day=day),
                status_word(detail.status, tr),
            ]
        ),
        tr.gettext("check-in {time} {zone}", time=when, zone=detail.timezone),
        tr.gettext("caregivers: {names}", names=caregivers),
        tr.gettext("trend: {trend}", trend=pain_trend(detail.pain, tr)),
        "",
    ]
    if detail.open_alerts:
        lines.append(
            tr.gettext("Open alerts ({n}, acknowledge in /alerts):", n=len(detail.open_alerts))
        )
        for alert in detail.open_alerts:
            lines.append(
                f"• {level_mark(alert.level, tr)} · {ago(alert.created_at, now, tr)} · "
                f"{findings_text(alert.reasons, tr)}"
            )
    else:
        lines.append(tr.gettext("No open alerts."))
    if detail.handled:
        lines.append(tr.gettext("Handled alerts:"))
        for done in detail.handled:
            what = (
                outcome_label(done.outcome, tr)
                if done.outcome
                else tr.gettext("outcome not recorded")
            )
            lines.append(
                f"• {level_mark(done.level, tr)} · {ago(done.created_at, now, tr)} · "
                f"{findings_text(done.reasons, tr)} → {what}"
            )
    lines.append("")
    return lines


def patient_message(detail: PatientDetail, tr: Translator, *, page: int, now: datetime) -> Message:
    """One page of a patient: the profile and alerts on the first, then check-ins, 5 a page.

    ``detail`` carries its findings and answers in ``tr``'s language already.
    """
    pages = page_count(len(detail.checkins), PATIENT_PAGE_SIZE)
    lines = [f"👤 {who(detail.ref, detail.name)}"]
    if page == 0:
        lines += _profile_lines(detail, now, tr)
    shown = detail.checkins[page * PATIENT_PAGE_SIZE : (page + 1) * PATIENT_PAGE_SIZE]
    lines.append(tr.gettext("Last check-ins (newest first, {n} in all):", n=len(detail.checkins)))
    if not shown:
        lines.append(tr.gettext("none yet"))
    for checkin in shown:
        lines += _checkin_lines(checkin, tr)
    nav = nav_buttons(PageView.PATIENT, page, pages, tr, detail.ref)
    back = Button(
        "☰ " + tr.gettext("All patients"), data=PageCb(PageView.PATIENTS, 0, NO_ARG).pack()
    )
    return Message(fit_page(lines, page, pages, tr), ((*nav, back),))
