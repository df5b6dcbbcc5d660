"""Delivery under Telegram faults: nothing lost, nothing sent twice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.runtime import Runtime
from models import Outbox, OutboxStatus, Patient, create_session_factory
from services.outbox import enqueue
from tests.e2e.test_checkin import enroll
from tests.fakebot import FakeBotApi
from tests.support.bot import CARE_TEAM_CHAT, make_runtime
from tests.support.checkin import PATIENT, first_question
from tests.support.clock import FakeClock
from tests.support.idle import settled
from tests.support.waiting import eventually
from views.message import Message

OTHER = 6161


@pytest.fixture(autouse=True)
def _early_morning(clock: FakeClock) -> None:
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))


async def settle(runtime: Runtime, clock: FakeClock, seconds: float) -> None:
    """Let fake time pass for retries and wake the sender."""
    clock.advance(seconds=seconds)
    runtime.sender.wake()


def texts_in(api: FakeBotApi, chat_id: int, needle: str) -> int:
    return sum(needle in (m.text or "") for m in api.messages(chat_id))


async def attempts(runtime: Runtime) -> int:
    async with runtime.services.session_factory() as session:
        row = await session.scalar(select(Outbox).order_by(Outbox.id).limit(1))
    return row.attempts if row is not None and row.status == OutboxStatus.PENDING else 0


@pytest.mark.parametrize(("status", "wait"), [(429, 8), (500, 5), (0, 5)])
async def test_transient_failures_are_retried_until_delivered_exactly_once(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock, status: int, wait: float
) -> None:
    """429 waits retry_after (7 s), 500 and a hung request back off; then one delivery."""
    await enroll(runtime)
    api.fail_chat(PATIENT, status, times=1, retry_after=7)
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    await runtime.tick()
    await eventually(lambda: attempts(runtime))
    assert api.messages(PATIENT) == []
    if status == 429:  # not before retry_after
        await settle(runtime, clock, 5)
        assert await attempts(runtime) == 1
        assert api.messages(PATIENT) == []
    await settle(runtime, clock, wait)
    await api.wait_for_message(PATIENT, contains="Do you have any of these now")
    await settle(runtime, clock, 600)
    await eventually(lambda: _idle(runtime))
    assert texts_in(api, PATIENT, "Do you have any of these now") == 1


async def _idle(runtime: Runtime) -> bool:
    return not runtime.sender.busy


async def test_alert_to_a_patient_who_blocked_the_bot_reaches_the_care_team(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime)
    question = await first_question(api, runtime, clock)
    api.fail_chat(PATIENT, 403)
    api.press_button(PATIENT, question, "Chest pain or breathless")
    unreached = await api.wait_for_message(CARE_TEAM_CHAT, contains="Could not reach P-0001")
    assert "emergency" in unreached.text
    await api.wait_for_message(CARE_TEAM_CHAT, contains="EMERGENCY")
    async with runtime.services.session_factory() as session:
        patient = await session.scalar(select(Patient))
    assert patient is not None
    assert patient.unreachable_since is not None


async def test_a_patient_writing_again_is_reachable_again(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await enroll(runtime)
    question = await first_question(api, runtime, clock)
    api.fail_chat(PATIENT, 403, times=1)
    api.press_button(PATIENT, question, "None of these")
    assert await eventually(lambda: unreachable_since(runtime))
    api.send_text(PATIENT, "/checkin")
    await api.wait_for_message(PATIENT, contains="How bad is your back", after=1)
    assert await unreachable_since(runtime) is None


async def unreachable_since(runtime: Runtime) -> datetime | None:
    async with runtime.services.session_factory() as session:
        patient = await session.scalar(select(Patient))
    assert patient is not None
    return patient.unreachable_since


@pytest.mark.real_flood_gate
async def test_a_flooding_user_is_throttled_without_hurting_others(
    api: FakeBotApi, runtime: Runtime
) -> None:
    for n in range(60):
        api.send_text(PATIENT, f"spam {n}")
    api.send_text(OTHER, "/help")
    await api.wait_for_message(OTHER, contains="What I can do")
    await api.wait_for_message(PATIENT, contains="very fast")
    await api.wait_for(lambda: len(api.messages(PATIENT)) >= 20)
    assert len(api.messages(PATIENT)) <= 21  # 20 admitted (each answered) + one warning


async def test_oversized_text_and_unknown_updates_are_ignored_safely(
    api: FakeBotApi, runtime: Runtime
) -> None:
    api.send_text(PATIENT, "x" * 10_000)
    api.send_text(OTHER, "/help")
    await api.wait_for_message(OTHER, contains="What I can do")
    await api.wait_for_message(PATIENT, contains="did not understand")


async def test_stopping_lets_the_send_in_flight_finish_and_records_it(
    api: FakeBotApi, database_url: str, engine: AsyncEngine, clock: FakeClock
) -> None:
    """A stop mid-send waits for the request's outcome instead of abandoning a leased row."""
    bot = make_runtime(api, database_url, clock)
    await bot.start()
    try:
        await enroll(bot)
        api.fail_chat(PATIENT, 0, times=1)  # the request hangs until the client gives up
        clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
        await bot.tick()
        await api.wait_for(lambda: api.calls_to("sendMessage"))
        assert bot.sender.busy
    finally:
        await bot.stop()
    async with create_session_factory(engine)() as session:
        row = await session.scalar(select(Outbox))
    assert row is not None
    assert (row.status, row.attempts, row.lease_until) == (OutboxStatus.PENDING, 1, None)
    assert row.last_error == "TimedOut"


async def test_a_send_whose_reply_cannot_be_read_is_sent_a_bounded_number_of_times(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    """The message went out but its outcome is unknown: back off, give up after three sends
    (before, it went out again on every lease expiry, forever)."""
    await enroll(runtime)
    api.malform_replies()
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    await runtime.tick()
    await api.wait_for_message(PATIENT, contains="Do you have any of these now")
    await eventually(lambda: attempts(runtime))
    await settle(runtime, clock, 1)  # inside the backoff: not again yet
    await settled(api, runtime)
    assert texts_in(api, PATIENT, "Do you have any of these now") == 1
    for _ in range(8):  # an hour and more: leases expire, backoffs end
        await settle(runtime, clock, 600)
        await settled(api, runtime)
    assert texts_in(api, PATIENT, "Do you have any of these now") == 3
    async with runtime.services.session_factory() as session:
        row = await session.scalar(select(Outbox).where(Outbox.purpose == "question"))
    assert row is not None
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.FAILED, 3, "unknown_outcome")


async def test_messages_queued_together_for_one_chat_follow_each_other_at_once(
    api: FakeBotApi, runtime: Runtime
) -> None:
    """Eight messages queued at once for one chat (and one for another) arrive in order, each
    right after the one before, not one per idle poll (1 s) of the sender."""
    async with runtime.services.transaction() as session:
        for n in range(8):
            message = Message(f"part {n}")
            enqueue(session, PATIENT, message, now=runtime.services.now(), purpose="reply")
        enqueue(session, OTHER, Message("hello"), now=runtime.services.now(), purpose="reply")
    # one idle poll each would take at least 7 s
    await api.wait_for(lambda: len(api.messages(PATIENT)) == 8, timeout=3)
    assert [m.text for m in api.messages(PATIENT)] == [f"part {n}" for n in range(8)]
    assert [m.text for m in api.messages(OTHER)] == ["hello"]
