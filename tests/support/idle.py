"""Waiting until the bot has nothing left to do: before asserting that something was NOT sent."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from app.runtime import Runtime
from models import Outbox, OutboxStatus
from tests.fakebot import FakeBotApi

__all__ = ["settled"]

QUIET_CHECKS = 3  # the idle state must hold this many checks in a row, 20 ms apart


async def _due_messages(runtime: Runtime) -> int:
    services = runtime.services
    async with services.session_factory() as session:
        return (
            await session.scalar(
                select(func.count())
                .select_from(Outbox)
                .where(Outbox.status == OutboxStatus.PENDING, Outbox.not_before <= services.now())
            )
            or 0
        )


async def _busy(api: FakeBotApi, runtime: Runtime) -> bool:
    application = runtime.application
    return bool(
        api.pending_update_count
        or not application.update_queue.empty()
        or application.update_processor.current_concurrent_updates
        or runtime.sender.busy
        or await _due_messages(runtime)
    )


async def settled(api: FakeBotApi, runtime: Runtime, timeout: float = 5.0) -> None:  # noqa: ASYNC109
    """Wait until every update is taken and handled and every due message is sent.

    Messages due later by the test's clock (a retry, a quiet-hours hold) do not count: they
    are not sent until the clock moves. Fails after ``timeout`` seconds.
    """
    quiet = 0
    async with asyncio.timeout(timeout):
        while quiet < QUIET_CHECKS:
            quiet = 0 if await _busy(api, runtime) else quiet + 1
            await asyncio.sleep(0.02)
