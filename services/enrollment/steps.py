"""The enrollment step table: which step follows which, and how an answer changes a patient.

Used inside the use cases of :mod:`services.enrollment.enroll` (they own the transaction). A step is
stored in ``Patient.enrollment_step`` as its key (enrolling, in order), ``fix:<key>`` (changing
one item from the summary before Confirm) or ``edit:<key>`` (changing one item via /settings).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import TypeVar
from zoneinfo import available_timezones

from models import Patient, PatientStatus
from recovery import Procedure
from services.patients import patient_zone
from views.enrollment import notices as en
from views.enrollment import questions as ev
from views.enrollment import summary as es
from views.enrollment import welcome
from views.enrollment.parsing import (
    ParseProblem,
    parse_date,
    parse_name,
    parse_procedure,
    parse_time,
)
from views.enrollment.zones import resolve_zone
from views.i18n import SUPPORTED, Translator, translator
from views.message import Message

__all__ = [
    "EDIT",
    "FIX",
    "ORDER",
    "StepContext",
    "apply_choice",
    "apply_text",
    "current",
    "first_missing",
    "items_for",
    "next_checkin",
    "next_step",
    "profile_of",
    "prompt",
    "apply_zone",
    "tr_of",
]

log = logging.getLogger(__name__)
T = TypeVar("T")
FIX, EDIT = "fix", "edit"
ORDER = (ev.CONSENT, ev.NAME, ev.ZONE, ev.PROCEDURE, ev.DATE, ev.HOSPITAL, ev.TIME, ev.CONFIRM)


@dataclass(frozen=True)
class StepContext:
    """What answering a step needs besides the patient."""

    now: datetime
    default_zone: str

    def today(self, patient: Patient) -> date:
        """The patient's local date now."""
        return self.now.astimezone(patient_zone(patient)).date()


def tr_of(patient: Patient) -> Translator:
    """The patient's language, as it is stored now (a choice takes effect at once)."""
    return translator(patient.language)


def current(patient: Patient) -> tuple[str | None, str | None]:
    """(mode, step key) of the stored step: mode None (enrolling), FIX or EDIT."""
    step = patient.enrollment_step
    if step is None:
        return None, None
    mode, _, key = step.rpartition(":")
    return (mode or None), key


def items_for(patient: Patient) -> tuple[str, ...]:
    """The items a patient can change (the hospital stay only after fusion)."""
    return tuple(
        item for item in ev.ITEMS if item != ev.HOSPITAL or patient.procedure is Procedure.FUSION
    )


def next_step(patient: Patient, after: str) -> str:
    """The enrollment step after ``after`` (the hospital question only after fusion)."""
    for step in ORDER[ORDER.index(after) + 1 :]:
        if step != ev.HOSPITAL or patient.procedure is Procedure.FUSION:
            return step
    return ev.CONFIRM


def first_missing(patient: Patient) -> str:
    """The first step whose answer Confirm would lack (CONFIRM when none)."""
    if patient.consent_at is None:
        return ev.CONSENT
    answers = {
        ev.PROCEDURE: patient.procedure,
        ev.DATE: patient.surgery_date,
        ev.TIME: patient.checkin_time,
    }
    return next((step for step, value in answers.items() if value is None), ev.CONFIRM)


def profile_of(patient: Patient) -> es.Profile:
    """The patient's answers, for summaries."""
    return es.Profile(
        display_name=patient.display_name,
        procedure=patient.procedure,
        surgery_date=patient.surgery_date,
        in_hospital=patient.in_hospital,
        timezone=patient.timezone,
        checkin_time=patient.checkin_time,
    )


def next_checkin(patient: Patient) -> es.NextCheckin:
    """When the patient's next check-in comes, in their time zone."""
    at = patient.next_checkin_at
    return es.NextCheckin(
        at=at.astimezone(patient_zone(patient)) if at is not None else None,
        in_hospital=patient.procedure is Procedure.FUSION and patient.in_hospital,
        paused=patient.status == PatientStatus.PAUSED,
    )


def prompt(
    patient: Patient, ctx: StepContext, emergency_number: str, note: str | None = None
) -> Message:
    """The message that asks the patient's current step again, in their language; ``note``
    (already translated) comes first."""
    mode, key = current(patient)
    tr = tr_of(patient)
    if key in (None, ev.CONSENT):
        return welcome.consent(emergency_number, tr, note=note)
    if key == ev.CONFIRM:
        return es.summary(profile_of(patient), tr, note=note)
    return ev.ask(key, default_zone=ctx.default_zone, tr=tr, editing=mode is not None, note=note)


