"""Messages sent each second while the bot is still queueing a big morning peak.

Seeds the patients (all due now) and starts ``checkin-bot run`` as a subprocess against the
fake Bot API at the production pace (30 messages a second). The sweep takes several seconds
to queue 100,000 check-ins; the sender must keep sending meanwhile, or an urgent reply queued
during the sweep waits for its end. Prints the messages sent in each second of the window.

Usage: python -m bench.peak_sending --database sqlite|postgresql --patients 100000 --seconds 20
       [--database-url postgresql+asyncpg://.../mine]
"""

from __future__ import annotations

import asyncio

from bench.harness import arguments, due_now_database, report, run
from tests.e2e.processes import BotProcess
from tests.fakebot import FakeBotApi


async def main() -> None:
    args = arguments(__doc__ or "", patients=100_000, seconds=20)
    url = await due_now_database(args)
    async with FakeBotApi() as api:
        bot = BotProcess(api, url, SEND_RATE_PER_SECOND="30", SWEEP_INTERVAL_SECONDS="1")
        await bot.start()
        await api.wait_for(lambda: api.calls_to("getUpdates"), timeout=60)
        per_second, sent = [], 0
        for _ in range(args.seconds):
            await asyncio.sleep(1)
            now_sent = len(api.all_messages())
            per_second.append(now_sent - sent)
            sent = now_sent
        await bot.stop(timeout=60)
    quiet = sum(1 for n in per_second[1:] if n == 0)  # the first second is the start-up's
    report(
        f"sending during a peak of {args.patients:,} due patients, {args.database}",
        sent_each_second=" ".join(map(str, per_second)),
        sent_per_second=sent / args.seconds,
        seconds_with_nothing_sent=quiet,
    )


if __name__ == "__main__":
    run(main())
