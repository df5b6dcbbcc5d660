"""The pain chart: read from the stored check-ins, drawn as a small PNG with the usual band."""

from __future__ import annotations

import struct
from datetime import date

import pytest

from models import CheckInStatus
from recovery import Procedure
from services.context import Services
from services.pain_course import read_pain_course
from services.patients import find_patient
from tests.support.factories import make_alert, make_checkin, make_patient

USER = 501


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@pytest.mark.parametrize("procedure", [Procedure.KYPHOPLASTY, Procedure.FUSION])
async def test_the_chart_has_scores_missed_days_alerts_and_the_usual_band(
    services: Services, procedure: Procedure
) -> None:
    pid = await make_patient(services, user_id=USER, procedure=procedure)  # surgery 20 Feb
    first = await make_checkin(services, pid, date(2026, 2, 21), 1, answers={"pain": 7})
    await make_checkin(services, pid, date(2026, 2, 22), 2, status=CheckInStatus.MISSED)
    await make_checkin(services, pid, date(2026, 2, 23), 3, answers={"pain": "4"})
    await make_alert(services, pid, checkin_id=first)
    async with services.session_factory() as session:
        patient = await find_patient(session, USER, now=services.now())
        assert patient is not None
        course = await read_pain_course(session, services, patient, services.now())
    assert course is not None
    assert [(p.day, p.score, p.missed, p.alert) for p in course.points] == [
        (1, 7, False, True),
        (2, None, True, False),
        (3, 4, False, False),
    ]
    assert course.band  # the protocol's usual range is drawn
    assert all(0 <= b.low <= b.high <= 10 for b in course.band)
    assert course.today == 10  # 2 March
    png = course.png()  # its drawing time is bench.chart's to measure, not a test's
    assert png_size(png) == (640, 360)
    assert len(png) < 100_000


async def test_no_chart_before_the_first_check_in(services: Services) -> None:
    await make_patient(services, user_id=USER)
    async with services.session_factory() as session:
        patient = await find_patient(session, USER, now=services.now())
        assert patient is not None
        assert await read_pain_course(session, services, patient, services.now()) is None
