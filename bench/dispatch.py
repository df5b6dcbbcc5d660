"""Due check-ins dispatched per second: the sweep, then delivery through the outbox sender.

The sweep queues every due patient's first question (the morning peak); the sender then
delivers them with pacing off. ``--sweep-only`` stops after the sweep (100,000 deliveries
through the in-process fake Telegram take minutes and measure the sender, not the sweep).

Usage: python -m bench.dispatch --database sqlite|postgresql --patients 10000 [--sweep-only]
       [--database-url postgresql+asyncpg://.../mine] [--profile sweep.prof]
"""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from bench.harness import (
    NOW,
    arguments,
    fresh_database,
    make_services,
    profiled,
    report,
    run,
    seed_patients,
    stopwatch,
    until,
)
from models import create_engine
from scheduler.pacing import Pacer, PacingLimits
from scheduler.sender import OutboxSender
from services.checkin.schedule import dispatch_due
from tests.fakebot import FakeBotApi
from tests.support.clock import FakeClock


async def main() -> None:
    args = arguments(__doc__ or "", flags=("sweep_only",))
    url = await fresh_database(args.database, args.database_url)
    engine = create_engine(url, pool_size=10)
    services = make_services(engine, FakeClock(NOW))
    with stopwatch() as seeding:
        await seed_patients(engine, args.patients)
    with stopwatch() as sweeping, profiled(args.profile):
        started = await dispatch_due(services)
    assert started == args.patients, started
    figures: dict[str, object] = {
        "seeding_seconds": seeding[0],
        "sweep_seconds": sweeping[0],
        "sweep_cpu_seconds": sweeping[1],
        "checkins_started_per_second": args.patients / sweeping[0],
    }
    if not args.sweep_only:
        figures |= await deliver(services, engine, args.database, args.patients)
        figures["end_to_end_per_second"] = args.patients / (
            sweeping[0] + float(figures["delivery_seconds"])  # type: ignore[arg-type]
        )
    await engine.dispose()
    report(f"dispatch, {args.patients:,} due patients, {args.database}", **figures)


async def deliver(services, engine, database: str, patients: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Deliver the queued questions through the sender, pacing off."""
    if database == "postgresql":  # what autovacuum does within a minute of a big insert
        async with engine.begin() as connection:
            await connection.execute(text("ANALYZE outbox"))

    from telegram import Bot

    async with FakeBotApi() as api:
        bot = Bot(api.token, base_url=f"{api.root_url}/bot")
        async with bot:
            sender = OutboxSender(services, bot, Pacer(PacingLimits.off()), max_in_flight=32)
            services.outbox_ready = sender.wake
            with stopwatch() as sending:
                task = asyncio.create_task(sender.run(idle_poll=0.05))
                await until(lambda: len(api.all_messages()) >= patients, timeout=3600)
                await sender.stop()
                task.cancel()
    return {
        "delivery_seconds": sending[0],
        "messages_delivered_per_second": patients / sending[0],
    }


if __name__ == "__main__":
    run(main())
