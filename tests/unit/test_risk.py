"""Risk ordering: the one function every patient list sorts by (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recovery import Level
from services.risk import RiskFacts, RiskTier, risk_key, risk_tier

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def ordered(*patients: RiskFacts) -> list[str]:
    return [p.ref for p in sorted(patients, key=risk_key)]


TIERS = [
    (RiskFacts("E", open_alerts=[(Level.EMERGENCY, T0)]), RiskTier.EMERGENCY),
    (RiskFacts("U", open_alerts=[(Level.URGENT, T0)]), RiskTier.URGENT),
    (RiskFacts("A", open_alerts=[(Level.ATTENTION, T0)]), RiskTier.ATTENTION),
    (RiskFacts("M", missed_streak=2, missed_since=T0), RiskTier.MISSED),
    (RiskFacts("R", unreachable_since=T0), RiskTier.UNREACHABLE),
    (RiskFacts("W", pain_worsening=True), RiskTier.WORSENING),
    (RiskFacts("O"), RiskTier.OTHER),
]


@pytest.mark.parametrize(("facts", "tier"), TIERS, ids=[t.name for _, t in TIERS])
def test_each_kind_of_patient_lands_in_its_tier(facts: RiskFacts, tier: RiskTier) -> None:
    assert risk_tier(facts)[0] is tier


def test_the_tiers_come_in_the_clinical_order_whatever_the_input_order() -> None:
    facts = [f for f, _ in TIERS]
    assert ordered(*reversed(facts)) == ["E", "U", "A", "M", "R", "W", "O"]


def test_a_patient_with_low_pain_and_no_alert_is_below_an_open_fever_and_wound_alert() -> None:
    """The case from issue 14: the kyphoplasty patient with pain 3 was listed first."""
    calm = RiskFacts("P-0001", "Kay", pain_worsening=False)
    fusion = RiskFacts("P-0002", "Zed", open_alerts=[(Level.URGENT, T0)])
    assert ordered(calm, fusion) == ["P-0002", "P-0001"]


def test_the_worst_open_alert_decides_and_one_missed_check_in_is_not_a_streak() -> None:
    mixed = RiskFacts("X", open_alerts=[(Level.ATTENTION, T0), (Level.EMERGENCY, T0)])
    assert risk_tier(mixed)[0] is RiskTier.EMERGENCY
    assert risk_tier(RiskFacts("Y", missed_streak=1, missed_since=T0))[0] is RiskTier.OTHER


def test_within_a_tier_the_oldest_unhandled_item_comes_first() -> None:
    newer = RiskFacts("A-new", "Ann", open_alerts=[(Level.URGENT, T0 + timedelta(hours=1))])
    older = RiskFacts("B-old", "Bob", open_alerts=[(Level.URGENT, T0)])
    assert ordered(newer, older) == ["B-old", "A-new"]
    first = RiskFacts("M1", missed_streak=3, missed_since=T0 - timedelta(days=3))
    later = RiskFacts("M2", missed_streak=5, missed_since=T0 - timedelta(days=1))
    assert ordered(later, first) == ["M1", "M2"]


def test_an_older_urgent_alert_does_not_lift_a_patient_above_an_emergency() -> None:
    old_urgent = RiskFacts("U", open_alerts=[(Level.URGENT, T0 - timedelta(days=2))])
    new_emergency = RiskFacts("E", open_alerts=[(Level.EMERGENCY, T0)])
    assert ordered(old_urgent, new_emergency) == ["E", "U"]


@given(
    st.lists(
        st.builds(
            RiskFacts,
            ref=st.text(min_size=1, max_size=4),
            open_alerts=st.lists(
                st.tuples(
                    st.sampled_from([Level.ATTENTION, Level.URGENT, Level.EMERGENCY]),
                    st.datetimes(timezones=st.just(UTC)),
                ),
                max_size=3,
            ),
            missed_streak=st.integers(0, 5),
            pain_worsening=st.booleans(),
        ),
        max_size=8,
    )
)
def test_sorting_never_puts_a_lower_tier_above_a_higher_one(patients: list[RiskFacts]) -> None:
    tiers = [risk_tier(p)[0] for p in sorted(patients, key=risk_key)]
    assert tiers == sorted(tiers)
