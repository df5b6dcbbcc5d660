"""Enrollment and settings edge cases, cheaper here than end to end."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from models import Outbox, Patient, PatientStatus
from services.context import Services
from services.enrollment import enroll as enrollment
from tests.support.clock import FakeClock
from views import texts as copy
from views.callbacks import EnrollCb
from views.enrollment import notices as en
from views.enrollment import questions as ev
from views.i18n import translator

USER = 77


async def texts(services: Services) -> list[str]:
    async with services.session_factory() as session:
        rows = await session.scalars(select(Outbox).order_by(Outbox.id))
        return [row.payload["text"] for row in rows]


async def last_text(services: Services) -> str:
    return (await texts(services))[-1]


async def press(services: Services, step: str, choice: str) -> str | None:
    return await enrollment.choose(services, USER, USER, EnrollCb(step, choice))


async def enroll(services: Services, procedure: str = "k") -> None:
    await enrollment.start(services, USER, USER)
    for step, choice in (
        (ev.CONSENT, "yes"),
        (ev.NAME, "skip"),
        (ev.ZONE, ev.DEFAULT_ZONE),
        (ev.PROCEDURE, procedure),
        (ev.DATE, "1"),
        (ev.TIME, "4"),  # 18:00
        (ev.CONFIRM, "ok"),
    ):
        assert await press(services, step, choice) is None, step


async def set_status(services: Services, status: PatientStatus) -> None:
    async with services.transaction() as session:
        patient = await session.scalar(select(Patient).where(Patient.telegram_user_id == USER))
        assert patient is not None
        patient.status = status


async def test_text_outside_enrollment_is_left_to_other_features(services: Services) -> None:
    assert not await enrollment.route_text(services, USER, USER, "hello")
    await enroll(services)
    sent = len(await texts(services))
    assert not await enrollment.route_text(services, USER, USER, "my back hurts")
    assert len(await texts(services)) == sent


async def test_text_on_a_button_step_reasks_it(services: Services) -> None:
    await enrollment.start(services, USER, USER)
    assert await enrollment.route_text(services, USER, USER, "yes please")
    assert (await last_text(services)).startswith(en.BUTTONS_ONLY)
    assert (await enrollment.get_enrollment(services, USER)).step == ev.CONSENT  # type: ignore[union-attr]


async def test_forged_or_unknown_tokens_change_nothing(services: Services) -> None:
    await enrollment.start(services, USER, USER)
    await press(services, ev.CONSENT, "yes")
    await press(services, ev.NAME, "skip")
    assert await press(services, ev.ZONE, "99") == en.STALE
    assert await press(services, ev.ZONE, "-1") == en.STALE
    assert await press(services, ev.MENU, ev.TIME) == en.STALE  # no menu before the summary
    state = await enrollment.get_enrollment(services, USER)
    assert state is not None
    assert (state.step, state.timezone) == (ev.ZONE, "UTC")
    assert await enrollment.choose(services, 1, 1, EnrollCb(ev.CONSENT, "yes")) == en.STALE


async def test_settings_cancel_and_start_drop_an_unfinished_change(services: Services) -> None:
    await enroll(services)
    await enrollment.open_settings(services, USER, USER)
    await press(services, ev.MENU, ev.TIME)
    assert await enrollment.route_text(services, USER, USER, "noon-ish")  # re-asked
    assert (await last_text(services)).startswith(en.TIME_PROBLEM)
    assert await press(services, ev.BACK, "x") is None
    assert (await last_text(services)).startswith(en.NOTHING_CHANGED)
    await press(services, ev.MENU, ev.TIME)
    await enrollment.start(services, USER, USER)
    assert "You're enrolled" in await last_text(services)
    assert not await enrollment.route_text(services, USER, USER, "9:00")
    state = await enrollment.get_enrollment(services, USER)
    assert state is not None
    assert state.step is None
    assert str(state.checkin_time) == "18:00:00"


async def test_settings_while_enrolling_resends_the_current_step(services: Services) -> None:
    await enrollment.start(services, USER, USER)
    await press(services, ev.CONSENT, "yes")
    await enrollment.open_settings(services, USER, USER)
    text = await last_text(services)
    assert text.startswith(en.FINISH_FIRST)
    assert "What name" in text


async def test_changing_to_fusion_asks_about_the_hospital_stay(services: Services) -> None:
    await enroll(services)
    await enrollment.open_settings(services, USER, USER)
    await press(services, ev.MENU, ev.PROCEDURE)
    await press(services, ev.PROCEDURE, "f")
    assert (await last_text(services)).startswith("Saved.\n\nAre you home from hospital yet?")
    await press(services, ev.HOSPITAL, "in")
    state = await enrollment.get_enrollment(services, USER)
    assert state is not None
    assert state.in_hospital
    assert state.next_checkin_at is None
    assert "once you are home from hospital" in await last_text(services)

    await enrollment.open_settings(services, USER, USER)
    assert "Hospital stay: still in hospital" in await last_text(services)
    await press(services, ev.MENU, ev.HOSPITAL)
    await press(services, ev.HOSPITAL, "home")
    state = await enrollment.get_enrollment(services, USER)
    assert state is not None
    assert state.discharge_date == date(2026, 3, 2)
    assert state.next_checkin_at == datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


async def test_home_while_not_in_hospital_says_so(services: Services) -> None:
    await enrollment.mark_home(services, USER, USER)
    assert await last_text(services) == copy.not_enrolled(translator(None)).text
    await enroll(services)
    await enrollment.mark_home(services, USER, USER)
    assert (await last_text(services)).startswith("I already have you at home.")
    assert await press(services, ev.HOME, "1") == en.ALREADY_HOME


async def test_a_paused_patient_can_change_settings_without_a_schedule(
    services: Services,
) -> None:
    await enroll(services)
    await set_status(services, PatientStatus.PAUSED)
    await enrollment.open_settings(services, USER, USER)
    await press(services, ev.MENU, ev.TIME)
    await press(services, ev.TIME, "0")
    assert "Check-ins are paused" in await last_text(services)
    state = await enrollment.get_enrollment(services, USER)
    assert state is not None
    assert state.next_checkin_at is None
    assert state.status == "paused"


async def test_start_after_stop_turns_checkins_back_on(services: Services) -> None:
    await enroll(services)
    await set_status(services, PatientStatus.WITHDRAWN)
    await enrollment.open_settings(services, USER, USER)
    assert await last_text(services) == en.stopped(translator("en")).text
    await enrollment.start(services, USER, USER)
    assert (await last_text(services)).startswith("Welcome back")
    state = await enrollment.get_enrollment(services, USER)
    assert state is not None
    assert state.status == "active"
    assert state.next_checkin_at is not None


async def test_start_after_stop_mid_enrollment_resumes_it(services: Services) -> None:
    await enrollment.start(services, USER, USER)
    await press(services, ev.CONSENT, "yes")
    await set_status(services, PatientStatus.WITHDRAWN)
    await enrollment.start(services, USER, USER)
    assert "What name" in await last_text(services)
    state = await enrollment.get_enrollment(services, USER)
    assert state is not None
    assert (state.status, state.step) == ("enrolling", ev.NAME)


async def test_a_planned_operation_starts_checkins_on_its_day(
    services: Services, clock: FakeClock
) -> None:
    await enrollment.start(services, USER, USER)
    for step, choice in ((ev.CONSENT, "yes"), (ev.NAME, "skip"), (ev.ZONE, "0")):
        await press(services, step, choice)  # Europe/London
    await press(services, ev.PROCEDURE, "v")
    assert await enrollment.route_text(services, USER, USER, "20 March")
    await press(services, ev.TIME, "1")  # 09:00
    await press(services, ev.CONFIRM, "ok")
    state = await enrollment.get_enrollment(services, USER)
    assert state is not None
    assert state.surgery_date == date(2026, 3, 20)
    assert state.next_checkin_at == datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
    assert "Friday 20 March at 09:00 (Europe/London)" in await last_text(services)


async def test_a_location_off_the_map_or_outside_the_zone_step_asks_to_type(
    services: Services,
) -> None:
    assert not await enrollment.handle_location(services, USER, USER, 51.5, -0.1)
    assert await last_text(services) == copy.not_enrolled(translator(None)).text
    await enrollment.start(services, USER, USER)
    await press(services, ev.CONSENT, "yes")
    assert not await enrollment.handle_location(services, USER, USER, 51.5, -0.1)
    assert await last_text(services) == en.location_unused(translator("en")).text
    await press(services, ev.NAME, "skip")
    assert not await enrollment.handle_location(services, USER, USER, 95.0, 0.0)  # no such place
    sent = await texts(services)
    assert sent[-2].startswith(en.NO_LOCATION)
    assert "Which time zone" in sent[-2]
    assert sent[-1] == en.location_offer(translator("en")).text


async def test_a_shared_location_sets_the_zone_offline(services: Services) -> None:
    await enrollment.start(services, USER, USER)
    await press(services, ev.CONSENT, "yes")
    await press(services, ev.NAME, "skip")
    assert await enrollment.handle_location(services, USER, USER, 53.48, -2.24)  # Manchester
    state = await enrollment.get_enrollment(services, USER)
    assert state is not None
    assert (state.timezone, state.step) == ("Europe/London", ev.PROCEDURE)
