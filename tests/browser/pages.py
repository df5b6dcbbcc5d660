"""Steps the browser tests share: signing in through the bot's link, a patient's red flag, and
axe-core's findings on a page."""

from __future__ import annotations

import re

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page, expect
from sqlalchemy import select

from app.runtime import Runtime
from models import Alert, AlertStatus
from tests.fakebot import FakeBotApi
from tests.support.bot import OPERATOR_ID
from tests.support.checkin import report_fever
from tests.support.console import ask_for_link
from tests.support.waiting import eventually

__all__ = [
    "ALERTS_URL",
    "BLOCKING",
    "OPERATOR_NAME",
    "blocking_violations",
    "open_alerts",
    "report_fever",
    "sign_in",
    "wait_for_open_alert",
]

ALERTS_URL = re.compile(r"^https?://[^/]+/alerts$")
OPERATOR_NAME = "Dr Lee"  # operator 900's name in the tests' operators table
BLOCKING = {"serious", "critical"}  # axe-core impacts that fail a page


async def blocking_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page, one line each."""
    results = await Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


async def sign_in(
    page: Page, api: FakeBotApi, user_id: int = OPERATOR_ID, button: str = "Sign in"
) -> None:
    """Send ``/dashboard`` in the fake Telegram, open the link and press "Sign in" (``button``:
    its label in the operator's language)."""
    link = await ask_for_link(api, user_id)
    assert link is not None, "the bot sent no sign-in link"
    await page.goto(link)
    await page.get_by_role("button", name=button).click()
    await expect(page).to_have_url(ALERTS_URL)


async def open_alerts(runtime: Runtime) -> list[int]:
    """The ids of the open alerts in the database."""
    async with runtime.services.session_factory() as session:
        found = await session.scalars(select(Alert.id).where(Alert.status == AlertStatus.OPEN))
        return list(found)


async def wait_for_open_alert(runtime: Runtime) -> int:
    """Wait until an alert is open in the database; its id."""
    found = await eventually(lambda: open_alerts(runtime))
    return found[0]
