"""The outbox sender's database work per message at a trickle: claim one, record it sent.

At a steady rate of presses every message is queued, claimed and recorded on its own (under a
burst they come in batches), so this is what each press's next question costs the sender
besides the HTTP call: one message is due at a time, as at a trickle. Prints CPU and wall
time per message, claim and record apart.

Usage: python -m bench.sender_bookkeeping [--database sqlite|postgresql] [--messages 2000]
       [--database-url postgresql+asyncpg://.../mine] [--profile claims.prof]
"""

from __future__ import annotations

import time

from bench.harness import NOW, arguments, fresh_database, make_services, profiled, report, run
from models import create_engine
from services.delivery import outcomes
from services.outbox import enqueue
from tests.support.clock import FakeClock
from views.keyboard import Button
from views.message import Message

_KEYBOARD = tuple((Button(f"Option {n}", data=f"a:1:{n}:0"),) for n in range(4))


async def main() -> None:
    args = arguments(__doc__ or "", patients=0, messages=2000)
    url = await fresh_database(args.database, args.database_url)
    engine = create_engine(url)
    services = make_services(engine, FakeClock(NOW))
    claim = record = wall = 0.0
    with profiled(args.profile):
        for n in range(args.messages):
            async with services.session_factory.begin() as session:  # a press queues it
                text = Message(f"Question {n}", keyboard=_KEYBOARD)
                enqueue(session, 10_000 + n, text, now=NOW, purpose="question")
            began = time.perf_counter()
            start = time.process_time()
            (message,) = await outcomes.claim_due(services, limit=100, take=1)
            claimed = time.process_time()
            await outcomes.mark_sent_many(services, [(message, n + 1)])
            claim += claimed - start
            record += time.process_time() - claimed
            wall += time.perf_counter() - began
    await engine.dispose()
    report(
        f"sender bookkeeping, {args.messages:,} messages one at a time, {args.database}",
        claim_cpu_ms=claim * 1000 / args.messages,
        record_cpu_ms=record * 1000 / args.messages,
        wall_ms_per_message=wall * 1000 / args.messages,
    )


if __name__ == "__main__":
    run(main())
