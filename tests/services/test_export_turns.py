"""An export never holds a database connection while it writes its file (SQLite has one
connection and one writer: a patient's answer or an urgent reply would wait for the whole
export). Each batch is read in a session of its own, closed before the batch is written."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from sqlalchemy import func, select

from models import AuditEvent
from services.audit import record_event
from services.context import Services
from services.export.rows import Span, alert_batches, checkin_batches
from tests.support.clock import FakeClock
from tests.support.factories import make_alert, make_checkin, make_patient

DAYS = 4


async def seed(services: Services) -> None:
    for user_id in (501, 502):
        patient = await make_patient(services, user_id=user_id)
        for day in range(DAYS):
            checkin = await make_checkin(
                services, patient, date(2026, 2, 25) + timedelta(days=day), day, answers={"pain": 3}
            )
            await make_alert(services, patient, checkin_id=checkin)


async def a_write_commits(services: Services) -> None:
    """A write transaction (any use case's) while the export is between two batches."""

    async def write() -> None:
        async with services.transaction() as session:
            record_event(session, at=services.now(), actor="test", action="meanwhile")

    await asyncio.wait_for(write(), timeout=10)  # held connection on SQLite: waits 30 s


async def test_a_write_goes_between_two_batches_of_an_export(
    services: Services, clock: FakeClock
) -> None:
    await seed(services)
    engine = services.session_factory.kw["bind"]
    span = Span(date(2026, 2, 25), None, None)
    seen = 0
    async for batch in checkin_batches(services.session_factory, services.protocols, span, size=1):
        assert engine.pool.checkedout() == 0  # nothing held while the caller writes the batch
        await a_write_commits(services)
        seen += len(batch)
        assert [len(record.answers) for record in batch] == [1]
    async for alerts in alert_batches(services.session_factory, span, size=3):
        assert engine.pool.checkedout() == 0
        await a_write_commits(services)
        seen += len(alerts)
    assert seen == 2 * DAYS * 2  # every check-in and every alert, once
    async with services.session_factory() as session:
        writes = select(func.count()).where(AuditEvent.action == "meanwhile")
        assert await session.scalar(writes) == 2 * DAYS + 3
