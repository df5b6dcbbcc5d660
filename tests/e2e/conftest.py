"""The real application, polling a fake Bot API server over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from app.runtime import Runtime
from app.settings import load_settings
from bot.flow import FloodGate
from scheduler.pacing import PacingLimits
from tests.fakebot import FakeBotApi
from tests.support.clock import FakeClock

OPERATOR_ID = 900
CARE_TEAM_CHAT = -100


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
    ``real_flood_gate``. Fails the test when any handler raised (PTB would only log it).
    """
    settings = load_settings(
        env_file=None,
        telegram_bot_token=api.token,
        telegram_api_base_url=api.root_url,
        database_url=database_url,
        operator_ids=str(OPERATOR_ID),
        care_team_chat_id=CARE_TEAM_CHAT,
        sweep_interval_seconds=600,
    )
    real_gate = request.node.get_closest_marker("real_flood_gate") is not None
    bot = Runtime(
        settings,
        clock=clock,
        pacing=PacingLimits.off(),
        poll_timeout=1,
        request_timeout=1.0,
        flood_gate=None if real_gate else FloodGate(limit=100_000),
    )
    errors: list[BaseException] = []

    async def collect(update: object, context: object) -> None:
        errors.append(getattr(context, "error", None) or RuntimeError("unknown"))

    bot.application.add_error_handler(collect)
    async with bot:
        yield bot
    assert not errors, f"handlers raised: {errors!r}"
