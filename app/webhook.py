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
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            return web.Response(status=403)
        try:
            data: Any = json.loads(await request.read())
            update = Update.de_json(data, self._application.bot)
        except (ValueError, TypeError, KeyError):
            return web.Response(status=400)
        if update is None:
            return web.Response(status=400)
        await self._application.update_queue.put(update)
        return web.Response(status=200)
