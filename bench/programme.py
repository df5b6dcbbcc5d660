"""Time of the console's programme figures over a full programme.

Seeds (bench.harness) the patients, spread over the three procedures and six time zones, with
28 check-ins each (days 0 to 27, the last ones still open), 1,000,000 answers and one alert
every 35 check-ins (most acknowledged, most of those with an outcome), then times
``programme_figures`` in a fresh session each call, as the console's page would, and on
PostgreSQL the percentiles both ways (SQL ``percentile_cont``, or the delays in Python).

Usage: python -m bench.programme --patients 12500 [--database sqlite|postgresql]
       [--database-url URL]   (an empty database of your own instead of a fresh one)
"""

from __future__ import annotations

import argparse
import random
import statistics
from datetime import timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.harness import NOW, fresh_database, make_services, percentile, report, run, stopwatch
from bench.harness import seed_patients as seed_harness_patients
from models import Alert, AlertStatus, Answer, CheckIn, CheckInStatus, Patient, create_engine
from models import create_session_factory as sessions
from models.migrate import upgrade
from recovery import Level, Procedure
from tests.support.clock import FakeClock

CHECKINS, ALERT_EVERY, ANSWERS = 28, 35, 1_000_000
ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "Pacific/Auckland",
         "Pacific/Honolulu", "Asia/Kolkata"]  # fmt: skip
KEYS = ["pain", "pain_worse", "fever", "numbness", "brace"]
OUTCOMES = ["called", "urgent", "visit", "none", "unreached"]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--patients", type=int, default=12_500)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--no-seed", action="store_true", help="time an already seeded database")
    return parser.parse_args()


async def seed(engine: AsyncEngine, patients: int) -> dict[str, int]:
    """The harness's patients, given procedures, zones and surgery dates; then their
    check-ins, answers and alerts in bulk."""
    await seed_harness_patients(engine, patients, first_user=2_000_000)
    factory = sessions(engine)
    async with factory.begin() as session:
        procedures = list(Procedure)
        for n, procedure in enumerate(procedures):
            await session.execute(
                update(Patient).where(Patient.id % 3 == n).values(procedure=procedure)
            )
        for n in range(30):  # check-ins ended 0 to 29 days ago; today's are still open
            surgery = NOW.date() - timedelta(days=CHECKINS - 1 + n)
            await session.execute(
                update(Patient).where(Patient.id % 30 == n).values(surgery_date=surgery)
            )
        for n, zone in enumerate(ZONES):
            await session.execute(
                update(Patient).where(Patient.id % len(ZONES) == n).values(timezone=zone)
            )
        ids = list((await session.scalars(select(Patient.id).order_by(Patient.id))).all())
        next_checkin = (await session.scalar(select(func.max(CheckIn.id)))) or 0
    rng = random.Random(1)
    checkins: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    alerts: list[dict[str, Any]] = []
    counts = {"checkins": 0, "answers": 0, "alerts": 0}
    for number, patient in enumerate(ids):
        ago = CHECKINS - 1 + patient % 30  # days since the operation
        surgery = NOW.date() - timedelta(days=ago)
        for day in range(CHECKINS):
            next_checkin += 1
            draw = rng.random()
            status = (
                CheckInStatus.SENT if day == ago  # today's, not answered yet
                else CheckInStatus.COMPLETED if draw < 0.83
                else CheckInStatus.MISSED if draw < 0.995
                else CheckInStatus.IN_PROGRESS  # left open (a paused patient's, say)
            )  # fmt: skip
            sent_at = NOW - timedelta(days=ago - day)
            checkins.append(
                {
                    "id": next_checkin,
                    "patient_id": patient,
                    "local_date": surgery + timedelta(days=day),
                    "post_op_day": day,
                    "status": status,
                    "trigger": "scheduled",
                    "question_keys": KEYS,
                    "created_at": sent_at,
                    "sent_at": sent_at,
                    "completed_at": sent_at if status == CheckInStatus.COMPLETED else None,
                }
            )
            if status == CheckInStatus.COMPLETED and counts["answers"] < ANSWERS:
                for key in KEYS[: 3 + next_checkin % 2]:
                    counts["answers"] += 1
                    answers.append(
                        {
                            "checkin_id": next_checkin,
                            "question_key": key,
                            "value": str(rng.randrange(11)) if key == "pain" else "no",
                            "answered_by": 2_000_000 + number,
                            "answered_at": sent_at,
                        }
                    )
            if next_checkin % ALERT_EVERY == 0:
                alerts.append(_alert(rng, patient, next_checkin, sent_at))
        counts["checkins"] += CHECKINS
        if len(answers) >= 50_000 or number == len(ids) - 1:
            counts["alerts"] += len(alerts)
            await _flush(engine, checkins, answers, alerts)
    return counts


