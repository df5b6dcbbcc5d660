"""A post in flight while its alert was reported again is edited on the next tick."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from models import Alert, Outbox, OutboxStatus
from services.alerts import reports
from services.context import Services
from tests.support.clock import FakeClock
from tests.support.factories import make_alert, make_patient

TEAM = -100


async def test_a_post_delivered_after_a_report_again_is_edited_once(
    services: Services, clock: FakeClock
) -> None:
    pid = await make_patient(services, user_id=501, display_name="Ann")
    alert_id = await make_alert(services, pid)
    created = clock.now()
    async with services.session_factory.begin() as session:
        post = Outbox(
            chat_id=TEAM,
            method="send",
            payload={"text": "⚠️ URGENT P-0001"},
            purpose="alert_team",
            priority=0,
            status=OutboxStatus.SENT,
            attempts=1,
            not_before=created,
            created_at=created,
            sent_at=created + timedelta(seconds=2),  # delivered after the report again
            message_id=77,
            alert_id=alert_id,
            patient_id=pid,
        )
        session.add(post)
        await session.execute(
            update(Alert)
            .where(Alert.id == alert_id)
            .values(report_count=2, last_reported_at=created + timedelta(seconds=1))
        )
    clock.advance(seconds=5)
    assert await reports.edit_late_posts(services) == 1
    assert await reports.edit_late_posts(services) == 0  # once
    async with services.session_factory() as session:
        edit = await session.scalar(select(Outbox).where(Outbox.method == "edit"))
    assert edit is not None
    assert (edit.chat_id, edit.payload["message_id"]) == (TEAM, 77)
    assert "Reported again" in edit.payload["text"]
