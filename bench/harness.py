"""Shared set-up for the benchmarks: a fresh database, bulk-seeded patients, services."""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
from sqlalchemy import insert
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from models import Patient, create_engine, create_session_factory
from models.migrate import upgrade
from recovery import load_protocols
from services.context import ServiceConfig, Services
from tests.support.bulk import due_patient_row
from tests.support.clock import FakeClock

__all__ = [
    "NOW",
    "arguments",
    "fresh_database",
    "make_services",
    "percentile",
    "profiled",
    "report",
    "seed_patients",
    "stopwatch",
    "until",
]

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday 09:00 UTC; patients check in at 09:00
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")


def arguments(
    description: str, *, flags: tuple[str, ...] = (), **defaults: object
) -> argparse.Namespace:
    """Common options: --database sqlite|postgresql (or --database-url URL), --patients N,
    --profile FILE; ``flags`` are on/off options, ``defaults`` typed ones."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--database-url",
        default=None,
        help="a PostgreSQL database to drop and create afresh (its name is yours alone), "
        "e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/bench_me; implies --database",
    )
    parser.add_argument("--patients", type=int, default=defaults.get("patients", 10_000))
    parser.add_argument("--profile", default=None, help="write cProfile stats of the measure")
    for name in flags:
        parser.add_argument(f"--{name.replace('_', '-')}", action="store_true")
    for name, value in defaults.items():
        if name != "patients":
            parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    args = parser.parse_args()
    if args.database_url:
        args.database = make_url(args.database_url).get_backend_name()
    return args


async def fresh_database(kind: str, url: str | None = None) -> str:
    """A new, migrated database; returns its SQLAlchemy URL.

    Args:
        kind: ``sqlite`` (a new temporary file) or ``postgresql``.
        url: the PostgreSQL database to recreate (default ``checkin_bench`` on the local
            server); an SQLite URL is used as given.
    """
    if kind == "sqlite":
        if url is None:
            path = Path(tempfile.mkdtemp(prefix="bench-")) / "bench.sqlite"
            url = f"sqlite+aiosqlite:///{path}"
    else:
        url = url or "postgresql+asyncpg://postgres@127.0.0.1:5432/checkin_bench"
        name = make_url(url).database
        admin = await asyncpg.connect(PG_ADMIN)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    return url


async def due_now_database(args: argparse.Namespace) -> str:
    """A fresh database (``--database``/``--database-url``) with ``--patients`` patients all
    due now, for a bot process started next; returns its URL."""
    url = await fresh_database(args.database, args.database_url)
    engine = create_engine(url)
    try:
        await seed_patients(engine, args.patients, due=datetime.now(UTC))
    finally:
        await engine.dispose()
    return url


async def seed_patients(
    engine: AsyncEngine, count: int, *, due: datetime = NOW, first_user: int = 1_000_000
) -> None:
    """Insert ``count`` active kyphoplasty patients, all due at ``due``, in bulk (5,000 rows
    per statement, built as they go, so a million patients fit in memory)."""

    def row(n: int) -> dict[str, object]:
        return due_patient_row(n, first_user=first_user, due=due, created=due - timedelta(days=3))

    async with create_session_factory(engine).begin() as session:
        for start in range(0, count, 5_000):
            rows = [row(n) for n in range(start, min(count, start + 5_000))]
            await session.execute(insert(Patient), rows)


def make_services(
    engine: AsyncEngine, clock: FakeClock, config: ServiceConfig | None = None
) -> Services:
    """Services on ``engine`` with the fake clock."""
    return Services(
        session_factory=create_session_factory(engine),
        protocols=load_protocols(),
        config=config or ServiceConfig(),
        clock=clock,
    )


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """``with stopwatch() as took:`` then ``took[0]`` is the elapsed seconds and ``took[1]``
    the CPU seconds of this process (all its threads) meanwhile.

    On a shared machine the CPU seconds change less with the other jobs' load than the
    elapsed ones do.
    """
    took: list[float] = []
    start, cpu = time.perf_counter(), time.process_time()
    try:
        yield took
    finally:
        took += [time.perf_counter() - start, time.process_time() - cpu]


@contextmanager
def profiled(path: str | None) -> Iterator[None]:
    """cProfile the block into ``path`` (``python -m pstats PATH``); nothing when None."""
    if path is None:
        yield
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        profile.dump_stats(path)


async def until(condition: Callable[[], bool], *, timeout: float, every: float = 0.5) -> None:  # noqa: ASYNC109
    """Poll ``condition`` every ``every`` seconds.

    Cheaper than the fake server's wait_for, which re-checks on every request it receives:
    counting 100,000 messages on each request would slow the run it measures.
    """
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110  (polling on purpose, see above)
            await asyncio.sleep(every)


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def report(title: str, **figures: object) -> None:
    """Print one result block."""
    print(f"== {title}")
    for name, value in figures.items():
        shown = f"{value:,.1f}" if isinstance(value, float) else value
        print(f"   {name.replace('_', ' ')}: {shown}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"   max RSS of this process: {rss:,.0f} MiB")


def run(main: object) -> None:
    """asyncio.run with PTB's timedelta mode set."""
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    asyncio.run(main)  # type: ignore[arg-type]
