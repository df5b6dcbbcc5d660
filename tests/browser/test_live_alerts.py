"""The live alert board in a real browser: a red flag appears without a reload, and an
acknowledgement made on the page or in Telegram shows in the other place."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from app.runtime import Runtime
from tests.browser.pages import OPERATOR_NAME, report_fever, sign_in, wait_for_open_alert
from tests.fakebot import FakeBotApi
from tests.support.bot import CARE_TEAM_CHAT, OPERATOR_ID
from tests.support.clock import FakeClock

pytestmark = pytest.mark.asyncio(loop_scope="package")

LIVE_SECONDS = 2  # the stream looks every second, then the page fetches the board


async def mark_document(page: Page) -> None:
    """Tag this document, so a test can tell a live update from a reload (which drops it)."""
    await page.evaluate("window.__notReloaded = true")


async def still_same_document(page: Page) -> bool:
    """Whether the document tagged by :func:`mark_document` is still the one shown."""
    return bool(await page.evaluate("window.__notReloaded === true"))


async def test_a_red_flag_appears_on_the_open_page_without_a_reload(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock, page: Page
) -> None:
    await sign_in(page, api)
    await expect(page.get_by_text("No open alerts")).to_be_visible()
    await mark_document(page)
    await report_fever(api, runtime, clock, name="Ann")
    alert_id = await wait_for_open_alert(runtime)
    card = page.locator(f"#alert-{alert_id}")
    await expect(card).to_be_visible(timeout=LIVE_SECONDS * 1000)
    await expect(card).to_contain_text("Ann")
    await expect(card.get_by_role("button", name="Acknowledge")).to_be_visible()
    await expect(page.get_by_role("heading", name="Open (1)")).to_be_visible()
    assert await still_same_document(page)


async def test_acknowledge_on_the_page_edits_the_telegram_post(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock, page: Page
) -> None:
    post = await report_fever(api, runtime, clock)
    alert_id = await wait_for_open_alert(runtime)
    await sign_in(page, api)
    card = page.locator(f"#alert-{alert_id}")
    await card.get_by_role("button", name="Acknowledge").click()
    await expect(page.locator(".notice")).to_contain_text("Acknowledged")
    acknowledged = page.locator(f"#alert-{alert_id}.acknowledged")
    await expect(acknowledged).to_contain_text(f"Acknowledged by {OPERATOR_NAME}")
    await expect(page.get_by_text("No open alerts")).to_be_visible()
    edited = await api.wait_for(
        lambda: "Acknowledged by" in (api.last_message(CARE_TEAM_CHAT).text or "") or None
    )
    assert edited
    assert api.last_message(CARE_TEAM_CHAT).message_id == post.message_id  # edited in place


async def test_acknowledge_in_telegram_shows_on_the_open_page(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock, page: Page
) -> None:
    post = await report_fever(api, runtime, clock)
    alert_id = await wait_for_open_alert(runtime)
    await sign_in(page, api)
    await expect(page.locator(f"#alert-{alert_id}").get_by_role("button")).to_be_visible()
    await mark_document(page)
    api.press_button(OPERATOR_ID, post, "Acknowledge")
    acknowledged = page.locator(f"#alert-{alert_id}.acknowledged")
    await expect(acknowledged).to_contain_text("Acknowledged by", timeout=LIVE_SECONDS * 2000)
    await expect(page.get_by_text("No open alerts")).to_be_visible()
    assert await still_same_document(page)
