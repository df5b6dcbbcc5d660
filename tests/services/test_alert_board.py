"""The console's alert board: every open alert, and those acknowledged within the last day.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

from models import Alert, AlertStatus
from recovery import Level
from services.care_team import alert_board
from services.context import Services
from tests.support.factories import make_alert, make_patient


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
