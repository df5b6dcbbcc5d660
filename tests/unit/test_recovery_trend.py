"""The pain trend rule: sustained rises are caught, noise, falls and low pain are not."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from recovery import (
    Assessment,
    Level,
    PastCheckIn,
    Protocol,
    assess,
    describe_protocol,
    load_protocols,
)
from recovery.trend import least_rising_slope, rising_trend, slope
from recovery.types import Condition

PROTOCOLS = load_protocols().all()
SETTINGS = settings(max_examples=300, deadline=None)
SCORE = st.integers(min_value=0, max_value=10)


def trend_rule(protocol: Protocol) -> Condition:
    return next(r.condition for r in protocol.rules if r.condition.kind == "pain_trend")


def last_checkin(protocol: Protocol, scores: list[int], first_day: int = 8) -> Assessment:
    """The assessment of the last of daily check-ins with these pain scores."""
    day = first_day + len(scores) - 1
    history = [PastCheckIn(first_day + i, {"pain": str(p)}) for i, p in enumerate(scores[:-1])]
    return assess(protocol, day, {"pain": str(scores[-1])}, history, partial=True)


def trend_fires(protocol: Protocol, scores: list[int]) -> bool:
    """Whether the protocol's trend rule fires on the last of daily check-ins with these scores."""
    return "pain_trend" in {r.key for r in last_checkin(protocol, scores).reasons}


@st.composite
def thresholds(draw: st.DrawFn) -> dict[str, int | float]:
    """Any thresholds the loader accepts."""
    checkins = draw(st.integers(3, 10))
    points = draw(st.integers(2, 10))
    floor = least_rising_slope(points, checkins)
    min_slope = draw(st.floats(min_value=0.01, max_value=floor))
    return {"checkins": checkins, "points": points, "min_slope": min_slope, "gte": draw(SCORE)}


@st.composite
def sustained_rise(draw: st.DrawFn, checkins: int, points: int, gte: int) -> list[int]:
    """Last ``checkins`` scores (or all, if fewer) never fall, gain ``points``, end at ``gte``+."""
    before = draw(st.lists(SCORE, max_size=8))
    n = checkins if before else draw(st.integers(3, checkins))
    end = draw(st.integers(max(gte, points), 10))
    start = draw(st.integers(0, end - points))
    steps = sorted(draw(st.lists(st.integers(start, end), min_size=n - 2, max_size=n - 2)))
    return [*before, start, *steps, end]


@SETTINGS
@given(data=st.data(), limits=thresholds())
def test_any_sustained_rise_fires_for_any_accepted_thresholds(
    data: st.DataObject, limits: dict[str, int | float]
) -> None:
    checkins, points, gte = int(limits["checkins"]), int(limits["points"]), int(limits["gte"])
    scores = data.draw(sustained_rise(checkins, points, gte))
    assert rising_trend(scores, **limits)  # type: ignore[arg-type]


@SETTINGS
@given(data=st.data(), protocol=st.sampled_from(PROTOCOLS))
def test_a_sustained_rise_is_urgent_in_every_protocol(
    data: st.DataObject, protocol: Protocol
) -> None:
    cond = trend_rule(protocol)
    assert cond.checkins is not None
    assert cond.points is not None
    assert cond.gte is not None
    scores = data.draw(sustained_rise(cond.checkins, cond.points, cond.gte))
    assert trend_fires(protocol, scores)
    assert last_checkin(protocol, scores).level >= Level.URGENT


@st.composite
def flat_or_falling(draw: st.DrawFn) -> list[int]:
    """A course that stays level or falls, with day-to-day noise of one point either way."""
    start = draw(st.floats(0, 10))
    fall = draw(st.floats(0, 1.5))
    noise = draw(st.lists(st.integers(-1, 1), min_size=3, max_size=20))
    return [min(10, max(0, round(start - fall * i) + e)) for i, e in enumerate(noise)]


@SETTINGS
@given(scores=flat_or_falling(), protocol=st.sampled_from(PROTOCOLS))
def test_flat_or_falling_courses_never_fire(scores: list[int], protocol: Protocol) -> None:
    assert not trend_fires(protocol, scores)


@SETTINGS
@given(
    scores=st.lists(st.integers(0, 3), min_size=1, max_size=20),
    protocol=st.sampled_from(PROTOCOLS),
)
def test_a_rise_that_stays_at_low_pain_never_fires(scores: list[int], protocol: Protocol) -> None:
    assert not trend_fires(protocol, scores)


@SETTINGS
@given(
    level=st.integers(0, 10),
    dip=st.integers(1, 10),
    extra=st.integers(0, 5),
    after=st.integers(1, 3),
    protocol=st.sampled_from(PROTOCOLS),
)
def test_a_dip_and_a_return_to_the_earlier_level_is_not_a_trend(
    level: int, dip: int, extra: int, after: int, protocol: Protocol
) -> None:
    # the level held before the dip at least as long as since: no climb (a jump may still fire)
    scores = [level] * (after + extra) + [max(0, level - dip)] + [level] * after
    assert not trend_fires(protocol, scores)


def test_zero_one_two_is_not_urgent() -> None:
    for protocol in PROTOCOLS:
        assert not trend_fires(protocol, [0, 1, 2])
        assert last_checkin(protocol, [0, 1, 2], first_day=1).level is Level.OK
        assert last_checkin(protocol, [0, 1, 2]).level is Level.OK


def test_slope_is_the_least_squares_fit() -> None:
    assert slope([2, 3, 4, 5]) == 1.0
    assert slope([5, 5, 5]) == 0.0
    assert slope([6, 4, 2]) == -2.0
    assert slope([7]) == 0.0
    assert abs(slope([2, 2, 2, 2, 2, 2, 5]) - least_rising_slope(3, 7)) < 1e-12


def test_fewer_than_three_scores_are_never_a_trend() -> None:
    assert not rising_trend([0, 9], checkins=7, points=3, min_slope=0.1, gte=4)
    assert rising_trend([0, 5, 9], checkins=7, points=3, min_slope=0.1, gte=4)


def test_protocol_check_lists_the_trend_thresholds() -> None:
    for protocol in PROTOCOLS:
        text = describe_protocol(protocol)
        assert (
            "pain_trend URGENT when pain >= 4 and 3+ points above the lowest of the last 7 "
            "check-ins, rising 0.3+ points per check-in" in text
        )
