"""A patient in their own language (issue #16): Telegram's language at /start picks it, the
urgent or emergency reply to a warning sign comes in it, and the care team's post stays in
CLINIC_LANGUAGE (English here). Check-in questions come from the protocol's overlay in the
patient's language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.runtime import Runtime
from models import Patient
from recovery import Level, Procedure
from tests.fakebot import FakeBotApi
from tests.support.bot import CARE_TEAM_CHAT, ChatUser
from tests.support.checkin import PATIENT, answer_all
from tests.support.clock import FakeClock
from views.i18n import FSI, PDI

# language: (welcome's question, Agree, the emergency number as the reply shows it)
CASES = {
    "es": ("¿Está de acuerdo?", "Acepto", "112"),
    "ru": ("Вы согласны?", "Согласен(на)", "112"),
    "ar": ("هل توافق؟", "أوافق", f"{FSI}112{PDI}"),
}


async def stored_language(runtime: Runtime) -> str | None:
    async with runtime.services.session_factory() as session:
        return await session.scalar(
            select(Patient.language).where(Patient.telegram_user_id == PATIENT)
        )


@pytest.mark.parametrize("language", list(CASES))
async def test_a_warning_sign_is_answered_in_the_patients_language(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock, language: str
) -> None:
    welcome, agree, number = CASES[language]
    api.set_language(PATIENT, f"{language}-XX")
    await ChatUser(api, PATIENT).walk(procedure="Kyphoplasty", agree=agree, welcome=welcome)
    assert await stored_language(runtime) == language

    shown = runtime.services.protocols.for_procedure(Procedure.KYPHOPLASTY, language)
    screen = shown.emergency_screen
    chest = next(o.label for o in screen.options if o.value == "chest")
    clock.set(datetime(2026, 3, 2, 18, 0, tzinfo=UTC))
    await runtime.tick()
    asked = await api.wait_for_message(PATIENT, contains=screen.text[:30])
    assert chest in asked.button_labels
    assert "Daily check-in" not in (asked.text or "")  # the frame is in the language too
    await answer_all(api, {screen.text[:30]: chest})
    first_words = shown.action_text(Level.EMERGENCY).split("{", 1)[0].strip()[:12]
    reply = await api.wait_for_message(PATIENT, contains=first_words)
    assert number in (reply.text or "")
    assert "You reported" not in (reply.text or "")
    post = await api.wait_for_message(CARE_TEAM_CHAT, contains="Findings:")
    assert "EMERGENCY" in (post.text or "")  # the care team reads CLINIC_LANGUAGE (English)


async def test_the_language_can_be_changed_at_the_welcome(
    api: FakeBotApi, runtime: Runtime
) -> None:
    person = ChatUser(api, PATIENT)
    api.set_language(PATIENT, "en-GB")
    await person.says("/start", "Do you agree?")
    russian = await person.presses("Русский", "Вы согласны?")
    assert "English" in russian.button_labels
    assert await stored_language(runtime) == "ru"
    await person.presses("Согласен(на)", "What name")


async def test_the_language_can_be_changed_in_settings(api: FakeBotApi, runtime: Runtime) -> None:
    person = ChatUser(api, PATIENT)
    await person.walk()
    assert await stored_language(runtime) == "en"
    await person.says("/settings", "What would you like to change?")
    question = await person.presses("Language / Idioma", "Which language")
    assert question.button_labels == ["English", "Español", "Русский", "العربية", "Cancel"]
    await person.presses("Español", "Saved.")
    assert await stored_language(runtime) == "es"
    await person.says("/help", "Lo que puedo hacer:")
    await person.says("/nonsense", "no lo he entendido")
