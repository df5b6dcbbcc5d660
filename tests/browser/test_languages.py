"""The console in the operator's own language in a real browser: an operator who chose Arabic
signs in, reads the alert board and a patient's record in Arabic, laid out right to left, and
acknowledges the alert; the care team's Telegram post stays in CLINIC_LANGUAGE (English)."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect
from sqlalchemy import update

from app.runtime import Runtime
from models import Operator
from recovery import Procedure
from tests.browser.pages import (
    OPERATOR_NAME,
    blocking_violations,
    report_fever,
    sign_in,
    wait_for_open_alert,
)
from tests.fakebot import FakeBotApi
from tests.support.bot import CARE_TEAM_CHAT, OPERATOR_ID
from tests.support.clock import FakeClock
from views.care_team.common import ACKNOWLEDGED
from views.dates import short_date
from views.i18n import translator

pytestmark = pytest.mark.asyncio(loop_scope="package")

ARABIC = "ar"


async def choose_language(runtime: Runtime, language: str) -> None:
    """The operator's stored language, as ``/language`` would leave it."""
    async with runtime.services.transaction() as session:
        await session.execute(
            update(Operator)
            .where(Operator.telegram_user_id == OPERATOR_ID)
            .values(language=language)
        )


async def box(page: Page, selector: str) -> dict[str, float]:
    found = await page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return dict(found)


async def test_an_arabic_speaking_operator_acknowledges_an_alert_right_to_left(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock, page: Page
) -> None:
    tr = translator(ARABIC)
    await choose_language(runtime, ARABIC)
    post = await report_fever(api, runtime, clock, name="Ann")
    alert_id = await wait_for_open_alert(runtime)
    await sign_in(page, api, button=tr.gettext("Sign in"))

    html = page.locator("html")
    await expect(html).to_have_attribute("lang", ARABIC)
    await expect(html).to_have_attribute("dir", "rtl")
    await expect(page.get_by_role("heading", level=1)).to_have_text(tr.gettext("Alerts"))
    card = page.locator(f"#alert-{alert_id}")
    fever = runtime.services.protocols.for_procedure(Procedure.KYPHOPLASTY, ARABIC)
    await expect(card).to_contain_text(next(r.reason for r in fever.rules if r.key == "fever"))
    await expect(card).to_contain_text("عاجل")  # the level, as the bot words it
    await expect(card).to_contain_text(short_date(clock.now().date(), ARABIC))
    # right to left: the alert's level stripe and the brand on the right, signing out on the left
    stripe = await card.evaluate("e => getComputedStyle(e).borderRightWidth")
    assert stripe == "8px"
    assert (await box(page, ".brand"))["x"] > (await box(page, ".signout"))["x"]
    assert await blocking_violations(page) == []

    await card.get_by_role("button", name=tr.gettext("Acknowledge")).click()
    await expect(page.locator(".notice")).to_have_text(tr.gettext(ACKNOWLEDGED))
    done = page.locator(f"#alert-{alert_id}.acknowledged")
    await expect(done).to_contain_text(f"استلمه {OPERATOR_NAME}")
    await expect(page.get_by_text(tr.gettext("No open alerts."))).to_be_visible()
    edited = await api.wait_for(
        lambda: "Acknowledged by" in (api.last_message(CARE_TEAM_CHAT).text or "") or None
    )
    assert edited  # the team's chat reads CLINIC_LANGUAGE, not the operator's
    assert api.last_message(CARE_TEAM_CHAT).message_id == post.message_id

    await done.get_by_role("link").click()  # the patient's record
    await expect(html).to_have_attribute("dir", "rtl")
    question = fever.question("fever")
    assert question is not None
    answers = page.locator("table.checkin").first
    await expect(answers.get_by_role("rowheader", name=question.title)).to_be_visible()
    await expect(answers).to_contain_text(short_date(clock.now().date(), ARABIC))
    await expect(page.locator("figure.chart svg")).to_be_visible()
    await expect(
        page.get_by_role("heading", name=tr.gettext("Who viewed this record"))
    ).to_be_visible()
