"""The programme's figures for the care team's console, cached (see :mod:`.programme_sql`).

The first of its queries reads every check-in row (no index covers procedure, day and status): with
350,000 check-ins that takes about a second on SQLite, more than a page may wait. So the
figures are kept for :data:`CACHE_FOR` (60 s) per database, by the injected time ``now``,
and say when they were read (``as_of``); callers at the same time wait for one reading.
After that minute the held figures are still shown (up to :data:`SERVE_STALE_FOR`) while
they are read afresh in the background, so a fresh reading lands on a page's path only when
nothing recent is held (the first page after a start, or after ten quiet minutes).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.care_team.programme_sql import read_figures
from services.context import Services
from views.care_team.programme import ProgrammeFigures

__all__ = ["CACHE_FOR", "SERVE_STALE_FOR", "programme_figures"]

CACHE_FOR = timedelta(seconds=60)
SERVE_STALE_FOR = timedelta(minutes=10)  # older figures are not shown: the page waits

logger = logging.getLogger(__name__)


async def programme_figures(
    session: AsyncSession, services: Services, now: datetime, *, max_age: timedelta = CACHE_FOR
) -> ProgrammeFigures:
    """The programme's figures, per procedure and in total, read at most ``max_age`` ago.

    Figures past ``max_age`` but younger than :data:`SERVE_STALE_FOR` are returned at once
    while a task reads them afresh for the next caller, so a page waits for the reading only
    when there are no figures yet (or they are too old to show).

    Args:
        session: the caller's session (reads only).
        services: the service context (its session factory keys the cache).
        now: the current time (the injected clock): which open check-ins are past their
            local day, and whether the cached figures are still fresh.
        max_age: how old cached figures may be; ``timedelta(0)`` reads afresh and waits.

    Returns:
        One :class:`ProcedureFigures` per procedure (in :class:`Procedure` order, empty ones
        too) and the total over all of them, with ``as_of`` the time they were read.
    """
    cache = _CACHES.setdefault(services.session_factory, _Cache())
    held = cache.figures
    if (
        held is not None
        and max_age > timedelta(0)
        and held.as_of <= now < held.as_of + SERVE_STALE_FOR
    ):
        if now >= held.as_of + max_age:
            cache.refresh_later(services, now, max_age)
        return held
    return await cache.read(session, now, max_age)


@dataclass
class _Cache:
    """One database's figures; one reading at a time (callers meanwhile wait for it)."""

    figures: ProgrammeFigures | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    refreshing: asyncio.Task[ProgrammeFigures] | None = None

    async def read(
        self, session: AsyncSession, now: datetime, max_age: timedelta
    ) -> ProgrammeFigures:
        async with self.lock:
            held = self.figures
            if held is not None and held.as_of <= now < held.as_of + max_age:
                return held  # read by the caller we waited for
            self.figures = await read_figures(session, now)
            return self.figures

    def refresh_later(self, services: Services, now: datetime, max_age: timedelta) -> None:
        """Read afresh in a task of its own (with its own session), unless one is running."""
        if self.refreshing is not None and not self.refreshing.done():
            return

        async def refresh() -> ProgrammeFigures:
            async with services.session_factory() as session:
                return await self.read(session, now, max_age)

        self.refreshing = asyncio.create_task(refresh(), name="programme figures")
        self.refreshing.add_done_callback(_log_failure)


def _log_failure(task: asyncio.Task[ProgrammeFigures]) -> None:
    if not task.cancelled() and (error := task.exception()) is not None:
        logger.error("programme figures: reading afresh failed: %s", type(error).__name__)


_CACHES: weakref.WeakKeyDictionary[object, _Cache] = weakref.WeakKeyDictionary()
