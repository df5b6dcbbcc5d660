"""The programme's figures against the database, with numbers checked by hand.

The clock fixture is Monday 2 March 2026, 09:00 UTC: 22:00 the same day in Auckland, but
23:00 on Sunday 1 March in Honolulu, so a check-in dated 1 March is past its day in
Auckland and London and not yet in Honolulu.
"""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import update

from models import Alert, AlertStatus, CheckInStatus
from recovery import Level, Procedure
from services.care_team import programme_figures
from services.care_team.programme import CACHE_FOR, SERVE_STALE_FOR
from services.care_team.programme_sql import _ack_times, percentile_cont
from services.context import Services
from tests.support.clock import FakeClock
from tests.support.databases import PG_URL
from tests.support.factories import make_alert, make_checkin, make_patient
from tests.support.waiting import eventually
from views.care_team.programme import ProgrammeFigures, WeekCompletion, programme_csv

COMPLETED, MISSED = CheckInStatus.COMPLETED, CheckInStatus.MISSED
SENT, IN_PROGRESS = CheckInStatus.SENT, CheckInStatus.IN_PROGRESS


async def acknowledged(
    services: Services, alert_id: int, minutes: float, outcome: str | None = None
) -> None:
    """Mark an alert raised two hours ago as acknowledged ``minutes`` later."""
    raised = services.now() - timedelta(hours=2)
    async with services.session_factory.begin() as session:
        await session.execute(
            update(Alert)
            .where(Alert.id == alert_id)
            .values(
                created_at=raised,
                status=AlertStatus.ACKNOWLEDGED,
                acknowledged_at=raised + timedelta(minutes=minutes),
                acknowledged_by=900,
                outcome=outcome,
            )
        )


async def seed(services: Services) -> None:
    """Three patients with check-ins and alerts (and one still enrolling, with nothing)."""
    kypho = await make_patient(
        services, user_id=501, display_name="Alice Smith", surgery_date=date(2026, 2, 20)
    )  # Europe/London, day 10 today
    for day, status in [(0, COMPLETED), (1, MISSED), (2, COMPLETED), (3, SENT)]:
        await make_checkin(services, kypho, date(2026, 2, 20) + timedelta(day), day, status=status)
    for day, status in [(7, COMPLETED), (8, IN_PROGRESS), (10, SENT)]:  # day 10 is today's
        await make_checkin(services, kypho, date(2026, 2, 20) + timedelta(day), day, status=status)
    auckland = await make_patient(
        services,
        user_id=502,
        display_name="Bob Jones",
        procedure=Procedure.FUSION,
        surgery_date=date(2026, 2, 25),
        timezone="Pacific/Auckland",
    )
    await make_checkin(services, auckland, date(2026, 2, 25), 0)
    await make_checkin(services, auckland, date(2026, 3, 1), 4, status=SENT)  # past its day
    await make_checkin(services, auckland, date(2026, 3, 2), 5, status=SENT)  # today's
    honolulu = await make_patient(
        services,
        user_id=503,
        display_name="Carol White",
        procedure=Procedure.FUSION,
        surgery_date=date(2026, 2, 23),
        timezone="Pacific/Honolulu",
    )
    await make_checkin(services, honolulu, date(2026, 2, 23), 0, status=MISSED)
    await make_checkin(services, honolulu, date(2026, 2, 28), 5)
    await make_checkin(services, honolulu, date(2026, 3, 1), 6, status=SENT)  # today there
    await make_patient(services, user_id=504, procedure=None, surgery_date=None, schedule=False)

    await acknowledged(services, await make_alert(services, kypho), 10, "called")
    await acknowledged(services, await make_alert(services, kypho, level=Level.ATTENTION), 30)
    await make_alert(services, kypho, level=Level.EMERGENCY)  # still open
    await acknowledged(services, await make_alert(services, auckland), 20, "urgent")
    await acknowledged(services, await make_alert(services, auckland), 50, "called")
    await acknowledged(
        services, await make_alert(services, honolulu, level=Level.EMERGENCY), 5.5, "visit"
    )


async def figures_now(services: Services) -> ProgrammeFigures:
    async with services.session_factory() as session:
        return await programme_figures(session, services, services.now())


async def test_completion_by_week_counts_open_check_ins_past_their_local_day(
    services: Services,
) -> None:
    await seed(services)
    figures = await figures_now(services)
    assert [g.procedure for g in figures.procedures] == list(Procedure)
    vertebroplasty, kyphoplasty, fusion = figures.procedures
    assert vertebroplasty.weeks == ()
    assert vertebroplasty.completion is None
    assert kyphoplasty.weeks == (
        WeekCompletion(week=0, sent=4, completed=2, missed=1, open_past=1),
        WeekCompletion(week=1, sent=3, completed=1, missed=0, open_past=1),  # + today's
    )
    assert [w.due for w in kyphoplasty.weeks] == [4, 2]
    assert kyphoplasty.weeks[0].completion == 0.5
    # Auckland's 1 March is past, its 2 March is today; Honolulu's 1 March is today there.
    assert fusion.weeks == (WeekCompletion(week=0, sent=6, completed=2, missed=1, open_past=1),)
    assert figures.total.weeks == (
        WeekCompletion(week=0, sent=10, completed=4, missed=2, open_past=2),
        WeekCompletion(week=1, sent=3, completed=1, missed=0, open_past=1),
    )
    assert (figures.total.sent, figures.total.due, figures.total.completed) == (13, 10, 5)
    assert figures.total.completion == 0.5
    assert figures.as_of == services.now()