def _set_procedure(patient: Patient, procedure: Procedure) -> None:
    patient.procedure = procedure
    if procedure is not Procedure.FUSION:
        patient.in_hospital = False
        patient.discharge_date = None


def _set_hospital(patient: Patient, home: bool, ctx: StepContext) -> None:
    if not home:
        patient.in_hospital = True
        patient.discharge_date = None
        return
    if patient.in_hospital and patient.status != PatientStatus.ENROLLING:
        patient.discharge_date = ctx.today(patient)  # leaving hospital now
    patient.in_hospital = False


def _set_time(patient: Patient, at: time) -> None:
    patient.checkin_time = at


def apply_zone(patient: Patient, zone: str) -> None:
    """Set the time zone (typed, pressed, or found from a shared location)."""
    patient.timezone = zone


def apply_choice(patient: Patient, key: str, choice: str, ctx: StepContext) -> bool:
    """Apply a pressed button of step ``key``.

    Returns:
        False when the token is not one this step offers (nothing changed).
    """
    if key == ev.NAME and choice == "skip":
        patient.display_name = None
    elif key == ev.PROCEDURE and choice in ev.PROCEDURE_TOKENS:
        _set_procedure(patient, ev.PROCEDURE_TOKENS[choice])
    elif key == ev.ZONE and choice == ev.DEFAULT_ZONE:
        apply_zone(patient, ctx.default_zone)
    elif key == ev.ZONE and choice.isdigit() and int(choice) < len(ev.COMMON_ZONES):
        apply_zone(patient, ev.COMMON_ZONES[int(choice)])
    elif key == ev.ZONE and choice in available_timezones():  # a button of a zone choice
        apply_zone(patient, choice)
    elif key == ev.DATE and choice in ev.DAYS_AGO:
        patient.surgery_date = ctx.today(patient) - timedelta(days=ev.DAYS_AGO[choice])
    elif key == ev.HOSPITAL and choice in ("home", "in"):
        _set_hospital(patient, choice == "home", ctx)
    elif key == ev.LANGUAGE and choice in SUPPORTED:
        patient.language = choice
    elif key == ev.TIME and choice.isdigit() and int(choice) < len(ev.CHECKIN_TIMES):
        _set_time(patient, ev.CHECKIN_TIMES[int(choice)])
    else:
        return False
    return True


def _accept(value: T | None, problem: str, store: Callable[[T], None]) -> str | None:
    """Store a typed answer, or return ``problem`` when the text could not be read as one."""
    if value is None:
        return problem
    store(value)
    return None


def apply_text(
    patient: Patient, key: str, text: str, ctx: StepContext, *, editing: bool = False
) -> str | Message | None:
    """Apply a typed answer to step ``key``.

    Returns:
        None when applied; a Message to send as it is (a choice of time zones); else the
        reason to show with the re-asked question, in the patient's language.
    """
    tr = tr_of(patient)
    if key == ev.NAME:
        name = parse_name(text)
        if isinstance(name, ParseProblem):
            return en.name_problem(name, tr)
        patient.display_name = name
        return None
    if key == ev.PROCEDURE:
        typed_procedure = parse_procedure(text) or ev.procedure_named(text, tr)
        problem = tr.gettext(en.PROCEDURE_PROBLEM)
        return _accept(typed_procedure, problem, partial(_set_procedure, patient))
    if key == ev.ZONE:
        return _typed_zone(patient, text, tr, editing=editing)
    if key == ev.DATE:
        day = parse_date(text, ctx.today(patient), tr.language)
        if isinstance(day, ParseProblem):
            return en.date_problem(day, tr)
        patient.surgery_date = day
        return None
    if key == ev.TIME:
        typed = parse_time(text, tr.language)
        return _accept(typed, tr.gettext(en.TIME_PROBLEM), partial(_set_time, patient))
    return tr.gettext(en.BUTTONS_ONLY)


def _typed_zone(
    patient: Patient, text: str, tr: Translator, *, editing: bool
) -> str | Message | None:
    """A city, country or zone name: one zone is taken; several are offered as buttons."""
    match = resolve_zone(text)
    if match.zone is not None:
        apply_zone(patient, match.zone)
        return None
    if not match.choices:
        return tr.gettext(en.ZONE_PROBLEM)
    pairs = [(c.zone, c.label) for c in match.choices]
    return ev.zone_choice(pairs, guessed=match.guessed, editing=editing, tr=tr)
