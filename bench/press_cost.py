"""The database side of answer presses, alone: ``record_answer`` without the bot around it.

Every patient has today's check-in open (kyphoplasty, day 3: eight questions) and answers it
question by question, ``--concurrency`` presses at a time, with answers that raise nothing
(no sign, pain 2, better...). Prints the CPU time a press of this process (on SQLite it
includes the driver's thread) for each question, and their median: the last one also closes
the check-in and queues the day's guidance, the pain score also refreshes the patient's risk
summary. ``bench.answers`` measures a whole press through the bot; this is the part of it spent
checking the press, storing the answer, triaging and queuing the next question's edit.

Usage: python -m bench.press_cost [--database sqlite|postgresql] [--patients 1000]
       [--concurrency 64] [--database-url postgresql+asyncpg://.../mine] [--profile press.prof]
"""

from __future__ import annotations

import asyncio
import statistics

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

# An answer to each question of the day that raises nothing.
_CALM = {
    "emergency": "none",
    "pain": "2",
    "pain_worse": "no",
    "fever": "no",
    "numbness": "no",
    "pain_eased": "yes",
    "pain_med": "helped",
    "brace": "yes",
}


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
    protocol = services.protocols.for_procedure(Procedure.KYPHOPLASTY)
    gate = asyncio.Semaphore(args.concurrency)

    async def press(user_id: int, data: AnswerCb) -> None:
        async with gate:
            refused = await record_answer(services, user_id, user_id, 1, data)
            assert refused is None, refused  # noqa: S101

    figures: dict[str, float] = {}
    keys = rows[0][1]
    with profiled(args.profile):
        for position, key in enumerate(keys):
            question = protocol.question(key)
            assert question is not None  # noqa: S101
            option = [o.value for o in question.options].index(_CALM[key])
            with stopwatch() as took:
                await asyncio.gather(
                    *(press(user, AnswerCb(checkin, position, option)) for checkin, _, user in rows)
                )
            figures[f"{key} cpu ms"] = took[1] * 1000 / len(rows)
    await engine.dispose()
    report(
        f"record_answer alone, {len(rows):,} check-ins of {len(keys)} questions, "
        f"{args.concurrency} presses at a time, {args.database}",
        **figures,
        median_cpu_ms_per_press=statistics.median(figures.values()),
    )


if __name__ == "__main__":
    run(main())
