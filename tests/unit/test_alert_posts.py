"""Care-team posts a nurse reads in five seconds: every alert kind of both protocols fits in
500 characters, with its level, patient, state, findings and the answers that matter."""

from __future__ import annotations

import dataclasses

import pytest

from recovery import Level, Protocol, QuestionKind, Rule, load_protocols
from views.alerts import POST_LIMIT, AlertView, alert_for_care_team, answers_that_matter
from views.care_team.alert_list import ACK_LABEL_MAX, ack_label
from views.i18n import translator

PROTOCOLS = load_protocols().all()
EN = translator("en")
LONGEST_NAME = "N" * 64  # names are stored up to 64 characters
ACKED = f"{LONGEST_NAME[:23]}… at 09:31 CEST"  # acknowledged_label cuts names to 24
OUTCOME = "advised urgent care / ED · 09:42 CEST"


def firing_answers(protocol: Protocol, rules: list[Rule]) -> dict[str, str]:
    """Answers that make these rules fire (the worst answer to every question otherwise)."""
    answers: dict[str, str] = {}
    for question in protocol.questions:
        if question.kind is QuestionKind.SCALE:
            answers[question.key] = "10"
    for rule in rules:
        condition = rule.condition
        if condition.question and condition.values:
            answers[condition.question] = sorted(condition.values)[0]
    return answers


def view_of(protocol: Protocol, rules: list[Rule]) -> AlertView:
    answers = firing_answers(protocol, rules)
    return AlertView(
        alert_id=2**40,
        patient_ref="P-123456",
        patient_name=LONGEST_NAME,
        procedure=protocol.procedures[0],
        day=41,
        level=Level.max(*(r.level for r in rules)),
        reasons=tuple(r.reason for r in rules),
        answers=answers_that_matter(protocol, [r.key for r in rules], answers, set(answers)),
        reported_again="14:05 CEST (12 reports)",
    )


def kinds(protocol: Protocol) -> list[tuple[str, AlertView]]:
    """One view per alert kind: each rule alone; a day's red flags at once (every urgent rule
    and the longest emergency sign); and every rule of the file on one alert."""
    alone = [(rule.key, view_of(protocol, [rule])) for rule in protocol.rules]
    urgent = [r for r in protocol.rules if r.level is Level.URGENT]
    worst = max(
        (r for r in protocol.rules if r.level is Level.EMERGENCY), key=lambda r: len(r.reason)
    )
    return [
        *alone,
        ("day", view_of(protocol, [worst, *urgent])),
        ("everything", view_of(protocol, list(protocol.rules))),
    ]


CASES = [(p.family, key, view) for p in PROTOCOLS for key, view in kinds(p)]


@pytest.mark.parametrize(("family", "kind", "view"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
@pytest.mark.parametrize("state", ["open", "escalated", "acknowledged"])
def test_every_alert_post_fits_in_500_characters_and_leads_with_what_matters(
    family: str, kind: str, view: AlertView, state: str
) -> None:
    if state == "escalated":
        view = dataclasses.replace(view, escalation=9)
    if state == "acknowledged":
        view = dataclasses.replace(view, outcome=OUTCOME)
    message = alert_for_care_team(view, EN, ACKED if state == "acknowledged" else None)
    text = message.text

    assert len(text) <= POST_LIMIT
    head, status = text.splitlines()[:2]
    assert head.startswith(("🚨 EMERGENCY", "⚠️ URGENT", "🟡 REVIEW TODAY"))
    assert f"P-123456 ({LONGEST_NAME[:23]}…)" in head
    assert f"{view.procedure} day 41" in head
    if state == "acknowledged":
        assert status == f"✔ Acknowledged by {ACKED}"
        assert f"✔ Outcome: {OUTCOME}" in text
    else:
        assert status.startswith("⏳ Not acknowledged")
        assert ("reminder 9" in status) == (state == "escalated")
    clauses = [reason.split(", ")[0].split(" (")[0] for reason in view.reasons]
    shown = [clause for clause in clauses if clause in text]
    if kind in ("day", "everything"):  # the rest are counted, none silently dropped
        assert shown[:3] == clauses[:3]  # the emergency sign comes first
        assert shown == clauses or f"+{len(clauses) - len(shown)} more" in text
        assert "more in /patient P-123456" in text
    else:  # each finding, at least its first clause
        assert shown == clauses
    assert "Do you have" not in text  # no question quoted word for word


def test_the_answers_shown_are_those_behind_the_findings_with_new_ones_marked() -> None:
    fusion = next(p for p in PROTOCOLS if p.family == "fusion")
    answers = {"emergency": "none", "pain": "4", "fever": "no", "wound": "fluid", "brace": "yes"}
    lines = answers_that_matter(fusion, ["wound_fluid"], answers, {"wound"})
    view = dataclasses.replace(view_of(fusion, [fusion.rules[0]]), answers=lines)

    text = alert_for_care_team(view, EN).text

    assert "• wound: Fluid coming out 🆕" in text
    assert "• pain: 4" in text
    assert "emergency signs" not in text  # "None of these" explains nothing
    assert "brace" not in text
    assert "fever" not in text


def test_the_longest_post_of_each_protocol_fits_and_is_reported() -> None:
    """Every kind, open and acknowledged with an outcome; run with -s to see the figures."""
    for protocol in PROTOCOLS:
        lengths = {}
        for kind, view in kinds(protocol):
            lengths[f"{kind}/open"] = len(alert_for_care_team(view, EN).text)
            done = dataclasses.replace(view, outcome=OUTCOME)
            lengths[f"{kind}/acknowledged"] = len(alert_for_care_team(done, EN, ACKED).text)
        worst = max(lengths, key=lengths.__getitem__)
        alone = max(v for k, v in lengths.items() if not k.startswith(("day/", "everything/")))
        print(f"{protocol.family}: longest {lengths[worst]} ({worst}), one rule {alone}")  # noqa: T201
        assert lengths[worst] <= POST_LIMIT


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=[p.family for p in PROTOCOLS])
def test_alert_list_buttons_name_the_patient_and_the_finding_in_32_characters(
    protocol: Protocol,
) -> None:
    for rule in protocol.rules:
        label = ack_label("P-123456", [rule.reason, "a fever"], EN)
        assert len(label) <= ACK_LABEL_MAX
        assert label.startswith("Ack P-123456 · ")
        assert label.endswith(" +1")
    assert ack_label("P-0002", ["a fever"], EN) == "Ack P-0002 · fever"
    assert ack_label("P-0002", ["loss of bladder or bowel control, or numbness"], EN) == (
        "Ack P-0002 · loss of bladder or…"
    )
