"""The care team's console in tests: a bot serving it, and an operator's browser-less client
that signs in through ``/dashboard`` in the fake Telegram."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp

from app.runtime import Runtime
from tests.fakebot import FakeBotApi
from tests.support.bot import make_runtime
from tests.support.clock import FakeClock
from tests.support.net import free_port

__all__ = ["LINK", "ask_for_link", "console_runtime", "signed_in_client"]

LINK = re.compile(r"(https?://\S+/login/[A-Za-z0-9_-]+)")


def console_runtime(
    api: FakeBotApi, database_url: str, clock: FakeClock, **settings: Any
) -> Runtime:
    """The bot serving its console on a free port."""
    return make_runtime(api, database_url, clock, web_port=free_port(), **settings)


def base_url(runtime: Runtime) -> str:
    """Where the runtime's console answers."""
    assert runtime.web is not None
    return f"http://127.0.0.1:{runtime.web.port}"


async def ask_for_link(api: FakeBotApi, user_id: int, chat_id: int | None = None) -> str | None:
    """Send ``/dashboard`` and return the sign-in link in the reply (None when refused)."""
    where = user_id if chat_id is None else chat_id
    after = len(api.messages(where))
    api.send_text(user_id, "/dashboard", chat_id=chat_id)
    reply = await api.wait_for_message(where, after=after)
    found = LINK.search(reply.text or "")
    return found[1] if found else None


@asynccontextmanager
async def signed_in_client(
    api: FakeBotApi, runtime: Runtime, user_id: int
) -> AsyncIterator[aiohttp.ClientSession]:
    """An HTTP client with the session cookie of ``user_id`` (signed in via the bot's link)."""
    link = await ask_for_link(api, user_id)
    assert link is not None, "no sign-in link"
    jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1
    async with aiohttp.ClientSession(base_url(runtime), cookie_jar=jar) as http:
        token = link.rsplit("/", 1)[1]
        async with http.post("/login", data={"token": token}, allow_redirects=False) as reply:
            assert reply.status == 303, reply.status
        yield http
