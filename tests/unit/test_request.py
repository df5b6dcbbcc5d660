"""The Bot API client over aiohttp: PTB's calls, uploads and errors as PTB's own backend."""

from __future__ import annotations

import socket

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError, TelegramError

from bot.app import build_application, close_requests
from bot.request import AiohttpRequest
from tests.fakebot import FakeBotApi


async def test_calls_and_uploads_reach_the_bot_api() -> None:
    async with FakeBotApi() as api:
        bot = Bot(api.token, base_url=f"{api.root_url}/bot", request=AiohttpRequest())
        async with bot:
            assert (await bot.get_me()).username == api.bot_username
            await bot.send_message(42, "hello")
            await bot.send_document(42, b"%PDF-1.4 data", filename="copy.pdf", caption="yours")
        assert [m.text for m in api.messages(42)][0] == "hello"
        (document,) = api.documents(42)
        assert document.caption == "yours"
        assert document.document is not None
        assert document.document["content"] == b"%PDF-1.4 data"


async def test_an_unreachable_server_is_a_network_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bot = Bot("1:X", base_url=f"http://127.0.0.1:{port}/bot", request=AiohttpRequest())
    with pytest.raises(NetworkError):
        await bot.initialize()
    await bot.shutdown()


async def test_close_requests_closes_a_bot_whose_start_failed() -> None:
    application = build_application(
        token="1:X",
        api_base_url="http://127.0.0.1:9",
        services=None,  # type: ignore[arg-type]
    )
    with pytest.raises(NetworkError):
        await application.initialize()
    await close_requests(application)  # no unclosed-session warning (warnings are errors)


async def test_a_pressed_message_comes_with_its_chat_and_id_but_not_its_keyboard() -> None:
    async with FakeBotApi() as api:
        bot = Bot(
            api.token,
            base_url=f"{api.root_url}/bot",
            request=AiohttpRequest(),
            get_updates_request=AiohttpRequest(),
        )
        async with bot:
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="y")]])
            await bot.send_message(42, "*Pain* now?", reply_markup=keyboard, parse_mode="Markdown")
            (sent,) = api.messages(42)
            api.press_button(42, sent, "Yes")
            (update,) = await bot.get_updates(timeout=0)
    query = update.callback_query
    assert query is not None
    assert query.data == "y"
    assert query.message is not None
    assert (query.message.chat.id, query.message.message_id) == (42, sent.message_id)
    assert query.message.reply_markup is None  # never parsed: no handler reads it


def test_a_reply_that_is_not_json_is_refused_and_logged_without_its_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with pytest.raises(TelegramError):
        AiohttpRequest.parse_json_payload(b"<html>my pain is 9</html>")
    assert "pain" not in caplog.text
    assert "25 bytes" in caplog.text
