"""Resident memory of the bot process with many enrolled patients.

Seeds the patients (all due now), starts ``checkin-bot run`` as a subprocess against the
fake Bot API with pacing off, times its start-up (spawn to its first ``getUpdates``: imports,
migrations check, the gazetteer, ``getMe``, command menus) and samples the process's resident
set size while it dispatches. Nothing is kept per patient in memory, so the figure should not
grow with the patient count.

Usage: python -m bench.memory --database sqlite|postgresql --patients 100000 --seconds 60
       [--database-url postgresql+asyncpg://.../mine]
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bench.harness import arguments, due_now_database, report, run
from tests.e2e.processes import BotProcess
from tests.fakebot import FakeBotApi


def rss_mib(pid: int) -> float:
    """VmRSS of a process in MiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def main() -> None:
    args = arguments(__doc__ or "", patients=100_000, seconds=60)
    url = await due_now_database(args)
    async with FakeBotApi() as api:
        bot = BotProcess(api, url, SEND_RATE_PER_SECOND="30", SWEEP_INTERVAL_SECONDS="1")
        spawned = time.perf_counter()
        await bot.start()
        assert bot.process is not None
        await api.wait_for(lambda: api.calls_to("getUpdates"), timeout=60)
        start_seconds = time.perf_counter() - spawned
        started = rss_mib(bot.process.pid)
        samples = []
        for _ in range(int(args.seconds * 4)):
            await asyncio.sleep(0.25)
            samples.append(rss_mib(bot.process.pid))
        delivered = len(api.all_messages())
        await bot.stop(timeout=60)
    report(
        f"memory, {args.patients:,} enrolled patients (all due), {args.database}",
        start_seconds=start_seconds,
        rss_after_start_mib=started,
        peak_rss_while_dispatching_mib=max(samples),
        rss_at_end_mib=samples[-1],
        messages_delivered_in_window=delivered,
        window_seconds=float(args.seconds),
    )


if __name__ == "__main__":
    run(main())
