"""Steps the browser tests share: signing in through the bot's link, and a patient's red flag."""

from __future__ import annotations

import re
from datetime import date, time

from playwright.async_api import Page, expect
from sqlalchemy import select

from app.runtime import Runtime
from models import Alert, AlertStatus
from tests.fakebot import FakeBotApi, SentMessage
from tests.support.answers import BENIGN
from tests.support.bot import CARE_TEAM_CHAT, OPERATOR_ID
from tests.support.checkin import PATIENT, answer_all, first_question
from tests.support.clock import FakeClock
from tests.support.console import ask_for_link
from tests.support.factories import make_patient
from tests.support.waiting import eventually

__all__ = [
    "ALERTS_URL",
    "OPERATOR_NAME",
    "open_alerts",
    "report_fever",
    "sign_in",
    "wait_for_open_alert",
]

ALERTS_URL = re.compile(r"^https?://[^/]+/alerts$")
OPERATOR_NAME = "Dr Lee"  # operator 900's name in the tests' operators table


async def sign_in(page: Page, api: FakeBotApi, user_id: int = OPERATOR_ID) -> None:
    """Send ``/dashboard`` in the fake Telegram, open the link and press "Sign in"."""
    link = await ask_for_link(api, user_id)
    assert link is not None, "the bot sent no sign-in link"
    await page.goto(link)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(ALERTS_URL)


async def report_fever(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock, *, name: str = "Ann"
) -> SentMessage:
    """A patient answers the 09:00 check-in with a fever (a red flag); returns the URGENT post
    in the care-team chat."""
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


async def open_alerts(runtime: Runtime) -> list[int]:
    """The ids of the open alerts in the database."""
    async with runtime.services.session_factory() as session:
        found = await session.scalars(select(Alert.id).where(Alert.status == AlertStatus.OPEN))
        return list(found)


async def wait_for_open_alert(runtime: Runtime) -> int:
    """Wait until an alert is open in the database; its id."""
    found = await eventually(lambda: open_alerts(runtime))
    return found[0]
