"""Recording delivered messages by group commit: one transaction for the sends that finished
while the previous one was being written.

A lone send is recorded at once; under a burst (the morning peak, a wave of button presses)
the sends in flight finish close together, and one ``UPDATE`` executemany records them all
instead of one transaction each. Each send still waits until its own outcome is stored, so
the sender holds the message's slot (and its lease) until then: a crash re-sends no more than
before, the messages in flight.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from services.delivery.outcomes import OutgoingMessage

__all__ = ["SentRecorder"]

Sent = tuple[OutgoingMessage, int | None]


class SentRecorder:
    """Batches ``mark_sent`` calls; ``record`` returns once that message's row is updated."""

    def __init__(self, write: Callable[[Sequence[Sent]], Awaitable[None]]) -> None:
        self._write = write
        self._waiting: list[tuple[Sent, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, message: OutgoingMessage, telegram_id: int | None) -> None:
        """Store that ``message`` was delivered, with those that finished meanwhile.

        Raises:
            Exception: whatever writing the batch raised (the caller treats it as an unknown
                outcome, as it would for its own transaction).
        """
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(((message, telegram_id), done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all())
        await done

    async def _write_all(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                await self._write([sent for sent, _ in batch])
            except Exception as exc:  # each waiter decides what a failed record means
                for _, done in batch:
                    if not done.done():  # a waiter cancelled meanwhile (shutdown) is gone
                        done.set_exception(exc)
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)
