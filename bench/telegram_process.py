"""The fake Telegram and the users pressing buttons, in a process of their own.

In production Telegram is another computer: its HTTP server, JSON encoding and update queue
cost the bot nothing. Run in the bot's process, the fake Bot API and the load generator took
about a fifth of that process's one thread under a burst of presses (docs/performance.md,
Session 7), so a figure measured that way mixed the bot's cost with the fake's. Here the fake
runs in a child process (spawned, with its own event loop and interpreter lock), and the bot's
process, measured by the caller, holds only the bot, the outbox sender and the database client.

The child serves the fake Bot API, waits until the bot has delivered one question to each
patient, presses one answer per patient (all at once, or at a steady rate), and reports each
press's latency, from the moment the press is queued to the moment the bot answers its
callback query, both read on the child's clock.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Self

from bench.harness import until
from tests.fakebot import FakeBotApi

__all__ = ["PressResults", "RemoteTelegram"]

_STOP = "stop"


@dataclass(frozen=True)
class PressResults:
    """What the users saw: per-press latencies (s), the span from first press to last answer
    (s), and how many presses were refused with an alert."""

    latencies: list[float]
    span: float
    refused: int


class RemoteTelegram:
    """``async with RemoteTelegram(patients, "None of these", rate=0) as telegram:`` starts the
    child; :attr:`token` and :attr:`root_url` point the bot at it; :meth:`pressing` returns
    once the presses start and :meth:`results` once the bot answered them all."""

    def __init__(self, patients: int, label: str, *, rate: float = 0.0) -> None:
        """Presses ``label`` under each of ``patients`` questions, at ``rate`` a second (0:
        all at once)."""
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_child, args=(child, patients, label, rate), name="fake-telegram"
        )
        self.token = ""
        self.root_url = ""

    async def __aenter__(self) -> Self:
        """Start the child and wait for its address."""
        self._process.start()
        self.token, self.root_url = await self._receive()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the child's server (after the bot stopped: it polls until then)."""
        if self._process.is_alive():
            self._conn.send(_STOP)
        await asyncio.to_thread(self._process.join, 30)
        if self._process.is_alive():
            self._process.kill()

    async def pressing(self) -> None:
        """Return when every question was delivered and the first press is queued."""
        started = await self._receive()
        assert started == "pressing", started

    async def results(self) -> PressResults:
        """Wait until the bot answered every press."""
        results = await self._receive()
        assert isinstance(results, PressResults), results
        return results

    async def _receive(self) -> object:
        while not await asyncio.to_thread(self._conn.poll, 1.0):
            if not self._process.is_alive():
                raise RuntimeError("the fake Telegram process died")
        return self._conn.recv()


def _child(conn: Connection, patients: int, label: str, rate: float) -> None:
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    asyncio.run(_serve(conn, patients, label, rate))


async def _serve(conn: Connection, patients: int, label: str, rate: float) -> None:
    async with FakeBotApi() as api:
        conn.send((api.token, api.root_url))
        await until(lambda: len(api.all_messages()) >= patients, timeout=600, every=0.2)
        questions = {m.chat_id: m for m in api.all_messages()}
        conn.send("pressing")
        injected: dict[str, float] = {}
        start = time.perf_counter()
        for n, (user_id, message) in enumerate(questions.items()):
            if rate:
                await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
            injected[api.press_button(user_id, message, label)] = time.perf_counter()
        await until(lambda: len(api.callback_answers) >= patients, timeout=600, every=0.005)
        answered = {p["callback_query_id"]: t for t, p in api.timed_calls("answerCallbackQuery")}
        conn.send(
            PressResults(
                latencies=[answered[q] - t for q, t in injected.items()],
                span=max(answered.values()) - min(injected.values()),
                refused=sum(1 for a in api.callback_answers if a.get("text")),
            )
        )
        await asyncio.to_thread(conn.recv)  # serve until the bot has stopped
