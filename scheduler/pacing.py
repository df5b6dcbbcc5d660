"""Holding Telegram's send limits in every window, with no bursts.

Telegram allows about 30 messages a second overall, one a second per chat and 20 a minute
per group. Instead of leaky buckets (which let a burst through), every send is spaced: the
next send overall waits ``1/rate`` after the previous one, the next send to a chat waits the
chat's interval. Spacing by at least 1/N bounds any window of length 1 s to N sends.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Pacer", "PacingLimits"]


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
