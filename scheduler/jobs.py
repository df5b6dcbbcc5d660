"""APScheduler wiring: one interval tick that runs every sweep against the database."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from scheduler.metrics import NO_METRICS, SchedulerMetrics
from services.context import Services

__all__ = ["Sweep", "build_scheduler", "run_sweeps"]

log = logging.getLogger(__name__)
Sweep = Callable[[Services], Awaitable[int]]


async def run_sweeps(
    services: Services, sweeps: Sequence[Sweep], metrics: SchedulerMetrics = NO_METRICS
) -> dict[str, int]:
    """Run each sweep once; a failing sweep is logged and does not stop the others.

    Returns:
        How many items each sweep handled, by sweep name (-1 for a failure).
    """
    results: dict[str, int] = {}
    for sweep in sweeps:
        name = getattr(sweep, "__name__", repr(sweep))
        started = time.perf_counter()
        try:
            results[name] = await sweep(services)
        except Exception as exc:
            log.error("sweep %s failed: %s", name, type(exc).__name__)
            results[name] = -1
        metrics.observe_sweep(name, time.perf_counter() - started)
    return results


class _SkippedRunFilter(logging.Filter):
    """Drop APScheduler's warning that a run was skipped while the previous one still ran.

    With ``max_instances=1`` that is the design (the next run picks up everything due); under
    load it came twice a second and buried the log. Sweep durations are in the metrics.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


_SKIPPED_RUNS = _SkippedRunFilter()


def build_scheduler(
    services: Services,
    sweeps: Sequence[Sweep],
    *,
    interval_seconds: float,
    metrics: SchedulerMetrics = NO_METRICS,
) -> AsyncIOScheduler:
    """One interval job; the database is the source of truth, so nothing is lost on restart."""
    logging.getLogger("apscheduler.scheduler").addFilter(_SKIPPED_RUNS)  # added once: same object
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        run_sweeps,
        "interval",
        seconds=interval_seconds,
        args=[services, sweeps, metrics],
        id="sweeps",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=max(1, int(interval_seconds)),
    )
    return scheduler