async def test_alerts_per_100_check_ins_times_to_acknowledge_and_outcomes(
    services: Services,
) -> None:
    await seed(services)
    _, kyphoplasty, fusion = (await figures_now(services)).procedures
    total = (await figures_now(services)).total
    assert (kyphoplasty.attention, kyphoplasty.urgent, kyphoplasty.emergency) == (1, 1, 1)
    assert kyphoplasty.alerts_per_100(Level.URGENT) == pytest.approx(100 / 7)
    assert (fusion.attention, fusion.urgent, fusion.emergency) == (0, 2, 1)
    assert fusion.alerts_per_100(Level.URGENT) == pytest.approx(200 / 6)
    assert (total.attention, total.urgent, total.emergency) == (1, 3, 2)
    # minutes: kyphoplasty 10, 30; fusion 5.5, 20, 50; percentile_cont interpolates
    assert kyphoplasty.acknowledged == 2
    assert kyphoplasty.ack_median_minutes == pytest.approx(20)
    assert kyphoplasty.ack_p90_minutes == pytest.approx(28)  # 10 + 0.9 * 20
    assert fusion.acknowledged == 3
    assert fusion.ack_median_minutes == pytest.approx(20)
    assert fusion.ack_p90_minutes == pytest.approx(44)  # 20 + 0.8 * 30
    assert total.acknowledged == 5
    assert total.ack_median_minutes == pytest.approx(20)
    assert total.ack_p90_minutes == pytest.approx(42)  # 30 + 0.6 * 20
    assert kyphoplasty.outcomes == (
        ("called", 1), ("urgent", 0), ("visit", 0), ("none", 0), ("unreached", 0),
    )  # fmt: skip
    assert dict(fusion.outcomes) == {
        "called": 1, "urgent": 1, "visit": 1, "none": 0, "unreached": 0,
    }  # fmt: skip
    assert total.outcome("called") == 2


async def test_an_empty_programme_has_rows_and_no_rates(services: Services) -> None:
    figures = await figures_now(services)
    assert all(g.weeks == () and g.acknowledged == 0 for g in figures.procedures)
    assert figures.total.alerts_per_100(Level.URGENT) is None
    assert figures.total.ack_median_minutes is None
    rows = list(csv.reader(io.StringIO(programme_csv(figures))))
    assert [row[:2] for row in rows[1:]] == [
        ["vertebroplasty", "all"], ["kyphoplasty", "all"], ["fusion", "all"], ["all", "all"],
    ]  # fmt: skip


async def test_the_csv_of_real_figures_names_no_patient(services: Services) -> None:
    await seed(services)
    text = programme_csv(await figures_now(services))
    for secret in ("Alice", "Bob", "Carol", "P-000", "501", "502", "503", "Auckland"):
        assert secret not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    fusion = next(r for r in rows if r["procedure"] == "fusion" and r["week"] == "all")
    assert fusion["completion_pct"] == "50.0"
    assert fusion["ack_p90_minutes"] == "44.0"
    assert fusion["urgent_per_100_checkins"] == "33.33"


async def test_figures_are_kept_a_minute_and_say_when_they_were_read(
    services: Services, clock: FakeClock
) -> None:
    pid = await make_patient(services, user_id=501)
    await make_checkin(services, pid, date(2026, 2, 20), 0)
    read_at = services.now()
    async with services.session_factory() as session:
        first, same = await asyncio.gather(
            programme_figures(session, services, services.now()),
            programme_figures(session, services, services.now()),
        )
    assert same is first  # the second caller waited for the first reading
    await make_checkin(services, pid, date(2026, 2, 21), 1)
    clock.advance(seconds=59)
    cached = await figures_now(services)
    assert cached is first
    assert (cached.total.sent, cached.as_of) == (1, read_at)
    async with services.session_factory() as session:
        fresh = await programme_figures(session, services, services.now(), max_age=timedelta(0))
    assert fresh.total.sent == 2
    await make_checkin(services, pid, date(2026, 2, 22), 2)
    clock.advance(seconds=CACHE_FOR.total_seconds())
    assert await figures_now(services) is fresh  # at once, while they are read again

    async def renewed() -> ProgrammeFigures | None:
        figures = await figures_now(services)
        return figures if figures is not fresh else None

    later = await eventually(renewed)
    assert (later.total.sent, later.as_of) == (3, services.now())


async def test_figures_too_old_to_show_are_read_before_the_page_answers(
    services: Services, clock: FakeClock
) -> None:
    pid = await make_patient(services, user_id=501)
    await make_checkin(services, pid, date(2026, 2, 20), 0)
    first = await figures_now(services)
    await make_checkin(services, pid, date(2026, 2, 21), 1)
    clock.advance(seconds=SERVE_STALE_FOR.total_seconds())
    again = await figures_now(services)
    assert (first.total.sent, again.total.sent) == (1, 2)
    assert again.as_of == services.now()


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL only: the SQL percentiles")
async def test_the_two_ways_of_computing_percentiles_agree(
    services: Services, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("percentile_cont is PostgreSQL's")
    await seed(services)
    async with services.session_factory() as session:
        in_sql = await _ack_times(session, in_sql=True)
        in_python = await _ack_times(session, in_sql=False)
    assert in_sql.keys() == in_python.keys() == {Procedure.KYPHOPLASTY, Procedure.FUSION, None}
    for key, (count, median, p90) in in_sql.items():
        assert in_python[key][0] == count
        assert in_python[key][1] == pytest.approx(median)
        assert in_python[key][2] == pytest.approx(p90)


def test_percentile_cont_interpolates_like_sql() -> None:
    assert percentile_cont([], 0.5) is None
    assert percentile_cont([7.0], 0.9) == 7.0
    assert percentile_cont([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile_cont([0.0, 10.0], 0.9) == pytest.approx(9.0)
    assert percentile_cont([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.9) == (
        pytest.approx(9.1)
    )
