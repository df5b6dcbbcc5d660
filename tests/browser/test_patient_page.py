"""The patient page in a real browser: the course of a patient's check-ins as an SVG chart."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.async_api import Page, expect

from app.runtime import Runtime
from tests.browser.pages import sign_in
from tests.fakebot import FakeBotApi
from tests.support.factories import make_checkin, make_patient

pytestmark = pytest.mark.asyncio(loop_scope="package")

SURGERY = date(2026, 2, 24)
PAIN = (7, 6, 6, 5, 4, 4)  # post-operative days 1 to 6


async def seed_course(runtime: Runtime) -> str:
    """A patient with six completed check-ins; their reference."""
    patient = await make_patient(runtime.services, display_name="Ann", surgery_date=SURGERY)
    for day, pain in enumerate(PAIN, start=1):
        answers = {"emergency": "none", "pain": pain, "fever": "no", "numbness": "no"}
        await make_checkin(
            runtime.services, patient, SURGERY + timedelta(days=day), day, answers=answers
        )
    return f"P-{patient:04d}"


async def test_the_patient_page_draws_the_chart(
    api: FakeBotApi, runtime: Runtime, page: Page
) -> None:
    ref = await seed_course(runtime)
    await sign_in(page, api)
    reply = await page.goto(f"/patients/{ref}")
    assert reply is not None
    assert reply.status == 200
    await expect(page.locator("figure.chart svg")).to_be_visible()
