"""The outbox sender against a fake Telegram that enforces the limits: no 429, close to 30/s.

Queues one message to each of N private chats, plus a burst to one chat and one group, and
delivers them with the production pacing (29/s overall, 1/s per chat, 20/min per group).

Usage: python -m bench.pacing --database sqlite --patients 600
"""

from __future__ import annotations

import asyncio

from telegram import Bot

from bench.harness import (
    NOW,
    arguments,
    fresh_database,
    make_services,
    report,
    run,
    stopwatch,
    until,
)
from models import create_engine
from scheduler.pacing import Pacer, PacingLimits
from scheduler.sender import OutboxSender
from services.outbox import enqueue
from tests.fakebot import FakeBotApi
from tests.support.clock import FakeClock
from views.message import Message

BURST_CHAT, GROUP, BURST = 77, -500, 5


async def main() -> None:
    args = arguments(__doc__ or "", patients=600)
    url = await fresh_database(args.database)
    engine = create_engine(url)
    services = make_services(engine, FakeClock(NOW))
    chats = [*range(1_000, 1_000 + args.patients), *[BURST_CHAT] * BURST, *[GROUP] * BURST]
    async with services.transaction() as session:
        for chat in chats:
            enqueue(session, chat, Message(f"hello {chat}"), now=NOW, purpose="bench")
    async with FakeBotApi() as api:
        api.enforce_limits()
        async with Bot(api.token, base_url=f"{api.root_url}/bot") as bot:
            sender = OutboxSender(services, bot, Pacer(PacingLimits()))
            with stopwatch() as took:
                task = asyncio.create_task(sender.run(idle_poll=0.05))
                await until(lambda: len(api.all_messages()) >= len(chats), timeout=600, every=0.05)
                await sender.stop()
                task.cancel()
        times = sorted(at for at, _ in api.timed_calls("sendMessage"))
        first_n = times[: args.patients]
        busiest = max(sum(1 for t in times if s <= t < s + 1.0) for s in times)
    await engine.dispose()
    rate = (args.patients - 1) / (first_n[-1] - first_n[0])
    report(
        f"pacing, {len(chats)} messages ({args.patients} chats, bursts of {BURST} to one chat "
        "and one group), fake Telegram enforcing the limits",
        total_seconds=took[0],
        rate_over_distinct_chats_per_second=rate,
        share_of_30_per_second=f"{rate / 30:.1%}",
        most_sends_in_any_1s_window=busiest,
        http_429_received=api.limit_violations,
    )


if __name__ == "__main__":
    run(main())
