"""The operators' patient list (``/patients``): active patients, riskiest first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from recovery import Level
from views.callbacks import PageCb, PageView
from views.care_team.common import LEVEL_MARKS, PAGE_SIZE, fit, pain_trend, who
from views.keyboard import Button, grid
from views.message import Message

__all__ = ["PatientLine", "patients_message"]


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
        return Message("No active patients.")
    lines = ["Patients by risk (open alerts, rising pain, missed check-ins)", ""]
    for number, patient in enumerate(patients, start=page * PAGE_SIZE + 1):
        where = f"{patient.procedure or '?'}, day {'?' if patient.day is None else patient.day}"
        status = "" if patient.status == "active" else f" · {patient.status}"
        lines.append(f"{number}. {who(patient.ref, patient.name)} · {where}{status}")
        flags = []
        if patient.open_alerts:
            mark = LEVEL_MARKS[patient.worst or Level.URGENT]
            flags.append(f"{mark} {patient.open_alerts} open")
        if patient.pain:
            flags.append(pain_trend(patient.pain))
        if patient.missed:
            flags.append(f"{patient.missed} missed (7 days)")
        lines.append(f"   {' · '.join(flags) if flags else 'nothing to flag'}")
    buttons = [Button(p.ref, data=PageCb(PageView.PATIENT, 0, p.ref).pack()) for p in patients]
    nav = []
    if prev_arg is not None:
        nav.append(Button("◀ Prev", data=PageCb(PageView.PATIENTS, page - 1, prev_arg).pack()))
    if next_arg is not None:
        nav.append(Button("Next ▶", data=PageCb(PageView.PATIENTS, page + 1, next_arg).pack()))
    footer = f"Page {page + 1}" if page > 0 or next_arg is not None else ""
    return Message(fit(lines, footer), grid(buttons, 5) + ((tuple(nav),) if nav else ()))
