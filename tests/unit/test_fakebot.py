"""The fake Bot API server, exercised over HTTP by the real python-telegram-bot."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from tests.fakebot import FakeBotApi

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
USER = 4242
KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Pain 0-3", callback_data="pain:low")],
        [InlineKeyboardButton("Pain 4-10", callback_data="pain:high")],
    ]
)


@pytest.fixture(autouse=True)
def _timedelta_periods(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta time periods (avoids its deprecation warning)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """A running fake server."""
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    """An initialized PTB ``Bot`` talking to the fake server."""
    async with Bot(
        api.token,
        base_url=f"{api.root_url}/bot",
        base_file_url=f"{api.root_url}/file/bot",
    ) as client:
        yield client


@contextlib.asynccontextmanager
async def running_app(
    api: FakeBotApi, *handlers: BaseHandler[Update, Any, Any]
) -> AsyncIterator[AnyApplication]:
    """A polling PTB ``Application`` with ``handlers``, stopped cleanly afterwards."""
    app = (
        ApplicationBuilder()
        .token(api.token)
        .base_url(f"{api.root_url}/bot")
        .base_file_url(f"{api.root_url}/file/bot")
        .job_queue(None)
        .build()
    )
    app.add_handlers(handlers)
    await app.initialize()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    await app.start()
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def test_get_me_describes_the_bot(api: FakeBotApi, bot: Bot) -> None:
    me = await bot.get_me()

    assert (me.id, me.username, me.is_bot) == (api.bot_id, api.bot_username, True)


async def test_wrong_token_is_unauthorized(api: FakeBotApi) -> None:
    intruder = Bot("1:WRONG", base_url=f"{api.root_url}/bot")

    with pytest.raises(InvalidToken):
        await intruder.initialize()
    await intruder.shutdown()


async def test_unknown_method_is_bad_request_not_invalid_token(api: FakeBotApi, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Method not found"):
        await bot.do_api_request("doSomethingNew", api_kwargs={"chat_id": USER})

    assert api.calls_to("DoSomethingNew") == [{"chat_id": USER}]


async def test_send_message_round_trips_inline_keyboard(api: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(USER, "How is your pain?", reply_markup=KEYBOARD)

    assert (sent.chat.id, sent.message_id, sent.text) == (USER, 1, "How is your pain?")
    assert sent.reply_markup == KEYBOARD
    stored = api.last_message(USER)
    assert stored.button_labels == ["Pain 0-3", "Pain 4-10"]
    assert stored.find_button(contains="4-10")["callback_data"] == "pain:high"
    assert api.calls_to("sendMessage")[0]["reply_markup"] == KEYBOARD.to_dict()


async def test_edit_message_text_updates_in_place(api: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(USER, "Question", reply_markup=KEYBOARD)

    edited = await bot.edit_message_text("Thanks!", chat_id=USER, message_id=sent.message_id)

    assert isinstance(edited, type(sent))
    assert edited.text == "Thanks!"
    assert edited.edit_date is not None
    [stored] = api.messages(USER)
    assert (stored.text, stored.edits, stored.buttons) == ("Thanks!", ["Question"], [])


async def test_edit_without_changes_is_not_modified(bot: Bot) -> None:
    sent = await bot.send_message(USER, "Same", reply_markup=KEYBOARD)

    with pytest.raises(BadRequest, match="Message is not modified"):
        await sent.edit_text("Same", reply_markup=KEYBOARD)


async def test_injected_429_raises_retry_after_once(api: FakeBotApi, bot: Bot) -> None:
    api.fail_chat(USER, 429, times=1, retry_after=7)

    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(USER, "hello")
    await bot.send_message(USER, "hello again")

    assert raised.value.retry_after == dtm.timedelta(seconds=7)
    assert [message.text for message in api.messages(USER)] == ["hello again"]


async def test_blocked_user_answers_403(api: FakeBotApi, bot: Bot) -> None:
    api.block_bot(USER)

    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "Daily check-in")
    api.unblock_bot(USER)
    await bot.send_message(USER, "Daily check-in")


async def test_removed_and_migrated_groups_fail_like_telegram(api: FakeBotApi, bot: Bot) -> None:
    api.add_bot_to_group(-500, by_user_id=USER)
    await bot.send_message(-500, "Hello family")
    api.migrate_group(-500, -1_001_234_567_890, by_user_id=USER)

    with pytest.raises(ChatMigrated) as raised:
        await bot.send_message(-500, "Still here?")
    assert raised.value.new_chat_id == -1_001_234_567_890
    chat = await bot.get_chat(-1_001_234_567_890)
    assert (chat.type, chat.title) == ("supergroup", "Family")

    api.remove_bot_from_group(-1_001_234_567_890, by_user_id=USER)
    with pytest.raises(Forbidden, match="not a member"):
        await bot.send_message(-1_001_234_567_890, "Hello?")


async def test_commands_are_kept(api: FakeBotApi, bot: Bot) -> None:
    commands = [BotCommand("start", "Begin"), BotCommand("help", "Help")]

    await bot.set_my_commands(commands)

    assert await bot.get_my_commands() == tuple(commands)
    assert api.commands == [command.to_dict() for command in commands]


async def test_wait_for_message_timeout_lists_the_chat(api: FakeBotApi, bot: Bot) -> None:
    await bot.send_message(USER, "Good morning", reply_markup=KEYBOARD)

    with pytest.raises(AssertionError, match=r"\[0\] #1: 'Good morning' buttons="):
        await api.wait_for_message(USER, contains="evening", timeout=0.05)


async def test_hanging_chat_times_out_the_client(api: FakeBotApi, bot: Bot) -> None:
    api.fail_chat(USER, 0)

    with pytest.raises(TimedOut):
        await bot.send_message(USER, "anyone?", read_timeout=0.2)


async def test_send_document_keeps_the_bytes(api: FakeBotApi, bot: Bot) -> None:
    content = b"day,pain\n1,4\n"

    sent = await bot.send_document(USER, content, filename="report.csv", caption="Your week")

    [stored] = api.documents(USER)
    assert stored.document is not None
    assert (stored.document["file_name"], stored.document["content"]) == ("report.csv", content)
    assert stored.caption == "Your week"
    assert sent.document is not None
    downloaded = await (await bot.get_file(sent.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == content


async def test_get_updates_long_poll_wakes_on_new_update(api: FakeBotApi, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await api.wait_for(lambda: api.calls_to("getUpdates"))

    api.send_text(USER, "/start@recovery_test_bot now", first_name="Anna")
    [update] = await asyncio.wait_for(poll, timeout=1)

    assert update.message is not None
    assert update.message.text == "/start@recovery_test_bot now"
    [command] = update.message.parse_entities().values()
    assert command == "/start@recovery_test_bot"
    assert update.effective_user is not None
    assert update.effective_user.first_name == "Anna"
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()


async def test_user_actions_parse_as_ptb_updates(api: FakeBotApi, bot: Bot) -> None:
    api.add_bot_to_group(-500, by_user_id=USER, title="Family")
    api.send_text(USER, "hi all", chat_id=-500)
    api.send_location(USER, 55.75, 37.61)
    api.block_bot(USER)

    added, group_text, location, blocked = await bot.get_updates()

    assert added.my_chat_member is not None
    assert added.my_chat_member.new_chat_member.status == "member"
    assert added.my_chat_member.new_chat_member.user.id == api.bot_id
    assert group_text.effective_chat is not None
    assert (group_text.effective_chat.type, group_text.effective_chat.title) == ("group", "Family")
    assert location.message is not None
    assert location.message.location is not None
    assert location.message.location.latitude == 55.75
    assert blocked.my_chat_member is not None
    assert blocked.my_chat_member.new_chat_member.status == "kicked"


async def test_enforce_limits_rejects_second_message_within_a_second(
    api: FakeBotApi, bot: Bot
) -> None:
    api.enforce_limits()

    await bot.send_message(USER, "first")
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(USER, "second")

    assert raised.value.retry_after == dtm.timedelta(seconds=1)
    assert api.limit_violations == 1
    await bot.send_message(USER + 1, "another chat is fine")


async def test_application_answers_start_command(api: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("Welcome! How is your back today?")

    async with running_app(api, CommandHandler("start", start)):
        api.send_text(USER, "/start")
        reply = await api.wait_for_message(USER, contains="welcome")

    assert reply.text == "Welcome! How is your back today?"
    assert api.calls_to("deleteWebhook")


async def test_application_handles_button_press(api: FakeBotApi) -> None:
    async def on_pain(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer(f"Saved {query.data}")
        await query.edit_message_text("Thank you!")

    async with running_app(api, CallbackQueryHandler(on_pain, pattern="^pain:")) as app:
        await app.bot.send_message(USER, "How is your pain?", reply_markup=KEYBOARD)
        query_id = api.press_button(USER, api.last_message(USER), "Pain 4-10")
        answer = await api.wait_callback_answer(query_id)
        edited = await api.wait_for_message(USER, contains="thank you")

    assert answer == {"callback_query_id": query_id, "text": "Saved pain:high", "show_alert": False}
    assert edited.edits == ["How is your pain?"]
