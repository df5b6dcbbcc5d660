"""What the sender and the sweeps report to metrics: an interface, so app/ can plug Prometheus in.

Outcomes are fixed codes; no chat id, text or patient ever reaches a metric.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable
from typing import Protocol, TypeVar

from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

__all__ = ["NO_METRICS", "SEND_OUTCOMES", "SchedulerMetrics", "send_outcome", "timed_send"]

T = TypeVar("T")
SEND_OUTCOMES = (
    "sent",
    "rate_limited",
    "forbidden",
    "migrated",
    "bad_request",
    "network_error",
    "error",
)


class SchedulerMetrics(Protocol):
    """Where the outbox sender and the sweeps report what they did and how long it took."""

    def observe_send(self, outcome: str, seconds: float) -> None:
        """One call to Telegram ended with ``outcome`` (one of SEND_OUTCOMES)."""

    def observe_sweep(self, sweep: str, seconds: float) -> None:
        """One run of the sweep named ``sweep`` took ``seconds`` (failed runs too)."""


class _NoMetrics:
    def observe_send(self, outcome: str, seconds: float) -> None:
        pass

    def observe_sweep(self, sweep: str, seconds: float) -> None:
        pass


NO_METRICS: SchedulerMetrics = _NoMetrics()


def send_outcome(exc: BaseException | None) -> str:
    """The outcome code of a call to Telegram that raised ``exc`` (None: it succeeded)."""
    match exc:
        case None:
            return "sent"
        case RetryAfter():
            return "rate_limited"
        case Forbidden():
            return "forbidden"
        case ChatMigrated():
            return "migrated"
        case BadRequest() if "not modified" in str(exc).lower():
            return "sent"  # an edit that changed nothing: delivered as far as the user sees
        case BadRequest():
            return "bad_request"
        case TelegramError():
            return "network_error"  # TimedOut, NetworkError, 5xx: retried with backoff
        case _:
            return "error"


async def timed_send(metrics: SchedulerMetrics, call: Awaitable[T]) -> T:
    """Await the call to Telegram, reporting its latency and outcome; re-raise what it raised."""
    started = time.perf_counter()
    try:
        result = await call
    except Exception as exc:
        metrics.observe_send(send_outcome(exc), time.perf_counter() - started)
        raise
    metrics.observe_send("sent", time.perf_counter() - started)
    return result
