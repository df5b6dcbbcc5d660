"""Property tests of triage: red flags are never missed, OK is clean, assess is total."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from recovery import Level, PastCheckIn, Protocol, assess, load_protocols, red_flag_values

PROTOCOLS = load_protocols().all()
SETTINGS = settings(max_examples=150, deadline=None)
DAYS = st.integers(min_value=0, max_value=120)
GARBAGE = st.one_of(
    st.text(max_size=8), st.none(), st.integers(), st.floats(allow_nan=True), st.just("unsure")
)


@st.composite
def answers_for(draw: st.DrawFn, protocol: Protocol, day: int) -> dict[str, str]:
    """Valid answers to a random subset of the day's questions."""
    answers: dict[str, str] = {}
    for question in protocol.questions_for(day):
        if draw(st.booleans()):
            answers[question.key] = draw(st.sampled_from([o.value for o in question.options]))
    return answers


@st.composite
def history_for(draw: st.DrawFn, protocol: Protocol, day: int) -> list[PastCheckIn]:
    days = draw(st.lists(st.integers(min_value=0, max_value=max(day, 0) + 3), max_size=6))
    return [PastCheckIn(d, draw(answers_for(protocol, d))) for d in sorted(days)]


@st.composite
def checkins(draw: st.DrawFn) -> tuple[Protocol, int, dict[str, str], list[PastCheckIn]]:
    protocol = draw(st.sampled_from(PROTOCOLS))
    day = draw(DAYS)
    return protocol, day, draw(answers_for(protocol, day)), draw(history_for(protocol, day))


@SETTINGS
@given(data=st.data(), base=checkins(), partial=st.booleans())
def test_a_red_flag_is_always_at_least_urgent(
    data: st.DataObject,
    base: tuple[Protocol, int, dict[str, str], list[PastCheckIn]],
    partial: bool,
) -> None:
    protocol, day, answers, history = base
    flags = red_flag_values(protocol, day)
    key = data.draw(st.sampled_from(sorted(flags)))
    value = data.draw(st.sampled_from(sorted(flags[key])))
    result = assess(protocol, day, {**answers, key: value}, history, partial=partial)
    assert result.level >= Level.URGENT
    assert result.reasons[0].level >= Level.URGENT
    assert result.guidance[0] == protocol.action_text(result.level)


@SETTINGS
@given(base=checkins(), partial=st.booleans())
def test_ok_has_no_reasons_and_no_red_flag_answer(
    base: tuple[Protocol, int, dict[str, str], list[PastCheckIn]], partial: bool
) -> None:
    protocol, day, answers, history = base
    result = assess(protocol, day, answers, history, partial=partial)
    assert result.level is Level.max(*(r.level for r in result.reasons))
    ranks = [r.level.rank for r in result.reasons]
    assert ranks == sorted(ranks, reverse=True)
    if result.level is Level.OK:
        assert result.reasons == ()
        assert result.guidance == protocol.guidance_for(day)
        flags = red_flag_values(protocol, day)
        assert not any(answers.get(k) in values for k, values in flags.items())
        read = {r.condition.question for r in protocol.rules}
        asked = {q.key for q in protocol.questions_for(day)}
        assert all(answers.get(key) != "unsure" for key in read & asked)


@SETTINGS
@given(
    protocol=st.sampled_from(PROTOCOLS),
    day=st.integers(min_value=-5, max_value=400),
    partial=st.booleans(),
    data=st.data(),
)
def test_assess_is_total_and_deterministic(
    protocol: Protocol, day: int, partial: bool, data: st.DataObject
) -> None:
    keys = st.one_of(st.sampled_from([q.key for q in protocol.questions]), st.text(max_size=6))
    answers: dict[Any, Any] = data.draw(st.dictionaries(keys, GARBAGE, max_size=10))
    if data.draw(st.booleans()):
        answers[3] = "yes"  # a non-string key
    history = [
        PastCheckIn(data.draw(st.integers(-5, 400)), data.draw(st.dictionaries(keys, GARBAGE)))
        for _ in range(data.draw(st.integers(0, 4)))
    ]
    first = assess(protocol, day, answers, history, partial=partial)
    second = assess(protocol, day, dict(answers), list(history), partial=partial)
    assert first == second
    assert isinstance(first.level, Level)
    assert all(isinstance(text, str) for text in first.guidance)


@SETTINGS
@given(base=checkins())
def test_partial_never_reports_more_than_the_full_assessment(
    base: tuple[Protocol, int, dict[str, str], list[PastCheckIn]],
) -> None:
    protocol, day, answers, history = base
    partial = assess(protocol, day, answers, history, partial=True)
    full = assess(protocol, day, answers, history)
    assert partial.level <= full.level
    assert {r.key for r in partial.reasons} <= {r.key for r in full.reasons}
