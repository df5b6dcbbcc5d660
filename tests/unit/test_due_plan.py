"""The plan for one due patient (pure): start today's check-in, wait for today's slot, or end."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from models import PatientStatus
from recovery import Procedure, ProtocolSet
from services.checkin.due import DuePatient, plan_due

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def due(
    *, surgery: date = date(2026, 2, 27), at: time = time(9), since: datetime = NOW
) -> DuePatient:
    return DuePatient(
        id=1,
        chat_id=1,
        status=PatientStatus.ACTIVE,
        procedure=Procedure.KYPHOPLASTY,
        surgery_date=surgery,
        discharge_date=None,
        in_hospital=False,
        timezone="Europe/London",
        checkin_time=at,
        next_checkin_at=since,
    )


def test_a_slot_that_has_come_starts_todays_checkin_and_moves_to_tomorrow(
    protocols: ProtocolSet,
) -> None:
    step = plan_due(due(), protocols, NOW)
    assert step.start == (date(2026, 3, 2), 3)
    assert not step.finish
    assert step.next_at == NOW + timedelta(days=1)


def test_after_downtime_a_slot_from_an_earlier_day_waits_for_todays_slot(
    protocols: ProtocolSet,
) -> None:
    step = plan_due(due(at=time(18), since=NOW - timedelta(days=3)), protocols, NOW)
    assert step.start is None
    assert step.next_at == datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


def test_after_downtime_past_todays_slot_only_todays_checkin_starts(
    protocols: ProtocolSet,
) -> None:
    step = plan_due(due(at=time(8), since=NOW - timedelta(days=3, hours=1)), protocols, NOW)
    assert step.start == (date(2026, 3, 2), 3)
    assert step.next_at == datetime(2026, 3, 3, 8, 0, tzinfo=UTC)


def test_a_day_the_taper_skips_starts_nothing(protocols: ProtocolSet) -> None:
    surgery = NOW.date() - timedelta(days=15)  # day 15: every 2nd day from 16
    step = plan_due(due(surgery=surgery), protocols, NOW)
    assert step.start is None
    assert step.next_at == NOW + timedelta(days=1)


def test_past_the_recovery_window_the_programme_ends(protocols: ProtocolSet) -> None:
    surgery = NOW.date() - timedelta(days=43)  # kyphoplasty: 42 days
    step = plan_due(due(surgery=surgery), protocols, NOW)
    assert step.finish
    assert step.start is None
    assert step.next_at is None


def test_a_patient_without_a_checkin_time_is_refused(protocols: ProtocolSet) -> None:
    patient = due()
    broken = DuePatient(**{**patient.__dict__, "checkin_time": None})
    with pytest.raises(ValueError, match="check-in time"):
        plan_due(broken, protocols, NOW)
