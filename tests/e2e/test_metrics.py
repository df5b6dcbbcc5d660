"""/metrics on the health port: what an operator's Prometheus sees after a red-flag check-in."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp

from tests.fakebot import FakeBotApi
from tests.support.bot import CARE_TEAM_CHAT, make_runtime
from tests.support.checkin import PATIENT, report_fever
from tests.support.clock import FakeClock
from tests.support.idle import settled
from tests.support.net import free_port


def value(text: str, series: str) -> float:
    """The value of one exposed series, e.g. ``checkin_bot_open_alerts{level="urgent"}``."""
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{series} not exposed")


async def test_a_red_flag_check_in_shows_an_open_urgent_alert_and_counted_sends(
    api: FakeBotApi, database_url: str, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))  # enrolled before the 09:00 check-in
    port = free_port()
    runtime = make_runtime(api, database_url, clock, web_port=port)
    async with runtime:
        await report_fever(api, runtime, clock)
        await settled(api, runtime)
        clock.set(datetime(2026, 3, 2, 9, 20, tzinfo=UTC))  # the alert waits 20 minutes
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{port}/metrics") as response,
        ):
            assert response.status == 200
            assert response.content_type == "text/plain"
            text = await response.text()
    delivered = len(api.messages(PATIENT)) + len(api.messages(CARE_TEAM_CHAT))
    assert value(text, 'checkin_bot_open_alerts{level="urgent"}') == 1
    assert value(text, 'checkin_bot_open_alerts{level="emergency"}') == 0
    assert value(text, "checkin_bot_oldest_unacknowledged_alert_seconds") >= 20 * 60 - 60
    assert value(text, 'checkin_bot_sends_total{outcome="sent"}') >= delivered
    assert value(text, "checkin_bot_send_seconds_count") >= delivered
    assert value(text, 'checkin_bot_checkins_24h{status="completed"}') == 1
    assert value(text, "checkin_bot_telegram_429_total") == 0
    assert value(text, 'checkin_bot_sweep_seconds_count{sweep="dispatch_due"}') == 1
    samples = [line.rsplit(" ", 1) for line in text.splitlines() if not line.startswith("#")]
    assert not [series for series, _ in samples if str(PATIENT) in series]  # no chat id label
    assert not [v for _, v in samples if float(v) == PATIENT]  # (a timestamp may hold its digits)
    assert "Ann" not in text  # no name


async def test_web_port_zero_serves_nothing(
    api: FakeBotApi, database_url: str, clock: FakeClock
) -> None:
    async with make_runtime(api, database_url, clock, web_port=0) as runtime:
        assert runtime.web is None
