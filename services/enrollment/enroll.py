"""Enrollment use cases: /start, the step-by-step questions (buttons and typed answers).

Each public function is one transaction. Progress lives in ``Patient.enrollment_step`` (see
:mod:`services.enrollment.steps`), so an interrupted enrollment or change survives restarts;
replies go through the outbox in the same transaction. The /settings, /home and location use
cases live in :mod:`services.enrollment.settings` and are re-exported here.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from models import Patient, PatientStatus
from services.context import Services
from services.enrollment import steps
from services.enrollment.settings import (
    EnrollmentView,
    get_enrollment,
    handle_location,
    mark_home,
    open_settings,
)
from services.enrollment.turn import ENROLLED, Turn, is_complete, open_turn
from services.risk_summary import note_change
from views.callbacks import EnrollCb
from views.enrollment import notices as en
from views.enrollment import questions as ev
from views.enrollment import summary as es
from views.enrollment import welcome
from views.i18n import SUPPORTED, pick_language
from views.message import Message

__all__ = [
    "EnrollmentView",
    "choose",
    "get_enrollment",
    "handle_location",
    "handle_text",
    "mark_home",
    "open_settings",
    "route_text",
    "start",
]


async def start(
    services: Services, user_id: int, chat_id: int, language_code: str | None = None
) -> None:
    """``/start``: begin enrollment with consent, resume it, or remind an enrolled patient.

    A new user gets a patient row (status enrolling, time zone DEFAULT_TIMEZONE) and the
    consent question; an enrolling one gets the current step's question again; an active or
    paused one a short recap (an unfinished /settings change is dropped); one who stopped
    check-ins gets them back (or resumes enrollment if it was never finished).

    Args:
        services: the service context.
        user_id: the Telegram user id.
        chat_id: the private chat the command came from.
        language_code: the user's Telegram language; kept unless they chose one already.
    """
    try:
        await _start(services, user_id, chat_id, language_code)
    except IntegrityError:  # a concurrent /start created the row first: resume it
        await _start(services, user_id, chat_id, language_code)


async def _start(services: Services, user_id: int, chat_id: int, language_code: str | None) -> None:
    async with open_turn(services, chat_id) as turn:
        patient = await turn.patient(user_id)
        if patient is not None and patient.language is None:
            patient.language = pick_language(language_code)
        if patient is None:
            patient = Patient(
                telegram_user_id=user_id,
                chat_id=chat_id,
                status=PatientStatus.ENROLLING,
                enrollment_step=ev.CONSENT,
                in_hospital=False,
                timezone=services.config.default_timezone,
                language=pick_language(language_code),
                created_at=turn.now,
                updated_at=turn.now,
            )
            turn.session.add(patient)
            await turn.session.flush()
            note_change(turn.session, patient.id, turn.now)  # every patient has a summary row
            await turn.reprompt(patient)
        elif patient.status == PatientStatus.ENROLLING:
            if patient.enrollment_step is None:  # not written by this module; be forgiving
                turn.touch(patient, steps.first_missing(patient))
            await turn.reprompt(patient)
        elif patient.status in ENROLLED:
            turn.touch(patient, None)
            turn.send(
                es.status_reminder(steps.next_checkin(patient), steps.tr_of(patient)), patient
            )
        elif patient.status == PatientStatus.WITHDRAWN and is_complete(patient):
            patient.status = PatientStatus.ACTIVE
            turn.touch(patient, None)
            turn.reschedule(patient)
            turn.send(es.welcome_back(steps.next_checkin(patient), steps.tr_of(patient)), patient)
        elif patient.status == PatientStatus.WITHDRAWN:
            patient.status = PatientStatus.ENROLLING
            turn.touch(patient, patient.enrollment_step or steps.first_missing(patient))
            await turn.reprompt(patient)
        else:
            turn.send(en.finished(steps.tr_of(patient)), patient)


async def choose(
    services: Services, user_id: int, chat_id: int, cb: EnrollCb, message_id: int | None = None
) -> str | None:
    """A pressed enrollment or settings button; the pressed message loses its buttons.

    Args:
        services: the service context.
        user_id: who pressed.
        chat_id: the chat of the pressed message.
        cb: the decoded button.
        message_id: the pressed message (its buttons are removed once the press is handled).

    Returns:
        A callback notice when the button is stale or unknown (nothing changed), else None;
        in the presser's language when they are a patient.
        A press anywhere but the presser's private chat (whose id is their user id) is refused
        before anything is read, so a forged button in a group cannot move their messages there.
    """
    if chat_id != user_id:
        return en.STALE
    async with open_turn(services, chat_id) as turn:
        patient = await turn.patient(user_id)
        if patient is None:
            return en.STALE
        notice = await _choose(turn, patient, cb)
        if message_id is not None and chat_id == patient.chat_id:
            turn.clear_buttons(patient, message_id)
        return turn.said(patient, notice) if notice is not None else None


async def _choose(turn: Turn, patient: Patient, cb: EnrollCb) -> str | None:
    """Apply a press; returns a notice's message id when nothing changed."""
    mode, key = steps.current(patient)
    enrolling = patient.status == PatientStatus.ENROLLING
    at_summary = enrolling and (key == ev.CONFIRM or mode == steps.FIX)
    changing = patient.status in ENROLLED or at_summary
    if cb.step == ev.CONSENT and enrolling and key == ev.CONSENT and cb.choice in ("yes", "no"):
        if cb.choice == "no":
            await turn.session.delete(patient)
            turn.send(welcome.declined(steps.tr_of(patient)), None)
            return None
        patient.consent_at = turn.now
        await turn.advance(patient, None, ev.CONSENT, patient.procedure)
    elif cb.step == ev.LANGUAGE and enrolling and key == ev.CONSENT and cb.choice in SUPPORTED:
        patient.language = cb.choice  # the welcome again, in the language chosen
        await turn.reprompt(patient)
    elif cb.step == ev.CONFIRM and enrolling and key == ev.CONFIRM and cb.choice == "ok":
        await turn.confirm(patient)
    elif cb.step == ev.CONFIRM and enrolling and key == ev.CONFIRM and cb.choice == "chg":
        tr = steps.tr_of(patient)
        menu = es.settings_menu(steps.profile_of(patient), steps.items_for(patient), tr)
        turn.send(menu, patient)
    elif cb.step == ev.MENU and changing and cb.choice in steps.items_for(patient):
        turn.touch(patient, f"{steps.FIX if enrolling else steps.EDIT}:{cb.choice}")
        await turn.reprompt(patient)
    elif cb.step == ev.BACK and changing:
        turn.touch(patient, ev.CONFIRM if enrolling else None)
        if enrolling:
            await turn.reprompt(patient, turn.said(patient, en.NOTHING_CHANGED))
        else:
            profile, upcoming = steps.profile_of(patient), steps.next_checkin(patient)
            turn.send(es.saved(profile, upcoming, steps.tr_of(patient), changed=False), patient)
    elif cb.step == ev.HOME:
        return None if await turn.go_home(patient) else en.ALREADY_HOME
    elif cb.step == key and (enrolling or (changing and mode == steps.EDIT)):
        before = patient.procedure
        if not steps.apply_choice(patient, key, cb.choice, turn.ctx):
            return en.STALE
        await turn.advance(patient, mode, key, before)
    else:
        return en.STALE
    return None


async def handle_text(services: Services, user_id: int, chat_id: int, text: str) -> bool:
    """Typed text during enrollment or a /settings change: the answer, or a re-ask saying why.

    Args:
        services: the service context.
        user_id: the writer's Telegram user id.
        chat_id: their private chat.
        text: the message text.

    Returns:
        True when enrollment consumed the text; False when the user is not in an enrollment
        or settings step (nothing was sent: the caller routes the text elsewhere).
    """
    async with open_turn(services, chat_id) as turn:
        patient = await turn.patient(user_id)
        if patient is None or patient.status not in (PatientStatus.ENROLLING, *ENROLLED):
            return False
        mode, key = steps.current(patient)
        if key is None:
            return False
        if key in (ev.CONSENT, ev.CONFIRM):
            await turn.reprompt(patient, turn.said(patient, en.BUTTONS_ONLY))
            return True
        before = patient.procedure
        problem = steps.apply_text(patient, key, text, turn.ctx, editing=mode is not None)
        if isinstance(problem, Message):
            turn.send(problem, patient)
        elif problem is not None:
            await turn.reprompt(patient, problem)
        else:
            await turn.advance(patient, mode, key, before)
        return True


route_text = handle_text
"""The name the private-text router calls (same as :func:`handle_text`)."""
