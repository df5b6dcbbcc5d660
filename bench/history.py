"""Bulk-seeded patient histories for the benchmarks: patients, check-ins, answers, alerts.

Check-ins and answers go in by the driver's fastest path (``executemany`` on a plain sqlite3
connection, ``COPY`` through asyncpg on PostgreSQL), a chunk of patients at a time, so millions
of answers take a minute or two and little memory. Works on the schema before #19 too.

Each patient gets ``answers_per_patient // 8`` answered daily check-ins of 8 answers, with a
missed one (no answers) after every 6, and for every 50th patient two more missed at the end
(2+ in a row); the latest is yesterday;
pain scores vary so some rise; every 100th patient has an open urgent alert, every 997th an
emergency; every 333rd is unreachable; every 10th has no name.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from sqlalchemy import delete, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.harness import NOW, seed_patients
from models import Alert, AlertStatus, Answer, CheckIn, CheckInStatus, create_session_factory
from recovery import Level

__all__ = ["ANSWERS_PER_CHECKIN", "seed_history", "seed_long_history"]

KEYS = ["emergency", "pain", "pain_worse", "fever", "numbness", "pain_med", "brace", "activity"]
ANSWERS_PER_CHECKIN = len(KEYS)
CHUNK = 2_000  # patients per batch of rows
CHECKIN_COLUMNS = [
    "id", "patient_id", "local_date", "post_op_day", "status", "trigger", "question_keys",
    "created_at", "sent_at", "completed_at",
]  # fmt: skip
ANSWER_COLUMNS = ["checkin_id", "question_key", "value", "answered_by", "answered_at"]
MARKS = ", ".join("?" * len(CHECKIN_COLUMNS))


async def seed_history(engine: AsyncEngine, patients: int, answers_per_patient: int) -> None:
    """Seed ``patients`` active patients with that many answers each (see the module doc)."""
    await seed_patients(engine, patients, first_user=1_000_001)
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE patients SET display_name = 'Patient ' || id WHERE id % 10 != 0")
        )
        await connection.execute(
            text("UPDATE patients SET unreachable_since = :at WHERE id % 333 = 0"),
            {"at": NOW - timedelta(days=1)},
        )
    answered = max(1, answers_per_patient // ANSWERS_PER_CHECKIN)
    if engine.dialect.name == "sqlite":
        _sqlite_rows(str(make_url(str(engine.url)).database), patients, answered)
    else:
        await _postgres_rows(engine, patients, answered)
    alerts = [
        {
            "patient_id": pid,
            "level": Level.EMERGENCY if pid % 997 == 0 else Level.URGENT,
            "reasons": ["fever"],
            "reason_texts": ["a fever"],
            "status": AlertStatus.OPEN,
            "created_at": NOW - timedelta(minutes=pid % 600),
            "escalation_count": 0,
        }
        for pid in range(1, patients + 1)
        if pid % 100 == 0 or pid % 997 == 0
    ]
    async with create_session_factory(engine).begin() as session:
        if alerts:
            await session.execute(insert(Alert), alerts)
    async with engine.connect() as connection:  # planner statistics, as in production
        await connection.execute(text("ANALYZE"))
        await connection.commit()


def _missed(answered: int, pid: int) -> list[bool]:
    """Which of a patient's check-ins, oldest first, are missed."""
    days: list[bool] = []
    while days.count(False) < answered:
        days.append(len(days) % 7 == 6)
    return days + ([True, True] if pid % 50 == 0 else [])


def _chunks(patients: int, answered: int) -> Iterator[tuple[list[tuple], list[tuple]]]:  # type: ignore[type-arg]
    """(check-in rows, answer rows) for CHUNK patients at a time, ids assigned here."""
    checkin_id = 0
    for first in range(1, patients + 1, CHUNK):
        rows, answers = [], []
        for pid in range(first, min(patients, first + CHUNK - 1) + 1):
            plan = _missed(answered, pid)
            for n, missed in enumerate(plan):
                checkin_id += 1
                back = len(plan) - n
                day: date = (NOW - timedelta(days=back)).date()
                at = NOW - timedelta(days=back)
                status = CheckInStatus.MISSED if missed else CheckInStatus.COMPLETED
                rows.append(
                    (checkin_id, pid, day, 3 + n, status.value, "scheduled", KEYS, at, at)
                    + (None if missed else at,)
                )
                if missed:
                    continue
                for key in KEYS:
                    value = str((pid + n * (pid % 3)) % 9) if key == "pain" else "no"
                    answers.append((checkin_id, key, value, 1_000_000 + pid, at))
        yield rows, answers


def _sqlite_rows(path: str, patients: int, answered: int) -> None:
    def stamp(at: datetime | None) -> str | None:
        return None if at is None else f"{at:%Y-%m-%d %H:%M:%S.%f}"

    connection = sqlite3.connect(path)
    try:
        for rows, answers in _chunks(patients, answered):
            connection.executemany(
                f"INSERT INTO checkins ({', '.join(CHECKIN_COLUMNS)}) VALUES ({MARKS})",  # noqa: S608
                [
                    (*r[:2], r[2].isoformat(), *r[3:6], json.dumps(r[6]), stamp(r[7]))
                    + (stamp(r[8]), stamp(r[9]))
                    for r in rows
                ],
            )
            connection.executemany(
                f"INSERT INTO answers ({', '.join(ANSWER_COLUMNS)}) VALUES (?, ?, ?, ?, ?)",  # noqa: S608
                [(*a[:4], stamp(a[4])) for a in answers],
            )
            connection.commit()
    finally:
        connection.close()


async def _postgres_rows(engine: AsyncEngine, patients: int, answered: int) -> None:
    async with engine.connect() as connection:
        raw = (await connection.get_raw_connection()).driver_connection
        assert raw is not None
        for rows, answers in _chunks(patients, answered):
            await raw.copy_records_to_table(
                "checkins",
                records=[(*r[:6], json.dumps(r[6]), *r[7:]) for r in rows],
                columns=CHECKIN_COLUMNS,
            )
            await raw.copy_records_to_table("answers", records=answers, columns=ANSWER_COLUMNS)
        top = "(SELECT max(id) FROM checkins)"
        await raw.execute(f"SELECT setval(pg_get_serial_sequence('checkins', 'id'), {top})")
        await connection.commit()


async def seed_long_history(engine: AsyncEngine, patient_id: int, days: int) -> None:
    """Replace one patient's history with ``days`` daily answered check-ins (8 answers each,
    the latest yesterday): the record of a patient followed for months."""
    async with create_session_factory(engine).begin() as session:
        old = select(CheckIn.id).where(CheckIn.patient_id == patient_id)
        await session.execute(delete(Answer).where(Answer.checkin_id.in_(old)))
        await session.execute(delete(CheckIn).where(CheckIn.patient_id == patient_id))
        for n in range(days):
            at = NOW - timedelta(days=days - n)
            checkin = CheckIn(
                patient_id=patient_id,
                local_date=at.date(),
                post_op_day=n,
                status=CheckInStatus.COMPLETED,
                trigger="scheduled",
                question_keys=KEYS,
                created_at=at,
                sent_at=at,
                completed_at=at,
            )
            session.add(checkin)
            await session.flush()
            values = {"pain": str(n % 9)}
            session.add_all(
                Answer(
                    checkin_id=checkin.id,
                    question_key=key,
                    value=values.get(key, "no"),
                    answered_by=1_000_000 + patient_id,
                    answered_at=at,
                )
                for key in KEYS
            )
