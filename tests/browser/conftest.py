"""Real-browser tests of the care team's console: one Chromium for this folder, a fresh
browser context (no cookies) per test, the bot serving its console against the fake Bot API.

The browser lives in this package's event loop, so every test here runs in that loop too
(``pytestmark`` in each module) and the bot and the fake Telegram are started in it per test;
browser and loop are closed after the folder's last test, before the rest of the suite.
Every test in this folder is marked ``browser`` (``pytest -m "not browser"`` skips them). When a
test fails, a screenshot of its page is saved under ``test-output/browser/`` and its path is
printed with the failure.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Generator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from app.runtime import Runtime
from services.care_team import operators
from tests.browser.launch import VIEWPORT, launch, missing_browser, on_ci
from tests.browser.pages import OPERATOR_NAME
from tests.fakebot import FakeBotApi
from tests.support.bot import OPERATOR_ID
from tests.support.clock import FakeClock
from tests.support.console import base_url, console_runtime

HERE = Path(__file__).parent
OUTPUT = HERE.parents[1] / "test-output" / "browser"
FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this folder ``browser``."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember whether the test failed in setup or call (the page fixture reads it)."""
    report = yield
    if report.when in ("setup", "call") and report.failed:
        item.stash[FAILED] = True
    return report


@pytest_asyncio.fixture(scope="package", loop_scope="package")
async def browser() -> AsyncIterator[Browser]:
    """One headless Chromium for these tests (skipped without it, except on CI)."""
    reason = missing_browser()
    if reason is not None:
        if on_ci():
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    async with async_playwright() as playwright:
        chromium = await launch(playwright)
        yield chromium
        await chromium.close()


@pytest_asyncio.fixture(loop_scope="package")
async def api() -> AsyncIterator[FakeBotApi]:
    """The fake Telegram, in the browser's loop."""
    async with FakeBotApi() as server:
        yield server


@pytest_asyncio.fixture(loop_scope="package")
async def runtime(api: FakeBotApi, database_url: str, clock: FakeClock) -> AsyncIterator[Runtime]:
    """The bot serving its console on a free port, operator 900 named "Dr Lee"; fails the test
    when any handler raised."""
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    bot = console_runtime(api, database_url, clock)
    errors: list[BaseException] = []

    async def collect(update: object, context: object) -> None:
        errors.append(getattr(context, "error", None) or RuntimeError("unknown"))

    bot.application.add_error_handler(collect)
    async with bot:
        await operators.add_operator(
            bot.services, OPERATOR_ID, display_name=OPERATOR_NAME, actor="test"
        )
        yield bot
    assert not errors, f"handlers raised: {errors!r}"


@pytest_asyncio.fixture(loop_scope="package")
async def context(browser: Browser, runtime: Runtime) -> AsyncIterator[BrowserContext]:
    """A fresh browser profile (no cookies) pointed at the console, closed before the bot."""
    fresh = await browser.new_context(base_url=base_url(runtime), viewport=VIEWPORT)
    fresh.set_default_timeout(5_000)
    yield fresh
    await fresh.close()


@pytest_asyncio.fixture(loop_scope="package")
async def page(request: pytest.FixtureRequest, context: BrowserContext) -> AsyncIterator[Page]:
    """The test's tab; a screenshot of it is kept when the test fails."""
    tab = await context.new_page()
    yield tab
    if request.node.stash.get(FAILED, False) and not tab.is_closed():
        OUTPUT.mkdir(parents=True, exist_ok=True)
        shot = OUTPUT / (re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid) + ".png")
        await tab.screenshot(path=shot, full_page=True)
        request.node.add_report_section("teardown", "screenshot", str(shot))
        print(f"screenshot of the failed page: {shot}")  # noqa: T201
