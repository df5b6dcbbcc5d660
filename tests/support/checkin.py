"""Driving a check-in through the fake Telegram, as a patient or a caregiver would."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from app.runtime import Runtime
from tests.fakebot import FakeBotApi, SentMessage
from tests.support.answers import BENIGN
from tests.support.bot import CARE_TEAM_CHAT
from tests.support.clock import FakeClock
from tests.support.factories import make_patient
from views.callbacks import AnswerCb

__all__ = ["PATIENT", "answer_all", "first_question", "report_fever"]

PATIENT = 4242


def _is_question(message: SentMessage) -> bool:
    return bool(message.buttons) and AnswerCb.matches(message.buttons[0][0].get("callback_data"))


async def answer_all(
    api: FakeBotApi,
    answers: dict[str, str],
    *,
    chat: int = PATIENT,
    user: int = PATIENT,
    stop_after: str = "",
) -> None:
    """``user`` presses the matching button for each question in ``chat`` as it appears.

    ``answers`` maps a fragment of a question's text to the label to press; ``stop_after``
    stops after answering the question containing that fragment.
    """
    for _ in range(12):
        asking = [m for m in api.messages(chat) if _is_question(m)]
        if not asking:
            return
        message = asking[-1]
        labels = [lab for key, lab in answers.items() if key.lower() in message.text.lower()]
        assert labels, f"no answer given for: {message.text}"
        edits = len(message.edits)
        api.press_button(user, message, labels[0])
        if stop_after and stop_after.lower() in message.text.lower():
            return
        await api.wait_for(lambda m=message, e=edits: len(m.edits) > e or not m.buttons)
    raise AssertionError("check-in did not end")


async def first_question(api: FakeBotApi, runtime: Runtime, clock: FakeClock) -> SentMessage:
    """Move to 09:00 UTC on 2 March 2026, run the sweeps, return the first question."""
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    await runtime.tick()
    return await api.wait_for_message(PATIENT, contains="Do you have any of these now")


async def report_fever(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock, *, name: str = "Ann"
) -> SentMessage:
    """A patient (operated 28 Feb 2026, London, check-in at 09:00) answers the check-in with a
    fever, a red flag; returns the URGENT post in the care-team chat."""
    await make_patient(
        runtime.services,
        user_id=PATIENT,
        display_name=name,
        surgery_date=date(2026, 2, 28),
        timezone="Europe/London",
        checkin_time=time(9, 0),
    )
    await first_question(api, runtime, clock)
    await answer_all(api, {**BENIGN, "fever": "Yes"})
    return await api.wait_for_message(CARE_TEAM_CHAT, contains="URGENT")
