"""The protocol data files: sources, texts, questions by day, taper, guidance, milestones."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

import recovery
from recovery import (
    Level,
    Procedure,
    Protocol,
    QuestionKind,
    describe_protocol,
    load_protocols,
    red_flag_values,
)

PROTOCOLS = load_protocols()
AUG = PROTOCOLS.for_procedure(Procedure.KYPHOPLASTY)
FUSION = PROTOCOLS.for_procedure(Procedure.FUSION)
ALL = pytest.mark.parametrize("protocol", PROTOCOLS.all(), ids=lambda p: p.family)
DOSE = re.compile(r"\d+\s*(mg|ml|milligram|mcg|microgram)", re.IGNORECASE)
DRUGS = re.compile(r"acetaminophen|paracetamol|ibuprofen|naproxen|aspirin|codeine|opioid\b")
DAYS = range(0, 401)


def all_texts(protocol: Protocol) -> list[str]:
    texts = [protocol.action_text(level) for level in Level if level is not Level.OK]
    for q in protocol.questions:
        texts += [q.text, *(o.label for o in q.options)]
    texts += [r.reason for r in protocol.rules]
    texts += [g.text for g in protocol.guidance]
    texts += [m.text for m in protocol.milestones]
    return texts


def test_every_procedure_has_its_family() -> None:
    assert PROTOCOLS.for_procedure(Procedure.VERTEBROPLASTY) is AUG
    assert AUG.family == "augmentation"
    assert set(AUG.procedures) == {Procedure.VERTEBROPLASTY, Procedure.KYPHOPLASTY}
    assert FUSION.family == "fusion"
    assert FUSION.procedures == (Procedure.FUSION,)
    assert [p.family for p in PROTOCOLS.all()] == ["augmentation", "fusion"]


@ALL
def test_header_says_draft_until_a_clinician_signs(protocol: Protocol) -> None:
    assert protocol.reviewed_by is None
    assert protocol.status == "draft - needs clinician sign-off"
    assert protocol.version
    text = (Path(recovery.__file__).parent / "protocols" / protocol.file).read_text()
    assert text.lstrip().startswith("#"), "the file starts with comments explaining the format"
    assert "reviewed_by: null" in text


@ALL
def test_every_item_cites_an_existing_source(protocol: Protocol) -> None:
    items = [*protocol.questions, *protocol.rules, *protocol.guidance, *protocol.milestones]
    assert items
    for item in items:
        assert item.source in protocol.sources, item
    for source in protocol.sources.values():
        assert source.url or source.citation
        assert source.supports
    assert "seed_webmd" in protocol.sources


@ALL
def test_no_text_states_a_dose_or_names_a_medicine(protocol: Protocol) -> None:
    for text in all_texts(protocol):
        assert not DOSE.search(text), text
        assert not DRUGS.search(text.lower()), text


@ALL
def test_only_the_emergency_and_urgent_texts_name_the_number(protocol: Protocol) -> None:
    for text in all_texts(protocol):
        if text in (protocol.action_text(Level.EMERGENCY), protocol.action_text(Level.URGENT)):
            assert "{emergency_number}" in text
            assert "{" not in text.format(emergency_number="999")
        else:
            assert not set("{}") & set(text), text
    assert protocol.action_text(Level.OK) == ""
    assert "right away" in protocol.action_text(Level.URGENT)


@ALL
def test_question_keys_options_and_labels_fit_the_buttons(protocol: Protocol) -> None:
    for q in protocol.questions:
        assert re.fullmatch(r"[a-z][a-z0-9_]{0,15}", q.key)
        assert q.text.strip()
        for option in q.options:
            assert re.fullmatch(r"[a-z0-9_]{1,12}", option.value)
            assert 0 < len(option.label) <= 24
            assert q.option(option.value) is option
        assert q.option("nope") is None
        if q.kind is QuestionKind.SCALE:
            assert [o.value for o in q.options] == [str(n) for n in range(11)]
        if q.kind is QuestionKind.YESNO:
            assert q.option("unsure") is not None
            assert q.option("unsure").label == "Not sure"  # type: ignore[union-attr]


@ALL
def test_symptom_questions_offer_not_sure(protocol: Protocol) -> None:
    for day in (1, 10, 30):
        for key in red_flag_values(protocol, day):
            question = protocol.question(key)
            assert question is not None
            if question.kind is not QuestionKind.SCALE:
                assert question.option("unsure") is not None, key


@ALL
def test_emergency_screen_is_first_every_day_and_questions_fit_a_minute(
    protocol: Protocol,
) -> None:
    for day in DAYS:
        questions = protocol.questions_for(day)
        assert 1 <= len(questions) <= 8
        assert questions[0].emergency_screen
        assert questions[0].key == "emergency"
        assert sum(q.emergency_screen for q in questions) == 1
    assert protocol.questions_for(-1) == ()


@ALL
def test_emergency_screen_names_every_sign_in_its_buttons_and_reasons(protocol: Protocol) -> None:
    screen = protocol.questions_for(0)[0]
    assert screen.kind is QuestionKind.CHOICE
    values = [o.value for o in screen.options]
    assert values == ["chest", "faint", "bladder", "legs", "drowsy", "unsure", "none"]
    assert "now" in screen.text
    assert "earlier today" in screen.text
    assert "Numb groin or bottom" in screen.text  # counts as the bladder/bowel sign
    reasons = {r.key: r.reason for r in protocol.rules}
    meanings = {
        "emergency_chest": ("chest pain", "breathing"),
        "emergency_faint": ("fainting", "coughing up blood"),
        "emergency_bladder": ("bladder", "bowel", "genitals", "bottom"),
        "emergency_legs": ("move or feel a leg", "both legs"),
        "emergency_drowsy": ("hard to wake", "slow breathing"),
    }
    for key, words in meanings.items():
        for word in words:
            assert word in reasons[key], (key, word)


def test_both_protocols_ask_the_emergency_screen_in_the_same_words() -> None:
    aug, fusion = AUG.emergency_screen, FUSION.emergency_screen
    assert aug.text == fusion.text
    assert aug.options == fusion.options
    emergency = [r for r in AUG.rules if r.key.startswith("emergency_")]
    assert [(r.key, r.reason) for r in emergency] == [
        (r.key, r.reason) for r in FUSION.rules if r.key.startswith("emergency_")
    ]


def test_fusion_asks_wound_legs_and_pain_for_the_whole_window() -> None:
    for day in FUSION.checkin_days():
        keys = {q.key for q in FUSION.questions_for(day)}
        assert {"wound", "legs", "fever", "pain", "pain_worse"} <= keys
    legs = FUSION.question("legs")
    assert legs is not None
    assert "numb" in legs.text
    assert "A leg numb or weak" in {o.label for o in legs.options}


def test_augmentation_asks_the_seed_signs_every_day_and_easing_only_early() -> None:
    for day in range(0, 43):
        keys = {q.key for q in AUG.questions_for(day)}
        assert {"pain", "pain_worse", "fever", "numbness"} <= keys
        assert ("pain_eased" in keys) == (1 <= day <= 7)
        assert "wound" not in keys
    assert "pain_med" not in {q.key for q in AUG.questions_for(15)}


def test_question_lookup() -> None:
    assert AUG.question("fever") is not None
    assert AUG.question("wound") is None
    assert FUSION.question("wound") is not None


@pytest.mark.parametrize(
    ("protocol", "window", "on", "off"),
    [
        (AUG, 42, [0, 1, 7, 14, 16, 18, 28, 30, 33, 42], [-1, 15, 17, 29, 31, 43, 100]),
        (FUSION, 84, [1, 5, 14, 16, 42, 49, 56, 84], [-1, 0, 15, 43, 48, 50, 85, 400]),
    ],
    ids=["augmentation", "fusion"],
)
def test_recovery_window_and_taper(
    protocol: Protocol, window: int, on: list[int], off: list[int]
) -> None:
    assert protocol.recovery_window_days == window
    assert all(protocol.is_checkin_day(d) for d in on)
    assert not any(protocol.is_checkin_day(d) for d in off)
    days = protocol.checkin_days()
    assert days[-1] == window
    assert all(d in days for d in range(days[0], 15)), "daily for the first two weeks"
    gaps = [b - a for a, b in zip(days, days[1:], strict=False)]
    assert gaps == sorted(gaps), "check-ins only get sparser"


def test_guidance_by_day() -> None:
    day0 = " ".join(AUG.guidance_for(0))
    assert "ice pack" in day0
    assert "drive yourself" in day0
    assert "ice pack" not in " ".join(AUG.guidance_for(5))
    assert "over-the-counter" in day0
    assert "few weeks" in " ".join(AUG.guidance_for(20))
    for day in range(0, 43):
        assert "10 lb" in " ".join(FUSION.guidance_for(day))
    assert "10 lb" not in " ".join(FUSION.guidance_for(43))
    assert "surgeon agrees" in " ".join(FUSION.guidance_for(15))
    assert "dressing" in " ".join(FUSION.guidance_for(7))
    assert "dressing" not in " ".join(FUSION.guidance_for(22))


@pytest.mark.parametrize(
    ("protocol", "key", "day", "phrase"),
    [
        (FUSION, "stitches_out", 14, "stitches or staples"),
        (FUSION, "driving_work", 14, "surgeon"),
        (FUSION, "six_weeks", 42, "6 weeks"),
        (FUSION, "follow_up_visit", 28, "follow-up"),
        (AUG, "lifting_limits", 28, "ask your doctor"),
        (AUG, "follow_up_visit", 7, "follow-up"),
    ],
)
def test_milestones(protocol: Protocol, key: str, day: int, phrase: str) -> None:
    found = {m.key: m for m in protocol.milestones_on(day)}
    assert key in found
    assert phrase in found[key].text
    assert found[key].day == day
    assert all(m.day <= protocol.recovery_window_days for m in protocol.milestones)
    assert protocol.milestones_on(day + 1000) == ()


@ALL
def test_describe_lists_questions_rules_and_counts(protocol: Protocol) -> None:
    text = describe_protocol(protocol)
    for procedure in protocol.procedures:
        assert (
            f"{procedure}: {len(protocol.questions)} questions, {len(protocol.rules)} rules" in text
        )
    for item in (*protocol.questions, *protocol.rules):
        assert item.key in text
    assert protocol.status in text


def test_level_order_and_helpers() -> None:
    assert [lvl.rank for lvl in Level] == [0, 1, 2, 3]
    assert Level.OK < Level.ATTENTION < Level.URGENT < Level.EMERGENCY
    assert Level.EMERGENCY >= Level.URGENT
    assert Level.URGENT <= Level.URGENT
    assert Level.max() is Level.OK
    assert Level.max(Level.URGENT, Level.ATTENTION) is Level.URGENT
    assert max([Level.URGENT, Level.EMERGENCY, Level.OK]) is Level.EMERGENCY
    assert Level("urgent") is Level.URGENT
    assert Level.URGENT == "urgent"
    with pytest.raises(TypeError):
        _ = Level.OK < 3  # type: ignore[operator]


def test_recovery_imports_only_the_standard_library_pydantic_and_yaml() -> None:
    allowed = {"recovery", "pydantic", "pydantic_core", "yaml", "__future__"}
    package = Path(recovery.__file__).parent
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                root = name.split(".")[0]
                assert root in allowed or root in sys.stdlib_module_names, (path.name, name)
            if isinstance(node, ast.Attribute):
                assert node.attr not in {"now", "today", "utcnow", "time_ns"}, path.name
