"""The operators' patient list (``/patients``): active patients, riskiest first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from recovery import Level
from views.alerts import procedure_word
from views.callbacks import PageCb, PageView
from views.care_team.common import (
    PAGE_SIZE,
    fit,
    level_mark,
    next_button,
    pain_trend,
    prev_button,
    who,
)
from views.i18n import N_, Translator
from views.keyboard import Button, grid
from views.message import Message

__all__ = ["PATIENT_STATUS_WORDS", "PatientLine", "patients_message", "status_word"]

PATIENT_STATUS_WORDS = {
    "enrolling": N_("enrolling"),
    "active": N_("active"),
    "paused": N_("paused"),
    "withdrawn": N_("stopped"),
    "finished": N_("finished"),
}


def status_word(status: str, tr: Translator) -> str:
    """A patient's stored status in words (unknown: as stored)."""
    word = PATIENT_STATUS_WORDS.get(status)
    return tr.gettext(word) if word else status


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
    patients: Sequence[PatientLine],
    tr: Translator,
    *,
    page: int,
    prev_arg: str | None = None,
    next_arg: str | None = None,
) -> Message:
    """Active patients, riskiest first, with a button per patient for the details.

    Args:
        patients: the page's patients.
        page: the page number, from 0.
        prev_arg: the PageCb argument of the previous page (None: no Prev button).
        next_arg: the PageCb argument of the next page (None: this is the last page).
    """
    if not patients and page == 0:
        return Message(tr.gettext("No active patients."))
    lines = [tr.gettext("Patients by risk (open alerts, rising pain, missed check-ins)"), ""]
    for number, patient in enumerate(patients, start=page * PAGE_SIZE + 1):
        where = tr.gettext(
            "{procedure} day {day}",
            procedure=procedure_word(patient.procedure, tr),
            day="?" if patient.day is None else patient.day,
        )
        status = "" if patient.status == "active" else f" · {status_word(patient.status, tr)}"
        lines.append(f"{number}. {who(patient.ref, patient.name)} · {where}{status}")
        flags = []
        if patient.open_alerts:
            mark = level_mark(patient.worst or Level.URGENT, tr)
            flags.append(f"{mark} " + tr.gettext("{n} open", n=patient.open_alerts))
        if patient.pain:
            flags.append(pain_trend(patient.pain, tr))
        if patient.missed:
            flags.append(tr.gettext("{n} missed (7 days)", n=patient.missed))
        calm = tr.gettext("nothing to flag")
        lines.append("   " + (" · ".join(flags) if flags else calm))
    buttons = [Button(p.ref, data=PageCb(PageView.PATIENT, 0, p.ref).pack()) for p in patients]
    nav = []
    if prev_arg is not None:
        nav.append(prev_button(PageView.PATIENTS, page, prev_arg, tr))
    if next_arg is not None:
        nav.append(next_button(PageView.PATIENTS, page, next_arg, tr))
    shown = page > 0 or next_arg is not None
    footer = tr.gettext("Page {page}", page=page + 1) if shown else ""
    return Message(fit(lines, tr, footer), grid(buttons, 5) + ((tuple(nav),) if nav else ()))
