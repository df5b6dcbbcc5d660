"""The care team in its languages (issue #16), through the real bot and the fake Bot API: with
CLINIC_LANGUAGE set, a red-flag check-in's post in the care-team chat is in that language (the
protocol overlay's finding, the catalogued frame, the Acknowledge button); an operator whose
Telegram app is in Russian gets /patients in Russian in their private chat while the team chat
stays in CLINIC_LANGUAGE; an operator of the table keeps the language they choose."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.runtime import Runtime
from models import Operator
from recovery import Level, Procedure
from services.care_team import operators
from tests.fakebot import FakeBotApi
from tests.support.bot import CARE_TEAM_CHAT, OPERATOR_ID, ChatUser, make_runtime
from tests.support.checkin import PATIENT, answer_all
from tests.support.clock import FakeClock
from tests.support.factories import make_alert, make_patient
from tests.support.idle import settled
from views.alerts import outcome_keyboard
from views.i18n import translator

# language: (the post's head, its findings label, Acknowledge, the acknowledged state)
POSTS = {
    "es": ("EMERGENCIA", "Hallazgos:", "Confirmar recepción", "Recibido por"),
    "ar": ("طوارئ", "الملاحظات:", "تأكيد الاستلام", "استلمه"),
}
ENGLISH = ("EMERGENCY", "Findings", "Not acknowledged", "Acknowledge", "day ")
TABLE_OPERATOR = 905


@pytest.fixture
async def clinic(
    request: pytest.FixtureRequest, api: FakeBotApi, database_url: str, clock: FakeClock
) -> AsyncIterator[Runtime]:
    """The bot with ``CLINIC_LANGUAGE`` set to the test's parameter (handlers must not raise)."""
    bot = make_runtime(api, database_url, clock, clinic_language=request.param)
    errors: list[BaseException] = []

    async def collect(update: object, context: object) -> None:
        errors.append(getattr(context, "error", None) or RuntimeError("unknown"))

    bot.application.add_error_handler(collect)
    async with bot:
        yield bot
    assert not errors, f"handlers raised: {errors!r}"


@pytest.mark.parametrize("clinic", list(POSTS), indirect=True)
async def test_a_red_flag_reaches_the_care_team_in_the_clinic_language(
    api: FakeBotApi, clinic: Runtime, clock: FakeClock
) -> None:
    language = clinic.services.config.clinic_language
    head, findings, acknowledge, acknowledged = POSTS[language]
    await ChatUser(api, PATIENT).walk(procedure="Kyphoplasty")  # the patient reads English
    english = clinic.services.protocols.for_procedure(Procedure.KYPHOPLASTY)
    shown = clinic.services.protocols.for_procedure(Procedure.KYPHOPLASTY, language)
    chest = next(o.label for o in english.emergency_screen.options if o.value == "chest")
    clock.set(datetime(2026, 3, 2, 18, 0, tzinfo=UTC))
    await clinic.tick()
    await api.wait_for_message(PATIENT, contains=english.emergency_screen.text[:30])
    await answer_all(api, {english.emergency_screen.text[:30]: chest})
    told = await api.wait_for_message(PATIENT, contains="You reported")  # the patient's own
    assert "Call" in (told.text or "")

    post = await api.wait_for_message(CARE_TEAM_CHAT, contains=findings)
    text = post.text or ""
    assert text.startswith(f"🚨 {head}")
    reason = next(r.reason for r in shown.rules if r.key == "emergency_chest")
    assert reason.split(", ")[0].split("، ")[0] in text  # the overlay's finding
    assert not [word for word in ENGLISH if word in text]
    assert post.button_labels == [acknowledge]

    await settled(api, clinic)  # the post's message id is stored: the press edits it
    api.press_button(OPERATOR_ID, post, acknowledge)
    await api.wait_for(lambda: acknowledged in (post.text or ""))
    assert "Acknowledged" not in (post.text or "")
    outcomes = [b.label for row in outcome_keyboard(1, translator(language)) for b in row]
    assert post.button_labels == outcomes  # what was done, in the language too


async def test_an_operator_gets_replies_in_their_telegram_language_and_the_team_chat_in_the_clinics(
    api: FakeBotApi, runtime: Runtime
) -> None:
    services = runtime.services
    rae = await make_patient(services, user_id=502, display_name="Rae", schedule=False)
    await make_alert(services, rae, level=Level.URGENT)
    api.set_language(OPERATOR_ID, "ru-RU")

    api.send_text(OPERATOR_ID, "/patients")
    mine = await api.wait_for_message(OPERATOR_ID, contains="P-0001 (Rae)")
    assert "Пациенты по степени риска" in (mine.text or "")
    assert "открыто: 1" in (mine.text or "")
    assert "Patients by risk" not in (mine.text or "")

    api.send_text(OPERATOR_ID, "/patients", chat_id=CARE_TEAM_CHAT)
    team = await api.wait_for_message(CARE_TEAM_CHAT, contains="P-0001 (Rae)")
    assert "Patients by risk" in (team.text or "")  # CLINIC_LANGUAGE (English here)


async def test_an_operator_of_the_table_keeps_the_language_they_choose(
    api: FakeBotApi, runtime: Runtime
) -> None:
    services = runtime.services
    await operators.add_operator(services, TABLE_OPERATOR, display_name="Dr Ng", actor="test")
    person = ChatUser(api, TABLE_OPERATOR)
    api.set_language(TABLE_OPERATOR, "es-ES")
    await person.says("/alerts", "No hay alertas abiertas.")  # first command: Telegram's
    assert await stored_language(runtime, TABLE_OPERATOR) == "es"

    choice = await person.says("/language", "¿En qué idioma")
    assert choice.button_labels == ["English", "Español", "Русский", "العربية"]
    api.press_button(TABLE_OPERATOR, choice, "Русский")
    await api.wait_for(lambda: "Сохранено." in (choice.text or ""))  # the choice, edited
    assert await stored_language(runtime, TABLE_OPERATOR) == "ru"
    await person.says("/alerts", "Открытых оповещений нет.")  # the choice, not Telegram's


async def stored_language(runtime: Runtime, user_id: int) -> str | None:
    async with runtime.services.session_factory() as session:
        return await session.scalar(
            select(Operator.language).where(Operator.telegram_user_id == user_id)
        )
