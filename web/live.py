"""One watch of the alert board per instance, shared by every open live page.

Each open Alerts page holds a Server-Sent Events stream. Rather than each stream asking the
database once a second, one task per instance reads the board's version stamp once a second
while at least one stream listens, and wakes every stream when it changes: the database sees
one cheap query a second however many operators keep the page open.
"""

from __future__ import annotations

import asyncio
import contextlib

from services.care_team import board_version
from services.context import Services

__all__ = ["BoardWatch"]

POLL_SECONDS = 1.0


class BoardWatch:
    """The board's version, polled once a second while anyone listens.

    ``generation`` counts the changes seen; a stream remembers the one it last told its page
    about and waits in :meth:`next_change` for a later one.
    """

    def __init__(self, services: Services, closing: asyncio.Event, poll: float = POLL_SECONDS):
        self._services = services
        self._closing = closing
        self._poll = poll
        self._version: str | None = None
        self.generation = 0
        self._moved = asyncio.Event()
        self._listeners = 0
        self._task: asyncio.Task[None] | None = None

    async def next_change(self, seen: int, timeout: float) -> int:  # noqa: ASYNC109
        """Wait until the generation is past ``seen``, for at most ``timeout`` seconds (or
        until the app closes); returns the generation then."""
        self._listeners += 1
        try:
            if self._task is None or self._task.done():
                self._task = asyncio.create_task(self._watch())
            if self.generation == seen and not self._closing.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._moved.wait(), timeout)
            return self.generation
        finally:
            self._listeners -= 1

    async def _watch(self) -> None:
        while self._listeners and not self._closing.is_set():
            async with self._services.session_factory() as session:
                version = await board_version(session, self._services.now())
            if version != self._version:
                first = self._version is None
                self._version = version
                if not first:
                    self._changed()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), self._poll)
        if self._closing.is_set():
            self._changed()  # wake every stream so it sees the app closing

    def _changed(self) -> None:
        self.generation += 1
        moved, self._moved = self._moved, asyncio.Event()
        moved.set()
