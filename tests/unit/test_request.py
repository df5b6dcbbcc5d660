"""The Bot API client over aiohttp: PTB's calls, uploads and errors as PTB's own backend."""

from __future__ import annotations

import socket

import pytest
from telegram import Bot
from telegram.error import NetworkError

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
