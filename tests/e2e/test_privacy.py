"""Health data never reaches the logs, even at DEBUG."""

from __future__ import annotations

import logging

import pytest

from app.logs import configure_logging
from app.runtime import Runtime
from tests.e2e.test_checkin import CAREGIVER, enroll
from tests.fakebot import FakeBotApi
from tests.support.answers import BENIGN
from tests.support.checkin import PATIENT, answer_all, first_question
from tests.support.clock import FakeClock


@pytest.fixture(autouse=True)
def _morning(clock: FakeClock) -> None:
    from datetime import UTC, datetime

    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))


async def test_no_message_text_answers_or_names_in_debug_logs(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    configure_logging("DEBUG")
    caplog.set_level(logging.DEBUG)
    await enroll(runtime, caregiver=True)
    api.fail_chat(CAREGIVER, 403)  # the caregiver blocked the bot: a warning is logged
    api.send_text(PATIENT, "my secret words about my back")
    await api.wait_for_message(PATIENT, contains="did not understand")
    await first_question(api, runtime, clock)
    await answer_all(api, {**BENIGN, "fever": "Yes"})
    await api.wait_for_message(PATIENT, contains="Check-in done")
    await api.wait_for(lambda: any("undeliverable" in r.getMessage() for r in caplog.records))

    logged = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
    for private in ["secret words", "fever", "Ann", "How bad is your back", "None of these"]:
        assert private.lower() not in logged.lower(), private
    assert api.token not in logged
