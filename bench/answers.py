"""Answer button presses handled per second through the real bot, with p50/p99 latency.

Each patient has a check-in open and presses their first answer: all at once (``--rate 0``),
or spread evenly at ``--rate`` presses per second to see latency below saturation. Latency runs from
the moment the fake Telegram queues the press to the moment the bot answers the callback
query (the answer is stored and the next question queued by then).

Usage: python -m bench.answers --database sqlite|postgresql --patients 1000 [--rate 100]
       [--database-url postgresql+asyncpg://.../mine] [--profile presses.prof]
"""

from __future__ import annotations

import asyncio
import time

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
    until,
)
from models import create_engine
from scheduler.pacing import PacingLimits
from services.checkin.schedule import dispatch_due
from tests.fakebot import FakeBotApi
from tests.support.clock import FakeClock


async def main() -> None:
    args = arguments(__doc__ or "", patients=1000, rate=0.0)
    url = await fresh_database(args.database, args.database_url)
    engine = create_engine(url)
    await seed_patients(engine, args.patients)
    await dispatch_due(make_services(engine, FakeClock(NOW)))
    await engine.dispose()

    async with FakeBotApi() as api:
        settings = load_settings(
            env_file=None,
            telegram_bot_token=api.token,
            telegram_api_base_url=api.root_url,
            database_url=url,
            sweep_interval_seconds=600,
            operator_ids="900",  # someone must receive alerts, or the bot refuses to start
            web_port=0,  # no HTTP server for the benchmark
        )
        async with Runtime(settings, clock=FakeClock(NOW), pacing=PacingLimits.off()):
            await until(lambda: len(api.all_messages()) >= args.patients, timeout=600)
            questions = {m.chat_id: m for m in api.all_messages()}
            injected: dict[str, float] = {}
            with stopwatch() as pressing, profiled(args.profile):
                start = time.perf_counter()
                for n, (user_id, message) in enumerate(questions.items()):
                    if args.rate:
                        await asyncio.sleep(max(0.0, start + n / args.rate - time.perf_counter()))
                    query = api.press_button(user_id, message, "None of these")
                    injected[query] = time.perf_counter()
                await until(
                    lambda: len(api.calls_to("answerCallbackQuery")) >= args.patients,
                    timeout=600,
                    every=0.01,
                )
            answered = {
                params["callback_query_id"]: at
                for at, params in api.timed_calls("answerCallbackQuery")
            }
    latencies = [answered[q] - t for q, t in injected.items()]
    span = max(answered.values()) - min(injected.values())
    pace = f"at {args.rate:g}/s" if args.rate else "all at once"
    report(
        f"answers, {args.patients:,} presses {pace}, {args.database}",
        answers_per_second=args.patients / span,
        latency_p50_ms=percentile(latencies, 0.50) * 1000,
        latency_p99_ms=percentile(latencies, 0.99) * 1000,
        cpu_ms_per_press=pressing[1] * 1000 / args.patients,
        refused=sum(1 for a in api.callback_answers if a.get("text")),
    )


if __name__ == "__main__":
    run(main())
