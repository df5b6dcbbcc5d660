"""Screenshots of the console for the docs: ``python -m tests.browser.screenshots``.

Seeds a few patients in a throw-away SQLite database, lets them answer the 09:00 check-in
through the fake Telegram (two fevers, numb legs, chest pain; one fever acknowledged in
Telegram and its outcome recorded), signs in as "Dr Lee" the way an operator does, and saves
at 1280x800:

- ``docs/console-alerts.png``: the alert board;
- ``docs/console-patient.png``: the page of the patient with the longest course,
  ``/patients/<ref>``, once that page exists (until then it says so and saves nothing).

``--only alerts`` or ``--only patient`` saves just one. Needs /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

os.environ.setdefault("PTB_TIMEDELTA", "true")  # before telegram is imported

from playwright.async_api import Page, async_playwright, expect  # noqa: E402

from app.runtime import Runtime  # noqa: E402
from services.care_team import operators  # noqa: E402
from tests.browser.launch import VIEWPORT, launch, missing_browser  # noqa: E402
from tests.browser.pages import OPERATOR_NAME, sign_in  # noqa: E402
from tests.fakebot import FakeBotApi  # noqa: E402
from tests.support.answers import BENIGN  # noqa: E402
from tests.support.bot import CARE_TEAM_CHAT, OPERATOR_ID  # noqa: E402
from tests.support.checkin import answer_all  # noqa: E402
from tests.support.clock import FakeClock  # noqa: E402
from tests.support.console import base_url, console_runtime  # noqa: E402
from tests.support.databases import sqlite_copy, sqlite_template  # noqa: E402
from tests.support.factories import make_checkin, make_patient  # noqa: E402
from tests.support.idle import settled  # noqa: E402

DOCS = Path(__file__).resolve().parents[2] / "docs"
TODAY = date(2026, 3, 2)
FIRST_QUESTION = "Do you have any of these now"
# The activity question (from day 8) is asked after the brace one, whose answer the message
# then still shows: look for it first.
ORDINARY = {"up and about": BENIGN["up and about"], **BENIGN}


@dataclass(frozen=True)
class Seeded:
    """A patient of the screenshots: who, operated when, and what they answer today."""

    user_id: int
    name: str
    surgery: date
    answers: dict[str, str]
    earlier_pain: tuple[int, ...] = ()  # completed check-ins before today, one a day


PATIENTS = (
    Seeded(
        5001,
        "Ann",
        date(2026, 2, 20),
        {**ORDINARY, "How bad is your back": "6", "fever": "Yes"},
        (8, 7, 7, 6, 6, 5, 5, 4, 5, 5),
    ),
    Seeded(5002, "Bob", date(2026, 2, 26), {**ORDINARY, "numbness": "Yes"}, (7, 6, 6, 5)),
    Seeded(5003, "Cara", date(2026, 2, 27), {FIRST_QUESTION: "Chest pain or breathless"}),
    Seeded(5004, "Dan", date(2026, 2, 25), {**ORDINARY, "fever": "Yes"}, (6, 5, 5, 4, 4)),
    Seeded(5005, "Eve", date(2026, 2, 23), dict(ORDINARY), (5, 4, 4, 3, 3, 3)),
)
ACKNOWLEDGED = "Dan"


async def seed(api: FakeBotApi, runtime: Runtime, clock: FakeClock) -> dict[str, str]:
    """Every patient above, their history and today's answers; their references by name."""
    services = runtime.services
    refs: dict[str, str] = {}
    for person in PATIENTS:
        patient = await make_patient(
            services,
            user_id=person.user_id,
            display_name=person.name,
            surgery_date=person.surgery,
            timezone="Europe/London",
            checkin_time=time(9, 0),
        )
        refs[person.name] = f"P-{patient:04d}"
        for back, pain in enumerate(reversed(person.earlier_pain), start=1):
            day = TODAY - timedelta(days=back)
            answers = {"emergency": "none", "pain": pain, "fever": "no", "numbness": "no"}
            at = datetime.combine(day, time(9, 5), UTC)
            await make_checkin(
                services, patient, day, (day - person.surgery).days, answers=answers, at=at
            )
    clock.set(datetime.combine(TODAY, time(9, 0), UTC))
    await runtime.tick()
    for person in PATIENTS:
        await api.wait_for_message(person.user_id, contains=FIRST_QUESTION)
        await answer_all(api, person.answers, chat=person.user_id, user=person.user_id)
        clock.advance(minutes=4)
    await settled(api, runtime)
    post = await api.wait_for_message(CARE_TEAM_CHAT, contains=refs[ACKNOWLEDGED])
    api.press_button(OPERATOR_ID, post, "Acknowledge")
    await settled(api, runtime)
    clock.advance(minutes=3)
    return refs


async def record_outcome(page: Page) -> None:
    """Record, on the board, what was done about the acknowledged alert."""
    form = page.locator("form.outcome-form").first
    await form.get_by_label("What was done").select_option(index=1)
    await form.get_by_role("button", name="Record").click()
    await expect(page.locator("p.outcome")).to_have_count(1)
    await page.goto("/alerts")  # from the top, without the notice


async def shoot(database_url: str, only: str | None) -> int:
    """Seed, sign in and save the screenshots; 0 when all asked for were saved."""
    status = 0
    clock = FakeClock(datetime.combine(TODAY, time(8, 0), UTC))
    async with FakeBotApi() as api, console_runtime(api, database_url, clock) as runtime:
        await operators.add_operator(
            runtime.services, OPERATOR_ID, display_name=OPERATOR_NAME, actor="screenshots"
        )
        refs = await seed(api, runtime, clock)
        async with async_playwright() as playwright:
            browser = await launch(playwright)
            page = await browser.new_page(viewport=VIEWPORT, base_url=base_url(runtime))  # type: ignore[arg-type]
            await sign_in(page, api)
            if only in (None, "alerts"):
                await record_outcome(page)
                await save(page, "console-alerts.png")
            if only in (None, "patient"):
                status |= await patient_page(page, refs["Ann"])
            await browser.close()
    return status


async def patient_page(page: Page, ref: str) -> int:
    """The patient page's screenshot, when that page exists."""
    reply = await page.goto(f"/patients/{ref}")
    if reply is None or reply.status != 200:
        print(f"/patients/{ref} answered {reply and reply.status}: no patient screenshot")  # noqa: T201
        return 1
    await save(page, "console-patient.png")
    return 0


async def save(page: Page, name: str) -> None:
    """Save the visible part of the page (1280x800) under docs/."""
    DOCS.mkdir(exist_ok=True)
    path = DOCS / name
    await page.screenshot(path=path)
    print(f"saved {path}")  # noqa: T201


def main() -> None:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--only", choices=["alerts", "patient"], help="save just this one")
    args = parser.parse_args()
    reason = missing_browser()
    if reason is not None:
        sys.exit(f"cannot take screenshots: {reason}")
    with tempfile.TemporaryDirectory() as folder:
        database_url = sqlite_copy(sqlite_template(Path(folder)), Path(folder))
        status = asyncio.run(shoot(database_url, args.only))
    sys.exit(status)


if __name__ == "__main__":
    main()
