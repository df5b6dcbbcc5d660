"""Time of an operator's /patients (riskiest first) over a large store of answers.

Seeds patients with 10 check-ins of 8 answers each over the last 10 days (so every answer is
in the window the risk ordering reads), then times the use case behind /patients: it ranks
every active patient by open alerts, rising pain and missed check-ins and renders page 1.

Usage: python -m bench.patients_view --database sqlite|postgresql --answers 1000000
"""

from __future__ import annotations

import statistics
from datetime import timedelta

from sqlalchemy import insert

from bench.harness import (
    NOW,
    arguments,
    fresh_database,
    make_services,
    report,
    run,
    seed_patients,
    stopwatch,
)
from models import Answer, CheckIn, CheckInStatus, create_engine, create_session_factory
from services.context import ServiceConfig
from tests.support.clock import FakeClock

CHECKINS, ANSWERS = 10, 8
KEYS = ["emergency", "pain", "pain_worse", "fever", "numbness", "pain_med", "brace", "activity"]


async def seed_answers(engine, patients: int) -> None:  # type: ignore[no-untyped-def]
    """CHECKINS check-ins per patient (ids assigned here), ANSWERS answers each."""
    factory = create_session_factory(engine)
    checkin_id = 0
    checkins, answers = [], []
    for patient in range(1, patients + 1):
        for n in range(CHECKINS):
            checkin_id += 1
            day = (NOW - timedelta(days=CHECKINS - n)).date()
            checkins.append(
                {
                    "id": checkin_id,
                    "patient_id": patient,
                    "local_date": day,
                    "post_op_day": 3 + n,
                    "status": CheckInStatus.MISSED if n % 7 == 6 else CheckInStatus.COMPLETED,
                    "trigger": "scheduled",
                    "question_keys": KEYS,
                    "created_at": NOW,
                    "sent_at": NOW,
                }
            )
            for key in KEYS:
                value = str((patient + n) % 9) if key == "pain" else "no"
                answers.append(
                    {
                        "checkin_id": checkin_id,
                        "question_key": key,
                        "value": value,
                        "answered_by": 1_000_000 + patient,
                        "answered_at": NOW,
                    }
                )
        if len(answers) >= 50_000:
            await _flush(factory, checkins, answers)
    await _flush(factory, checkins, answers)


async def _flush(factory, checkins: list, answers: list) -> None:  # type: ignore[no-untyped-def]
    async with factory.begin() as session:
        if checkins:
            await session.execute(insert(CheckIn), checkins)
        for start in range(0, len(answers), 10_000):
            await session.execute(insert(Answer), answers[start : start + 10_000])
    checkins.clear()
    answers.clear()


async def main() -> None:
    from services.care_team.patient_list import show_patients

    args = arguments(__doc__ or "", answers=1_000_000, repeat=5)
    patients = args.answers // (CHECKINS * ANSWERS)
    url = await fresh_database(args.database)
    engine = create_engine(url)
    with stopwatch() as seeding:
        await seed_patients(engine, patients, first_user=1_000_001)
        await seed_answers(engine, patients)
    services = make_services(engine, FakeClock(NOW), ServiceConfig(operator_ids=frozenset({900})))
    timings = []
    for _ in range(args.repeat):
        with stopwatch() as took:
            await show_patients(services, 900, 900)
        timings.append(took[0])
    await engine.dispose()
    report(
        f"/patients over {patients * CHECKINS * ANSWERS:,} answers "
        f"({patients:,} active patients), {args.database}",
        seeding_seconds=seeding[0],
        median_ms=statistics.median(timings) * 1000,
        best_ms=min(timings) * 1000,
        answers_per_second_scanned=patients * CHECKINS * ANSWERS / statistics.median(timings),
    )


if __name__ == "__main__":
    run(main())
