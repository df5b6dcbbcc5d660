"""The send budget in the database: every instance's sends share one bot token's limits."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from models import create_session_factory
from services.context import Services
from services.delivery.budget import Reservation, purge_chat_budgets, reserve_send

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
OVERALL = timedelta(seconds=1 / 29)
CHAT = timedelta(seconds=1.05)


async def reserve(services: Services, chat_id: int, now: datetime = T0) -> Reservation:
    return await reserve_send(
        services, chat_id, overall=OVERALL, chat_spacing=CHAT, wall=lambda: now
    )


def instance(services: Services, engine: AsyncEngine) -> Services:
    """Another instance: its own session factory (connections) on the same database."""
    return Services(
        session_factory=create_session_factory(engine),
        protocols=services.protocols,
        config=services.config,
        clock=services.clock,
    )


async def test_sends_from_several_instances_never_exceed_30_in_any_second(
    services: Services, engine: AsyncEngine
) -> None:
    instances = [instance(services, engine) for _ in range(3)]
    chats = iter(range(1_000, 1_090))

    async def worker(me: Services) -> list[datetime]:
        return [(await reserve(me, chat)).at for chat in [next(chats) for _ in range(30)]]

    slots = sorted(s for got in await asyncio.gather(*map(worker, instances)) for s in got)
    assert len(slots) == len(set(slots)) == 90  # no slot given twice
    gaps = [b - a for a, b in zip(slots, slots[1:], strict=False)]
    assert min(gaps) >= OVERALL - timedelta(microseconds=1)  # stored to the microsecond
    busiest = max(sum(1 for t in slots if s <= t < s + timedelta(seconds=1)) for s in slots)
    assert busiest == 29  # 29/s: one below Telegram's 30, the margin for network jitter
    assert slots[0] == T0  # an idle budget sends at once


async def test_an_idle_budget_does_not_save_up_a_burst(services: Services) -> None:
    first = await reserve(services, 1)
    later = T0 + timedelta(minutes=5)
    second = await reserve(services, 2, now=later)
    third = await reserve(services, 3, now=later)
    assert (first.at, second.at) == (T0, later)
    assert third.at == later + OVERALL


async def test_a_chat_waits_its_spacing_without_holding_up_other_chats(
    services: Services,
) -> None:
    assert await reserve(services, 7) == Reservation(at=T0, granted=True)
    refused = await reserve(services, 7, now=T0 + timedelta(seconds=0.5))
    assert refused == Reservation(at=T0 + CHAT, granted=False)
    other = await reserve(services, 8, now=T0 + timedelta(seconds=0.5))
    assert other == Reservation(at=T0 + timedelta(seconds=0.5), granted=True)
    again = await reserve(services, 7, now=T0 + CHAT)
    assert again == Reservation(at=T0 + CHAT, granted=True)


async def test_chats_past_their_spacing_are_forgotten(services: Services) -> None:
    await reserve(services, 7)
    await reserve(services, 8, now=T0 + timedelta(seconds=5))
    assert await purge_chat_budgets(services, now=T0 + timedelta(seconds=2)) == 1
    assert not (await reserve(services, 8, now=T0 + timedelta(seconds=5.5))).granted
    assert (await reserve(services, 7, now=T0 + timedelta(seconds=5.5))).granted


async def test_a_process_that_wakes_up_late_gives_its_slot_up_instead_of_crowding_the_next(
    services: Services,
) -> None:
    from scheduler.pacing import PacingLimits, SharedBudget

    late = T0 + timedelta(seconds=0.5)
    times = [T0, T0, late]  # reserved at T0, woke up half a second late

    def wall() -> datetime:
        return times.pop(0) if len(times) > 1 else times[0]

    budget = SharedBudget(services, PacingLimits(overall=1 / 29, per_chat=0.0), wall=wall)
    await budget.wait_turn(5)  # sent in a fresh slot at `late`, not in the stale one
    following = await reserve(services, 6, now=late)
    assert following.at == late + OVERALL


@pytest.mark.parametrize("where", ["before the lock", "after the commit"])
async def test_messages_still_go_out_when_the_database_answers_slowly(
    services: Services, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    from scheduler import pacing

    async def slow_reserve(*args: Any, **kwargs: Any) -> Reservation:
        if where == "before the lock":
            await asyncio.sleep(0.06)  # a loaded database: longer than the late-slot tolerance
        reservation = await reserve_send(*args, **kwargs)
        if where == "after the commit":
            await asyncio.sleep(0.06)
        return reservation

    monkeypatch.setattr(pacing, "reserve_send", slow_reserve)
    budget = pacing.SharedBudget(services, pacing.PacingLimits())
    async with asyncio.timeout(10):  # before: every slot was late on arrival, given up
        for chat_id in (5, 6, 5):
            await budget.wait_turn(chat_id)
