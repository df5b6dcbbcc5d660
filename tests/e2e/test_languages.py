"""A patient in their own language (issue #16): Telegram's language at /start picks it, the
urgent or emergency reply to a warning sign comes in it, and the care team's post stays in
CLINIC_LANGUAGE (English here). Check-in questions are protocol texts, still English."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.runtime import Runtime
from models import Patient
from tests.fakebot import FakeBotApi
from tests.support.answers import BENIGN
from tests.support.bot import CARE_TEAM_CHAT, ChatUser
from tests.support.checkin import PATIENT, answer_all
from tests.support.clock import FakeClock
from views.i18n import FSI, PDI

SCREEN = "Do you have any of these now"
# language: (welcome's question, Agree, answers with a warning sign, words of the reply)
CASES = {
    "es": (
        "¿Está de acuerdo?",
        "Acepto",
        {**BENIGN, "fever": "Yes"},
        ["⚠️ Llame ahora mismo a su médico", "Usted indicó: a fever.", "llame al 112"],
    ),
    "ar": (
        "هل توافق؟",
        "أوافق",
        {SCREEN: "Chest pain or breathless"},
        ["🚨 اتصل بالرقم", f"{FSI}112{PDI}", "أبلغت عن: "],
    ),
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
    welcome, agree, answers, words = CASES[language]
    api.set_language(PATIENT, f"{language}-XX")
    await ChatUser(api, PATIENT).walk(procedure="Kyphoplasty", agree=agree, welcome=welcome)
    assert await stored_language(runtime) == language

    clock.set(datetime(2026, 3, 2, 18, 0, tzinfo=UTC))
    await runtime.tick()
    await api.wait_for_message(PATIENT, contains=SCREEN)
    await answer_all(api, answers)
    reply = await api.wait_for_message(PATIENT, contains=words[0])
    assert all(word in (reply.text or "") for word in words)
    assert "You reported" not in (reply.text or "")
    post = await api.wait_for_message(CARE_TEAM_CHAT, contains="Findings:")
    assert "URGENT" in (post.text or "") or "EMERGENCY" in (post.text or "")


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
