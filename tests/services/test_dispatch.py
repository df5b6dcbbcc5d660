"""The dispatch sweep: one check-in per patient and local day, across zones, DST and downtime."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from models import CheckIn, Outbox, Patient, PatientStatus
from recovery import Procedure
from services.checkin.schedule import dispatch_due
from services.context import Services
from tests.support.clock import FakeClock
from tests.support.factories import make_patient

ZONES = ["Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "Asia/Kolkata"]


async def run_minutes(services: Services, clock: FakeClock, until: datetime, step: int) -> None:
    """Tick the sweep every ``step`` minutes of fake time up to ``until``."""
    while clock.now() < until:
        clock.advance(minutes=step)
        await dispatch_due(services)


async def checkins(services: Services) -> list[tuple[int, date, datetime]]:
    async with services.session_factory() as session:
        rows = await session.execute(
            select(CheckIn.patient_id, CheckIn.local_date, CheckIn.sent_at).order_by(CheckIn.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def test_each_zone_gets_one_checkin_per_local_day_at_its_local_time_across_dst(
    services: Services, clock: FakeClock
) -> None:
    # 28 Mar - 2 Apr 2026: Europe switches to summer time on 29 Mar, Sydney leaves it on 5 Apr
    clock.set(datetime(2026, 3, 27, 0, 0, tzinfo=UTC))
    zone_of = {}
    for n, zone in enumerate(ZONES):
        patient = await make_patient(
            services, user_id=700 + n, timezone=zone, surgery_date=date(2026, 3, 20)
        )
        zone_of[patient] = ZoneInfo(zone)
    await run_minutes(services, clock, datetime(2026, 4, 2, 0, 0, tzinfo=UTC), step=7)

    rows = await checkins(services)
    per_day = Counter((patient, day) for patient, day, _ in rows)
    assert max(per_day.values()) == 1  # never two on one local day
    for patient, day, sent in rows:
        local = sent.astimezone(zone_of[patient])
        assert local.date() == day
        assert time(9, 0) <= local.time() < time(9, 7)  # within one tick of 09:00 local
    days = {patient: sorted(day for p, day, _ in rows if p == patient) for patient in zone_of}
    for patient_days in days.values():
        assert len(patient_days) >= 5
        assert all(
            b - a == timedelta(days=1) for a, b in zip(patient_days, patient_days[1:], strict=False)
        )


async def test_downtime_sends_one_checkin_for_today_not_one_per_missed_day(
    services: Services, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    await make_patient(services, user_id=801, timezone="Europe/London")
    clock.set(datetime(2026, 3, 6, 10, 30, tzinfo=UTC))  # down for four days
    await dispatch_due(services)
    await dispatch_due(services)
    rows = await checkins(services)
    assert [day for _, day, _ in rows] == [date(2026, 3, 6)]
    async with services.session_factory() as session:
        patient = await session.scalar(select(Patient))
    assert patient is not None
    # 7 March is post-op day 15, which the taper skips (every 2nd day from day 16)
    assert patient.next_checkin_at == datetime(2026, 3, 8, 9, 0, tzinfo=UTC)


async def test_the_programme_ends_after_the_recovery_window_with_a_closing_message(
    services: Services, clock: FakeClock
) -> None:
    # kyphoplasty: 42-day window; the last check-in day is 42 (every 3rd day from 30)
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    surgery = date(2026, 3, 2) - timedelta(days=42)
    await make_patient(services, user_id=802, surgery_date=surgery, timezone="UTC")
    await run_minutes(services, clock, datetime(2026, 3, 12, 0, 0, tzinfo=UTC), step=60)

    rows = await checkins(services)
    assert [day for _, day, _ in rows] == [date(2026, 3, 2)]  # day 42, then nothing
    async with services.session_factory() as session:
        patient = await session.scalar(select(Patient))
        closing = (
            await session.scalars(select(Outbox.payload).where(Outbox.purpose == "closing"))
        ).all()
    assert patient is not None
    assert patient.status == PatientStatus.FINISHED
    assert patient.next_checkin_at is None
    assert len(closing) == 1
    assert "42-day recovery check-ins are complete" in closing[0]["text"]


async def test_fusion_patient_in_hospital_gets_nothing_until_home(
    services: Services, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    await make_patient(
        services, user_id=803, procedure=Procedure.FUSION, in_hospital=True, timezone="UTC"
    )
    await run_minutes(services, clock, datetime(2026, 3, 5, 0, 0, tzinfo=UTC), step=60)
    assert await checkins(services) == []


async def test_the_morning_sweep_asks_each_patient_in_their_own_language(
    services: Services, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    readers = {"en": 801, "es": 802, "ru": 803, "ar": 804}
    for language, user_id in readers.items():
        patient_id = await make_patient(services, user_id=user_id, surgery_date=date(2026, 2, 25))
        async with services.transaction() as session:
            (await session.get_one(Patient, patient_id)).language = language
    await run_minutes(services, clock, datetime(2026, 3, 1, 9, 10, tzinfo=UTC), step=5)
    async with services.session_factory() as session:
        rows = await session.execute(
            select(Outbox.chat_id, Outbox.payload).where(Outbox.purpose == "question")
        )
        sent = {chat_id: payload for chat_id, payload in rows}
    for language, user_id in readers.items():
        shown = services.protocols.for_procedure(Procedure.KYPHOPLASTY, language)
        first = shown.questions_for(4)[0]
        assert first.text in sent[user_id]["text"], language
    assert len({sent[user_id]["text"] for user_id in readers.values()}) == 4
