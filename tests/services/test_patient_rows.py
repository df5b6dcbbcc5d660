"""patient_rows (the web console's list) and the summaries behind it, on every backend."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import AlertStatus, CheckInStatus, PatientStatus, RiskSummary
from recovery import Level, Procedure
from services.care_team import PatientRows, RiskTier, patient_rows
from services.context import Services
from services.risk import RiskFacts, risk_key
from services.risk_summary import refresh_aged
from tests.support.clock import FakeClock
from tests.support.factories import make_alert, make_checkin, make_patient
from tests.support.risk_oracle import assert_summaries_current

NAMES = ["ann", "Ann", "Émile", "émile", "Zoë", None, "bob", "Bob", None, "Ängel", "ann"]


async def _page(services: Services, **filters: object) -> PatientRows:
    async with services.session_factory() as session:
        return await patient_rows(session, services, services.now(), **filters)  # type: ignore[arg-type]


async def _all(services: Services, limit: int, **filters: object) -> list[str]:
    refs: list[str] = []
    after = None
    for _ in range(50):
        page = await _page(services, after=after, limit=limit, **filters)
        refs += [row.ref for row in page.rows]
        if page.next_cursor is None:
            return refs
        after = page.next_cursor
    raise AssertionError("paging did not end")


async def test_pages_follow_the_risk_order_with_nothing_lost_or_repeated(
    services: Services, clock: FakeClock
) -> None:
    """Names that differ by case and accents, unnamed patients, every tier, page by page."""
    facts = []
    for number, name in enumerate(NAMES):
        pid = await make_patient(services, user_id=500 + number, display_name=name)
        alerts = []
        if number % 4 == 1:
            await make_alert(services, pid, level=(Level.URGENT, Level.EMERGENCY)[number % 2])
            alerts = [((Level.URGENT, Level.EMERGENCY)[number % 2], clock.now())]
        since = clock.now() if number % 5 == 2 else None  # the first missed one was sent now
        if since is not None:
            for day in (date(2026, 2, 28), date(2026, 3, 1)):
                await make_checkin(services, pid, day, 8, status=CheckInStatus.MISSED)
        clock.advance(minutes=1)
        facts.append(RiskFacts(f"P-{pid:04d}", name, alerts, 2 if since else 0, since))
    expected = [f.ref for f in sorted(facts, key=risk_key)]
    for limit in (1, 3, 50):
        assert await _all(services, limit) == expected
    first = (await _page(services, limit=50)).rows
    assert [r.tier for r in first[:3]] == [
        RiskTier.EMERGENCY,
        RiskTier.EMERGENCY,
        RiskTier.EMERGENCY,
    ]
    await assert_summaries_current(services)


async def test_filters_by_search_procedure_and_status(services: Services) -> None:
    ann = await make_patient(services, user_id=501, display_name="Ann Lee")
    await make_patient(services, user_id=502, display_name="annabel", procedure=Procedure.FUSION)
    await make_patient(services, user_id=503, display_name="Bea")
    gone = await make_patient(
        services, user_id=504, display_name="Cy", status=PatientStatus.WITHDRAWN
    )
    assert await _all(services, 10, search="ANN") == ["P-0001", "P-0002"]  # a name's start
    assert await _all(services, 10, search="  p-0003 ") == ["P-0003"]  # a reference
    assert await _all(services, 10, search="3") == ["P-0003"]
    assert await _all(services, 10, search="lee") == []  # the start of the name only
    assert await _all(services, 10, search="a") == ["P-0001", "P-0002"]  # short: a scan
    assert await _all(services, 10, search="Ä") == []
    assert await _all(services, 10, procedure="fusion") == ["P-0002"]
    assert await _all(services, 10) == ["P-0001", "P-0002", "P-0003"]  # not the withdrawn
    assert await _all(services, 10, status="withdrawn") == [f"P-{gone:04d}"]
    await make_alert(services, gone)  # an open alert lists a withdrawn patient
    assert (await _all(services, 10))[0] == f"P-{gone:04d}"
    assert ann == 1


@pytest.mark.parametrize(
    "cursor",
    ["", "x", "7.0.0.1", "1.0.2.1", "1.0.0.0", "1.fffffffffffffffff.0.1", "1:0:0:1", "1.0.0.1 "],
)
async def test_forged_or_malformed_cursors_and_filters_raise_value_error(
    services: Services, cursor: str
) -> None:
    await make_patient(services)
    with pytest.raises(ValueError, match="cursor"):
        await _page(services, after=cursor)


async def test_unknown_filters_and_limits_raise_value_error(services: Services) -> None:
    for filters in ({"status": "gone"}, {"procedure": "knee"}, {"limit": 0}, {"limit": 201}):
        with pytest.raises(ValueError):  # noqa: PT011  (each names its own problem)
            await _page(services, **filters)


async def test_a_row_carries_the_day_completion_and_last_check_in(
    services: Services, clock: FakeClock
) -> None:
    pid = await make_patient(services, procedure=Procedure.KYPHOPLASTY)  # surgery 20 Feb
    today = clock.now().date()  # 2 March
    done = today - timedelta(days=1)
    await make_checkin(services, pid, done, 9, answers={"pain": 6}, at=clock.now())
    await make_checkin(services, pid, today - timedelta(days=2), 8, status=CheckInStatus.MISSED)
    await make_checkin(services, pid, today - timedelta(days=3), 7, answers={"pain": 3})
    await make_checkin(services, pid, today - timedelta(days=9), 1, status=CheckInStatus.MISSED)
    await make_alert(services, pid, level=Level.ATTENTION, status=AlertStatus.ACKNOWLEDGED)
    (row,) = (await _page(services)).rows
    assert (row.ref, row.name, row.procedure, row.status) == (
        "P-0001",
        "Pat",
        "kyphoplasty",
        "active",
    )
    assert row.post_op_day == 10
    assert row.completion_7d == pytest.approx(2 / 3)
    assert row.last_checkin_at == clock.now()
    assert (row.open_alerts, row.worst_level, row.tier) == (0, None, RiskTier.WORSENING)
    assert (row.pain, row.missed_7d) == ((3, 6), 1)


async def test_the_aging_sweep_moves_facts_out_of_their_windows(
    services: Services, clock: FakeClock
) -> None:
    pid = await make_patient(services)
    for back in (2, 1):
        await make_checkin(
            services, pid, clock.now().date() - timedelta(days=back), 8, status=CheckInStatus.MISSED
        )
    assert (await _page(services)).rows[0].tier is RiskTier.MISSED
    clock.advance(days=5)
    assert await refresh_aged(services) == 0  # not yet: 7 days back still counts
    clock.advance(days=1)
    assert await refresh_aged(services) == 1  # the older one left the window
    (row,) = (await _page(services)).rows
    assert (row.tier, row.missed_7d) == (RiskTier.OTHER, 1)
    clock.advance(days=1)
    assert await refresh_aged(services) == 1
    async with services.session_factory() as session:
        summary = await session.get_one(RiskSummary, pid)
    assert (summary.missed_7d, summary.refresh_at) == (0, None)
    assert await refresh_aged(services) == 0
    await assert_summaries_current(services, skip_due=False)


async def test_an_erased_patient_takes_their_summary_along(services: Services) -> None:
    pid = await make_patient(services)
    from models import Patient

    async with services.transaction() as session:
        await session.delete(await session.get_one(Patient, pid))
    async with services.session_factory() as session:
        assert (await session.scalars(select(RiskSummary))).all() == []


async def test_two_transactions_changing_one_patient_leave_a_correct_summary(
    services: Services, database_url: str
) -> None:
    """PostgreSQL: the summary row is locked before the facts are read, so a refresh waits
    for another transaction's refresh and then reads what it committed."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serialises every writer at BEGIN")
    import asyncio

    from models import Alert
    from services.alerts.acknowledge import acknowledge_alert
    from services.risk_summary import note_change, refresh_summary
    from views.callbacks import AckCb

    pid = await make_patient(services)
    older = await make_alert(services, pid, level=Level.URGENT)
    locked = asyncio.Event()

    async def raise_one() -> None:  # a new alert, committed after the acknowledgement waited
        async with services.transaction() as session:
            session.add(
                Alert(
                    patient_id=pid,
                    level=Level.EMERGENCY,
                    reasons=["chest"],
                    reason_texts=["x"],
                    status=AlertStatus.OPEN,
                    created_at=services.now(),
                    escalation_count=0,
                )
            )
            await session.flush()
            note_change(session, pid, services.now())
            await refresh_summary(session, pid, services.now())  # holds the row's lock
            locked.set()
            await asyncio.sleep(0.3)  # the acknowledgement's refresh waits meanwhile

    async def acknowledge() -> None:
        await locked.wait()
        await acknowledge_alert(services, 900, "Op", AckCb(older), pressed=(900, 1))

    await asyncio.gather(raise_one(), acknowledge())
    (row,) = (await _page(services)).rows
    assert (row.tier, row.open_alerts) == (RiskTier.EMERGENCY, 1)
    await assert_summaries_current(services)
