"""Accessibility of the console in a real browser: axe-core finds nothing serious on any page,
and the Acknowledge button works from the keyboard alone."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from app.runtime import Runtime
from services.alerts import acknowledge_alert
from tests.browser.pages import blocking_violations, sign_in
from tests.fakebot import FakeBotApi
from tests.support.bot import OPERATOR_ID
from tests.support.console import ask_for_link
from tests.support.factories import make_alert, make_patient
from views.callbacks import AckCb

pytestmark = pytest.mark.asyncio(loop_scope="package")

MAX_TABS = 20


async def open_alert(runtime: Runtime, *, user_id: int = 501, name: str = "Ann") -> int:
    """A patient with an open URGENT alert (a fever), straight in the database; its id."""
    patient = await make_patient(runtime.services, user_id=user_id, display_name=name)
    return await make_alert(runtime.services, patient)


async def test_axe_finds_nothing_serious_on_any_console_page(
    api: FakeBotApi, runtime: Runtime, page: Page
) -> None:
    await open_alert(runtime, user_id=501, name="Ann")
    done = await open_alert(runtime, user_id=502, name="Bob")
    await acknowledge_alert(runtime.services, OPERATOR_ID, None, AckCb(done))  # + outcome form
    found: dict[str, list[str]] = {}

    link = await ask_for_link(api, OPERATOR_ID)
    assert link is not None
    await page.goto(link)
    found["sign-in"] = await blocking_violations(page)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.locator("li.alert.acknowledged")).to_have_count(1)
    await expect(page.locator("li.alert:not(.acknowledged)")).to_have_count(1)
    found["alerts"] = await blocking_violations(page)
    await page.goto("/no-such-page")
    found["not found"] = await blocking_violations(page)
    await page.goto("/alerts")
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("heading", name="You are signed out")).to_be_visible()
    found["signed out"] = await blocking_violations(page)

    assert {name: lines for name, lines in found.items() if lines} == {}


async def test_acknowledge_works_with_tab_and_enter(
    api: FakeBotApi, runtime: Runtime, page: Page
) -> None:
    alert_id = await open_alert(runtime)
    await sign_in(page, api)
    button = page.locator(f"#alert-{alert_id}").get_by_role("button", name="Acknowledge")
    await expect(button).to_be_visible()
    for _ in range(MAX_TABS):
        await page.keyboard.press("Tab")
        if await button.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail(f"Acknowledge not reached in {MAX_TABS} presses of Tab")
    assert await button.evaluate("element => element.matches(':focus-visible')")
    outline = await button.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"  # the focus can be seen
    await page.keyboard.press("Enter")
    await expect(page.locator(f"#alert-{alert_id}.acknowledged")).to_contain_text("Acknowledged by")
