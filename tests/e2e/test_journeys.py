"""The whole journey of each procedure, as a patient lives it, through the real bot.

Enroll by conversation, the first check-in at the chosen local time, a normal day with the
day's guidance, a red-flag day with the urgent reply, a missed day with its reminder, pause
and resume, and erasure. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.runtime import Runtime
from models import CheckIn, CheckInStatus, Patient
from tests.fakebot import FakeBotApi
from tests.support.answers import BENIGN, FUSION_BENIGN
from tests.support.bot import CARE_TEAM_CHAT, ChatUser
from tests.support.checkin import PATIENT, answer_all
from tests.support.clock import FakeClock
from tests.support.idle import settled

JOURNEYS = {
    "Vertebroplasty": (BENIGN, {"fever": "Yes"}, "a fever", "ice pack"),
    "Kyphoplasty": (BENIGN, {"numbness": "Yes"}, "numbness, tingling or weakness", "ice pack"),
    "Spinal fusion": (
        FUSION_BENIGN,
        {"Look at your wound": "Fluid coming out"},
        "fluid draining from the wound",
        "10",  # the fusion lifting limit: nothing heavier than 10 lb
    ),
}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


async def scheduled_question(api: FakeBotApi, runtime: Runtime, clock: FakeClock, day: int) -> None:
    seen = len(api.messages(PATIENT))
    clock.set(at(day, 17, 59))
    await runtime.tick()
    await settled(api, runtime)
    assert len(api.messages(PATIENT)) == seen  # not before 18:00
    clock.set(at(day, 18, 0))
    await runtime.tick()
    await api.wait_for_message(PATIENT, contains="Do you have any of these now", after=seen)


async def count(runtime: Runtime, model: type, *where: object) -> int:
    async with runtime.services.session_factory() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)))


@pytest.mark.parametrize("procedure", list(JOURNEYS))
async def test_whole_journey(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock, procedure: str
) -> None:
    benign, red_flag, reason, guidance = JOURNEYS[procedure]
    person = ChatUser(api, PATIENT)

    # Enroll (surgery yesterday, UTC, 18:00); after fusion the patient is still in hospital.
    done = await person.walk(name="Ann", procedure=procedure)
    if procedure == "Spinal fusion":
        assert "home" in done.text.lower()
        clock.set(at(2, 18, 0))
        await runtime.tick()
        assert await count(runtime, CheckIn) == 0  # no check-ins in hospital
        welcome = await person.says("/home", "Welcome home")
        assert "Tuesday 3 March at 18:00" in welcome.text
        first_day = 3
    else:
        assert "Monday 2 March at 18:00 (UTC)" in done.text
        first_day = 2

    # Day 1 (first check-in): an ordinary day ends with that day's guidance.
    await scheduled_question(api, runtime, clock, first_day)
    await answer_all(api, benign)
    summary = await api.wait_for_message(PATIENT, contains="Check-in done")
    advice = summary.text
    if "More advice for today" in summary.button_labels:  # the rest, one press away
        more = await person.presses("More advice for today", "For day", message=summary)
        advice += more.text
    assert guidance in advice
    await settled(api, runtime)
    assert api.messages(CARE_TEAM_CHAT) == []

    # Next day: a red flag gets the urgent reply at once, and the care team hears of it.
    await scheduled_question(api, runtime, clock, first_day + 1)
    await answer_all(api, {**benign, **red_flag})
    urgent = await api.wait_for_message(PATIENT, contains=f"You reported: {reason}")
    assert "right away" in urgent.text
    await api.wait_for_message(CARE_TEAM_CHAT, contains=f"Findings: {reason}")

    # The day after: no answer, one reminder, then missed.
    await scheduled_question(api, runtime, clock, first_day + 2)
    clock.set(at(first_day + 2, 20, 1))
    await runtime.tick()
    await api.wait_for_message(PATIENT, contains="gentle reminder")
    clock.set(at(first_day + 3, 0, 1))
    await runtime.tick()
    assert await count(runtime, CheckIn, CheckIn.status == CheckInStatus.MISSED) == 1

    # Pause: no check-in while paused; resume says when the next one comes.
    await person.says("/pause", "paused")
    clock.set(at(first_day + 3, 18, 0))
    await runtime.tick()
    assert await count(runtime, CheckIn) == 3
    resumed = await person.says("/resume", "Check-ins are back on")
    assert f"{first_day + 4} March at 18:00" in resumed.text

    # Erase: everything about the patient goes.
    question = await person.says("/delete", "Erase all your data?")
    await person.presses("Yes, erase everything", "has been erased", question)
    assert await count(runtime, Patient) == 0
    assert await count(runtime, CheckIn) == 0
