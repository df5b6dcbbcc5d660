"""The daily check-in end to end: the real bot, polling the fake Telegram, with a fake clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select

from app.runtime import Runtime
from models import Answer, CheckIn, CheckInStatus, Patient
from recovery import Procedure
from tests.fakebot import FakeBotApi
from tests.support.answers import BENIGN
from tests.support.bot import CARE_TEAM_CHAT
from tests.support.checkin import PATIENT, answer_all, first_question
from tests.support.clock import FakeClock
from tests.support.factories import make_care_link, make_checkin, make_patient
from tests.support.idle import settled
from views.callbacks import AnswerCb

CAREGIVER = 5151


@pytest.fixture(autouse=True)
def _early_morning(clock: FakeClock) -> None:
    """Each test starts on Monday 2 March 2026 at 08:00 UTC (08:00 in London)."""
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))


async def enroll(
    runtime: Runtime,
    *,
    procedure: Procedure = Procedure.KYPHOPLASTY,
    surgery: date = date(2026, 2, 28),
    zone: str = "Europe/London",
    at: time = time(9, 0),
    caregiver: bool = False,
) -> None:
    """An enrolled, active patient, Ann (enrollment itself is tested in test_enrollment)."""
    patient = await make_patient(
        runtime.services,
        user_id=PATIENT,
        display_name="Ann",
        procedure=procedure,
        surgery_date=surgery,
        timezone=zone,
        checkin_time=at,
    )
    if caregiver:
        await make_care_link(runtime.services, patient, user_id=CAREGIVER, display_name="Bob")


async def test_check_in_arrives_at_local_time_and_ends_with_the_days_guidance(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 3, 2, 8, 58, tzinfo=UTC))
    await enroll(runtime)
    await runtime.tick()
    await settled(api, runtime)
    assert api.messages(PATIENT) == []  # not yet 09:00 in London

    question = await first_question(api, runtime, clock)
    assert "day 2 of your recovery (1/" in question.text
    assert "None of these" in question.button_labels

    await answer_all(api, BENIGN)
    done = await api.wait_for_message(PATIENT, contains="Check-in done")
    assert "For day 2 of your recovery" in done.text
    assert "ice pack" in done.text.lower()
    assert "call your doctor" not in done.text.lower()
    await settled(api, runtime)
    assert api.messages(CARE_TEAM_CHAT) == []

    async with runtime.services.session_factory() as session:
        stored = (await session.scalars(select(Answer))).all()
        checkin = await session.scalar(select(CheckIn))
    assert len(stored) == len(checkin.question_keys)
    assert {a.answered_by for a in stored} == {PATIENT}
    assert checkin.status == CheckInStatus.COMPLETED


async def test_red_flag_gets_an_urgent_reply_at_once_and_alerts_team_and_caregiver(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime, caregiver=True)
    await first_question(api, runtime, clock)
    await answer_all(api, {**BENIGN, "fever": "Yes"}, stop_after="fever")

    urgent = await api.wait_for_message(PATIENT, contains="You reported: a fever")
    assert "doctor" in urgent.text.lower()
    team = await api.wait_for_message(CARE_TEAM_CHAT, contains="URGENT")
    assert "P-0001 (Ann)" in team.text
    assert "a fever" in team.text
    assert "• fever: Yes" in team.text
    assert team.button_labels == ["Acknowledge"]
    care = await api.wait_for_message(CAREGIVER, contains="Ann reported: a fever")
    assert "Please check on them" in care.text

    # the check-in goes on after an urgent answer and ends with the reminder to act
    await answer_all(api, BENIGN)
    done = await api.wait_for_message(PATIENT, contains="Check-in done")
    assert "Please make sure you have acted on: a fever" in done.text


async def test_emergency_answer_stops_the_check_in_and_follows_up(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime, caregiver=True)
    question = await first_question(api, runtime, clock)
    api.press_button(PATIENT, question, "Chest pain or breathless")

    emergency = await api.wait_for_message(PATIENT, contains="🚨")
    assert "999" in emergency.text  # Ann lives in London
    assert "chest pain" in emergency.text
    await api.wait_for(lambda: "Check-in closed" in question.text)
    assert question.buttons == []
    await api.wait_for_message(CARE_TEAM_CHAT, contains="EMERGENCY")

    clock.advance(minutes=10)
    await runtime.tick()
    followup = await api.wait_for_message(PATIENT, contains="are you getting help?")

    clock.advance(minutes=10)  # no answer: raised again to caregivers and the team
    await runtime.tick()
    await api.wait_for_message(CAREGIVER, contains="has not answered whether help is coming")
    await api.wait_for_message(CARE_TEAM_CHAT, contains="reminder 1")
    assert followup.buttons  # still answerable
    await settled(api, runtime)
    assert "Check-in done" not in " ".join(m.text or "" for m in api.messages(PATIENT))


SIGNS = {  # button -> what the patient and the care team are told was reported
    "Chest pain or breathless": "sudden chest pain or trouble breathing",
    "Fainted or coughed blood": "fainting or coughing up blood",
    "No bladder/bowel control": (
        "loss of bladder or bowel control, or numbness around the genitals or bottom"
    ),
    "Can't move or feel a leg": (
        "cannot move or feel a leg, or both legs getting weaker or more numb"
    ),
    "Very drowsy, slow breath": "very sleepy and hard to wake, very slow breathing or blue lips",
}


@pytest.mark.parametrize("procedure", [Procedure.KYPHOPLASTY, Procedure.FUSION], ids=str)
@pytest.mark.parametrize(("label", "reason"), SIGNS.items(), ids=list(SIGNS))
async def test_each_sign_on_the_emergency_screen_gets_the_emergency_instruction(
    api: FakeBotApi,
    runtime: Runtime,
    clock: FakeClock,
    procedure: Procedure,
    label: str,
    reason: str,
) -> None:
    await enroll(runtime, procedure=procedure)
    question = await first_question(api, runtime, clock)
    assert "earlier today" in question.text
    assert [label] in [[button["text"] for button in row] for row in question.buttons]
    api.press_button(PATIENT, question, label)

    emergency = await api.wait_for_message(PATIENT, contains="🚨")
    assert "now, or ask someone near you to call. Do not drive yourself." in emergency.text
    assert f"You reported: {reason}" in emergency.text
    team = await api.wait_for_message(CARE_TEAM_CHAT, contains="EMERGENCY")
    assert reason in team.text
    await api.wait_for(lambda: "Check-in closed" in question.text)


async def test_unanswered_check_in_gets_one_reminder_then_is_missed(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime, caregiver=True)
    await first_question(api, runtime, clock)

    clock.advance(minutes=121)
    await runtime.tick()
    await api.wait_for_message(PATIENT, contains="gentle reminder")
    repeat = await api.wait_for_message(PATIENT, contains="Do you have any of these now", after=1)
    assert repeat.buttons
    clock.advance(minutes=30)
    await runtime.tick()
    await settled(api, runtime)
    assert sum("gentle reminder" in (m.text or "") for m in api.messages(PATIENT)) == 1

    clock.advance(minutes=240)
    await runtime.tick()
    notice = await api.wait_for_message(CAREGIVER, contains="has not completed today's")
    assert "Ann" in notice.text

    # a late answer is still taken: nothing the patient reports is lost
    api.press_button(PATIENT, repeat, "None of these")
    await api.wait_for(lambda: "(2/" in (repeat.text or ""))


async def test_one_check_in_per_local_day_whatever_the_ticks(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime)
    await first_question(api, runtime, clock)
    for _ in range(3):
        clock.advance(minutes=5)
        await runtime.tick()
    clock.set(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    await runtime.tick()
    await runtime.tick()
    async with runtime.services.session_factory() as session:
        days = (await session.scalars(select(CheckIn.local_date).order_by(CheckIn.id))).all()
    assert days == [date(2026, 3, 2), date(2026, 3, 3)]


async def test_after_downtime_only_todays_check_in_is_sent(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime)
    clock.set(datetime(2026, 3, 6, 7, 0, tzinfo=UTC))  # down since the 2nd; before today's slot
    await runtime.tick()
    clock.set(datetime(2026, 3, 6, 9, 1, tzinfo=UTC))
    await runtime.tick()
    await api.wait_for_message(PATIENT, contains="day 6 of your recovery")
    async with runtime.services.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(CheckIn)) == 1


async def test_free_text_during_a_check_in_gets_a_hint_and_the_question_again(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime)
    await first_question(api, runtime, clock)
    api.send_text(PATIENT, "my back hurts a bit")
    await api.wait_for_message(PATIENT, contains="Please answer with the buttons")
    again = await api.wait_for_message(PATIENT, contains="Do you have any of these now", after=1)
    assert again.buttons


async def test_forged_stale_and_double_presses_store_nothing(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime)
    question = await first_question(api, runtime, clock)

    stranger = api.press(777, question, question.buttons[0][0]["callback_data"])
    answer = await api.wait_callback_answer(stranger)
    assert "Only the patient" in answer["text"]
    assert answer["show_alert"]

    forged = api.press(PATIENT, question, AnswerCb(999, 0, 0).pack())
    assert "no longer active" in (await api.wait_callback_answer(forged))["text"]

    data = question.find_button("None of these")["callback_data"]
    first = api.press(PATIENT, question, data)
    await api.wait_callback_answer(first)
    double = api.press(PATIENT, question, data)
    assert "already answered" in (await api.wait_callback_answer(double))["text"]

    async with runtime.services.session_factory() as session:
        stored = (await session.scalars(select(Answer))).all()
    assert [(a.question_key, a.value) for a in stored] == [("emergency", "none")]


@pytest.mark.parametrize("command", ["/checkin"])
async def test_checkin_command_starts_now_and_a_second_one_keeps_history(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock, command: str
) -> None:
    clock.set(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    await enroll(runtime)
    api.send_text(PATIENT, command)
    await api.wait_for_message(PATIENT, contains="Do you have any of these now")
    await answer_all(api, BENIGN)
    await api.wait_for_message(PATIENT, contains="Check-in done")

    api.send_text(PATIENT, command)
    await api.wait_for_message(PATIENT, contains="Do you have any of these now", after=2)
    await answer_all(api, {**BENIGN, "How bad is your back": "4"})
    await api.wait_for(
        lambda: sum("Check-in done" in (m.text or "") for m in api.messages(PATIENT)) == 2
    )

    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    await runtime.tick()  # the scheduled one finds today's check-in done: nothing new
    async with runtime.services.session_factory() as session:
        pains = (
            await session.execute(
                select(Answer.value, Answer.superseded_at).where(Answer.question_key == "pain")
            )
        ).all()
        checkins = await session.scalar(select(func.count()).select_from(CheckIn))
    assert sorted(value for value, _ in pains) == ["3", "4"]
    assert [value for value, superseded in pains if superseded is None] == ["4"]
    assert checkins == 1


async def test_pain_much_worse_than_yesterday_is_urgent_from_history(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime)
    async with runtime.services.session_factory() as session:
        patient_id = await session.scalar(select(Patient.id))
    await make_checkin(runtime.services, patient_id, date(2026, 3, 1), 1, answers={"pain": 2})
    await first_question(api, runtime, clock)
    await answer_all(api, {**BENIGN, "How bad is your back": "6"}, stop_after="How bad")
    urgent = await api.wait_for_message(PATIENT, contains="much worse than at the last check-in")
    assert "⚠️" in urgent.text


async def test_a_caregiver_sending_checkin_is_pointed_to_answer(
    api: FakeBotApi, runtime: Runtime
) -> None:
    await enroll(runtime, caregiver=True)
    api.send_text(CAREGIVER, "/checkin")
    reply = await api.wait_for_message(CAREGIVER, contains="/answer")
    assert "not enrolled" not in reply.text


async def test_after_todays_check_in_status_shows_tomorrow_and_the_pain_chart(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))  # before the 09:00 slot
    await enroll(runtime)
    api.send_text(PATIENT, "/checkin")
    await api.wait_for_message(PATIENT, contains="Do you have any of these now")
    await answer_all(api, BENIGN)
    await api.wait_for_message(PATIENT, contains="Check-in done")
    api.send_text(PATIENT, "/status")
    status = await api.wait_for_message(PATIENT, contains="Next check-in")
    assert "Tuesday 3 March at 09:00" in status.text
    (chart,) = await api.wait_for(lambda: api.photos(PATIENT))  # the pain course as a picture
    assert chart.photo is not None
    assert chart.photo["content"].startswith(b"\x89PNG")
    assert "usual range" in (chart.caption or "")
