"""Unclear answers to warning-sign questions are found for the same-day care-team post."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recovery import Level, Procedure, ProtocolSet, load_protocols, unclear_red_flags
from tests.support.answers import BENIGN, FUSION_BENIGN

DAY = 5


def _clear_answers(protocols: ProtocolSet, procedure: Procedure) -> dict[str, str]:
    protocol = protocols.for_procedure(procedure)
    benign = FUSION_BENIGN if procedure is Procedure.FUSION else BENIGN
    answers = {}
    for question in protocol.questions_for(DAY):
        label = next(v for k, v in benign.items() if k.lower() in question.text.lower())
        answers[question.key] = next(o.value for o in question.options if o.label == label)
    return answers


@pytest.mark.parametrize("procedure", list(Procedure))
def test_clear_answers_raise_nothing(protocols: ProtocolSet, procedure: Procedure) -> None:
    protocol = protocols.for_procedure(procedure)
    answers = _clear_answers(protocols, procedure)
    assert unclear_red_flags(protocol, DAY, answers, closed=True) is None


def test_not_sure_to_fever_is_named(protocols: ProtocolSet) -> None:
    protocol = protocols.for_procedure(Procedure.KYPHOPLASTY)
    answers = {"emergency": "none", "fever": "unsure"}
    reason = unclear_red_flags(protocol, DAY, answers, closed=False)
    assert reason is not None
    assert reason.level is Level.ATTENTION
    assert "fever" in reason.text
    assert "numbness" not in reason.text  # not asked yet, and the check-in is still open


def test_a_closed_check_in_counts_unasked_warning_signs(protocols: ProtocolSet) -> None:
    protocol = protocols.for_procedure(Procedure.FUSION)
    reason = unclear_red_flags(protocol, DAY, {"emergency": "none"}, closed=True)
    assert reason is not None
    for sign in ("fever", "wound", "calf"):
        assert sign in reason.text


def test_an_unsure_that_a_rule_raises_is_left_to_that_rule(protocols: ProtocolSet) -> None:
    protocol = protocols.for_procedure(Procedure.VERTEBROPLASTY)
    assert unclear_red_flags(protocol, DAY, {"emergency": "unsure"}, closed=False) is None


@given(question=st.sampled_from(["fever", "numbness", "pain_worse"]), closed=st.booleans())
def test_any_unsure_warning_sign_is_never_left_clear(question: str, closed: bool) -> None:
    protocol = load_protocols().for_procedure(Procedure.KYPHOPLASTY)
    reason = unclear_red_flags(
        protocol, DAY, {"emergency": "none", question: "unsure"}, closed=closed
    )
    assert reason is not None
    assert reason.level is Level.ATTENTION
