"""This instance's heartbeat: a row that says "alive" every second, removed at a clean stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from services.context import Services
from services.delivery.instances import HEARTBEAT_EVERY, beat, retire

__all__ = ["Heartbeat"]

log = logging.getLogger(__name__)


class Heartbeat:
    """Beats from its own task (not a scheduler job, which a slow sweep could hold back)."""

    def __init__(self, services: Services, *, mode: str) -> None:
        self._services = services
        self._mode = mode
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Register this instance (before it claims anything), then beat every second."""
        await beat(self._services, mode=self._mode)
        self._task = asyncio.create_task(self._run(), name="heartbeat")

    async def stop(self) -> None:
        """Stop beating and remove the row (call after the sender has finished)."""
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        try:
            await retire(self._services)
        except Exception as exc:  # the row goes stale and is forgotten anyway
            log.warning("instance row not removed (%s)", type(exc).__name__)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_EVERY.total_seconds())
            try:
                await beat(self._services, mode=self._mode)
            except Exception as exc:  # database restarting: others may take our leases
                log.warning("heartbeat failed (%s)", type(exc).__name__)
