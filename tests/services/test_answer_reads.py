"""A press reads a check-in's answers and the patient's history in one query."""

from __future__ import annotations

from datetime import date, timedelta

from models import CheckIn, CheckInStatus
from services.checkin.answers import HISTORY_LENGTH, answers_and_history
from services.context import Services
from tests.support.factories import make_answer, make_checkin, make_patient

TODAY = date(2026, 3, 2)


async def test_current_answers_and_the_last_14_checkins_oldest_first(services: Services) -> None:
    pid = await make_patient(services, user_id=501)
    for back in range(20, 0, -1):  # 20 earlier days; day 18 missed, with no answer at all
        day = TODAY - timedelta(days=back)
        answers = {} if back == 2 else {"pain": back}
        await make_checkin(services, pid, day, 30 - back, answers=answers)
    today = await make_checkin(
        services, pid, TODAY, 30, answers={"pain": 4}, status=CheckInStatus.IN_PROGRESS
    )
    await make_answer(services, today, "pain", 6, answered_by=501)  # a changed answer
    other = await make_patient(services, user_id=502)
    await make_checkin(services, other, TODAY - timedelta(days=1), 29, answers={"pain": 9})

    async with services.session_factory() as session:
        checkin = await session.get_one(CheckIn, today)
        current, past = await answers_and_history(session, checkin)

    assert current == {"pain": "6"}  # the superseded 4 is history of the answer, not current
    assert len(past) == HISTORY_LENGTH
    assert [p.post_op_day for p in past] == list(range(16, 30))  # oldest first, then yesterday
    assert [p.answers for p in past][-3:] == [{"pain": "3"}, {}, {"pain": "1"}]


async def test_a_first_checkin_has_no_history(services: Services) -> None:
    pid = await make_patient(services, user_id=501)
    today = await make_checkin(services, pid, TODAY, 3, status=CheckInStatus.SENT)
    async with services.session_factory() as session:
        checkin = await session.get_one(CheckIn, today)
        assert await answers_and_history(session, checkin) == ({}, [])
