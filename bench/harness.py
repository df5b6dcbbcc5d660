"""Shared set-up for the benchmarks: a fresh database, bulk-seeded patients, services."""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import asyncpg
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from models import Patient, PatientStatus, create_engine, create_session_factory
from models.migrate import upgrade
from recovery import Procedure, load_protocols
from services.context import ServiceConfig, Services
from tests.support.clock import FakeClock

__all__ = [
    "NOW",
    "arguments",
    "fresh_database",
    "make_services",
    "percentile",
    "report",
    "seed_patients",
    "stopwatch",
    "until",
]

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday 09:00 UTC; patients check in at 09:00
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")


def arguments(description: str, **defaults: object) -> argparse.Namespace:
    """Common options: --database sqlite|postgresql and --patients N."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--patients", type=int, default=defaults.get("patients", 10_000))
    for name, value in defaults.items():
        if name != "patients":
            parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    return parser.parse_args()


async def fresh_database(kind: str) -> str:
    """A new, migrated database; returns its SQLAlchemy URL."""
    if kind == "sqlite":
        path = Path(tempfile.mkdtemp(prefix="bench-")) / "bench.sqlite"
        url = f"sqlite+aiosqlite:///{path}"
    else:
        admin = await asyncpg.connect(PG_ADMIN)
        try:
            await admin.execute("DROP DATABASE IF EXISTS checkin_bench WITH (FORCE)")
            await admin.execute("CREATE DATABASE checkin_bench")
        finally:
            await admin.close()
        url = "postgresql+asyncpg://postgres@127.0.0.1:5432/checkin_bench"
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    return url


async def seed_patients(
    engine: AsyncEngine, count: int, *, due: datetime = NOW, first_user: int = 1_000_000
) -> None:
    """Insert ``count`` active kyphoplasty patients, all due at ``due``, in bulk."""
    rows = [
        {
            "telegram_user_id": first_user + n,
            "chat_id": first_user + n,
            "status": PatientStatus.ACTIVE,
            "procedure": Procedure.KYPHOPLASTY,
            "surgery_date": date(2026, 2, 27),
            "in_hospital": False,
            "timezone": "UTC",
            "checkin_time": clock_time(9, 0),
            "consent_at": due - timedelta(days=3),
            "created_at": due - timedelta(days=3),
            "updated_at": due - timedelta(days=3),
            "next_checkin_at": due,
        }
        for n in range(count)
    ]
    async with create_session_factory(engine).begin() as session:
        for start in range(0, count, 5_000):
            await session.execute(insert(Patient), rows[start : start + 5_000])


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
    """``with stopwatch() as took:`` then ``took[0]`` is the elapsed seconds."""
    took: list[float] = []
    start = time.perf_counter()
    try:
        yield took
    finally:
        took.append(time.perf_counter() - start)


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
