"""An emergency during the morning peak is not queued behind it (issue #19).

10,000 patients are due at 09:00; at 29 messages a second their first questions take almost six
minutes to send. A patient who answers with an emergency sign as the peak begins must get the
instruction, and the care team the alert, within the first second of sending: the outbox sends
alerts and replies ahead of routine questions. "Within the first second" is counted in the fake
Telegram's order of requests, not on the wall clock: among the first 29 messages sent after the
answer was stored (the bot answers the button press once the answer is committed).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select

from app.runtime import Runtime
from models import Outbox, OutboxStatus
from tests.fakebot import FakeBotApi
from tests.support.bot import CARE_TEAM_CHAT
from tests.support.bulk import add_due_patients
from tests.support.checkin import PATIENT
from tests.support.clock import FakeClock
from tests.support.factories import make_patient

PEAK = 10_000
FIRST_SECOND = 29  # messages sent in one second at the production pace
LOOK_AT = 3 * FIRST_SECOND  # sends to wait for before judging
PEAK_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def place_in_sending(api: FakeBotApi, press: str, since: int, chat_id: int) -> int | None:
    """Which message sent after the bot answered ``press`` was the first to ``chat_id`` since
    request ``since`` (1 = the first; None: not sent yet, or the press not answered yet)."""
    calls = api.calls[since:]
    sends = [i for i, (method, _) in enumerate(calls) if method == "sendmessage"]
    answered = next(
        (
            i
            for i, (method, params) in enumerate(calls)
            if method == "answercallbackquery" and params.get("callback_query_id") == press
        ),
        None,
    )
    target = next((i for i in sends if int(calls[i][1]["chat_id"]) == chat_id), None)
    if answered is None or target is None:
        return None
    return max(1, sum(1 for i in sends if answered < i <= target))


def sent_since(api: FakeBotApi, since: int) -> int:
    return sum(1 for method, _ in api.calls[since:] if method == "sendmessage")


async def pending_questions(runtime: Runtime) -> int:
    async with runtime.services.session_factory() as session:
        return await session.scalar(
            select(func.count())
            .select_from(Outbox)
            .where(Outbox.purpose == "question", Outbox.status == OutboxStatus.PENDING)
        )


@pytest.mark.real_pacing
async def test_an_emergency_at_the_start_of_a_peak_goes_out_in_its_first_second(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    await make_patient(
        runtime.services,
        user_id=PATIENT,
        display_name="Ann",
        surgery_date=date(2026, 2, 28),
        timezone="UTC",
        checkin_time=time(8, 30),  # Ann checks in before the peak
    )
    clock.set(datetime(2026, 3, 2, 8, 30, tzinfo=UTC))
    await runtime.tick()
    question = await api.wait_for_message(PATIENT, contains="Do you have any of these now")
    await add_due_patients(runtime.services, PEAK, due=PEAK_AT)

    clock.set(PEAK_AT)
    await runtime.tick()  # the peak: 10,000 first questions queued
    started = len(api.all_messages())
    await api.wait_for(lambda: len(api.all_messages()) > started, timeout=10)  # sending began
    since = len(api.calls)
    press = api.press_button(PATIENT, question, "Chest pain or breathless")

    def places() -> tuple[int | None, int | None]:
        return tuple(place_in_sending(api, press, since, c) for c in (PATIENT, CARE_TEAM_CHAT))

    await api.wait_for(lambda: all(places()) or sent_since(api, since) >= LOOK_AT, timeout=60)
    told, alerted = places()
    assert told, f"no instruction among the {LOOK_AT} messages sent after the answer"
    assert alerted, f"no care-team alert among the {LOOK_AT} messages sent after the answer"
    assert told <= FIRST_SECOND
    assert alerted <= FIRST_SECOND
    assert "🚨" in (api.messages(PATIENT)[1].text or "")
    assert "EMERGENCY" in (api.messages(CARE_TEAM_CHAT)[0].text or "")
    assert await pending_questions(runtime) > PEAK - 10 * FIRST_SECOND  # the peak goes on
