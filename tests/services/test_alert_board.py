"""The console's alert board: every open alert, and those acknowledged within the last day.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, AlertStatus
from recovery import Level
from services.care_team import alert_board, board_version
from services.context import Services
from tests.support.clock import FakeClock
from tests.support.factories import make_alert, make_patient
from web import live


async def acknowledged(services: Services, patient_id: int, ago: timedelta) -> int:
    alert_id = await make_alert(services, patient_id, status=AlertStatus.ACKNOWLEDGED)
    async with services.transaction() as session:
        row = await session.get_one(Alert, alert_id)
        row.acknowledged_at, row.acknowledged_by = services.now() - ago, 900
    return alert_id


async def test_the_board_shows_open_alerts_and_the_last_days_acknowledged_ones(
    services: Services,
) -> None:
    ann = await make_patient(services, user_id=501, display_name="Ann")
    bob = await make_patient(services, user_id=502, display_name=None)
    urgent = await make_alert(services, ann)
    emergency = await make_alert(services, bob, level=Level.EMERGENCY)
    recent = await acknowledged(services, ann, timedelta(hours=23))
    latest = await acknowledged(services, bob, timedelta(minutes=5))
    await acknowledged(services, ann, timedelta(hours=25))  # yesterday's: off the board
    async with services.session_factory() as session:
        opened, done = await alert_board(session, services, services.now())
    assert [(a.alert_id, a.patient_ref, a.patient_name) for a in opened] == [
        (emergency, f"P-{bob:04d}", None),
        (urgent, f"P-{ann:04d}", "Ann"),
    ]
    assert [(a.alert_id, a.acknowledged_by) for a in done] == [
        (latest, "operator 900"),
        (recent, "operator 900"),
    ]


async def test_the_version_moves_with_every_change_the_board_shows(
    services: Services, clock: FakeClock
) -> None:
    ann = await make_patient(services, user_id=501, display_name="Ann")

    async def version() -> str:
        async with services.session_factory() as session:
            return await board_version(session, services.now())

    seen = [await version()]

    async def change(**values: object) -> None:
        async with services.transaction() as session:
            alert = await session.get_one(Alert, alert_id)
            for name, value in values.items():
                setattr(alert, name, value)
        clock.advance(seconds=1)
        seen.append(await version())
        assert seen[-1] != seen[-2], values

    alert_id = await make_alert(services, ann)
    seen.append(await version())
    assert seen[-1] != seen[0]  # raised
    await change(report_count=2)  # reported again
    await change(escalation_count=1)  # reminded
    await change(status=AlertStatus.ACKNOWLEDGED, acknowledged_at=services.now())
    await change(outcome="advised", outcome_at=services.now())
    await change(outcome="seen", outcome_at=services.now())  # changed its mind


async def test_one_watch_serves_every_open_page_with_one_query_a_poll(
    services: Services,
) -> None:
    ann = await make_patient(services, user_id=501, display_name="Ann")
    queries = 0
    real = board_version

    async def counted(session: AsyncSession, now: datetime) -> str:
        nonlocal queries
        queries += 1
        return await real(session, now)

    closing = asyncio.Event()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(live, "board_version", counted)
        watch = live.BoardWatch(services, closing, poll=0.05)
        pages = [asyncio.create_task(watch.next_change(0, timeout=5)) for _ in range(20)]
        await asyncio.sleep(0.2)  # a few polls, nothing changed
        assert not any(page.done() for page in pages)
        polls = queries
        assert 1 <= polls <= 6  # one query a poll, not one per page
        await make_alert(services, ann)
        assert await asyncio.wait_for(asyncio.gather(*pages), 1) == [1] * 20  # all told at once
        closing.set()
        assert await watch.next_change(1, timeout=5) == 1  # closed: no wait
