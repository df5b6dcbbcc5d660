"""Waiting for a condition that needs a database read (no fixed sleeps)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

__all__ = ["eventually"]

T = TypeVar("T")


async def eventually(check: Callable[[], Awaitable[T]], timeout: float = 5.0) -> T:  # noqa: ASYNC109
    """Await ``check()`` every 20 ms until it returns something truthy; fail after ``timeout``."""
    async with asyncio.timeout(timeout):
        while True:
            result = await check()
            if result:
                return result
            await asyncio.sleep(0.02)
