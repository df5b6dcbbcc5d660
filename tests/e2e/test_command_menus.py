"""The operators' commands appear in Telegram's menu only in their chats: scoped
setMyCommands per operator's private chat and for the care-team chat, following operators
added and removed while the bot runs. Everyone's menu is registered once per supported
language (setMyCommands with language_code), English for any other."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from app.runtime import Runtime
from models import Operator
from services.care_team import operators
from tests.fakebot import FakeBotApi
from tests.support.bot import CARE_TEAM_CHAT, OPERATOR_ID
from views import texts
from views.i18n import translator

NEW_OPERATOR = 905
STRANGER = 777
OPERATOR_MENU = ["alerts", "patients", "patient", "export", "whoami"]


async def test_operator_commands_are_in_the_menu_of_operators_and_the_team_chat_only(
    api: FakeBotApi, runtime: Runtime
) -> None:
    everyone = api.commands_in()
    assert "checkin" in everyone
    assert not set(OPERATOR_MENU[:4]) & set(everyone)
    assert "dashboard" not in everyone
    assert "language" not in everyone  # patients change theirs in /settings
    assert api.commands_in(OPERATOR_ID) == [*everyone, "dashboard", "language", *OPERATOR_MENU]
    assert (
        api.commands_in(CARE_TEAM_CHAT) == OPERATOR_MENU
    )  # the sign-in link and /language are personal
    assert api.commands_in(STRANGER) == []


async def test_the_menu_follows_operators_added_and_removed(
    api: FakeBotApi, runtime: Runtime
) -> None:
    services = runtime.services
    await operators.add_operator(services, NEW_OPERATOR, display_name="Dr Ng", actor="test")
    await runtime.tick()
    assert "alerts" in api.commands_in(NEW_OPERATOR)
    calls = len(api.calls_to("setMyCommands"))
    await runtime.tick()
    assert len(api.calls_to("setMyCommands")) == calls  # nothing changed: Telegram is not called

    await operators.remove_operator(services, NEW_OPERATOR, actor="test")
    await runtime.tick()
    assert api.commands_in(NEW_OPERATOR) == []
    assert "alerts" in api.commands_in(OPERATOR_ID)  # the others keep theirs


async def test_everyones_menu_is_registered_in_each_supported_language(
    api: FakeBotApi, runtime: Runtime
) -> None:
    english = {c["command"]: c["description"] for c in api.menu()}  # for any other language
    assert english["mydata"] == "Get a copy of your stored data"
    for language in ("es", "ru", "ar"):
        menu = {c["command"]: c["description"] for c in api.menu(language_code=language)}
        assert list(menu) == list(english), language  # the same commands, in the same order
        tr = translator(language)
        assert menu == {name: tr.gettext(text) for name, text in texts.COMMANDS}
        assert not set(menu.values()) & set(english.values()), language  # none left in English
    assert api.menu(language_code="ru")[0]["description"] == "Начать или продолжить регистрацию"


@pytest.mark.parametrize("runtime", ["es"], indirect=True)
async def test_operators_menus_are_in_each_operators_language_and_the_team_chats_in_the_clinics(
    api: FakeBotApi, runtime: Runtime
) -> None:
    """An operator who chose Russian reads the menu of their chat in Russian, and follows it
    when they change their language; the care-team chat's menu is in CLINIC_LANGUAGE."""
    services = runtime.services
    await operators.add_operator(services, NEW_OPERATOR, display_name="Dr Ng", actor="test")
    await set_operator_language(runtime, "ru")
    await runtime.tick()
    ru, es = translator("ru"), translator("es")
    mine = {c["command"]: c["description"] for c in api.menu(NEW_OPERATOR)}
    assert mine["alerts"] == ru.gettext("Open alerts, most severe first")
    assert mine["language"] == ru.gettext("Your language for replies here")
    assert mine["checkin"] == ru.gettext("Do today's check-in now")
    team = {c["command"]: c["description"] for c in api.menu(CARE_TEAM_CHAT)}
    assert team["patients"] == es.gettext("Active patients by risk")
    assert team["patients"] != "Active patients by risk"
    english = {c["command"]: c["description"] for c in api.menu(OPERATOR_ID)}
    assert english["alerts"] == "Open alerts, most severe first"  # no language chosen

    await set_operator_language(runtime, "es")
    await runtime.tick()
    mine = {c["command"]: c["description"] for c in api.menu(NEW_OPERATOR)}
    assert mine["alerts"] == es.gettext("Open alerts, most severe first")


async def set_operator_language(runtime: Runtime, language: str) -> None:
    async with runtime.services.transaction() as session:
        await session.execute(
            update(Operator)
            .where(Operator.telegram_user_id == NEW_OPERATOR)
            .values(language=language)
        )
