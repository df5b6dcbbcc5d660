"""Update flow: per-user ordering with cross-user concurrency, and a per-user flood gate."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseUpdateProcessor, TypeHandler

from bot.common import send
from bot.context import Context
from views import texts
from views.i18n import translator

__all__ = ["FloodGate", "PerUserUpdateProcessor", "flood_handler"]


def _user_key(update: object) -> int | None:
    if isinstance(update, Update):
        if update.effective_user is not None:
            return update.effective_user.id
        if update.effective_chat is not None:
            return update.effective_chat.id
    return None


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Different users' updates run concurrently; each user's run one at a time, in order.

    A double press or a burst from one user is therefore handled in sequence, while a slow
    database call for one user does not hold up anyone else.
    """

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run ``coroutine`` under the user's lock."""
        key = _user_key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                await coroutine
        finally:
            if not lock.locked() and self._locks.get(key) is lock:
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


@dataclass
class FloodGate:
    """Allows each user ``limit`` updates in any ``window`` seconds; the rest are dropped."""

    limit: int = 20
    window: float = 10.0
    clock: Callable[[], float] = time.monotonic
    _seen: dict[int, deque[float]] = field(default_factory=dict)
    _warned: dict[int, float] = field(default_factory=dict)

    def admit(self, user_id: int) -> bool:
        """Record an update from ``user_id``; False when it is over the limit."""
        now = self.clock()
        seen = self._seen.setdefault(user_id, deque())
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        if len(self._seen) > 50_000:
            self._seen = {u: d for u, d in self._seen.items() if d and d[-1] > now - self.window}
        return True

    def should_warn(self, user_id: int) -> bool:
        """True once per window for a throttled user (so the warning is not a flood itself)."""
        now = self.clock()
        if now - self._warned.get(user_id, -self.window) < self.window:
            return False
        self._warned[user_id] = now
        return True


def flood_handler(gate: FloodGate) -> TypeHandler[Update, Context, None]:
    """A first-group handler that stops a flooding user's updates before any feature sees them."""

    async def on_update(update: Update, context: Context) -> None:
        user = update.effective_user
        if user is None or gate.admit(user.id):
            return
        if update.callback_query is not None:
            tr = translator(user.language_code)  # no database: this user is flooding
            await update.callback_query.answer(tr.gettext(texts.SLOW_DOWN), show_alert=False)
        elif (
            update.effective_chat is not None
            and update.effective_chat.type == update.effective_chat.PRIVATE
            and gate.should_warn(user.id)
        ):
            message = texts.say(texts.SLOW_DOWN_MESSAGE, translator(user.language_code))
            await send(context, update.effective_chat.id, message)
        raise ApplicationHandlerStop

    return TypeHandler(Update, on_update)
