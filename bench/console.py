"""Time of every page of the care team's web console over a large store.

Seeds ``--patients`` patients with ``--answers-per-patient`` answers each (:mod:`bench.history`;
the defaults give the issue's 12,500 patients and 1,000,000 answers) and gives P-0043 four
months of daily check-ins (the record of a long history), builds the risk summaries, signs an
operator in the way ``/dashboard`` does, then requests each page through the ASGI app
in-process (no network: the figure is the server's own time, rendering included) ``--repeat``
times and prints p50 and p95 in milliseconds.

Usage: python -m bench.console [--patients 12500] [--answers-per-patient 80]
       [--database sqlite|postgresql] [--database-url URL (emptied!)] [--repeat 40]
"""

from __future__ import annotations

import argparse
import time
from datetime import timedelta

import httpx

from bench.harness import NOW, make_services, percentile, report, run
from bench.history import seed_history, seed_long_history
from bench.patients_view import build_summaries, database
from models import ConsoleLogin, create_engine
from services.console import redeem_link
from services.console.secrets import digest
from services.context import ServiceConfig
from services.health import Health
from tests.support.clock import FakeClock
from web import build_web_app
from web.security import COOKIE

OPERATOR = 900
LONG_PATIENT, LONG_HISTORY = 43, 120
TOKEN = "bench-console-sign-in-token"  # noqa: S105  (a throw-away database)
PAGES = (
    "/alerts",
    "/alerts/board",
    "/patients",
    "/patients?q=patient%2012",
    "/patients?status=paused",
    "/patients/P-0042",
    "/patients/P-0043",  # LONG_HISTORY days of check-ins
    "/programme",
    "/protocol",
)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=12_500)
    parser.add_argument("--answers-per-patient", type=int, default=80)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=40)
    return parser.parse_args()


async def _health() -> Health:
    raise NotImplementedError  # /health is not timed here


async def _metrics() -> bytes:
    return b""


async def main() -> None:
    args = arguments()
    url = await database(args)
    engine = create_engine(url)
    try:
        await seed_history(engine, args.patients, args.answers_per_patient)
        await seed_long_history(engine, LONG_PATIENT, LONG_HISTORY)
        config = ServiceConfig(operator_ids=frozenset({OPERATOR}), console_url="http://bench")
        services = make_services(engine, FakeClock(NOW), config)
        await build_summaries(engine, services)
        async with services.transaction() as session:
            session.add(
                ConsoleLogin(
                    token_hash=digest(TOKEN),
                    operator_id=OPERATOR,
                    created_at=NOW,
                    expires_at=NOW + timedelta(minutes=10),
                )
            )
        opened = await redeem_link(services, TOKEN)
        assert opened is not None
        app = build_web_app(services, health=_health, metrics=_metrics, console=True)
        figures: dict[str, float] = {}
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://bench",
            cookies={COOKIE: opened.cookie},
        ) as http:
            for path in PAGES:
                took = []
                for attempt in range(args.repeat + 1):
                    start = time.perf_counter()
                    reply = await http.get(path)
                    elapsed = time.perf_counter() - start
                    assert reply.status_code == 200, (path, reply.status_code)
                    if attempt:  # the first request warms caches
                        took.append(elapsed * 1000)
                figures[f"{path} p50_ms"] = percentile(took, 0.5)
                figures[f"{path} p95_ms"] = percentile(took, 0.95)
        kind = engine.dialect.name
        report(f"console pages, {args.patients:,} patients, {kind}", **figures)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    run(main())
