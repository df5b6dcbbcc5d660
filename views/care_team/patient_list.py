"""The operators' patient list (``/patients``): active patients, riskiest first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from recovery import Level
from views.callbacks import PageCb, PageView
from views.care_team.common import (
    LEVEL_MARKS,
    PAGE_SIZE,
    fit_page,
    nav_rows,
    pain_trend,
    who,
)
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
            mark = LEVEL_MARKS[patient.worst or Level.URGENT]
            flags.append(f"{mark} {patient.open_alerts} open")
        if patient.pain:
            flags.append(pain_trend(patient.pain))
        if patient.missed:
            flags.append(f"{patient.missed} missed (7 days)")
        lines.append(f"   {' · '.join(flags) if flags else 'nothing to flag'}")
    buttons = [Button(p.ref, data=PageCb(PageView.PATIENT, 0, p.ref).pack()) for p in patients]
    keyboard = grid(buttons, 5) + nav_rows(PageView.PATIENTS, page, pages)
    return Message(fit_page(lines, page, pages), keyboard)
