"""Signing in to the console in a real browser: the bot's one-time link and its "Sign in"
button, and everyone the console refuses (a used or expired link, no session, a stranger, a
forged cookie)."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from app.runtime import Runtime
from tests.browser.pages import ALERTS_URL, OPERATOR_NAME
from tests.fakebot import FakeBotApi
from tests.support.bot import OPERATOR_ID
from tests.support.clock import FakeClock
from tests.support.console import ask_for_link, base_url
from tests.support.factories import make_alert, make_patient

pytestmark = pytest.mark.asyncio(loop_scope="package")

STRANGER = 777
REFUSED_LINK = "This sign-in link no longer works"
PLEASE_SIGN_IN = "Please sign in"


async def expect_refused(page: Page, heading: str) -> None:
    """The page says why and how to get a link, and shows no alert board."""
    await expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    await expect(page.get_by_text("/dashboard")).to_be_visible()
    await expect(page.get_by_text("Signed in as")).to_have_count(0)
    await expect(page.locator("#board")).to_have_count(0)


async def test_the_link_from_the_bot_signs_in_with_the_button(
    api: FakeBotApi, runtime: Runtime, page: Page
) -> None:
    link = await ask_for_link(api, OPERATOR_ID)
    assert link is not None
    await page.goto(link)
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")
    assert await page.context.cookies() == []  # opening the link alone signs nobody in
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(ALERTS_URL)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Alerts")
    await expect(page.get_by_text(f"Signed in as {OPERATOR_NAME}")).to_be_visible()
    await expect(page.get_by_role("link", name="Alerts")).to_have_attribute("aria-current", "page")
    await expect(page.get_by_text("No open alerts")).to_be_visible()
    [cookie] = await page.context.cookies()
    assert cookie["httpOnly"]
    assert cookie["sameSite"] == "Strict"


async def test_a_used_link_is_refused_even_in_a_tab_opened_before(
    api: FakeBotApi, runtime: Runtime, browser: Browser, page: Page
) -> None:
    link = await ask_for_link(api, OPERATOR_ID)
    assert link is not None
    await page.goto(link)
    other_tab = await browser.new_page()  # another profile: no shared cookie
    try:
        await other_tab.goto(link)
        await page.get_by_role("button", name="Sign in").click()
        await expect(page).to_have_url(ALERTS_URL)
        await other_tab.get_by_role("button", name="Sign in").click()  # the link is used up
        await expect_refused(other_tab, REFUSED_LINK)
        await other_tab.goto(link)
        await expect_refused(other_tab, REFUSED_LINK)
    finally:
        await other_tab.context.close()


async def test_an_expired_link_is_refused(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock, page: Page
) -> None:
    link = await ask_for_link(api, OPERATOR_ID)
    assert link is not None
    await page.goto(link)  # still valid: the button shows
    clock.advance(minutes=10, seconds=1)
    await page.get_by_role("button", name="Sign in").click()
    await expect_refused(page, REFUSED_LINK)
    await page.goto(link)
    await expect_refused(page, REFUSED_LINK)
    assert await page.context.cookies() == []


async def test_without_a_session_no_page_opens(runtime: Runtime, page: Page) -> None:
    patient = await make_patient(runtime.services, display_name="Ann")
    await make_alert(runtime.services, patient)
    for path in ("/alerts", "/"):
        reply = await page.goto(path)
        assert reply is not None
        assert reply.status == 401
        await expect_refused(page, PLEASE_SIGN_IN)
        await expect(page.get_by_text("Ann")).to_have_count(0)


async def test_strangers_get_no_link_and_a_forged_cookie_opens_nothing(
    api: FakeBotApi, runtime: Runtime, context: BrowserContext, page: Page
) -> None:
    assert await ask_for_link(api, STRANGER) is None
    await context.add_cookies(
        [{"name": "console_session", "value": "forged-by-a-stranger", "url": base_url(runtime)}]
    )
    reply = await page.goto("/alerts")
    assert reply is not None
    assert reply.status == 401
    await expect_refused(page, PLEASE_SIGN_IN)
