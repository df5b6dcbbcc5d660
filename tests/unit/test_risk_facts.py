"""The facts of a risk summary from one patient's rows, and the stored order (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from models import CheckInStatus
from recovery import Level
from services.risk import RiskFacts, ref_order, risk_key, risk_order
from services.risk_facts import Day, summary_facts

TODAY = date(2026, 3, 10)
AT = datetime(2026, 3, 10, 9, tzinfo=UTC)
COMPLETED, MISSED, SENT = CheckInStatus.COMPLETED, CheckInStatus.MISSED, CheckInStatus.SENT


def day(offset: int, status: CheckInStatus = COMPLETED, *scores: int) -> Day:
    on = TODAY - timedelta(days=offset)
    return Day(100 - offset, on, status, datetime(on.year, on.month, on.day, 9, tzinfo=UTC), scores)


def test_missed_in_a_row_up_to_the_latest_skipping_the_open_one() -> None:
    facts = summary_facts([], [day(4), day(3, MISSED), day(2, MISSED), day(0, SENT)], TODAY)
    assert (facts.missed_streak, facts.missed_since) == (2, day(3).sent_at)
    assert facts.missed_7d == 2
    broken = summary_facts([], [day(3, MISSED), day(2, MISSED), day(1)], TODAY)
    assert (broken.missed_streak, broken.missed_7d) == (0, 2)


def test_missed_check_ins_count_for_seven_days_and_leave_the_window_on_the_eighth() -> None:
    facts = summary_facts([], [day(7, MISSED), day(6, MISSED)], TODAY)
    assert (facts.missed_streak, facts.missed_7d) == (2, 2)
    assert facts.refresh_on == TODAY + timedelta(days=1)  # the 7-day-old one leaves tomorrow
    assert summary_facts([], [day(8, MISSED), day(6, MISSED)], TODAY).missed_7d == 1


def test_the_last_five_pain_scores_of_two_weeks_and_when_the_oldest_shown_leaves() -> None:
    days = [day(15, COMPLETED, 1)] + [day(n, COMPLETED, 9 - n) for n in range(6, 0, -1)]
    facts = summary_facts([], days, TODAY)
    assert facts.pain_scores == (4, 5, 6, 7, 8)  # days 5..1 before today; day 15 is too old
    assert facts.pain_worsening
    assert facts.refresh_on == TODAY - timedelta(days=5) + timedelta(days=15)
    assert summary_facts([], [], TODAY).refresh_on is None


def test_the_worst_open_alert_and_the_oldest_of_that_level() -> None:
    alerts = [
        (Level.URGENT, AT),
        (Level.EMERGENCY, AT + timedelta(hours=2)),
        (Level.EMERGENCY, AT + timedelta(hours=1)),
    ]
    facts = summary_facts(alerts, [], TODAY)
    assert (facts.worst_level, facts.oldest_alert_at) == (Level.EMERGENCY, AT + timedelta(hours=1))
    assert summary_facts([], [], TODAY).worst_level is None


@given(st.integers(1, 10**6), st.integers(1, 10**6))
def test_the_reference_orders_as_the_patient_id(a: int, b: int) -> None:
    """The index ends with the patient id; risk_key ends with the reference."""
    assert (ref_order(f"P-{a:04d}") < ref_order(f"P-{b:04d}")) == (a < b)


@given(st.text(max_size=8) | st.none(), st.booleans(), st.integers(0, 3))
def test_the_stored_columns_are_the_head_of_the_risk_key(
    name: str | None, worsening: bool, streak: int
) -> None:
    facts = RiskFacts(
        "P-0001", name, missed_streak=streak, missed_since=AT, pain_worsening=worsening
    )
    order = risk_order(facts)
    assert risk_key(facts)[:4] == (int(order.tier), order.since, order.unnamed, order.name_key)
