"""Prometheus metrics of one Runtime: its own registry, counters fed by the sender and sweeps,
gauges read from the database at scrape time.

Every label is a fixed code (outcome, purpose, level, status, sweep name); never a chat id,
a name or an answer.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector

from scheduler.metrics import SEND_OUTCOMES
from services.metrics import DatabaseGauges

__all__ = ["CONTENT_TYPE_LATEST", "PREFIX", "DatabaseCollector", "Metrics"]

log = logging.getLogger(__name__)
PREFIX = "checkin_bot"
SEND_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
SWEEP_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)


def _gauge(name: str, doc: str, label: str, values: dict[str, int]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(f"{PREFIX}_{name}", doc, labels=[label])
    for key, value in sorted(values.items()):
        family.add_metric([key], value)
    return family


class DatabaseCollector(Collector):
    """Reports the latest database reading (``None``: the database could not be read)."""

    def __init__(self) -> None:
        self.reading: DatabaseGauges | None = None

    def collect(self) -> Iterable[Metric]:
        """The families of the latest reading, and whether the database answered."""
        reading = self.reading
        yield GaugeMetricFamily(
            f"{PREFIX}_database_up",
            "1 when the database answered this scrape's queries",
            value=0 if reading is None else 1,
        )
        if reading is None:
            return
        yield _gauge(
            "outbox_backlog",
            "Outbox messages due and not yet delivered, by purpose",
            "purpose",
            reading.outbox_due,
        )
        yield _gauge("open_alerts", "Unacknowledged alerts, by level", "level", reading.open_alerts)
        yield GaugeMetricFamily(
            f"{PREFIX}_oldest_unacknowledged_alert_seconds",
            "Age of the oldest unacknowledged alert (0 when none is open)",
            value=reading.oldest_open_alert_seconds,
        )
        yield _gauge(
            "checkins_24h",
            "Check-ins sent in the last 24 hours, by their status now",
            "status",
            reading.checkins,
        )


class Metrics:
    """One Runtime's metrics; passed to the sender and the sweeps as their SchedulerMetrics."""

    def __init__(self, read: Callable[[], Awaitable[DatabaseGauges]]) -> None:
        self.registry = CollectorRegistry()
        self._read = read
        self._sends = Counter(
            f"{PREFIX}_sends",
            "Calls to Telegram by outcome",
            ["outcome"],
            registry=self.registry,
        )
        for outcome in SEND_OUTCOMES:
            self._sends.labels(outcome)
        self._rate_limited = Counter(
            f"{PREFIX}_telegram_429",
            "Calls Telegram refused with 429 Too Many Requests",
            registry=self.registry,
        )
        self._latency = Histogram(
            f"{PREFIX}_send_seconds",
            "Latency of one call to Telegram",
            buckets=SEND_BUCKETS,
            registry=self.registry,
        )
        self._sweeps = Histogram(
            f"{PREFIX}_sweep_seconds",
            "Duration of one run of a sweep",
            ["sweep"],
            buckets=SWEEP_BUCKETS,
            registry=self.registry,
        )
        self._database = DatabaseCollector()
        self.registry.register(self._database)

    def observe_send(self, outcome: str, seconds: float) -> None:
        """Count one call to Telegram and its latency."""
        self._sends.labels(outcome).inc()
        self._latency.observe(seconds)
        if outcome == "rate_limited":
            self._rate_limited.inc()

    def observe_sweep(self, sweep: str, seconds: float) -> None:
        """Record how long one sweep run took."""
        self._sweeps.labels(sweep).observe(seconds)

    async def render(self) -> bytes:
        """Read the database, then the whole registry in Prometheus text format."""
        try:
            reading: DatabaseGauges | None = await self._read()
        except Exception as exc:  # report database_up 0 and the process's own metrics
            log.warning("metrics: database read failed (%s)", type(exc).__name__)
            reading = None
        self._database.reading = reading  # no await until generated: one scrape, one reading
        return generate_latest(self.registry)
