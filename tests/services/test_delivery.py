"""Outbox bookkeeping: claiming, leases, outcomes."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy import select

from models import AlertReach, Instance, Outbox, OutboxStatus, Patient, PatientStatus
from services.context import Services
from services.delivery import outcomes
from services.delivery.instances import beat, forget_dead, retire
from services.outbox import REDACTED_SECRET, SECRET_PURPOSE, Priority, enqueue, enqueue_document
from tests.support.clock import FakeClock
from views.message import Message


async def queue(
    services: Services, chat_id: int, text: str, purpose: str = "test", **kwargs
) -> None:
    async with services.transaction() as session:
        enqueue(session, chat_id, Message(text), now=services.now(), purpose=purpose, **kwargs)


async def rows(services: Services) -> list[Outbox]:
    async with services.session_factory() as session:
        return list((await session.scalars(select(Outbox).order_by(Outbox.id))).all())


async def test_claims_one_message_per_chat_most_urgent_first(services: Services) -> None:
    await queue(services, 1, "first to 1")
    await queue(services, 1, "second to 1")
    await queue(services, 2, "alert to 2", priority=Priority.ALERT)
    claimed = await outcomes.claim_due(services)
    assert [(m.chat_id, m.payload["text"]) for m in claimed] == [
        (2, "alert to 2"),
        (1, "first to 1"),
    ]


async def test_leased_messages_are_not_claimed_twice_until_the_lease_ends(
    services: Services, clock: FakeClock
) -> None:
    await queue(services, 1, "hello")
    assert len(await outcomes.claim_due(services)) == 1
    assert await outcomes.claim_due(services) == []
    clock.advance(seconds=61)  # the process that claimed it died
    assert len(await outcomes.claim_due(services)) == 1


async def test_a_dead_instances_leases_are_taken_back_at_once_not_at_the_leases_end(
    services: Services, clock: FakeClock
) -> None:
    killed = dataclasses.replace(services, instance_id="killed")
    await beat(killed, mode="worker")
    await queue(services, 1, "check-in")
    assert len(await outcomes.claim_due(killed)) == 1
    clock.advance(seconds=3)
    await beat(killed, mode="worker")
    clock.advance(seconds=4)
    assert await outcomes.claim_due(services) == []  # beat 4 s ago: alive, its lease holds
    clock.advance(seconds=2)  # silent for 6 s: dead, though its 60 s lease has 53 s to run
    await beat(services, mode="polling")
    [taken] = await outcomes.claim_due(services)
    assert taken.payload["text"] == "check-in"
    assert await outcomes.claim_due(killed) == []  # held by a live instance now


async def test_an_instance_that_stopped_cleanly_holds_nothing(services: Services) -> None:
    stopped = dataclasses.replace(services, instance_id="stopped")
    await beat(stopped, mode="polling")
    await queue(services, 1, "check-in")
    assert len(await outcomes.claim_due(stopped)) == 1
    await retire(stopped)
    assert len(await outcomes.claim_due(services)) == 1


async def test_a_dead_instance_is_forgotten_after_an_hour_and_a_live_one_never(
    services: Services, clock: FakeClock
) -> None:
    dead = dataclasses.replace(services, instance_id="dead")
    await beat(dead, mode="worker")
    clock.advance(minutes=59)
    await beat(services, mode="polling")
    assert await forget_dead(services) == 0  # silent 59 minutes: still listed
    clock.advance(minutes=2)
    assert await forget_dead(services) == 1
    async with services.session_factory() as session:
        assert list(await session.scalars(select(Instance.id))) == [services.instance_id]


async def test_chats_in_flight_are_skipped(services: Services) -> None:
    await queue(services, 1, "a")
    await queue(services, 2, "b")
    claimed = await outcomes.claim_due(services, skip_chats={1})
    assert [m.chat_id for m in claimed] == [2]


async def test_retry_later_waits_and_counts_the_attempt(
    services: Services, clock: FakeClock
) -> None:
    await queue(services, 1, "hello")
    [message] = await outcomes.claim_due(services)
    await outcomes.retry_later(
        services, message.id, delay=timedelta(seconds=30), error="RetryAfter"
    )
    assert await outcomes.claim_due(services) == []
    clock.advance(seconds=31)
    [again] = await outcomes.claim_due(services)
    assert again.attempts == 1


async def test_sent_messages_are_done(services: Services, clock: FakeClock) -> None:
    await queue(services, 1, "hello")
    [message] = await outcomes.claim_due(services)
    await outcomes.mark_sent(services, message, 77)
    clock.advance(minutes=5)
    assert await outcomes.claim_due(services) == []
    [row] = await rows(services)
    assert (row.status, row.message_id) == (OutboxStatus.SENT, 77)


async def test_blocked_patient_is_flagged_unreachable(services: Services) -> None:
    now = services.now()
    async with services.transaction() as session:
        session.add(
            Patient(
                telegram_user_id=5,
                chat_id=5,
                status=PatientStatus.ACTIVE,
                timezone="UTC",
                created_at=now,
                updated_at=now,
            )
        )
    await queue(services, 5, "hello")
    [message] = await outcomes.claim_due(services)
    await outcomes.mark_failed(services, message, error="forbidden", unreachable=True)
    async with services.session_factory() as session:
        patient = await session.scalar(select(Patient))
    assert patient is not None
    assert patient.unreachable_since == now
    [row] = await rows(services)
    assert row.status == OutboxStatus.FAILED


async def test_chat_migration_moves_pending_messages(services: Services) -> None:
    await queue(services, -5, "to the old group")
    await outcomes.migrate_chat(services, -5, -1005)
    [message] = await outcomes.claim_due(services)
    assert message.chat_id == -1005


async def test_delivered_messages_are_purged_after_the_retention_period(
    services: Services, clock: FakeClock
) -> None:
    await queue(services, 1, "delivered long ago")
    [old] = await outcomes.claim_due(services)
    await outcomes.mark_sent(services, old, 11)
    await queue(services, 2, "still waiting")
    clock.advance(days=31)
    await queue(services, 3, "delivered recently")
    [_, recent] = await outcomes.claim_due(services)
    await outcomes.mark_sent(services, recent, 12)

    assert await outcomes.purge_delivered(services) == 1
    left = {row.payload["text"] for row in await rows(services)}
    assert left == {"still waiting", "delivered recently"}


async def test_a_sender_leases_only_what_it_can_start_and_leaves_the_rest_to_others(
    services: Services,
) -> None:
    for chat in range(1, 6):
        await queue(services, chat, "hello")
    mine = await outcomes.claim_due(services, take=2)
    others = await outcomes.claim_due(services)
    assert [m.chat_id for m in mine] == [1, 2]
    assert [m.chat_id for m in others] == [3, 4, 5]  # not held behind this sender's lease


async def test_many_deliveries_are_recorded_together_keeping_only_what_may_stay(
    services: Services,
) -> None:
    await queue(services, 1, "a question")
    await queue(services, 2, "an invitation", purpose=SECRET_PURPOSE)
    async with services.transaction() as session:
        enqueue_document(
            session,
            3,
            filename="data.json",
            content="{}",
            caption="",
            now=services.now(),
            purpose="export",
        )
        session.add(AlertReach(chat_id=1, failed_at=services.now(), error="forbidden"))
    claimed = await outcomes.claim_due(services)
    assert len(claimed) == 3
    await outcomes.mark_sent_many(services, [(m, 100 + m.chat_id) for m in claimed])

    stored = {row.chat_id: row for row in await rows(services)}
    assert {chat: (r.status, r.message_id) for chat, r in stored.items()} == {
        chat: (OutboxStatus.SENT, 100 + chat) for chat in (1, 2, 3)
    }
    assert stored[1].payload == {"text": "a question"}
    assert stored[2].payload == {"text": REDACTED_SECRET}
    assert stored[3].payload == {"filename": "data.json"}
    async with services.session_factory() as session:
        assert (await session.scalars(select(AlertReach))).all() == []  # reachable again
