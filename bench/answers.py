"""Answer button presses handled per second through the real bot, with p50/p99 latency.

Each patient has a check-in open and presses their first answer: all at once (``--rate 0``),
or spread evenly at ``--rate`` presses per second to see latency below saturation. Latency runs from
the moment the fake Telegram queues the press to the moment the bot answers the callback
query (the answer is stored and the next question queued by then).

The fake Telegram and the pressing users run in a child process (``bench.telegram_process``),
as Telegram is not in the bot's process in production; this process holds the bot, its outbox
sender and the database client, and "cpu ms per press" is this process's CPU time while the
presses are handled (the database server's own, on PostgreSQL, is not in it).

Usage: python -m bench.answers --database sqlite|postgresql --patients 1000 [--rate 100]
       [--database-url postgresql+asyncpg://.../mine] [--profile presses.prof]
"""

from __future__ import annotations

import asyncio

from app.runtime import Runtime
from app.settings import load_settings
from bench.harness import (
    NOW,
    arguments,
    fresh_database,
    make_services,
    percentile,
    profiled,
    report,
    run,
    seed_patients,
    stopwatch,
)
from bench.telegram_process import RemoteTelegram
from models import create_engine
from scheduler.pacing import PacingLimits
from services.checkin.schedule import dispatch_due
from tests.support.clock import FakeClock
from views.enrollment.zones import load_gazetteer


async def main() -> None:
    args = arguments(__doc__ or "", patients=1000, rate=0.0)
    url = await fresh_database(args.database, args.database_url)
    engine = create_engine(url)
    await seed_patients(engine, args.patients)
    await dispatch_due(make_services(engine, FakeClock(NOW)))
    await engine.dispose()

    async with RemoteTelegram(args.patients, "None of these", rate=args.rate) as telegram:
        settings = load_settings(
            env_file=None,
            telegram_bot_token=telegram.token,
            telegram_api_base_url=telegram.root_url,
            database_url=url,
            sweep_interval_seconds=600,
            operator_ids="900",  # someone must receive alerts, or the bot refuses to start
            web_port=0,  # no HTTP server for the benchmark
        )
        async with Runtime(settings, clock=FakeClock(NOW), pacing=PacingLimits.off()):
            # The place names are read in a thread at start (0.8 s of CPU, once a process):
            # wait for them, so the presses measured are those of a running bot, not its start.
            await asyncio.to_thread(load_gazetteer)
            await telegram.pressing()
            with stopwatch() as pressing, profiled(args.profile):
                results = await telegram.results()
    pace = f"at {args.rate:g}/s" if args.rate else "all at once"
    report(
        f"answers, {args.patients:,} presses {pace}, {args.database}",
        answers_per_second=args.patients / results.span,
        latency_p50_ms=percentile(results.latencies, 0.50) * 1000,
        latency_p99_ms=percentile(results.latencies, 0.99) * 1000,
        cpu_ms_per_press=pressing[1] * 1000 / args.patients,
        refused=results.refused,
    )


if __name__ == "__main__":
    run(main())
