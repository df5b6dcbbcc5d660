"""Delivered messages are recorded by group commit: one write for those that finished meanwhile."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from scheduler.recorder import Sent, SentRecorder
from services.delivery.outcomes import OutgoingMessage


def message(n: int) -> OutgoingMessage:
    return OutgoingMessage(n, n, "send", {"text": "t"}, "question", 0, None, None, None)


class Writes:
    """A fake database write that blocks until released, and counts batches."""

    def __init__(self, fail: bool = False) -> None:
        self.batches: list[list[int]] = []
        self.release = asyncio.Event()
        self.fail = fail

    async def __call__(self, sent: Sequence[Sent]) -> None:
        self.batches.append([m.id for m, _ in sent])
        await self.release.wait()
        if self.fail:
            raise ConnectionError("database gone")


async def test_a_lone_send_is_written_at_once_and_later_ones_together() -> None:
    writes = Writes()
    recorder = SentRecorder(writes)
    first = asyncio.create_task(recorder.record(message(1), 11))
    await asyncio.sleep(0)  # the first write starts, alone
    rest = [asyncio.create_task(recorder.record(message(n), None)) for n in (2, 3, 4)]
    await asyncio.sleep(0)
    assert not first.done()  # each send waits for its own row
    writes.release.set()
    await asyncio.gather(first, *rest)
    assert writes.batches == [[1], [2, 3, 4]]


async def test_a_failed_write_fails_every_send_of_its_batch() -> None:
    writes = Writes(fail=True)
    writes.release.set()
    recorder = SentRecorder(writes)
    results = await asyncio.gather(
        *(recorder.record(message(n), None) for n in (1, 2)), return_exceptions=True
    )
    assert [type(r) for r in results] == [ConnectionError, ConnectionError]


async def test_recording_goes_on_after_a_failure() -> None:
    writes = Writes(fail=True)
    writes.release.set()
    recorder = SentRecorder(writes)
    with pytest.raises(ConnectionError):
        await recorder.record(message(1), None)
    writes.fail = False
    await recorder.record(message(2), None)
    assert writes.batches == [[1], [2]]