def _alert(rng: random.Random, patient: int, checkin: int, at: Any) -> dict[str, Any]:
    draw = rng.random()
    level = Level.ATTENTION if draw < 0.4 else Level.URGENT if draw < 0.9 else Level.EMERGENCY
    acknowledged = rng.random() < 0.92
    outcome = rng.choice(OUTCOMES) if acknowledged and rng.random() < 0.7 else None
    return {
        "patient_id": patient,
        "checkin_id": checkin,
        "level": level,
        "reasons": ["fever"],
        "reason_texts": ["You have a fever."],
        "status": AlertStatus.ACKNOWLEDGED if acknowledged else AlertStatus.OPEN,
        "created_at": at,
        "acknowledged_by": 900 if acknowledged else None,
        "acknowledged_at": at + timedelta(minutes=rng.lognormvariate(2.5, 1.0))
        if acknowledged
        else None,
        "outcome": outcome,
        "escalation_count": 0,
    }


async def _flush(engine: AsyncEngine, *batches: list[dict[str, Any]]) -> None:
    async with sessions(engine).begin() as session:
        for table, rows in zip((CheckIn, Answer, Alert), batches, strict=True):
            for start in range(0, len(rows), 10_000):
                await session.execute(insert(table), rows[start : start + 10_000])
            rows.clear()


async def main() -> None:
    from services.care_team import CACHE_FOR, programme_figures
    from services.care_team.programme import _ack_times

    args = arguments()
    url = args.database_url or await fresh_database(args.database)
    engine = create_engine(url)
    await upgrade(engine)
    kind = engine.dialect.name
    counts: dict[str, int] = {}
    with stopwatch() as seeding:
        if not args.no_seed:
            counts = await seed(engine, args.patients)
            if kind == "postgresql":  # as autovacuum would have by then
                async with engine.connect() as connection:
                    await connection.execution_options(isolation_level="AUTOCOMMIT")
                    await connection.exec_driver_sql("ANALYZE")
    clock = FakeClock(NOW)
    services = make_services(engine, clock)

    async def page(max_age: timedelta) -> float:
        with stopwatch() as took:
            async with services.session_factory() as session:
                await programme_figures(session, services, clock.now(), max_age=max_age)
        return took[0] * 1000

    await page(timedelta(0))  # warm the database's cache
    cold = [await page(timedelta(0)) for _ in range(args.repeat)]
    warm = [await page(CACHE_FOR) for _ in range(args.repeat)]
    spread = []  # one page every 2 s of (fake) time for 10 minutes: 1 in 30 reads afresh
    for _ in range(300):
        clock.advance(seconds=2)
        spread.append(await page(CACHE_FOR))
    ways = {}
    for in_sql in (False, True) if kind == "postgresql" else (False,):
        spent = []
        for _ in range(args.repeat):
            with stopwatch() as took:
                async with services.session_factory() as session:
                    await _ack_times(session, in_sql=in_sql)
            spent.append(took[0] * 1000)
        name = "ack_percentiles_in_sql_p50_ms" if in_sql else "ack_percentiles_in_python_p50_ms"
        ways[name] = statistics.median(spent)
    async with services.session_factory() as session:
        figures = await programme_figures(session, services, clock.now())
    await engine.dispose()
    report(
        f"programme figures, {args.patients:,} patients, {kind}",
        seeding_seconds=seeding[0],
        **{name: f"{count:,}" for name, count in counts.items()},
        checkins_sent=f"{figures.total.sent:,}",
        acknowledged=f"{figures.total.acknowledged:,}",
        completion_pct=100 * (figures.total.completion or 0),
        uncached_p50_ms=statistics.median(cold),
        uncached_p95_ms=percentile(cold, 0.95),
        cached_p50_ms=statistics.median(warm),
        cached_p95_ms=percentile(warm, 0.95),
        page_every_2s_p50_ms=statistics.median(spread),
        page_every_2s_p95_ms=percentile(spread, 0.95),
        page_every_2s_max_ms=max(spread),
        **ways,
    )


if __name__ == "__main__":
    run(main())
