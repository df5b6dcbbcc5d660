"""Telegram's flood limits (sliding windows) and injected per-chat faults."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from tests.fakebot.wire import ApiError, too_many_requests

HANG = 0
"""Fault status meaning "never answer" (until the client gives up or the server stops)."""

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: injected fault",
    403: "Forbidden: bot was blocked by the user",
    500: "Internal Server Error",
}


@dataclass(frozen=True, slots=True)
class _Window:
    """``limit`` requests per ``seconds``, counted separately for every key."""

    limit: int
    seconds: float


class RateLimiter:
    """Enforces Telegram's send limits over sliding windows.

    Global: ``global_per_second`` sends per second. Per chat: ``per_chat_per_second``. Per group
    (negative chat id) additionally ``per_group_per_minute``. Rejected sends do not count.
    Each key keeps a deque of at most ``limit`` timestamps, so a check is O(1) amortised.
    """

    def __init__(
        self, *, global_per_second: int, per_chat_per_second: int, per_group_per_minute: int
    ) -> None:
        """Configure the three limits."""
        self._global = _Window(global_per_second, 1.0)
        self._per_chat = _Window(per_chat_per_second, 1.0)
        self._per_group = _Window(per_group_per_minute, 60.0)
        self._sends: dict[tuple[str, int], deque[float]] = {}

    def admit(self, chat_id: int, now: float) -> int | None:
        """Record a send to ``chat_id`` at monotonic time ``now`` if every window allows it;
        otherwise return the ``retry_after`` seconds until they all would."""
        windows = [(("global", 0), self._global), (("chat", chat_id), self._per_chat)]
        if chat_id < 0:
            windows.append((("group", chat_id), self._per_group))
        retry_after = 0.0
        for key, window in windows:
            sends = self._sends.setdefault(key, deque())
            while sends and sends[0] <= now - window.seconds:
                sends.popleft()
            if len(sends) >= window.limit:
                retry_after = max(retry_after, sends[0] + window.seconds - now)
        if retry_after > 0:
            return max(1, math.ceil(retry_after))
        for key, _ in windows:
            self._sends[key].append(now)
        return None


@dataclass(slots=True)
class Fault:
    """An injected failure for one chat; ``remaining`` is None for "until cleared"."""

    status: int
    remaining: int | None
    retry_after: int
    description: str | None

    def error(self) -> ApiError:
        """The API error this fault answers with (not meaningful for :data:`HANG`)."""
        if self.status == 429:
            return too_many_requests(self.retry_after)
        default = _DEFAULT_DESCRIPTIONS.get(self.status, f"Injected fault {self.status}")
        return ApiError(self.status, self.description or default)


class Faults:
    """The active faults, by chat id."""

    def __init__(self) -> None:
        """Start without faults."""
        self._by_chat: dict[int, Fault] = {}

    def add(self, chat_id: int, fault: Fault) -> None:
        """Install ``fault`` for ``chat_id``, replacing any previous one."""
        self._by_chat[chat_id] = fault

    def clear(self, chat_id: int | None = None) -> None:
        """Remove the fault of ``chat_id``, or all faults."""
        if chat_id is None:
            self._by_chat.clear()
        else:
            self._by_chat.pop(chat_id, None)

    def take(self, chat_id: int) -> Fault | None:
        """The fault that applies to the next request for ``chat_id``, consuming one use."""
        fault = self._by_chat.get(chat_id)
        if fault is not None and fault.remaining is not None:
            fault.remaining -= 1
            if fault.remaining <= 0:
                del self._by_chat[chat_id]
        return fault
