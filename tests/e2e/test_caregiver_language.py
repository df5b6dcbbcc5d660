"""A caregiver in their own language (issue #16), end to end: a Spanish caregiver accepts the
invitation of an English patient and reads everything meant for them in Spanish, while the
patient keeps reading English; /settings lets the caregiver pick another language."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from app.runtime import Runtime
from models import CareLink
from tests.fakebot import FakeBotApi
from tests.support.checkin import PATIENT
from tests.support.clock import FakeClock
from tests.support.factories import make_patient

CAREGIVER = 5252
BOT = "recovery_test_bot"


@pytest.fixture(autouse=True)
def _early_morning(clock: FakeClock) -> None:
    """Monday 2 March 2026 at 08:00 UTC (08:00 in London)."""
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))


async def test_a_spanish_caregiver_of_an_english_patient_reads_spanish(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    await make_patient(
        runtime.services,
        user_id=PATIENT,
        display_name="Ann",
        surgery_date=date(2026, 2, 28),
        checkin_time=time(9, 0),
    )
    api.send_text(PATIENT, "/invite")
    invitation = await api.wait_for_message(PATIENT, contains="Invite a caregiver")  # English
    token = re.search(rf"t\.me/{BOT}\?start=([A-Za-z0-9_-]+)", invitation.text or "")
    assert token is not None

    api.set_language(CAREGIVER, "es-ES")
    api.send_text(CAREGIVER, f"/start {token.group(1)}", first_name="Bea")
    preview = await api.wait_for_message(CAREGIVER, contains="Ann le invita")
    assert "alertas urgentes y de emergencia" in (preview.text or "")
    api.press_button(CAREGIVER, preview, "Aceptar")
    await api.wait_for(lambda: "Ahora es cuidador de Ann" in (preview.text or ""))
    assert "Le escribo en español" in (preview.text or "")
    assert preview.button_labels == ["English", "Русский", "العربية"]
    await api.wait_for_message(PATIENT, contains="Bea accepted your invitation")  # English
    async with runtime.services.session_factory() as session:
        assert await session.scalar(select(CareLink.language)) == "es"

    api.send_text(PATIENT, "/caregivers")
    listing = await api.wait_for_message(PATIENT, contains="Your caregivers and groups")
    api.press_button(PATIENT, listing, "Allow answering")
    await api.wait_for_message(CAREGIVER, contains="Ann ahora le permite responder")

    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    await runtime.tick()  # the check-in goes to the patient
    await api.wait_for_message(PATIENT, contains="Daily check-in")
    clock.set(datetime(2026, 3, 2, 15, 1, tzinfo=UTC))
    await runtime.tick()  # not answered: missed, and the caregiver hears it in Spanish
    missed = await api.wait_for_message(CAREGIVER, contains="Ann no ha respondido hoy")
    assert "has not completed" not in (missed.text or "")

    api.send_text(CAREGIVER, "/settings")
    settings = await api.wait_for_message(CAREGIVER, contains="¿En qué idioma")
    api.press_button(CAREGIVER, settings, "Русский")
    await api.wait_for(lambda: "Я буду писать вам" in (settings.text or ""))
    api.send_text(CAREGIVER, "/join")
    await api.wait_for_message(CAREGIVER, contains="Чтобы принять приглашение")
