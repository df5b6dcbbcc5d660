"""What every user meets first: commands, help, and calm answers to odd input."""

from __future__ import annotations

from app.runtime import Runtime
from tests.fakebot import FakeBotApi
from views import texts

USER = 3131


def private(user_id: int, **content: object) -> dict[str, object]:
    return {
        "message_id": 500,
        "date": 1_772_438_400,
        "chat": {"id": user_id, "type": "private", "first_name": "Ann"},
        "from": {"id": user_id, "is_bot": False, "first_name": "Ann"},
        **content,
    }


async def test_the_command_menu_is_registered_with_telegram(
    api: FakeBotApi, runtime: Runtime
) -> None:
    names = api.commands_in()  # everyone's menu (operators' chats get more, see test_command_menus)
    assert names == [name for name, _ in texts.COMMANDS]
    for needed in ("start", "checkin", "status", "settings", "pause", "mydata", "delete", "help"):
        assert needed in names


async def test_help_lists_what_the_bot_does(api: FakeBotApi, runtime: Runtime) -> None:
    api.send_text(USER, "/help")
    reply = await api.wait_for_message(USER, contains="What I can do")
    assert "/checkin" in reply.text
    assert "not an emergency service" in reply.text


async def test_unknown_commands_text_and_odd_messages_get_a_pointer_to_help(
    api: FakeBotApi, runtime: Runtime
) -> None:
    api.send_text(USER, "/frobnicate")
    await api.wait_for_message(USER, contains="Send /help")
    api.send_text(USER, "hello there")
    await api.wait_for_message(USER, contains="Send /help", after=1)
    api.inject_update("message", private(USER, contact={"phone_number": "1", "first_name": "A"}))
    await api.wait_for_message(USER, contains="Send /help", after=2)


async def test_a_button_nobody_knows_is_answered_not_left_spinning(
    api: FakeBotApi, runtime: Runtime
) -> None:
    api.send_text(USER, "/help")
    message = await api.wait_for_message(USER, contains="What I can do")
    query = api.press(USER, message, "zz:old-button")
    answer = await api.wait_callback_answer(query)
    assert answer["text"] == texts.STALE_BUTTON


async def test_blocking_and_unblocking_in_private_is_taken_calmly(
    api: FakeBotApi, runtime: Runtime
) -> None:
    api.block_bot(USER)
    api.unblock_bot(USER)
    api.send_text(USER + 1, "/help")  # the bot is still serving others
    await api.wait_for_message(USER + 1, contains="What I can do")
