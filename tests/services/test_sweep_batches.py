"""The dispatch sweep works in batches: a few statements per batch, each patient started once."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from models import CheckIn, Outbox, Patient, create_engine, create_session_factory
from recovery import Procedure
from services.checkin import schedule
from services.checkin.schedule import dispatch_due
from services.context import Services
from tests.support.bulk import add_due_patients
from tests.support.clock import FakeClock
from tests.support.factories import make_checkin, make_patient

DUE = 1_200  # more than two batches


async def seed_due(services: Services, count: int) -> None:
    """``count`` active kyphoplasty patients due now, a few statements in all."""
    await add_due_patients(services, count, due=services.now(), first_user=10_000, summaries=False)


async def started(services: Services) -> tuple[Counter[int], Counter[int]]:
    """Check-ins per patient, and first questions per chat."""
    async with services.session_factory() as session:
        checkins = (await session.scalars(select(CheckIn.patient_id))).all()
        questions = (
            await session.scalars(select(Outbox.chat_id).where(Outbox.purpose == "question"))
        ).all()
    return Counter(checkins), Counter(questions)


@pytest.fixture
async def second_instance(services: Services, database_url: str) -> AsyncIterator[Services]:
    """Another worker: its own engine (connection pool) on the same database and clock."""
    engine = create_engine(database_url)
    yield Services(
        session_factory=create_session_factory(engine),
        protocols=services.protocols,
        config=services.config,
        clock=services.clock,
    )
    await engine.dispose()


async def test_each_batch_takes_four_statements_whatever_its_size(
    services: Services, engine: AsyncEngine
) -> None:
    await seed_due(services, DUE)
    statements: list[str] = []

    def record(_conn, _cursor, statement: str, *_args: object) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE")):
            statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        assert await dispatch_due(services) == DUE
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)

    batches = -(-DUE // schedule.DISPATCH_BATCH)
    # claim, insert the check-ins (RETURNING), insert their questions, advance the patients
    assert len(statements) == 4 * batches
    checkins, questions = await started(services)
    assert len(checkins) == len(questions) == DUE


async def test_two_instances_at_once_start_each_due_patient_once(
    services: Services, second_instance: Services
) -> None:
    await seed_due(services, DUE)
    handled = await asyncio.gather(dispatch_due(services), dispatch_due(second_instance))

    assert sum(handled) == DUE  # each patient claimed by one instance
    checkins, questions = await started(services)
    assert len(checkins) == len(questions) == DUE
    assert max(checkins.values()) == max(questions.values()) == 1


async def test_a_patient_who_already_has_todays_checkin_gets_no_second_one(
    services: Services, clock: FakeClock
) -> None:
    now = services.now()  # 09:00 UTC, the patient's slot
    clock.set(now - timedelta(hours=1))
    pid = await make_patient(services, timezone="UTC", surgery_date=date(2026, 2, 27))
    clock.set(now)
    await make_checkin(services, pid, now.date(), 3, trigger="manual")  # started by hand
    assert await dispatch_due(services) == 1

    checkins, questions = await started(services)
    assert checkins == Counter({pid: 1})
    assert not questions  # the question of the check-in started by hand is not sent again
    async with services.session_factory() as session:
        patient = await session.get_one(Patient, pid)
    assert patient.next_checkin_at == datetime.combine(
        now.date() + timedelta(days=1), time(9), tzinfo=now.tzinfo
    )


async def test_scheduled_checkins_store_the_protocol_that_asks_them(services: Services) -> None:
    await seed_due(services, 3)
    await dispatch_due(services)
    protocol = services.protocols.for_procedure(Procedure.KYPHOPLASTY)
    async with services.session_factory() as session:
        rows = (
            await session.execute(
                select(
                    CheckIn.protocol_family,
                    CheckIn.protocol_version,
                    CheckIn.protocol_hash,
                    CheckIn.question_keys,
                    CheckIn.current_question,
                )
            )
        ).all()
    keys = [q.key for q in protocol.questions_for(3)]
    assert [tuple(r) for r in rows] == [
        (protocol.family, protocol.version, protocol.content_hash, keys, keys[0])
    ] * 3
