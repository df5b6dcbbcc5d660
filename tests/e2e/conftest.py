"""The real application, polling a fake Bot API server over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from app.runtime import Runtime
from bot.flow import FloodGate
from scheduler.pacing import PacingLimits
from tests.fakebot import FakeBotApi
from tests.support.bot import WEBHOOK_SECRET, make_runtime
from tests.support.clock import FakeClock
from tests.support.net import free_port
from tests.support.risk_oracle import assert_summaries_current


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """The fake Telegram."""
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
async def runtime(
    request: pytest.FixtureRequest, api: FakeBotApi, database_url: str, clock: FakeClock
) -> AsyncIterator[Runtime]:
    """The bot as ``checkin-bot run`` builds it; sweeps are driven by ``runtime.tick()``.

    Tests act faster than people, so the flood gate is wide open unless the test is marked
    ``real_flood_gate``; the sender is not paced unless it is marked ``real_pacing``; an
    indirect parameter sets ``CLINIC_LANGUAGE`` (``parametrize("runtime", ["es"], indirect=True)``,
    the care team's posts, digest and group replies). Fails
    the test when any handler raised (PTB would only log it), and when a patient's stored risk
    summary differs from a recomputation at the end.
    """
    real_gate = request.node.get_closest_marker("real_flood_gate") is not None
    real_pace = request.node.get_closest_marker("real_pacing") is not None
    clinic = getattr(request, "param", None)
    bot = make_runtime(
        api,
        database_url,
        clock,
        flood_gate=None if real_gate else FloodGate(limit=100_000),
        pacing=PacingLimits() if real_pace else None,
        **({} if clinic is None else {"clinic_language": clinic}),
    )
    errors: list[BaseException] = []

    async def collect(update: object, context: object) -> None:
        errors.append(getattr(context, "error", None) or RuntimeError("unknown"))

    bot.application.add_error_handler(collect)
    async with bot:
        yield bot
        await assert_summaries_current(bot.services)  # every writer refreshed its patient
    assert not errors, f"handlers raised: {errors!r}"


@pytest.fixture
async def hooked(
    api: FakeBotApi, database_url: str, clock: FakeClock
) -> AsyncIterator[tuple[Runtime, str]]:
    """The bot in webhook mode on a free port, and the base URL of its HTTP server."""
    runtime = make_runtime(
        api,
        database_url,
        clock,
        mode="webhook",
        webhook_url="https://bot.example.org/telegram/hook",
        webhook_secret=WEBHOOK_SECRET,
        web_port=free_port(),
    )
    async with runtime:
        assert runtime.web is not None
        yield runtime, f"http://127.0.0.1:{runtime.web.port}"
