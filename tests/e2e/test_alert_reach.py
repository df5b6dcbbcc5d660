"""Alerts must reach a person: /health says when they cannot; urgent replies name the right
numbers; the patient hears when the care team has seen their alert."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import aiohttp
import pytest
from sqlalchemy import update

from app.runtime import Runtime
from models import Alert
from recovery import Procedure
from tests.fakebot import FakeBotApi
from tests.support.answers import BENIGN
from tests.support.bot import CARE_TEAM_CHAT, OPERATOR_ID, make_runtime
from tests.support.checkin import PATIENT, answer_all, first_question
from tests.support.clock import FakeClock
from tests.support.factories import make_alert, make_patient
from tests.support.waiting import eventually

CLINIC = "+44 20 7946 0000"
HEALTHY = {"status": "ok", "database": True, "pending_messages": 0, "oldest_pending_seconds": 0.0}


@pytest.fixture(autouse=True)
def _early_morning(clock: FakeClock) -> None:
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))


async def enroll(runtime: Runtime, zone: str = "Europe/London", at: time = time(9, 0)) -> None:
    await make_patient(
        runtime.services,
        user_id=PATIENT,
        display_name="Ann",
        procedure=Procedure.KYPHOPLASTY,
        surgery_date=date(2026, 2, 28),
        timezone=zone,
        checkin_time=at,
    )


async def health(url: str) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.json()


async def test_health_is_unhealthy_while_the_care_team_chat_refuses_alerts(
    api: FakeBotApi, hooked: tuple[Runtime, str], clock: FakeClock
) -> None:
    runtime, base = hooked
    url = f"{base}/health"
    status, body = await health(url)
    assert (status, {k: body[k] for k in (*HEALTHY, "alerts")}) == (
        200,
        {**HEALTHY, "alerts": "ok"},
    )
    patient_id = await make_patient(runtime.services, user_id=PATIENT)
    alert_id = await make_alert(runtime.services, patient_id)
    async with runtime.services.session_factory.begin() as session:  # due for its reminder
        await session.execute(
            update(Alert).where(Alert.id == alert_id).values(escalate_at=clock.now())
        )
    api.fail_chat(CARE_TEAM_CHAT, 403)
    await runtime.tick()  # the reminder goes to the team chat (refused) and to the operator

    async def unhealthy() -> dict[str, Any] | None:
        status, body = await health(url)
        return body if status == 503 else None

    body = await eventually(unhealthy)
    assert body["status"] == "degraded"
    assert "care-team chat unreachable" in body["alerts"]
    assert "CARE_TEAM_CHAT_ID" in body["alerts"]

    api.clear_faults(CARE_TEAM_CHAT)  # the team fixed the chat; the next post gets through
    clock.advance(minutes=30)
    await runtime.tick()
    await api.wait_for_message(CARE_TEAM_CHAT, contains="reminder 2")

    async def healthy() -> dict[str, Any] | None:
        status, body = await health(url)
        return body if status == 200 else None

    assert (await eventually(healthy))["alerts"] == "ok"


async def test_a_london_patients_emergency_reply_names_999_and_the_surgeons_office(
    api: FakeBotApi, database_url: str, clock: FakeClock
) -> None:
    async with make_runtime(api, database_url, clock, clinic_phone=CLINIC) as runtime:
        await enroll(runtime)
        question = await first_question(api, runtime, clock)
        api.press_button(PATIENT, question, "Chest pain or breathless")
        emergency = await api.wait_for_message(PATIENT, contains="🚨")
    assert "999" in emergency.text
    assert "112" not in emergency.text
    assert f"also tell your surgeon's office: {CLINIC}" in emergency.text


async def test_urgent_reply_shows_the_clinic_phone_and_acknowledgement_tells_the_patient(
    api: FakeBotApi, database_url: str, clock: FakeClock
) -> None:
    async with make_runtime(api, database_url, clock, clinic_phone=CLINIC) as runtime:
        await enroll(runtime, zone="America/New_York", at=time(4, 0))  # 09:00 UTC
        await first_question(api, runtime, clock)
        await answer_all(api, {**BENIGN, "fever": "Yes"}, stop_after="fever")
        urgent = await api.wait_for_message(PATIENT, contains="You reported: a fever")
        assert f"Call your surgeon's office: {CLINIC}" in urgent.text
        post = await api.wait_for_message(CARE_TEAM_CHAT, contains="URGENT")

        data = post.find_button("Acknowledge")["callback_data"]
        api.press(OPERATOR_ID, post, data, first_name="Dr Zed")
        seen = await api.wait_for_message(PATIENT, contains="Your care team has seen")
    assert "Zed" not in seen.text
    assert "call 911" in seen.text
    assert seen.buttons == []
