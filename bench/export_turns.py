"""How long other writers wait while an operator's export runs (SQLite: one writer at a time).

Seeds the programme benchmark's data (bench.programme: the patients with 28 check-ins each,
1,000,000 answers, alerts), then writes a CSV export of the last 30 days of every patient (as
``/export`` and the console do) while a writer makes one small write transaction (an audit
event, like any answer's) every 20 ms. Reports the export's time and the writes' waits: with
the export in one transaction, a write waits for the whole export.

Usage: python -m bench.export_turns --patients 12500 [--database sqlite|postgresql]
       [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import time
from datetime import timedelta

from bench.harness import NOW, fresh_database, make_services, percentile, report, run
from bench.programme import seed
from models import create_engine
from services.audit import record_event
from services.context import Services
from services.export.write import ExportFormat, ExportQuery, write_export
from tests.support.clock import FakeClock


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--patients", type=int, default=12_500)
    return parser.parse_args()


async def writer(services: Services, done: asyncio.Event, waits: list[float]) -> None:
    """One short write transaction every 20 ms until ``done``; each one's time kept."""
    while not done.is_set():
        started = time.perf_counter()
        async with services.transaction() as session:
            record_event(session, at=services.now(), actor="bench", action="meanwhile")
        waits.append(time.perf_counter() - started)
        await asyncio.sleep(0.02)


async def main() -> None:
    args = arguments()
    url = await fresh_database(args.database, args.database_url or None)
    engine = create_engine(url)
    try:
        await seed(engine, args.patients)
        services = make_services(engine, FakeClock(NOW))
        query = ExportQuery(since=NOW.date() - timedelta(days=30), until=NOW.date())
        done, waits = asyncio.Event(), []
        task = asyncio.create_task(writer(services, done, waits))
        await asyncio.sleep(0.2)  # the writer is going
        waits.clear()
        started = time.perf_counter()
        out = io.StringIO()
        summary = await write_export(services, query, ExportFormat.CSV, out, actor="cli:bench")
        seconds = time.perf_counter() - started
        done.set()
        await task
        report(
            f"export of 30 days while writing ({args.database}, {args.patients} patients)",
            export_seconds=round(seconds, 2),
            checkins=summary.checkins,
            answers=summary.answers,
            writes_during_export=len(waits),
            write_wait_p50_ms=round(percentile(waits, 0.5) * 1000, 1),
            write_wait_p99_ms=round(percentile(waits, 0.99) * 1000, 1),
            write_wait_max_ms=round(max(waits) * 1000, 1),
        )
    finally:
        await engine.dispose()


if __name__ == "__main__":
    run(main())
