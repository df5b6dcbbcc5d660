"""Triage: turn a check-in's answers (and earlier check-ins) into a level, reasons and guidance.

Pure and total: ``assess`` never raises for any answers mapping and any day.

How answers are read:
- ``answers`` maps a question key to an option value (pain "0".."10", "yes", "no", "unsure"...).
- Keys that are not questions of the protocol are ignored.
- A known question answered with a value that is not one of its options (or not a string) is
  *unclear*, like "unsure".
- Answer rules fire on any known question's valid answer, even on a day the question is not
  asked: a reported warning sign is never dropped. ``after_day`` limits a rule to later days.
- The ``unclear_answers`` rule looks at the day's questions that some rule reads. It fires when
  one of them is unclear, answered "unsure" (unless another rule handles "unsure" for that
  question, as for the emergency screen), or missing. Missing answers count only when
  ``partial`` is False: during a check-in call ``assess(..., partial=True)`` after each answer
  to react at once to a warning sign, and ``partial=False`` when the check-in ends.
- History (``PastCheckIn``) is used for the pain trend rules; only check-ins from earlier days
  count, in day order, and check-ins without a valid pain answer are skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from recovery.protocol import Protocol
from recovery.trend import rising_trend
from recovery.types import Assessment, Condition, Level, PastCheckIn, QuestionKind, Reason, Rule

__all__ = ["UNSURE", "assess", "red_flag_values"]

UNSURE = "unsure"


def assess(
    protocol: Protocol,
    post_op_day: int,
    answers: Mapping[str, str],
    history: Sequence[PastCheckIn] = (),
    *,
    partial: bool = False,
) -> Assessment:
    """Triage a check-in.

    Args:
        protocol: The patient's protocol.
        post_op_day: Days since surgery (day of surgery = 0).
        answers: Question key -> option value given so far.
        history: Earlier check-ins, oldest first (completed or partial).
        partial: True while the check-in is still in progress: missing answers are not held
            against it (unsure and unclear answers still are).

    Returns:
        The most severe level of the rules that fired (OK when none did), their reasons sorted
        by level (most severe first) then rule order, and the texts to show: the day's guidance
        for OK and ATTENTION; the urgent action text then the guidance for URGENT; only the
        emergency action text (with ``{emergency_number}`` still to format) for EMERGENCY.
    """
    given = _clean(answers)
    past = _clean_history(history, post_op_day)
    fired = [
        rule for rule in protocol.rules if _fires(protocol, rule, post_op_day, given, past, partial)
    ]
    reasons = tuple(
        sorted(
            (Reason(r.key, r.level, r.reason, r.source) for r in fired),
            key=lambda reason: -reason.level.rank,
        )
    )
    level = Level.max(*(reason.level for reason in reasons))
    guidance = protocol.guidance_for(post_op_day)
    if level is Level.EMERGENCY:
        guidance = (protocol.action_text(level),)
    elif level is Level.URGENT:
        guidance = (protocol.action_text(level), *guidance)
    return Assessment(level=level, reasons=reasons, guidance=guidance)


def red_flag_values(protocol: Protocol, post_op_day: int) -> Mapping[str, frozenset[str]]:
    """List the answers that are red flags (URGENT or EMERGENCY on their own) on a day.

    Only single-answer rules of the day's questions are listed; trend rules depend on history.

    Args:
        protocol: A protocol.
        post_op_day: Days since surgery.

    Returns:
        Question key -> the option values that make the check-in at least URGENT.
    """
    flags: dict[str, set[str]] = {}
    for question in protocol.questions_for(post_op_day):
        for rule in protocol.rules:
            cond = rule.condition
            if rule.level < Level.URGENT or cond.kind != "answer" or cond.question != question.key:
                continue
            if not _after(cond, post_op_day):
                continue
            for option in question.options:
                if _matches(cond, option.value):
                    flags.setdefault(question.key, set()).add(option.value)
    return {key: frozenset(values) for key, values in flags.items()}


def _clean(answers: object) -> dict[str, object]:
    if not isinstance(answers, Mapping):
        return {}
    return {key: value for key, value in answers.items() if isinstance(key, str)}


def _clean_history(history: object, day: int) -> list[dict[str, object]]:
    if not isinstance(history, Sequence):
        return []
    earlier = [h for h in history if isinstance(h, PastCheckIn) and isinstance(h.post_op_day, int)]
    earlier = [h for h in earlier if h.post_op_day < day]
    return [_clean(h.answers) for h in sorted(earlier, key=lambda h: h.post_op_day)]


def _after(cond: Condition, day: int) -> bool:
    return cond.after_day is None or day > cond.after_day


def _matches(cond: Condition, value: str) -> bool:
    if cond.values:
        return value in cond.values
    if not value.isdigit():
        return False
    number = int(value)
    if cond.gte is not None and number < cond.gte:
        return False
    return not (cond.lte is not None and number > cond.lte)


def _valid(protocol: Protocol, key: str | None, answers: Mapping[str, object]) -> str | None:
    question = protocol.question(key or "")
    value = answers.get(key or "")
    if question is None or not isinstance(value, str) or question.option(value) is None:
        return None
    return value


def _pain(protocol: Protocol, key: str | None, answers: Mapping[str, object]) -> int | None:
    value = _valid(protocol, key, answers)
    question = protocol.question(key or "")
    if value is None or question is None or question.kind is not QuestionKind.SCALE:
        return None
    return int(value)


def _fires(
    protocol: Protocol,
    rule: Rule,
    day: int,
    answers: Mapping[str, object],
    past: list[dict[str, object]],
    partial: bool,
) -> bool:
    cond = rule.condition
    if not _after(cond, day):
        return False
    if cond.kind == "unclear":
        return _unclear(protocol, day, answers, partial)
    if cond.kind == "answer":
        value = _valid(protocol, cond.question, answers)
        return value is not None and _matches(cond, value)
    today = _pain(protocol, cond.question, answers)
    if today is None:
        return False
    earlier = [p for p in (_pain(protocol, cond.question, a) for a in past) if p is not None]
    if cond.kind == "pain_not_easing":
        return (
            cond.day is not None and cond.gte is not None and day > cond.day and today >= cond.gte
        )
    if cond.kind == "pain_jump":
        return bool(earlier) and cond.points is not None and today - earlier[-1] >= cond.points
    if cond.kind == "pain_trend":
        return _trend(cond, [*earlier, today])
    return False


def _trend(cond: Condition, scores: list[int]) -> bool:
    if cond.checkins is None or cond.points is None or cond.min_slope is None:
        return False
    return rising_trend(
        scores,
        checkins=cond.checkins,
        points=cond.points,
        min_slope=cond.min_slope,
        gte=cond.gte if cond.gte is not None else 0,
    )


def _unclear(protocol: Protocol, day: int, answers: Mapping[str, object], partial: bool) -> bool:
    read = _read_questions(protocol)
    for question in protocol.questions_for(day):
        if question.key not in read:
            continue
        if question.key not in answers:
            if not partial:
                return True
            continue
        value = answers[question.key]
        if not isinstance(value, str) or question.option(value) is None:
            return True
        if value == UNSURE and not _unsure_handled(protocol, question.key):
            return True
    return False


def _read_questions(protocol: Protocol) -> set[str]:
    return {r.condition.question for r in protocol.rules if r.condition.question is not None}


def _unsure_handled(protocol: Protocol, key: str) -> bool:
    return any(
        r.condition.kind == "answer"
        and r.condition.question == key
        and UNSURE in r.condition.values
        for r in protocol.rules
    )
