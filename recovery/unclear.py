"""Unclear answers to warning-sign questions, pure: what must reach the care team the same day.

A warning-sign (red-flag) question is one whose answer an urgent or emergency rule reads (trend
rules over several check-ins do not make a question one). When such a
question was answered "Not sure", or was never answered before the check-in closed, nobody
knows whether the sign is there; the bot must not wait for tomorrow's digest to say so
(DESIGN.md, safety rules). "Not sure" answers that a rule already raises (the emergency
screen's "Not sure" is urgent) are left to that rule.
"""

from __future__ import annotations

from collections.abc import Mapping

from recovery.protocol import Protocol
from recovery.triage import UNSURE
from recovery.types import Level, Reason

__all__ = ["UNCLEAR_PREFIX", "UNCLEAR_RED_FLAG", "unclear_red_flags", "unclear_rule_keys"]

UNCLEAR_RED_FLAG = "unclear_red_flag"  # the reason key
UNCLEAR_PREFIX = "not sure or no answer about: "  # the reason text, then the signs


def unclear_red_flags(
    protocol: Protocol, post_op_day: int, answers: Mapping[str, str], *, closed: bool
) -> Reason | None:
    """The warning signs of the day that were left unclear, as one reason (or None).

    Args:
        protocol: The patient's protocol.
        post_op_day: The check-in's post-operative day.
        answers: Question key -> option value given.
        closed: True once the check-in has ended (finished, missed or closed): an unanswered
            warning-sign question then counts as unclear.

    Returns:
        An ATTENTION reason naming the signs (the phrases of the rules that read the unclear
        questions), citing the protocol's unclear-answers rule; None when every warning-sign
        question has a clear answer.
    """
    signs: list[str] = []
    source = next((r.source for r in protocol.rules if r.condition.kind == "unclear"), "")
    for question in protocol.questions_for(post_op_day):
        rules = [
            r
            for r in protocol.rules
            if r.condition.kind == "answer"
            and r.condition.question == question.key
            and r.level >= Level.URGENT
        ]
        if not rules:
            continue
        value = answers.get(question.key)
        if value is None and not closed:
            continue
        handled = any(UNSURE in r.condition.values for r in rules)
        if value is None or question.option(value) is None or (value == UNSURE and not handled):
            signs += [r.reason for r in rules if r.reason not in signs]
    if not signs:
        return None
    return Reason(
        key=UNCLEAR_RED_FLAG,
        level=Level.ATTENTION,
        text=UNCLEAR_PREFIX + ", ".join(signs),
        source=source,
    )


def unclear_rule_keys(protocol: Protocol, text: str) -> tuple[str, ...] | None:
    """The rules whose signs a stored unclear reason names, to show it in another language.

    The stored text is :data:`UNCLEAR_PREFIX` and the rules' English phrases joined by ", "
    (a phrase may hold a comma itself, so the phrases are matched, longest first).

    Args:
        protocol: The protocol that wrote the reason (its own, English, texts).
        text: The stored reason text.

    Returns:
        The rule keys in the order named; None when the text is not such a reason of this
        protocol (another file version, or edited phrases).
    """
    if not text.startswith(UNCLEAR_PREFIX):
        return None
    rest = text[len(UNCLEAR_PREFIX) :]
    phrases = sorted(
        {r.reason: r.key for r in protocol.rules if r.condition.kind == "answer"}.items(),
        key=lambda item: -len(item[0]),
    )
    keys: list[str] = []
    while rest:
        found = next(
            (
                (phrase, key)
                for phrase, key in phrases
                if rest == phrase or rest.startswith(phrase + ", ")
            ),
            None,
        )
        if found is None:
            return None
        keys.append(found[1])
        rest = rest[len(found[0]) + 2 :]
    return tuple(keys) or None
