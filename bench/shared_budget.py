"""Several ``checkin-bot run --worker`` processes on one PostgreSQL sharing one send budget.

Seeds ``--patients`` due check-ins, starts ``--workers`` real worker processes against the fake
Bot API enforcing Telegram's limits (30/s overall, 1/s per chat) and prints, per run, the
combined rate once all are sending (from the 60th message on) as a share of 30/s, the longest
gap between two sends, and how many requests the fake answered with 429. The same scenario
is a test (tests/e2e/test_resilience.py); this prints the figures of several runs.

Usage: python -m bench.shared_budget [--patients 600] [--workers 3] [--runs 3]
       [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/bench_budget (emptied!)]
"""

from __future__ import annotations

import argparse

from bench.harness import fresh_database, report, run
from tests.e2e.processes import run_workers, seed_due_patients
from tests.fakebot import FakeBotApi

WARMUP = 60  # messages before every worker has been sending a while


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=600)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    return parser.parse_args()


async def one_run(url: str, patients: int, workers: int) -> dict[str, object]:
    await seed_due_patients(url, patients)
    async with FakeBotApi() as api:
        api.enforce_limits()
        figures = await run_workers(
            api,
            url,
            workers=workers,
            messages=patients,
            warmup=WARMUP,
            SWEEP_INTERVAL_SECONDS="5",  # sweeps as deployed, not the tests' 0.5 s
        )
    return {
        "combined_per_second": figures.per_second,
        "share_of_30_per_second": f"{figures.per_second / 30:.1%}",
        "longest_gap_ms": figures.longest_gap * 1000,
        "http_429_received": figures.http_429,
    }


async def main() -> None:
    args = arguments()
    for n in range(1, args.runs + 1):
        url = await fresh_database("postgresql", args.database_url)
        figures = await one_run(url, args.patients, args.workers)
        report(f"run {n}: {args.workers} workers, {args.patients} check-ins", **figures)


if __name__ == "__main__":
    run(main())
