"""Every report of a warning sign is acted on, every time (issue #13, items 1 and 3).

A sign reported again gets the instruction again at once; the care team's open alert for the
check-in is updated, not duplicated; a higher level gets a new post; a check-in left half-done
with an unclear answer to a warning sign reaches the care team the same day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from app.runtime import Runtime
from models import Alert
from recovery import Level
from tests.fakebot import FakeBotApi
from tests.support.answers import BENIGN
from tests.support.bot import CARE_TEAM_CHAT
from tests.support.checkin import PATIENT, answer_all, first_question
from tests.support.clock import FakeClock
from tests.support.factories import make_care_link, make_patient
from tests.support.idle import settled

CAREGIVER = 5151
SCREEN = "Do you have any of these now"
CHEST = "Chest pain or breathless"


@pytest.fixture(autouse=True)
def _morning(clock: FakeClock) -> None:
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))


async def enroll(runtime: Runtime, *, caregiver: bool = False) -> int:
    patient = await make_patient(
        runtime.services,
        user_id=PATIENT,
        display_name="Ann",
        surgery_date=date(2026, 2, 28),
        timezone="Europe/London",
        checkin_time=time(9, 0),
    )
    if caregiver:
        await make_care_link(runtime.services, patient, user_id=CAREGIVER, display_name="Bob")
    return patient


def texts(api: FakeBotApi, chat: int, fragment: str) -> list[str]:
    return [m.text or "" for m in api.messages(chat) if fragment.lower() in (m.text or "").lower()]


async def alerts(runtime: Runtime) -> list[Alert]:
    async with runtime.services.session_factory() as session:
        return list((await session.scalars(select(Alert).order_by(Alert.id))).all())


async def recheck(api: FakeBotApi, answers: dict[str, str], *, stop_after: str = "") -> None:
    """The patient sends /checkin again the same day and answers."""
    seen = len(api.messages(PATIENT))
    api.send_text(PATIENT, "/checkin")
    await api.wait_for_message(PATIENT, contains=SCREEN, after=seen)
    await answer_all(api, answers, stop_after=stop_after)


async def test_a_sign_reported_again_is_instructed_again_and_updates_the_one_alert(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime)
    await first_question(api, runtime, clock)
    await answer_all(api, {**BENIGN, "fever": "Yes"})
    await api.wait_for_message(PATIENT, contains="Check-in done")
    post = await api.wait_for_message(CARE_TEAM_CHAT, contains="URGENT")

    clock.set(datetime(2026, 3, 2, 14, 5, tzinfo=UTC))  # 14:05 in London
    await settled(api, runtime)  # the first post is delivered (a person is slower)
    await recheck(api, {**BENIGN, "fever": "Yes"})
    await api.wait_for(lambda: len(texts(api, PATIENT, "You reported: a fever")) == 2)
    await api.wait_for(lambda: "Reported again at 14:05 UTC" in (post.text or ""))  # clinic's zone
    await settled(api, runtime)
    assert "• fever: Yes 🆕" in post.text  # the answer given again is marked new
    assert len(texts(api, CARE_TEAM_CHAT, "URGENT")) == 1  # updated, not duplicated
    assert post.button_labels == ["Acknowledge"]
    (alert,) = await alerts(runtime)
    assert alert.report_count == 2


async def test_a_caregiver_answering_is_told_what_to_do_and_so_is_the_patient(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime, caregiver=True)
    await first_question(api, runtime, clock)
    await answer_all(api, {**BENIGN, "fever": "Yes"})  # the patient, in the morning
    await api.wait_for_message(CAREGIVER, contains="Ann reported: a fever")

    clock.set(datetime(2026, 3, 2, 16, 0, tzinfo=UTC))
    api.send_text(PATIENT, "/checkin")
    await api.wait_for_message(PATIENT, contains=SCREEN, after=2)
    api.send_text(CAREGIVER, "/answer")
    await api.wait_for_message(CAREGIVER, contains="Answering for Ann")
    await answer_all(api, {**BENIGN, "fever": "Yes"}, chat=CAREGIVER, user=CAREGIVER)

    told = await api.wait_for_message(CAREGIVER, contains="You reported: a fever")
    assert "doctor" in told.text.lower()
    await api.wait_for(lambda: len(texts(api, PATIENT, "You reported: a fever")) == 2)
    await settled(api, runtime)
    assert len(texts(api, CARE_TEAM_CHAT, "URGENT")) == 1


async def test_an_emergency_answered_twice_is_instructed_twice(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime)
    question = await first_question(api, runtime, clock)
    api.press_button(PATIENT, question, CHEST)
    await api.wait_for_message(PATIENT, contains="🚨")
    post = await api.wait_for_message(CARE_TEAM_CHAT, contains="EMERGENCY")

    clock.advance(minutes=3)
    await settled(api, runtime)  # the first post is delivered (a person is slower)
    await recheck(api, {SCREEN: CHEST})
    await settled(api, runtime)
    await api.wait_for(lambda: len(texts(api, PATIENT, "🚨")) == 2)
    await api.wait_for(lambda: "Reported again" in (post.text or ""))
    await settled(api, runtime)
    assert len(texts(api, CARE_TEAM_CHAT, "EMERGENCY")) == 1


async def test_a_higher_level_gets_a_new_post_and_the_old_one_points_to_it(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime)
    await first_question(api, runtime, clock)
    await answer_all(api, {**BENIGN, "fever": "Yes"})
    urgent = await api.wait_for_message(CARE_TEAM_CHAT, contains="URGENT")

    clock.advance(hours=2)
    await settled(api, runtime)  # the first post is delivered (a person is slower)
    await recheck(api, {SCREEN: CHEST})
    emergency = await api.wait_for_message(CARE_TEAM_CHAT, contains="EMERGENCY", after=1)
    assert "a fever" in emergency.text  # one alert: everything reported today
    assert emergency.button_labels == ["Acknowledge"]
    await api.wait_for(lambda: "see the newer post" in (urgent.text or ""))
    assert urgent.buttons == []
    (alert,) = await alerts(runtime)
    assert alert.level is Level.EMERGENCY


async def test_a_half_done_check_in_with_an_unsure_sign_reaches_the_team_the_same_day(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime, caregiver=True)
    await first_question(api, runtime, clock)
    await answer_all(api, {**BENIGN, "fever": "Not sure"}, stop_after="fever")
    await settled(api, runtime)
    assert api.messages(CARE_TEAM_CHAT) == []  # still answering: nothing yet

    clock.advance(minutes=361)  # then silence: the check-in is marked missed
    await runtime.tick()
    post = await api.wait_for_message(CARE_TEAM_CHAT, contains="REVIEW TODAY")
    assert "not sure or no answer about: a fever" in post.text
    assert post.button_labels == ["Acknowledge"]
    note = await api.wait_for_message(PATIENT, contains="without a clear answer about: a fever")
    assert "call your doctor" in note.text.lower()
    (alert,) = await alerts(runtime)
    assert alert.level is Level.ATTENTION


async def test_a_missed_check_in_never_started_raises_no_alert(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime, caregiver=True)
    await first_question(api, runtime, clock)
    clock.advance(minutes=361)
    await runtime.tick()
    await api.wait_for_message(CAREGIVER, contains="has not completed today's")
    await settled(api, runtime)
    assert api.messages(CARE_TEAM_CHAT) == []
    assert await alerts(runtime) == []
