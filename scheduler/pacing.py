"""Holding Telegram's send limits in every window, with no bursts.

Telegram allows about 30 messages a second overall, one a second per chat and 20 a minute
per group. Instead of leaky buckets (which let a burst through), every send is spaced: the
next send overall waits ``1/rate`` after the previous one, the next send to a chat waits the
chat's interval. Spacing by at least 1/N bounds any window of length 1 s to N sends.

Two ways to hold the spacing: :class:`LocalBudget` keeps it in this process's memory (one
instance, SQLite); :class:`SharedBudget` keeps it in the database, so several instances on one
PostgreSQL share one bot token's budget (:mod:`services.delivery.budget`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from services.context import Services
from services.delivery.budget import Reservation, purge_chat_budgets, reserve_send

__all__ = [
    "LocalBudget",
    "Pacer",
    "PacingLimits",
    "SendBudget",
    "SharedBudget",
    "on_time",
    "wall_clock",
]

TELEGRAM_PER_SECOND = 30  # sends of one bot token in any second


@dataclass(frozen=True)
class PacingLimits:
    """Spacing between sends, in seconds (0 turns a limit off, e.g. for benchmarks)."""

    overall: float = 1 / 29
    per_chat: float = 1.05
    per_group: float = 3.05

    @classmethod
    def off(cls) -> PacingLimits:
        """No pacing at all."""
        return cls(overall=0.0, per_chat=0.0, per_group=0.0)


@dataclass
class Pacer:
    """Decides when the next send overall and to each chat may start."""

    limits: PacingLimits = field(default_factory=PacingLimits)
    clock: Callable[[], float] = time.monotonic
    _next_overall: float = 0.0
    _next_chat: dict[int, float] = field(default_factory=dict)

    def chat_wait(self, chat_id: int) -> float:
        """Seconds until this chat may receive another message (0 when it may now)."""
        return max(0.0, self._next_chat.get(chat_id, 0.0) - self.clock())

    def overall_wait(self) -> float:
        """Seconds until the next send overall may start."""
        return max(0.0, self._next_overall - self.clock())

    def record(self, chat_id: int) -> None:
        """Note that a send to ``chat_id`` starts now."""
        now = self.clock()
        spacing = self.limits.overall
        late = now - self._next_overall
        # A send that is only a little late (timer overshoot) keeps the schedule, so overshoot
        # does not pile up; sends then land within half a spacing of their slots, which bounds
        # any 1 s window by floor((1 + spacing/2) / spacing) + 1 sends (30 at 29/s).
        base = self._next_overall if 0 <= late < spacing / 2 else max(now, self._next_overall)
        self._next_overall = base + spacing
        spacing = self.limits.per_group if chat_id < 0 else self.limits.per_chat
        self._next_chat[chat_id] = now + spacing
        if len(self._next_chat) > 10_000:
            self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}


class SendBudget(Protocol):
    """Waits until a send to a chat may start, and counts it as started."""

    async def wait_turn(self, chat_id: int) -> None:
        """Return when a send to ``chat_id`` may start now (the send is then counted)."""


class LocalBudget:
    """The budget of a single instance, in memory (real monotonic time)."""

    def __init__(self, pacer: Pacer | None = None) -> None:
        self._pacer = pacer or Pacer()
        self._gate = asyncio.Lock()

    async def wait_turn(self, chat_id: int) -> None:
        """Wait for the chat, then for the next overall slot (one waiter at a time)."""
        await asyncio.sleep(self._pacer.chat_wait(chat_id))
        async with self._gate:
            await asyncio.sleep(self._pacer.overall_wait())
            self._pacer.record(chat_id)


def wall_clock() -> datetime:
    """The real time (the database budget is shared, so it needs a wall-clock instant)."""
    return datetime.now(UTC)


def on_time(late: float, spacing: float) -> bool:
    """Whether a send ``late`` seconds after its slot may still go (slots ``spacing`` apart).

    Slots are at least T apart, so sends no more than L late put in any 1 s window only sends
    whose slots lie in 1 + L seconds: at most floor((1 + L) / T) + 1 of them, which is
    Telegram's 30 while L < 30 T - 1 (34 ms at 29/s). Half of that margin is for waking up
    late (later, the slot is given up and a fresh one taken), half for the request's own way
    to Telegram. At 30/s nothing late is provably safe, and giving every slot up would send
    nothing: a quarter spacing is always allowed.
    """
    safe = 0.5 * max(0.0, TELEGRAM_PER_SECOND * spacing - 1)
    return not spacing or late <= max(safe, spacing / 4)


MAX_LEAD = timedelta(seconds=1)  # how far ahead a slow database makes us reserve, at most


class SharedBudget:
    """The budget every instance shares through the database: slots reserved atomically there.

    Each process holds at most :attr:`AHEAD` reservations at a time (reserve, sleep to the
    slot, send), so all instances together hold only a few slots ahead and a stalled process
    wastes at most those; with one at a time, each process could use one slot per database
    round trip, and three workers on a loaded PostgreSQL sent 9-16 messages/s. A slot woken
    up late is given up, since sent late it would crowd the next instances' second. Pacing
    runs on real time, never the scheduling clock tests fake: ``wall`` is injectable.
    """

    PURGE_EVERY = 1_000
    AHEAD = 4

    def __init__(
        self,
        services: Services,
        limits: PacingLimits | None = None,
        wall: Callable[[], datetime] = wall_clock,
    ) -> None:
        self._services = services
        self._limits = limits or PacingLimits()
        self._wall = wall
        self._gate = asyncio.Semaphore(self.AHEAD)
        self._reserved = 0
        self._lead = timedelta(0)

    async def wait_turn(self, chat_id: int) -> None:
        """Reserve the next slot for ``chat_id``, waiting outside the gate while the chat must."""
        while True:
            async with self._gate:
                reservation = await self._reserve(chat_id)
                if reservation.granted:
                    await self._sleep_until(reservation.at)
                    if self._on_time(reservation.at):
                        break
                    continue
            await self._sleep_until(reservation.at)  # the chat's spacing: ask again then
        self._reserved += 1
        if self._reserved % self.PURGE_EVERY == 0:
            await purge_chat_budgets(self._services, now=self._wall())

    async def _reserve(self, chat_id: int) -> Reservation:
        """Reserve a slot at least one round trip ahead (the last reservation's).

        The slot is taken as of the row lock, and a reply that takes longer to come back than
        the late-slot tolerance would make every slot late on arrival: given up, the next one
        too, and on a loaded database nothing was sent at all.
        """
        limits = self._limits
        spacing = limits.per_group if chat_id < 0 else limits.per_chat
        asked, lead = self._wall(), self._lead
        reservation = await reserve_send(
            self._services,
            chat_id,
            overall=timedelta(seconds=limits.overall),
            chat_spacing=timedelta(seconds=spacing),
            wall=lambda: self._wall() + lead,
        )
        self._lead = min(MAX_LEAD, self._wall() - asked)
        return reservation

    async def _sleep_until(self, at: datetime) -> None:
        await asyncio.sleep(max(0.0, (at - self._wall()).total_seconds()))

    def _on_time(self, slot: datetime) -> bool:
        return on_time((self._wall() - slot).total_seconds(), self._limits.overall)
