"""Warning signs written in words get the instruction at once, and the care team hears (#13.2)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from app.logs import configure_logging
from app.runtime import Runtime
from tests.e2e.test_red_flags import CAREGIVER, enroll
from tests.fakebot import FakeBotApi
from tests.support.bot import CARE_TEAM_CHAT, ChatUser
from tests.support.checkin import PATIENT, first_question
from tests.support.clock import FakeClock
from tests.support.idle import settled

STRANGER = 7070


@pytest.fixture(autouse=True)
def _morning(clock: FakeClock) -> None:
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))


async def test_an_emergency_written_during_a_check_in_is_instructed_and_alerted(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime)
    await first_question(api, runtime, clock)
    api.send_text(PATIENT, "I can't breathe and my chest hurts")
    reply = await api.wait_for_message(PATIENT, contains="🚨")
    assert "If you have chest pain or trouble breathing now, call 999 now" in reply.text
    post = await api.wait_for_message(CARE_TEAM_CHAT, contains="EMERGENCY")
    assert "a message about chest pain or trouble breathing" in post.text


async def test_a_negated_phrase_gets_an_instruction_that_is_still_right(
    api: FakeBotApi, runtime: Runtime
) -> None:
    await enroll(runtime)
    api.send_text(PATIENT, "I do not have chest pain, all good")
    reply = await api.wait_for_message(PATIENT, contains="If you have chest pain")
    assert "did not understand" not in reply.text


async def test_an_emergency_written_mid_enrollment_is_instructed_and_enrollment_goes_on(
    api: FakeBotApi, runtime: Runtime
) -> None:
    person = ChatUser(api, STRANGER)
    await person.walk("name")
    reply = await person.says("cannot feel my legs", "🚨")
    assert "If you have a leg you cannot move or feel" in reply.text
    assert "call 112 now" in reply.text  # not enrolled yet: the default zone's number
    await person.presses("Skip", "Which time zone", message=api.messages(STRANGER)[-2])
    await settled(api, runtime)
    assert api.messages(CARE_TEAM_CHAT) == []  # nobody to tell about yet


async def test_a_caregiver_writing_a_sign_is_instructed_and_the_team_alerted(
    api: FakeBotApi, runtime: Runtime
) -> None:
    await enroll(runtime, caregiver=True)
    api.send_text(CAREGIVER, "Ann has a high temperature and shivers")
    reply = await api.wait_for_message(CAREGIVER, contains="⚠️")
    assert "If you have a fever or chills, call your doctor" in reply.text
    post = await api.wait_for_message(CARE_TEAM_CHAT, contains="URGENT")
    assert "P-0001 (Ann)" in post.text
    assert "a message about a fever or chills" in post.text


async def test_long_text_in_any_script_is_answered_and_never_logged(
    api: FakeBotApi, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    configure_logging("DEBUG")
    caplog.set_level(logging.DEBUG)
    await enroll(runtime)
    text = ("Привет 👋🏽 مرحبا ‮שלום‬ 你好 " * 200)[:4000]
    api.send_text(PATIENT, text)
    reply = await api.wait_for_message(PATIENT, contains="did not understand")
    assert "emergency number" in reply.text
    api.send_text(PATIENT, "secretword I cannot breathe")
    await api.wait_for_message(PATIENT, contains="🚨")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Привет" not in logged
    assert "secretword" not in logged
    assert "written warning sign: chest" in logged
