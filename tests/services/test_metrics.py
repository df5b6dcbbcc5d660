"""The scrape-time reading of the database and how Prometheus sees it."""

from __future__ import annotations

from datetime import date, timedelta

from app.metrics import Metrics
from models import AlertStatus, CheckInStatus
from recovery import Level
from services.context import Services
from services.metrics import DatabaseGauges, read_gauges
from services.outbox import enqueue
from tests.support.clock import FakeClock
from tests.support.factories import make_alert, make_checkin, make_patient
from views.message import Message


async def test_reading_counts_due_messages_open_alerts_and_todays_checkins(
    services: Services, clock: FakeClock
) -> None:
    patient = await make_patient(services, user_id=11)
    await make_checkin(services, patient, date(2026, 3, 1), 1, at=clock.now() - timedelta(days=2))
    await make_checkin(services, patient, date(2026, 3, 2), 2, status=CheckInStatus.MISSED)
    await make_alert(services, patient, level=Level.URGENT)
    await make_alert(services, patient, level=Level.EMERGENCY, status=AlertStatus.ACKNOWLEDGED)
    async with services.session_factory.begin() as session:
        for purpose, delay in (("reminder", 0), ("reminder", 0), ("alert", 0), ("care", 60)):
            enqueue(
                session,
                11,
                Message("x"),
                now=clock.now(),
                purpose=purpose,
                not_before=clock.now() + timedelta(minutes=delay),
            )
    clock.advance(minutes=16)

    reading = await read_gauges(services)

    assert reading.outbox_due == {"reminder": 2, "alert": 1}  # the deferred one is not backlog
    assert reading.open_alerts == {"urgent": 1, "emergency": 0}
    assert reading.oldest_open_alert_seconds == 16 * 60
    assert reading.checkins["missed"] == 1  # the one of two days ago is outside the window
    assert reading.checkins["completed"] == 0


async def test_nothing_open_reads_as_zero(services: Services) -> None:
    reading = await read_gauges(services)
    assert reading.open_alerts == {"urgent": 0, "emergency": 0}
    assert reading.oldest_open_alert_seconds == 0
    assert reading.outbox_due == {}


async def test_exposition_has_every_gauge_and_no_database_reports_down() -> None:
    reading = DatabaseGauges(
        outbox_due={"alert": 3},
        open_alerts={"urgent": 2, "emergency": 1},
        oldest_open_alert_seconds=900.0,
        checkins={"sent": 5},
    )

    async def read() -> DatabaseGauges:
        return reading

    metrics = Metrics(read)
    metrics.observe_send("rate_limited", 0.2)
    text = (await metrics.render()).decode()
    assert 'checkin_bot_outbox_backlog{purpose="alert"} 3.0' in text
    assert 'checkin_bot_open_alerts{level="emergency"} 1.0' in text
    assert "checkin_bot_oldest_unacknowledged_alert_seconds 900.0" in text
    assert 'checkin_bot_checkins_24h{status="sent"} 5.0' in text
    assert "checkin_bot_telegram_429_total 1.0" in text
    assert "checkin_bot_database_up 1.0" in text

    async def broken() -> DatabaseGauges:
        raise OSError("database restarting")

    down = (await Metrics(broken).render()).decode()
    assert "checkin_bot_database_up 0.0" in down
    assert "checkin_bot_open_alerts" not in down  # no stale zeros that look like all clear
