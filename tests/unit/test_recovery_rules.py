"""Triage rules: every rule of every protocol fires, plus hand-written seed red flags."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from recovery import (
    Assessment,
    Level,
    PastCheckIn,
    Procedure,
    Protocol,
    Rule,
    assess,
    load_protocols,
    red_flag_values,
)

PROTOCOLS = load_protocols()
AUG = PROTOCOLS.for_procedure(Procedure.VERTEBROPLASTY)
FUSION = PROTOCOLS.for_procedure(Procedure.FUSION)
AUGMENTATION = [Procedure.VERTEBROPLASTY, Procedure.KYPHOPLASTY]


def benign_answers(protocol: Protocol, day: int) -> dict[str, str]:
    """The first option of each of the day's questions that triggers nothing on its own."""
    answers: dict[str, str] = {}
    for question in protocol.questions_for(day):
        for option in question.options:
            if option.value == "unsure":
                continue
            single = {question.key: option.value}
            if assess(protocol, day, single, partial=True).level is Level.OK:
                answers[question.key] = option.value
                break
        assert question.key in answers, f"no benign answer for {question.key} on day {day}"
    return answers


def _active_day(protocol: Protocol, rule: Rule) -> int:
    cond = rule.condition
    day = 0 if cond.after_day is None else cond.after_day + 1
    if cond.kind == "pain_not_easing" and cond.day is not None:
        day = max(day, cond.day + 1)
    question = protocol.question(cond.question or "")
    if question is not None:
        day = max(day, question.days.start)
    return day


def trigger_cases(
    protocol: Protocol,
) -> Iterator[tuple[Rule, int, dict[str, str], list[PastCheckIn]]]:
    """Answers (and history) that should make each rule of a protocol fire."""
    for rule in protocol.rules:
        cond = rule.condition
        day = _active_day(protocol, rule)
        key = cond.question or ""
        if cond.kind == "answer" and cond.values:
            for value in sorted(cond.values):
                yield rule, day, {key: value}, []
        elif cond.kind == "answer":
            value = cond.gte if cond.gte is not None else cond.lte
            yield rule, day, {key: str(value)}, []
        elif cond.kind == "pain_trend":
            n, points = cond.checkins or 3, cond.points or 1
            end = max(cond.gte or 0, points)
            scores = [round(end - points + points * i / (n - 1)) for i in range(n)]
            history = [PastCheckIn(day + i, {key: str(p)}) for i, p in enumerate(scores[:-1])]
            yield rule, day + n - 1, {key: str(scores[-1])}, history
        elif cond.kind == "pain_jump":
            points = cond.points or 1
            yield rule, day + 1, {key: str(points)}, [PastCheckIn(day, {key: "0"})]
        elif cond.kind == "pain_not_easing":
            yield rule, day, {key: str(cond.gte)}, []
        else:
            yield rule, day, {}, []


CASES = [
    pytest.param(p, rule, day, answers, history, id=f"{p.family}-{rule.key}-{answers}")
    for p in PROTOCOLS.all()
    for rule, day, answers, history in trigger_cases(p)
]


@pytest.mark.parametrize(("protocol", "rule", "day", "answers", "history"), CASES)
def test_every_rule_fires_with_its_level_and_reason(
    protocol: Protocol, rule: Rule, day: int, answers: dict[str, str], history: list[PastCheckIn]
) -> None:
    partial = rule.condition.kind != "unclear"
    result = assess(protocol, day, answers, history, partial=partial)
    fired = {reason.key: reason for reason in result.reasons}
    assert rule.key in fired
    assert fired[rule.key].level is rule.level
    assert fired[rule.key].text == rule.reason
    assert fired[rule.key].source == rule.source
    assert result.level >= rule.level


def test_every_rule_has_a_trigger_case() -> None:
    covered = {(c.values[0].family, c.values[1].key) for c in CASES}
    assert covered == {(p.family, r.key) for p in PROTOCOLS.all() for r in p.rules}


# ---- Hand-written: the seed's "call your doctor right away" lists must stay URGENT ----------

AUG_RED_FLAGS = [
    ({"pain_worse": "yes"}, "pain_worse", "worse"),
    ({"pain": "8"}, "pain_severe", "bad"),
    ({"pain": "10"}, "pain_severe", "bad"),
    ({"fever": "yes"}, "fever", "fever"),
    ({"numbness": "yes"}, "numbness", "numbness, tingling or weakness"),
]

