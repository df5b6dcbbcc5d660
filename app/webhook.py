"""Webhook intake: Telegram POSTs updates here; the secret token is checked on every request."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from app.health_server import bind, health_handler
from services.health import Health

__all__ = ["WebhookServer"]

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105  (a header name)
MAX_BODY = 1024 * 1024
MAX_DEPTH = 32  # Telegram's updates nest about 8 deep; a deeper body is not an update


class WebhookServer:
    """An aiohttp server with the webhook route and ``GET /health``."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        *,
        secret: str,
        path: str,
        listen: str,
        port: int,
        health: Callable[[], Awaitable[Health]],
    ) -> None:
        self._application = application
        self._secret = secret.encode()
        self._app = web.Application(client_max_size=MAX_BODY)
        self._app.router.add_post(path, self._on_update)
        self._app.router.add_get("/health", health_handler(health))
        self._runner = web.AppRunner(self._app, access_log=None)
        self._listen, self._port = listen, port
        self.port = port

    async def start(self) -> None:
        """Bind and serve."""
        self.port = await bind(self._runner, self._listen, self._port)
        log.info("webhook listening on %s:%s", self._listen, self.port)

    async def stop(self) -> None:
        """Stop accepting requests."""
        await self._runner.cleanup()

    async def _on_update(self, request: web.Request) -> web.Response:
        if not hmac.compare_digest(_secret_of(request), self._secret):
            return web.Response(status=403)
        update = _parse_update(await request.read(), self._application)
        if update is None:
            return web.Response(status=400)
        await self._application.update_queue.put(update)
        return web.Response(status=200)


def _secret_of(request: web.Request) -> bytes:
    """The secret header's raw bytes (empty when absent); a non-UTF-8 value simply mismatches."""
    wanted = SECRET_HEADER.lower().encode()
    for name, value in request.raw_headers:
        if name.lower() == wanted:
            return value
    return b""


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in a decoded JSON value (iterative)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                break
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _parse_update(
    body: bytes,
    application: Application,  # type: ignore[type-arg]
) -> Update | None:
    """The update in a request body, or None for anything that is not one (answered 400).

    Refused: invalid JSON or JSON nested deeper than MAX_DEPTH, a body that is not an object
    with an integer ``update_id``, and a message without a chat.
    """
    try:
        data: Any = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or _depth(data) > MAX_DEPTH:
        return None
    if not isinstance(data.get("update_id"), int) or isinstance(data["update_id"], bool):
        return None
    try:
        update = Update.de_json(data, application.bot)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    message = update.effective_message if update is not None else None
    if message is not None and getattr(message, "chat", None) is None:
        return None
    return update
