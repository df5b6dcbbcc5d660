"""The database side of one answer press, alone: ``record_answer`` without the bot around it.

Each patient has today's check-in open at its first question (the emergency screen) and
answers "None of these", ``--concurrency`` presses at a time (1: one after another). Prints the
CPU time a press of this process (on SQLite it includes the driver's thread) and presses per
second. ``bench.answers`` measures the whole press through the bot; this is the part of it
spent storing the answer, triaging and queuing the next question's edit.

Usage: python -m bench.press_cost [--database sqlite|postgresql] [--patients 1000]
       [--concurrency 64] [--database-url postgresql+asyncpg://.../mine] [--profile press.prof]
"""

from __future__ import annotations

import asyncio

from sqlalchemy import select

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
)
from models import CheckIn, Patient, create_engine
from recovery import Procedure
from services.checkin.answering import record_answer
from services.checkin.schedule import dispatch_due
from tests.support.clock import FakeClock
from views.callbacks import AnswerCb


async def main() -> None:
    args = arguments(__doc__ or "", patients=1000, concurrency=64)
    url = await fresh_database(args.database, args.database_url)
    engine = create_engine(url)
    await seed_patients(engine, args.patients)
    services = make_services(engine, FakeClock(NOW))
    await dispatch_due(services)
    async with services.session_factory() as session:
        rows = (
            await session.execute(
                select(CheckIn.id, CheckIn.question_keys, Patient.telegram_user_id).join(Patient)
            )
        ).all()
    presses = []
    for checkin_id, keys, user_id in rows:
        question = services.protocols.for_procedure(Procedure.KYPHOPLASTY).question(keys[0])
        assert question is not None  # noqa: S101
        option = [o.label for o in question.options].index("None of these")
        presses.append((user_id, AnswerCb(checkin_id, 0, option)))
    gate = asyncio.Semaphore(args.concurrency)

    async def press(user_id: int, data: AnswerCb) -> None:
        async with gate:
            refused = await record_answer(services, user_id, user_id, 1, data)
            assert refused is None, refused  # noqa: S101

    with stopwatch() as took, profiled(args.profile):
        await asyncio.gather(*(press(u, d) for u, d in presses))
    await engine.dispose()
    report(
        f"record_answer alone, {len(presses):,} presses, {args.concurrency} at a time, "
        f"{args.database}",
        cpu_ms_per_press=took[1] * 1000 / len(presses),
        presses_per_second=len(presses) / took[0],
    )


if __name__ == "__main__":
    run(main())