FUSION_RED_FLAGS = [
    ({"fever": "chills"}, "chills", "chills"),
    ({"fever": "fever"}, "fever", "fever"),
    ({"wound": "fluid"}, "wound_fluid", "fluid draining from the wound"),
    ({"wound": "red"}, "wound_red", "redness, pain or swelling around the wound"),
    ({"legs": "red"}, "leg_red", "redness or tenderness"),
    ({"legs": "swollen"}, "leg_swelling", "swelling in the calf, ankle or foot"),
]


@pytest.mark.parametrize("procedure", AUGMENTATION)
@pytest.mark.parametrize(("answers", "rule_key", "phrase"), AUG_RED_FLAGS)
@pytest.mark.parametrize("day", [0, 2, 10, 30, 42])
def test_augmentation_seed_red_flags_are_urgent(
    procedure: Procedure, answers: dict[str, str], rule_key: str, phrase: str, day: int
) -> None:
    protocol = PROTOCOLS.for_procedure(procedure)
    full = {**benign_answers(protocol, day), **answers}
    result = assess(protocol, day, full)
    assert result.level is Level.URGENT
    reason = next(r for r in result.reasons if r.key == rule_key)
    assert reason.level is Level.URGENT
    assert phrase in reason.text
    assert result.guidance[0] == protocol.action_text(Level.URGENT)
    assert "right away" in result.guidance[0]


@pytest.mark.parametrize(("answers", "rule_key", "phrase"), FUSION_RED_FLAGS)
@pytest.mark.parametrize("day", [1, 5, 14, 21])
def test_fusion_seed_red_flags_are_urgent(
    answers: dict[str, str], rule_key: str, phrase: str, day: int
) -> None:
    full = {**benign_answers(FUSION, day), **answers}
    result = assess(FUSION, day, full)
    assert result.level is Level.URGENT
    reason = next(r for r in result.reasons if r.key == rule_key)
    assert reason.level is Level.URGENT
    assert phrase in reason.text


@pytest.mark.parametrize(
    ("question", "value", "keys"),
    [("fever", "both", {"fever", "chills"}), ("wound", "both", {"wound_fluid", "wound_red"})]
    + [("legs", "several", {"leg_several"}), ("legs", "numb", {"leg_numb"})],
)
def test_fusion_combined_answer_names_each_sign(question: str, value: str, keys: set[str]) -> None:
    result = assess(FUSION, 3, {question: value}, partial=True)
    assert result.level is Level.URGENT
    assert {r.key for r in result.reasons} == keys


def test_fusion_leg_signs_stay_urgent_after_the_wound_heals() -> None:
    for day in (22, 42, 84):
        assert assess(FUSION, day, {"legs": "swollen"}, partial=True).level is Level.URGENT
        assert assess(FUSION, day, {"legs": "numb"}, partial=True).level is Level.URGENT
        assert assess(FUSION, day, {"fever": "chills"}, partial=True).level is Level.URGENT
        assert assess(FUSION, day, {"wound": "red"}, partial=True).level is Level.URGENT


@pytest.mark.parametrize("day", [2, 10, 30, 84])
@pytest.mark.parametrize("answers", [{"pain_worse": "yes"}, {"pain": "8"}, {"pain": "10"}])
def test_fusion_severe_or_worsening_pain_is_urgent(answers: dict[str, str], day: int) -> None:
    full = {**benign_answers(FUSION, day), **answers}
    result = assess(FUSION, day, full)
    assert result.level is Level.URGENT
    assert result.guidance[0] == FUSION.action_text(Level.URGENT)
    assert assess(FUSION, day, {**full, "pain": "7", "pain_worse": "no"}).level is Level.OK


@pytest.mark.parametrize("protocol", PROTOCOLS.all(), ids=lambda p: p.family)
@pytest.mark.parametrize("group", ["chest", "faint", "bladder", "legs", "drowsy"])
def test_emergency_groups_are_emergency_with_only_the_action_text(
    protocol: Protocol, group: str
) -> None:
    result = assess(protocol, 4, {"emergency": group}, partial=True)
    assert result.level is Level.EMERGENCY
    assert result.reasons[0].level is Level.EMERGENCY
    assert result.guidance == (protocol.action_text(Level.EMERGENCY),)
    assert "{emergency_number}" in result.guidance[0]
    assert "112 now" in result.guidance[0].format(emergency_number="112")


@pytest.mark.parametrize("protocol", PROTOCOLS.all(), ids=lambda p: p.family)
def test_unsure_on_the_emergency_screen_is_urgent(protocol: Protocol) -> None:
    result = assess(protocol, 4, {"emergency": "unsure"}, partial=True)
    assert result.level is Level.URGENT


