"""Reminders and missed notices are claimed: two instances sweeping at once send each once."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import CheckInStatus, Outbox, create_engine, create_session_factory
from services.checkin import schedule
from services.context import Services
from tests.support.factories import make_care_link, make_checkin, make_patient

PATIENTS = 40


@pytest.fixture
async def second_instance(services: Services, database_url: str) -> AsyncIterator[Services]:
    """Another worker: its own engine (connection pool) on the same database and clock."""
    engine = create_engine(database_url)
    yield Services(
        session_factory=create_session_factory(engine),
        protocols=services.protocols,
        config=services.config,
        clock=services.clock,
        bot_username=services.bot_username,
    )
    await engine.dispose()


async def sent_by_purpose(services: Services) -> Counter[tuple[str, int]]:
    async with services.session_factory() as session:
        rows = (await session.execute(select(Outbox.purpose, Outbox.chat_id))).all()
    return Counter((purpose, chat) for purpose, chat in rows)


async def test_two_instances_send_one_reminder_and_one_caregiver_notice_per_checkin(
    services: Services, second_instance: Services
) -> None:
    sent = services.now() - timedelta(hours=7)  # past the reminder and the missed delays
    for n in range(PATIENTS):
        patient = await make_patient(services, user_id=1000 + n)
        await make_care_link(services, patient, user_id=5000 + n)
        await make_checkin(
            services, patient, date(2026, 3, 2), 10, status=CheckInStatus.SENT, at=sent
        )
    both = (services, second_instance)
    reminded = await asyncio.gather(*(schedule.remind_due(s) for s in both))
    missed = await asyncio.gather(*(schedule.mark_missed(s) for s in both))

    assert sum(reminded) == PATIENTS
    assert sum(missed) == PATIENTS
    counts = await sent_by_purpose(services)
    reminders = [chat for purpose, chat in counts if purpose == "reminder"]
    notices = [chat for purpose, chat in counts if purpose == "missed"]
    assert sorted(reminders) == [1000 + n for n in range(PATIENTS)]
    assert sorted(notices) == [5000 + n for n in range(PATIENTS)]
    assert max(counts.values()) == 1  # nobody got a reminder or a notice twice
