"""After enrollment: /settings, /home, a shared location, and reading the enrollment state.

Each public function is one transaction; :mod:`services.enrollment.enroll` re-exports them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time

from models import PatientStatus
from recovery import Procedure
from services.context import Services
from services.enrollment import steps
from services.enrollment.turn import ENROLLED, open_turn
from services.patients import find_patient
from views.enrollment import notices as en
from views.enrollment import questions as ev
from views.enrollment import summary as es
from views.enrollment.zones import zone_at

__all__ = ["EnrollmentView", "get_enrollment", "handle_location", "mark_home", "open_settings"]


@dataclass(frozen=True)
class EnrollmentView:
    """A patient's enrollment state and answers (for tests and other features).

    The answers are the fields of :class:`views.enrollment.summary.Profile`.
    """

    status: str
    step: str | None
    display_name: str | None
    procedure: Procedure | None
    surgery_date: date | None
    in_hospital: bool
    discharge_date: date | None
    timezone: str
    checkin_time: time | None
    next_checkin_at: datetime | None


async def open_settings(
    services: Services, user_id: int, chat_id: int, language_code: str | None = None
) -> None:
    """``/settings``: the item menu for an active or paused patient.

    An unfinished change is dropped; an enrolling patient gets the current question again.

    Args:
        services: the service context.
        user_id: the Telegram user id.
        chat_id: the private chat, where the menu goes.
    """
    async with open_turn(services, chat_id) as turn:
        patient = await turn.known_patient(user_id, language_code)
        if patient is None:
            return
        tr = steps.tr_of(patient)
        if patient.status == PatientStatus.ENROLLING:
            await turn.reprompt(patient, tr.gettext(en.FINISH_FIRST))
        elif patient.status in ENROLLED:
            turn.touch(patient, None)
            menu = es.settings_menu(steps.profile_of(patient), steps.items_for(patient), tr)
            turn.send(menu, patient)
        elif patient.status == PatientStatus.WITHDRAWN:
            turn.send(en.stopped(tr), patient)
        else:
            turn.send(en.finished(tr), patient)


async def mark_home(
    services: Services, user_id: int, chat_id: int, language_code: str | None = None
) -> None:
    """``/home``: a fusion patient left hospital, so check-ins can start.

    Sets ``in_hospital`` False and ``discharge_date`` to the patient's local date,
    reschedules, and confirms the first check-in time; otherwise says nothing changed.

    Args:
        services: the service context.
        user_id: the Telegram user id of the patient who is home.
        chat_id: the private chat.
    """
    async with open_turn(services, chat_id) as turn:
        patient = await turn.known_patient(user_id, language_code)
        if patient is None or await turn.go_home(patient):
            return
        if patient.status == PatientStatus.ENROLLING:
            await turn.reprompt(patient)
        else:
            upcoming = steps.next_checkin(patient)
            turn.send(es.home_noted(upcoming, steps.tr_of(patient), already=True), patient)


async def handle_location(
    services: Services,
    user_id: int,
    chat_id: int,
    latitude: float,
    longitude: float,
    language_code: str | None = None,
) -> bool:
    """A shared location: answers the time zone question, otherwise gets a short hint.

    A point with no time zone (off the map) asks the patient to type it.

    Args:
        services: the service context.
        user_id: the Telegram user id.
        chat_id: the private chat.
        latitude: the shared latitude.
        longitude: the shared longitude.

    Returns:
        True when the location set the time zone.
    """
    async with open_turn(services, chat_id) as turn:
        patient = await turn.known_patient(user_id, language_code)
        if patient is None:
            return False
        mode, key = steps.current(patient)
        changing = patient.status == PatientStatus.ENROLLING or (
            patient.status in ENROLLED and mode == steps.EDIT
        )
        if key != ev.ZONE or not changing:
            turn.send(en.location_unused(steps.tr_of(patient)), patient)
            return False
        zone = zone_at(latitude, longitude)
        if zone is None:
            await turn.reprompt(patient, turn.said(patient, en.NO_LOCATION))
            return False
        before = patient.procedure
        steps.apply_zone(patient, zone)
        await turn.advance(patient, mode, key, before)
        return True


async def get_enrollment(services: Services, user_id: int) -> EnrollmentView | None:
    """The enrollment state of a Telegram user (read only).

    Args:
        services: the service context.
        user_id: the Telegram user id.

    Returns:
        The state, or None when the user has no patient row.
    """
    async with services.session_factory() as session:  # never committed: changes nothing
        patient = await find_patient(session, user_id, now=services.now())
        if patient is None:
            return None
        return EnrollmentView(
            status=str(patient.status),
            step=patient.enrollment_step,
            discharge_date=patient.discharge_date,
            next_checkin_at=patient.next_checkin_at,
            **asdict(steps.profile_of(patient)),
        )