def test_emergency_outranks_urgent_and_reasons_are_sorted() -> None:
    answers = {"emergency": "legs", "fever": "yes", "pain_med": "no_help"}
    result = assess(AUG, 5, answers, partial=True)
    assert result.level is Level.EMERGENCY
    assert [r.key for r in result.reasons] == ["emergency_legs", "fever", "pain_med_no_help"]
    ranks = [r.level.rank for r in result.reasons]
    assert ranks == sorted(ranks, reverse=True)


# ---- Missing, unsure and benign answers --------------------------------------------------


@pytest.mark.parametrize("protocol", PROTOCOLS.all(), ids=lambda p: p.family)
def test_benign_answers_give_ok_and_the_days_guidance(protocol: Protocol) -> None:
    for day in protocol.checkin_days():
        result = assess(protocol, day, benign_answers(protocol, day))
        assert result.level is Level.OK
        assert result.reasons == ()
        assert result.guidance == protocol.guidance_for(day)


@pytest.mark.parametrize("protocol", PROTOCOLS.all(), ids=lambda p: p.family)
def test_missing_answers_never_give_ok_at_the_end(protocol: Protocol) -> None:
    for day in protocol.checkin_days():
        assert assess(protocol, day, {}).level >= Level.ATTENTION
        result = assess(protocol, day, {}, partial=True)
        assert result.level is Level.OK
        benign = benign_answers(protocol, day)
        for key in benign:
            if key in {"brace", "activity"}:
                continue
            missing_one = {k: v for k, v in benign.items() if k != key}
            result = assess(protocol, day, missing_one)
            assert result.level >= Level.ATTENTION, (day, key)
            assert "unclear_answers" in {r.key for r in result.reasons}


@pytest.mark.parametrize("protocol", PROTOCOLS.all(), ids=lambda p: p.family)
@pytest.mark.parametrize("partial", [True, False])
def test_unsure_or_garbage_answers_never_give_ok(protocol: Protocol, partial: bool) -> None:
    for day in (1, 10, 20, 30):
        benign = benign_answers(protocol, day)
        for question in protocol.questions_for(day):
            for bad in ("unsure", "banana", ""):
                if bad == "unsure" and question.option("unsure") is None:
                    continue
                if question.key in {"brace", "activity"}:
                    continue
                result = assess(protocol, day, {**benign, question.key: bad}, partial=partial)
                assert result.level >= Level.ATTENTION, (day, question.key, bad)


def test_unknown_keys_are_ignored() -> None:
    answers = {**benign_answers(AUG, 2), "favourite_colour": "blue", "wound": "fluid"}
    assert assess(AUG, 2, answers).level is Level.OK


def test_attention_guidance_is_the_days_guidance() -> None:
    result = assess(AUG, 5, {**benign_answers(AUG, 5), "pain_med": "no_help"})
    assert result.level is Level.ATTENTION
    assert result.guidance == AUG.guidance_for(5)
    assert "soon" in AUG.action_text(Level.ATTENTION)


def test_red_flags_outside_their_asking_days_still_count() -> None:
    assert assess(FUSION, 30, {"wound": "fluid"}, partial=True).level is Level.URGENT


def test_red_flag_values_lists_the_seed_signs() -> None:
    aug = red_flag_values(AUG, 2)
    assert aug["fever"] == {"yes"}
    assert aug["numbness"] == {"yes"}
    assert aug["pain_worse"] == {"yes"}
    assert aug["pain"] == {"8", "9", "10"}
    fusion = red_flag_values(FUSION, 2)
    assert fusion["wound"] == {"fluid", "red", "both"}
    assert red_flag_values(FUSION, 84)["wound"] == {"fluid", "red", "both"}
    assert fusion["legs"] == {"red", "swollen", "numb", "several"}
    assert fusion["pain"] == {"8", "9", "10"}
    assert fusion["pain_worse"] == {"yes"}


# ---- History ----------------------------------------------------------------------------


def _history(*pains: tuple[int, int]) -> list[PastCheckIn]:
    return [PastCheckIn(day, {"pain": str(pain)}) for day, pain in pains]


def _keys(protocol: Protocol, day: int, pain: int, history: list[PastCheckIn]) -> set[str]:
    answers = {**benign_answers(protocol, day), "pain": str(pain)}
    return {r.key for r in assess(protocol, day, answers, history).reasons}


SLOW_WORSENING = (2, 3, 3, 4, 4, 5, 5, 6)


