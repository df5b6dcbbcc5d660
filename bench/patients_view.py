"""Time of an operator's /patients (riskiest first) against patients and history, separately.

Seeds a fresh database twice, with 1,000 patients and with ``--patients``, each patient with
``--answers-per-patient`` answers (:mod:`bench.history`), builds the risk summaries the way
the 0009 migration leaves them (every row due, then the refresh sweep; timed), then times
the use cases: /patients page 1, the Next page, and the web console's ``patient_rows`` (50
rows, a name search, a status filter). Prints each and the ratio of the two sizes.

Runs unchanged on the code before #19 (no summaries to build), which is how the "before"
figures in bench/patients_view_results.json were taken (see docs/performance.md).

Usage: python -m bench.patients_view --patients 100000 --answers-per-patient 80
       [--database sqlite|postgresql] [--database-url URL (emptied!)] [--repeat 7]
       [--record bench/patients_view_results.json --label after]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.harness import NOW, fresh_database, make_services, report, run, stopwatch
from bench.history import seed_history
from models import Base, create_engine
from models.migrate import upgrade
from services.care_team.patient_list import show_patients
from services.context import ServiceConfig, Services
from tests.support.clock import FakeClock

try:  # the code after #19
    from services.care_team import patient_rows
    from services.care_team.patient_list import patients_page
    from services.risk_summary import refresh_aged
except ImportError:  # the code before: no summaries, no console list
    patient_rows = refresh_aged = patients_page = None  # type: ignore[assignment]

SMALL = 1_000
OPERATOR = 900
DUE_ROWS = (  # what migration 0009 leaves for existing patients
    "INSERT INTO risk_summaries (patient_id, status, procedure, listed, tier, tier_since,"
    " unnamed, name_key, open_alerts, pain_scores, pain_worsening, missed_streak, missed_7d,"
    " refresh_at, updated_at) SELECT id, status, procedure, true, 6, :never, false, '', 0, '',"
    " false, 0, 0, :due, :due FROM patients"
)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", help="use (and empty) this database instead")
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--answers-per-patient", type=int, default=80)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--record", type=Path, help="append the figures to this JSON file")
    parser.add_argument("--label", default="after", help="before/after, in the record")
    return parser.parse_args()


async def database(args: argparse.Namespace) -> str:
    """A fresh migrated database: the harness's, or ``--database-url`` emptied."""
    if not args.database_url:
        return await fresh_database(args.database)
    engine = create_engine(args.database_url)
    try:
        await upgrade(engine)
        names = [t.name for t in Base.metadata.sorted_tables]
        async with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                await connection.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY"))
            else:
                for name in reversed(names):
                    await connection.execute(text(f"DELETE FROM {name}"))  # noqa: S608
    finally:
        await engine.dispose()
    return args.database_url


async def timed(
    figures: dict[str, Any], name: str, repeat: int, call: Callable[[], Awaitable[object]]
) -> None:
    """Record the median and the best milliseconds of ``repeat`` calls (after a warm-up).

    On a shared machine the best is the steadier figure: the median includes waiting for a
    core another job holds.
    """
    await call()
    took = []
    for _ in range(repeat):
        start = time.perf_counter()
        await call()
        took.append(time.perf_counter() - start)
    figures[f"{name}_ms"] = statistics.median(took) * 1000
    figures[f"{name}_best_ms"] = min(took) * 1000


async def measure(args: argparse.Namespace, patients: int) -> dict[str, Any]:
    """Seed ``patients`` and time the views; returns the figures."""
    url = await database(args)
    engine = create_engine(url)
    figures: dict[str, Any] = {"patients": patients}
    try:
        with stopwatch() as seeding:
            await seed_history(engine, patients, args.answers_per_patient)
        figures["seeding_s"] = seeding[0]
        services = make_services(
            engine, FakeClock(NOW), ServiceConfig(operator_ids=frozenset({OPERATOR}))
        )
        if refresh_aged is not None:
            figures["summaries_build_s"] = await build_summaries(engine, services)
        async with engine.connect() as connection:
            figures["answers"] = await connection.scalar(text("SELECT count(*) FROM answers"))
        await timed(
            figures, "page1", args.repeat, lambda: show_patients(services, OPERATOR, OPERATOR)
        )
        if patient_rows is not None:
            await console_figures(figures, args.repeat, services)
    finally:
        await engine.dispose()
    return figures


async def build_summaries(engine: Any, services: Services) -> float:
    """Every patient's summary row due, then the refresh sweep: its seconds."""
    from services.risk import NO_TIME

    async with engine.begin() as connection:
        await connection.execute(text(DUE_ROWS), {"never": NO_TIME, "due": NOW.replace(year=1970)})
    with stopwatch() as took:
        await refresh_aged(services)
    async with engine.connect() as connection:
        await connection.execute(text("ANALYZE"))
        await connection.commit()
    return took[0]


async def console_figures(figures: dict[str, Any], repeat: int, services: Services) -> None:
    """The page read alone, the Next page and the web console's list, filtered and not."""

    async def rows(**filters: Any) -> Any:
        async with services.session_factory() as session:
            return await patient_rows(session, services, NOW, **filters)

    first = await rows(limit=10)

    async def page(arg: str) -> None:
        async with services.session_factory() as session:
            await patients_page(session, services, 1, arg, NOW)

    await timed(figures, "page1_read", repeat, lambda: page("-"))
    await timed(figures, "next_page_read", repeat, lambda: page("n" + first.rows[-1].cursor))
    await timed(figures, "console_50", repeat, lambda: rows(limit=50))
    await timed(figures, "console_search", repeat, lambda: rows(search="patient 12"))
    await timed(figures, "console_paused", repeat, lambda: rows(status="paused"))


async def main() -> None:
    args = arguments()
    sizes = sorted({min(SMALL, args.patients), args.patients})
    results = [await measure(args, size) for size in sizes]
    kind = "postgresql" if (args.database_url or args.database).startswith("postgres") else "sqlite"
    for figures in results:
        report(
            f"/patients, {figures['patients']:,} patients, {figures['answers']:,} answers, {kind}",
            **{k: v for k, v in figures.items() if k not in ("patients", "answers")},
        )
    if len(results) == 2:
        small, large = results
        for key in ("page1_ms", "page1_best_ms"):
            ratio = large[key] / small[key]
            print(f"== ratio {key} {large['patients']:,} / {small['patients']:,}: {ratio:.2f}")
    if args.record:
        existing = json.loads(args.record.read_text()) if args.record.exists() else []
        existing += [{"label": args.label, "database": kind, **r} for r in results]
        args.record.write_text(json.dumps(existing, indent=1) + "\n")


if __name__ == "__main__":
    run(main())
