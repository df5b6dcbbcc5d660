"""The Protocol page's data: every built-in protocol as plain values, checked against the files."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlalchemy.ext.asyncio import async_sessionmaker

from recovery import Level, Procedure, ProtocolSet, Rule, load_protocols
from recovery.approval import approve_file
from recovery.floor import FLOOR_FILE
from recovery.loader import PROTOCOLS_DIR
from recovery.types import Condition
from services.care_team import ProtocolSummary, protocol_summaries, summarize_protocol
from services.context import Services


@pytest.fixture(scope="module")
def summaries() -> dict[str, ProtocolSummary]:
    services = Services(session_factory=async_sessionmaker(), protocols=load_protocols())
    return {s.family: s for s in protocol_summaries(services)}


def test_one_summary_per_loaded_protocol_covering_every_procedure(
    summaries: dict[str, ProtocolSummary],
) -> None:
    assert list(summaries) == ["augmentation", "fusion"]
    covered = sorted(p for s in summaries.values() for p in s.procedures)
    assert covered == sorted(str(p) for p in Procedure)


def test_the_fusion_protocols_version_file_and_hash_match_the_file(
    summaries: dict[str, ProtocolSummary], protocols: ProtocolSet
) -> None:
    fusion = summaries["fusion"]
    path = PROTOCOLS_DIR / "fusion.yaml"
    loaded = protocols.for_procedure(Procedure.FUSION)
    assert fusion.sha256 == hashlib.sha256(path.read_bytes()).hexdigest() == loaded.content_hash
    assert fusion.version == yaml.safe_load(path.read_text())["version"] == loaded.version
    assert (fusion.file, fusion.procedures, fusion.recovery_window_days) == (
        "fusion.yaml",
        ("fusion",),
        84,
    )


def test_built_in_protocols_are_drafts_without_a_reviewer(
    summaries: dict[str, ProtocolSummary],
) -> None:
    for summary in summaries.values():
        assert (summary.status, summary.sign_off, summary.reviewer, summary.reviewed_on) == (
            "draft",
            "draft",
            None,
            None,
        )
        assert summary.note.startswith("draft")


def test_an_approved_file_names_its_reviewer_and_an_edit_makes_it_a_draft_again(
    tmp_path: Path,
) -> None:
    for path in PROTOCOLS_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    approve_file(tmp_path / "fusion.yaml", "Dr Lee", date(2026, 3, 1))
    fusion = summarize_protocol(load_protocols(tmp_path).for_procedure(Procedure.FUSION))
    assert (fusion.status, fusion.reviewer, fusion.reviewed_on) == (
        "approved",
        "Dr Lee",
        date(2026, 3, 1),
    )
    assert fusion.sign_off == "approved by Dr Lee on 2026-03-01"
    with (tmp_path / "fusion.yaml").open("a") as file:
        file.write("# a comment\n")
    edited = summarize_protocol(load_protocols(tmp_path).for_procedure(Procedure.FUSION))
    assert (edited.status, edited.reviewer) == ("draft", "Dr Lee")
    assert edited.sign_off.startswith("draft (edited after approval")


def test_every_rule_has_a_level_a_reason_and_a_cited_source(
    summaries: dict[str, ProtocolSummary],
) -> None:
    for summary in summaries.values():
        listed = {s.id for s in summary.sources}
        assert summary.rules
        for rule in summary.rules:
            assert rule.level in (Level.ATTENTION, Level.URGENT, Level.EMERGENCY)
            assert rule.reason.strip()
            assert rule.trigger.strip()
            assert rule.source.id in listed
            assert rule.source.title
            assert rule.source.url or rule.source.citation


def test_rules_say_what_triggers_them(summaries: dict[str, ProtocolSummary]) -> None:
    rules = {r.key: r for r in summaries["fusion"].rules}
    assert (rules["emergency_chest"].trigger, rules["emergency_chest"].level) == (
        "emergency in [chest]",
        Level.EMERGENCY,
    )
    assert rules["emergency_chest"].question == "emergency"
    assert rules["emergency_chest"].source.id == "nhs_pe"
    unclear = [r for r in summaries["fusion"].rules if r.question is None]
    assert len(unclear) == 1
    assert "unsure" in unclear[0].trigger


def test_questions_carry_short_labels_options_and_the_days_they_are_asked(
    summaries: dict[str, ProtocolSummary],
) -> None:
    for summary in summaries.values():
        screens = [q for q in summary.questions if q.emergency_screen]
        assert len(screens) == 1
        assert screens[0].asked_on == summary.checkin_days  # every check-in day
        for question in summary.questions:
            assert question.short
            assert question.text
            assert question.options
            assert set(question.asked_on) <= set(summary.checkin_days)
            assert all(question.first_day <= d for d in question.asked_on)
            assert question.source.id in {s.id for s in summary.sources}
    wound = next(q for q in summaries["fusion"].questions if q.key == "wound")
    assert wound.short == "wound"
    assert ("fluid", "Fluid coming out") in [(o.value, o.label) for o in wound.options]


def test_the_safety_floor_lists_the_seeds_red_flags_with_the_rules_that_keep_them(
    summaries: dict[str, ProtocolSummary],
) -> None:
    floor = yaml.safe_load(FLOOR_FILE.read_text())
    for summary in summaries.values():
        expected = [item["key"] for item in floor["procedures"][summary.procedures[0]]]
        assert [f.key for f in summary.floor] == expected
        rules = {r.key: r for r in summary.rules}
        for item in summary.floor:
            assert item.sign
            assert item.triggers
            assert item.rules, item.key
            assert all(rules[key].level >= Level.URGENT for key in item.rules)
            assert item.source.id == "seed_webmd"
            assert item.source.url
    back = next(f for f in summaries["augmentation"].floor if f.key == "bad_back_pain")
    assert back.triggers == ("pain_worse in [yes]", "pain >= 8")
    assert "pain_severe" in back.rules


def test_a_rule_below_urgent_does_not_count_as_keeping_a_red_flag(protocols: ProtocolSet) -> None:
    kypho = protocols.for_procedure(Procedure.KYPHOPLASTY)
    note = Rule(
        "fever_note",
        Level.ATTENTION,
        Condition("answer", "fever", frozenset({"yes"})),
        "a fever (noted)",
        "seed_webmd",
    )
    summary = summarize_protocol(replace(kypho, rules=(*kypho.rules, note)))
    fever = next(f for f in summary.floor if f.key == "fever")
    assert fever.rules == ("fever",)