def _course(protocol: Protocol, scores: tuple[int, ...], first_day: int) -> list[Assessment]:
    """The assessment of each check-in of a pain course, on consecutive days from ``first_day``."""
    results = []
    for i, pain in enumerate(scores):
        day = first_day + i
        history = _history(*((first_day + j, p) for j, p in enumerate(scores[:i])))
        answers = {**benign_answers(protocol, day), "pain": str(pain)}
        results.append(assess(protocol, day, answers, history))
    return results


@pytest.mark.parametrize("protocol", PROTOCOLS.all(), ids=lambda p: p.family)
def test_slow_worsening_is_urgent_once_pain_reaches_five(protocol: Protocol) -> None:
    # days 8-15: past the expected easing, daily check-ins in both protocols
    results = _course(protocol, SLOW_WORSENING, 8)
    flagged = ["pain_trend" in {r.key for r in result.reasons} for result in results]
    assert flagged == [False] * 5 + [True] * 3  # from the first 5 on, at every check-in
    for result in results[5:]:
        assert result.level is Level.URGENT
        assert result.guidance[0] == protocol.action_text(Level.URGENT)


@pytest.mark.parametrize("protocol", PROTOCOLS.all(), ids=lambda p: p.family)
@pytest.mark.parametrize(
    "scores",
    [(0, 1, 2), (1, 2, 3), (0, 1, 2, 3), (3, 2, 3, 2, 3, 2), (4, 5, 4, 5, 4, 5, 4), (6, 5, 4, 5, 3)]
    + [(5, 5, 2, 5, 5, 5)],
)
def test_low_noisy_falling_or_returning_pain_is_not_a_trend(
    protocol: Protocol, scores: tuple[int, ...]
) -> None:
    for result in _course(protocol, scores, 8):
        assert "pain_trend" not in {r.key for r in result.reasons}
        if max(scores) <= 3:
            assert result.level is Level.OK


def test_trend_skips_checkins_without_a_pain_answer() -> None:
    history = [*_history((1, 1), (2, 2)), PastCheckIn(3, {"fever": "no"}), *_history((4, 3))]
    assert "pain_trend" in _keys(AUG, 5, 4, history)
    assert "pain_trend" not in _keys(AUG, 5, 4, [PastCheckIn(3, {"fever": "no"}), *history[3:]])


def test_trend_looks_only_at_the_last_seven_checkins() -> None:
    history = _history((1, 0), (2, 3), (3, 3), (4, 3), (5, 3), (6, 3), (7, 3))
    assert "pain_trend" not in _keys(AUG, 8, 4, history)  # the 0 is the 8th check-in back
    assert "pain_trend" in _keys(AUG, 7, 4, history[:6])


def test_a_jump_of_several_points_is_flagged() -> None:
    assert "pain_jump" in _keys(AUG, 2, 5, _history((1, 2)))
    assert "pain_jump" not in _keys(AUG, 2, 4, _history((1, 2)))
    aug = assess(AUG, 2, {**benign_answers(AUG, 2), "pain": "6"}, _history((1, 2)))
    assert aug.level is Level.URGENT
    fusion = assess(FUSION, 9, {**benign_answers(FUSION, 9), "pain": "6"}, _history((8, 2)))
    assert fusion.level is Level.URGENT  # a 3-point jump is urgent after fusion too (#13)


def test_jump_compares_with_the_latest_earlier_checkin_only() -> None:
    assert "pain_jump" not in _keys(AUG, 5, 5, _history((1, 0), (4, 4)))
    # check-ins of the same or later days are not "earlier"
    assert "pain_jump" not in _keys(AUG, 5, 5, _history((5, 0), (6, 0)))
    # unordered history is put in day order
    assert "pain_jump" in _keys(AUG, 5, 5, [*_history((4, 1)), *_history((1, 5))])


@pytest.mark.parametrize(
    ("day", "pain", "expected"),
    [(1, 7, Level.OK), (2, 7, Level.OK), (3, 7, Level.OK), (4, 5, Level.ATTENTION)]
    + [(4, 4, Level.OK), (10, 6, Level.ATTENTION), (10, 8, Level.URGENT)],
)
def test_augmentation_pain_not_easing_after_day_three(day: int, pain: int, expected: Level) -> None:
    answers = {**benign_answers(AUG, day), "pain": str(pain)}
    assert assess(AUG, day, answers).level is expected


def test_augmentation_pain_not_eased_answer_counts_only_after_day_three() -> None:
    assert assess(AUG, 2, {**benign_answers(AUG, 2), "pain_eased": "no"}).level is Level.OK
    late = assess(AUG, 4, {**benign_answers(AUG, 4), "pain_eased": "no"})
    assert late.level is Level.ATTENTION
    assert [r.key for r in late.reasons] == ["pain_not_eased"]
