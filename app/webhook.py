"""Webhook intake: Telegram POSTs updates here; the secret token is checked on every request."""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.request import slim_update

__all__ = ["webhook_route"]

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105  (a header name)
MAX_BODY = 1024 * 1024
MAX_DEPTH = 32  # Telegram's updates nest about 8 deep; a deeper body is not an update


def webhook_route(
    application: Application,  # type: ignore[type-arg]
    *,
    secret: str,
    path: str,
) -> Route:
    """The route Telegram POSTs updates to: 403 without the secret, 400 for anything that is
    not an update, 200 once the update is queued for the bot."""
    wanted = secret.encode()

    async def on_update(request: Request) -> Response:
        if not hmac.compare_digest(_secret_of(request), wanted):
            return Response(status_code=403)
        body = await _body(request)
        update = _parse_update(body, application) if body is not None else None
        if update is None:
            return Response(status_code=400 if body is not None else 413)
        await application.update_queue.put(update)
        return Response(status_code=200)

    return Route(path, on_update, methods=["POST"])


async def _body(request: Request) -> bytes | None:
    """The request body, or None when it is larger than MAX_BODY."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _secret_of(request: Request) -> bytes:
    """The secret header's raw bytes (empty when absent); a non-UTF-8 value simply mismatches."""
    wanted = SECRET_HEADER.lower().encode()
    for name, value in request.scope["headers"]:
        if name.lower() == wanted:
            return bytes(value)
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
    slim_update(data)  # as polling does: the pressed message's keyboard is not parsed
    try:
        update = Update.de_json(data, application.bot)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    message = update.effective_message if update is not None else None
    if message is not None and getattr(message, "chat", None) is None:
        return None
    return update
