"""Enrollment and /settings as a patient does them, against the fake Telegram."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from app.runtime import Runtime
from services.enrollment import enroll
from tests.fakebot import FakeBotApi
from tests.support.bot import ChatUser, make_runtime
from tests.support.clock import FakeClock
from tests.support.idle import settled
from views.callbacks import EnrollCb
from views.enrollment import questions
from views.enrollment import questions as ev

PATIENT = 4242


@pytest.fixture
def patient(api: FakeBotApi, runtime: Runtime) -> ChatUser:
    return ChatUser(api, PATIENT)


async def test_augmentation_enrollment_from_start_to_first_checkin(
    patient: ChatUser, runtime: Runtime
) -> None:
    consent = await patient.says("/start", "Do you agree?")
    for promise in ("your answers", "your care team", "caregivers you invite", "/delete"):
        assert promise in consent.text
    assert "not an emergency service" in consent.text
    assert len(consent.text) <= 500
    assert consent.button_labels[:3] == ["Agree", "Decline", "More about your data"]
    assert consent.button_labels[3:] == ["Español", "Русский", "العربية"]  # other languages
    details = await patient.presses("More about your data", "About your data", message=consent)
    for promise in ("What I store", "Nobody else", "do not replace your care team"):
        assert promise in details.text

    await patient.presses("Agree", "What name should your care team see")
    zones = await patient.says("  Anna   K  ", "Which time zone")
    assert zones.button_labels[:3] == ["UTC", "London", "Berlin"]
    assert "New York" in zones.button_labels
    operations = await patient.says("new york", "Which operation")
    assert operations.button_labels == ["Vertebroplasty", "Kyphoplasty", "Spinal fusion"]
    dates = await patient.presses("Kyphoplasty", "When was your operation")
    assert dates.button_labels == ["Today", "Yesterday", "2 days ago"]
    times = await patient.presses("Yesterday", "At what time")  # no hospital question
    assert times.button_labels == ["08:00", "09:00", "10:00", "12:00", "18:00", "20:00"]
    summary = await patient.presses("18:00", "Please check your details")
    for line in (
        "Name for your care team: Anna K",
        "Operation: Kyphoplasty",
        "Surgery date: Sunday 1 March 2026",  # yesterday in New York (04:00 there)
        "Time zone: America/New_York",
        "Daily check-in: 18:00",
    ):
        assert line in summary.text
    assert "Hospital" not in summary.text
    assert summary.button_labels == ["Confirm", "Change something"]

    done = await patient.presses("Confirm", "You're all set")
    assert "first check-in comes on Monday 2 March at 18:00 (America/New_York)" in done.text
    state = await enroll.get_enrollment(runtime.services, PATIENT)
    assert state is not None
    assert state.status == "active"
    assert state.next_checkin_at == datetime(2026, 3, 2, 23, 0, tzinfo=UTC)

    again = await patient.says("/start", "You're enrolled")
    assert "Monday 2 March at 18:00" in again.text
    assert "/help" in again.text


async def test_fusion_in_hospital_starts_after_home(
    patient: ChatUser, api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    hospital = await patient.walk("hospital", procedure="Spinal fusion", surgery="28 February 2026")
    assert hospital.button_labels == ["I'm home", "Still in hospital"]
    await patient.presses("Still in hospital", "At what time")
    summary = await patient.says("9am", "Please check your details")
    assert "Hospital stay: still in hospital" in summary.text
    assert "Daily check-in: 09:00" in summary.text

    done = await patient.presses("Confirm", "You're all set")
    assert "start once you are home from hospital" in done.text
    assert "/home" in done.text
    assert done.button_labels == ["I'm home"]
    state = await enroll.get_enrollment(runtime.services, PATIENT)
    assert state is not None
    assert state.in_hospital
    assert state.next_checkin_at is None

    clock.set(datetime(2026, 3, 4, 8, 0, tzinfo=UTC))
    home = await patient.says("/home", "Welcome home!")
    assert "next check-in comes on Wednesday 4 March at 09:00 (UTC)" in home.text
    state = await enroll.get_enrollment(runtime.services, PATIENT)
    assert state is not None
    assert not state.in_hospital
    assert str(state.discharge_date) == "2026-03-04"

    # the button in the confirmation is stale now
    query = api.press_button(PATIENT, done, "I'm home")
    answer = await api.wait_callback_answer(query)
    assert "already have you at home" in answer["text"]


async def test_typed_dates_in_several_formats(patient: ChatUser) -> None:
    await patient.walk()
    for typed in ("2026-02-27", "27 February 2026", "Feb 27", "27 Feb", "27.2.2026", "27/02/2026"):
        await patient.says("/settings", "What would you like to change?")
        await patient.presses("Surgery date", "When was your operation")
        saved = await patient.says(typed, "Saved.")
        assert "Surgery date: Friday 27 February 2026" in saved.text, typed


async def test_bad_dates_are_reasked_with_the_reason(patient: ChatUser) -> None:
    await patient.walk("date", procedure="Vertebroplasty")

    cases = {
        "2026-05-01": "more than 4 weeks in the future",
        "1 January 2025": "more than a year ago",
        "sometime last winter": "could not read that as a date",
        "31 February 2026": "does not exist",
        "01/03/2026": "could mean Saturday 3 January 2026 or Sunday 1 March 2026",
    }
    for typed, reason in cases.items():
        reask = await patient.says(typed, reason)
        assert "When was your operation?" in reask.text, typed
        assert "1 March 2026" in reask.text
        assert reask.button_labels == ["Today", "Yesterday", "2 days ago"]
    summary_next = await patient.says("1 March 2026", "At what time")
    assert summary_next.button_labels[0] == "08:00"


async def test_bad_time_is_reasked(patient: ChatUser) -> None:
    await patient.walk("time", surgery="Today")
    for typed in ("25:00", "half past nine"):
        reask = await patient.says(typed, "could not read that as a time")
        assert "At what time each day" in reask.text
        assert "20:00" in reask.button_labels
    summary = await patient.says("6:30 pm", "Please check your details")
    assert "Daily check-in: 18:30" in summary.text


async def test_display_name_is_checked_and_shown(patient: ChatUser) -> None:
    await patient.says("/start", "Do you agree?")
    await patient.presses("Agree", "What name")
    too_long = await patient.says("x" * 65, "too long")
    assert "What name should your care team see" in too_long.text
    await patient.says("\tMaría  José ", "Which time zone")
    await patient.presses("UTC", "Which operation")
    await patient.presses("Kyphoplasty", "When was your operation")
    await patient.presses("Today", "At what time")
    summary = await patient.presses("08:00", "Please check your details")
    assert "Name for your care team: María José" in summary.text


async def test_answered_steps_lose_their_buttons_and_old_presses_change_nothing(
    patient: ChatUser, api: FakeBotApi
) -> None:
    consent = await patient.says("/start", "Do you agree?")
    await patient.presses("Agree", "What name")
    await api.wait_for(lambda: consent.buttons == [])  # answered: only the question asked has
    assert "Do you agree?" in consent.text  # buttons; the text stays
    seen = len(api.messages(PATIENT))
    query = api.press(PATIENT, consent, EnrollCb(ev.CONSENT, "no").pack())  # from another device
    answer = await api.wait_callback_answer(query)
    assert answer["show_alert"]
    assert "earlier question" in answer["text"]
    reask = await patient.says("Kyphoplasty", "Which time zone")  # taken as the name
    await api.wait_for_message(PATIENT, contains="share your location once", after=seen)
    assert len(api.messages(PATIENT)) == seen + 2  # the zone question and the location button
    assert reask.button_labels[0] == "UTC"

    operations = await patient.presses("UTC", "Which operation")
    await patient.presses("Kyphoplasty", "When was your operation")
    await api.wait_for(lambda: operations.buttons == [])
    query = api.press(PATIENT, operations, EnrollCb(ev.PROCEDURE, "f").pack())
    answer = await api.wait_callback_answer(query)
    assert "earlier question" in answer["text"]


async def test_decline_keeps_nothing(patient: ChatUser, runtime: Runtime) -> None:
    await patient.says("/start", "Do you agree?")
    assert await enroll.get_enrollment(runtime.services, PATIENT) is not None
    declined = await patient.presses("Decline", "have not kept anything")
    assert "/start" in declined.text
    assert await enroll.get_enrollment(runtime.services, PATIENT) is None
    await patient.says("/start", "Do you agree?")  # can start over


async def test_enrollment_resumes_after_a_restart(
    api: FakeBotApi, database_url: str, clock: FakeClock
) -> None:
    patient = ChatUser(api, PATIENT)
    async with make_runtime(api, database_url, clock):
        await patient.walk("zone", name="Sam")
    async with make_runtime(api, database_url, clock):
        resumed = await patient.says("/start", "Which time zone")
        assert resumed.button_labels[0] == "UTC"
        await patient.says("Europe/Paris", "Which operation")
        await patient.presses("Kyphoplasty", "When was your operation")


async def test_settings_change_of_checkin_time_moves_the_next_checkin(
    patient: ChatUser, runtime: Runtime
) -> None:
    done = await patient.walk()
    assert "Monday 2 March at 18:00 (UTC)" in done.text
    menu = await patient.says("/settings", "What would you like to change?")
    assert menu.button_labels == [
        "Name",
        "Operation",
        "Surgery date",
        "Time zone",
        "Check-in time",
        "Language / Idioma",
        "Nothing",
    ]
    question = await patient.presses("Check-in time", "At what time each day")
    assert question.button_labels[-1] == "Cancel"
    saved = await patient.presses("20:00", "Saved.")
    assert "Daily check-in: 20:00" in saved.text
    assert "next check-in comes on Monday 2 March at 20:00 (UTC)" in saved.text
    state = await enroll.get_enrollment(runtime.services, PATIENT)
    assert state is not None
    assert state.checkin_time == time(20, 0)
    assert state.step is None
    assert state.next_checkin_at == datetime(2026, 3, 2, 20, 0, tzinfo=UTC)


async def test_change_something_before_confirm(patient: ChatUser) -> None:
    await patient.walk("summary", surgery="Today", at="08:00")
    menu = await patient.presses("Change something", "What would you like to change?")
    assert "Hospital stay" not in menu.button_labels
    await patient.presses("Operation", "Which operation")
    await patient.presses("Spinal fusion", "Are you home from hospital yet?")
    summary = await patient.presses("I'm home", "Please check your details")
    assert "Operation: Spinal fusion" in summary.text
    assert "Hospital stay: home" in summary.text
    await patient.presses("Confirm", "first check-in comes on Tuesday 3 March at 08:00")


async def test_an_enrollment_button_pressed_in_a_group_changes_nothing(
    patient: ChatUser, api: FakeBotApi, runtime: Runtime
) -> None:
    group = -7001
    await patient.says("/start", "Do you agree?")
    api.add_bot_to_group(group, by_user_id=PATIENT, title="Family")
    hello = await api.wait_for_message(group, contains="/linkgroup CODE")
    forged = EnrollCb(questions.CONSENT, "yes").pack()  # the consent button, under a group post
    answer = await api.wait_callback_answer(api.press(PATIENT, hello, forged))
    assert "nothing was changed" in answer["text"]

    await patient.presses("Agree", "What name")  # consent still pending, asked in private
    await settled(api, runtime)
    assert len(api.messages(group)) == 1  # only the hello: nothing about the patient went there
