"""The loader rejects broken protocol files with file, location and reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from recovery import Procedure, ProtocolError, load_protocol_file, load_protocols
from recovery.loader import PROTOCOLS_DIR

AUG_TEXT = (PROTOCOLS_DIR / "augmentation.yaml").read_text()
FUSION_TEXT = (PROTOCOLS_DIR / "fusion.yaml").read_text()


def write(tmp_path: Path, text: str, name: str = "broken.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def load_error(tmp_path: Path, text: str) -> ProtocolError:
    with pytest.raises(ProtocolError) as info:
        load_protocol_file(write(tmp_path, text))
    error = info.value
    assert error.file == "broken.yaml"
    assert str(error) == f"broken.yaml: {error.location}: {error.reason}"
    return error


def edit(old: str, new: str, text: str = AUG_TEXT, count: int = 1) -> str:
    assert old in text, old
    return text.replace(old, new, count)


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_the_shipped_files_load(tmp_path: Path) -> None:
    assert load_protocol_file(write(tmp_path, AUG_TEXT, "a.yaml")).family == "augmentation"
    assert load_protocol_file(write(tmp_path, FUSION_TEXT, "f.yaml")).family == "fusion"


def test_yaml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    lines = AUG_TEXT.splitlines(keepends=True)
    index = line_of(AUG_TEXT, "version:") - 1
    lines[index] = "version: [1, 2\n"
    error = load_error(tmp_path, "".join(lines))
    assert error.location == f"line {index + 2}"
    assert error.reason


def test_bad_indentation_gives_the_line(tmp_path: Path) -> None:
    lines = AUG_TEXT.splitlines(keepends=True)
    index = line_of(AUG_TEXT, "version:") - 1
    lines[index] = "  version: 1\n"
    error = load_error(tmp_path, "".join(lines))
    assert error.location == f"line {index + 1}"


def test_a_key_given_twice_gives_the_line(tmp_path: Path) -> None:
    text = edit("family: augmentation\n", "family: augmentation\nfamily: fusion\n")
    error = load_error(tmp_path, text)
    assert error.location == f"line {line_of(AUG_TEXT, 'family: augmentation') + 1}"
    assert "twice" in error.reason


def test_unknown_question_in_a_rule_gives_the_field_path(tmp_path: Path) -> None:
    text = edit("when: {question: fever, in: [yes]}", "when: {question: fevr, in: [yes]}")
    error = load_error(tmp_path, text)
    assert error.location == "rules[10].when.question"
    assert "fevr" in error.reason
    assert f"(line {line_of(text, 'question: fevr')})" in error.reason


def test_unknown_answer_value_in_a_rule(tmp_path: Path) -> None:
    text = edit("when: {question: fever, in: [yes]}", "when: {question: fever, in: [hot]}")
    error = load_error(tmp_path, text)
    assert error.location == "rules[10].when.in[0]"
    assert "'hot' is not an option of 'fever'" in error.reason


def test_scale_test_on_a_yes_no_question_is_rejected(tmp_path: Path) -> None:
    text = edit("when: {question: fever, in: [yes]}", "when: {question: fever, gte: 3}")
    assert load_error(tmp_path, text).location == "rules[10].when.question"


def test_missing_source_is_rejected(tmp_path: Path) -> None:
    text = edit("    source: project_policy\n\nguidance:", "    source: nowhere\n\nguidance:")
    error = load_error(tmp_path, text)
    assert error.location == "rules[15].source"
    assert "unknown source 'nowhere'" in error.reason


def test_removing_a_source_entry_flags_every_user(tmp_path: Path) -> None:
    start = AUG_TEXT.index("  - id: cdc_opioid")
    end = AUG_TEXT.index("  - id: project_policy")
    error = load_error(tmp_path, AUG_TEXT[:start] + AUG_TEXT[end:])
    assert error.location == "rules[4].source"
    assert "cdc_opioid" in error.reason


def test_missing_emergency_screen_is_rejected(tmp_path: Path) -> None:
    error = load_error(tmp_path, edit("    emergency_screen: true\n", ""))
    assert error.location == "questions"
    assert "emergency_screen" in error.reason


def test_emergency_rule_cannot_be_lowered(tmp_path: Path) -> None:
    text = edit(
        "  - key: emergency_chest\n    level: emergency",
        "  - key: emergency_chest\n    level: urgent",
    )
    error = load_error(tmp_path, text)
    assert error.location == "rules"
    assert "'chest'" in error.reason
    assert "emergency" in error.reason


def test_emergency_rule_cannot_be_removed_or_time_limited(tmp_path: Path) -> None:
    removed = edit(
        "when: {question: emergency, in: [drowsy]}", "when: {question: fever, in: [yes]}"
    )
    assert "'drowsy'" in load_error(tmp_path, removed).reason
    limited = edit(
        "when: {question: emergency, in: [legs]}",
        "when: {question: emergency, in: [legs], after_day: 3}",
    )
    assert "'legs'" in load_error(tmp_path, limited).reason


def test_emergency_option_cannot_be_dropped(tmp_path: Path) -> None:
    text = edit('      - {value: bladder, label: "No bladder/bowel control"}\n', "")
    error = load_error(tmp_path, text)
    problems = dict(error.problems)
    assert any("'bladder'" in reason for reason in problems.values())


@pytest.mark.parametrize("text", [AUG_TEXT, FUSION_TEXT], ids=["augmentation", "fusion"])
def test_fainting_is_a_required_emergency_option(tmp_path: Path, text: str) -> None:
    dropped = edit('      - {value: faint, label: "Fainted or coughed blood"}\n', "", text)
    assert any("'faint'" in reason for _, reason in load_error(tmp_path, dropped).problems)
    lowered = edit(
        "  - key: emergency_faint\n    level: emergency",
        "  - key: emergency_faint\n    level: urgent",
        text,
    )
    error = load_error(tmp_path, lowered)
    assert error.location == "rules"
    assert "'faint' needs a rule at level emergency" in error.reason
    removed = edit("in: [faint]}", "in: [chest]}", text)
    assert "'faint'" in load_error(tmp_path, removed).reason


def test_unclear_answers_rule_is_required(tmp_path: Path) -> None:
    text = edit("when: {unclear_answers: true}", "when: {question: pain_med, in: [none]}")
    error = load_error(tmp_path, text)
    assert "unclear_answers" in error.reason


def test_misspelt_field_is_rejected(tmp_path: Path) -> None:
    text = edit("    source: seed_webmd\n", "    sourse: seed_webmd\n")
    error = load_error(tmp_path, text)
    paths = [location for location, _ in error.problems]
    assert "questions[1].sourse" in paths
    assert "questions[1].source" in paths


def test_a_dose_or_a_medicine_name_is_rejected(tmp_path: Path) -> None:
    dose = edit("Do not guess.", "Take 500 mg.")
    assert "dose" in load_error(tmp_path, dose).reason
    named = edit("Do not guess.", "Ibuprofen is fine.")
    assert "medicine" in load_error(tmp_path, named).reason


def test_too_many_questions_on_one_day_are_rejected(tmp_path: Path) -> None:
    text = edit("    days: {from: 8, to: null}\n", "    days: {from: 1, to: null}\n")
    error = load_error(tmp_path, text)
    assert error.location == "questions"
    assert "day 1 has 9 questions" in error.reason


def test_bad_key_label_and_days_are_rejected(tmp_path: Path) -> None:
    long_key = edit("  - key: pain_med\n", "  - key: pain_medicine_taken_today\n")
    assert load_error(tmp_path, long_key).location == "questions[6].key"
    long_label = edit('label: "No pain medicine"', 'label: "No pain medicine taken today at all"')
    assert load_error(tmp_path, long_label).location == "questions[6].options[0].label"
    backwards = edit("days: {from: 1, to: 7}", "days: {from: 7, to: 1}")
    assert load_error(tmp_path, backwards).location == "questions[5].days"


def test_status_must_stay_draft_without_a_reviewer(tmp_path: Path) -> None:
    approved = edit('status: "draft - needs clinician sign-off"', "status: approved")
    assert load_error(tmp_path, approved).location == "reviewed_by"
    signed = edit("reviewed_by: null", "reviewed_by: Dr Example")
    assert load_error(tmp_path, signed).location == "status"


def test_not_a_mapping_or_unreadable(tmp_path: Path) -> None:
    assert load_error(tmp_path, "- a\n- b\n").location == "file"
    assert load_error(tmp_path, "").location == "file"
    with pytest.raises(ProtocolError) as info:
        load_protocol_file(tmp_path / "missing.yaml")
    assert info.value.location == "file"


def test_yes_and_no_stay_words(tmp_path: Path) -> None:
    protocol = load_protocol_file(write(tmp_path, AUG_TEXT, "a.yaml"))
    fever = next(r for r in protocol.rules if r.key == "fever")
    assert fever.condition.values == {"yes"}


def test_load_protocols_needs_every_procedure_once(tmp_path: Path) -> None:
    shutil.copy(PROTOCOLS_DIR / "augmentation.yaml", tmp_path / "augmentation.yaml")
    with pytest.raises(ProtocolError, match="no protocol covers: fusion"):
        load_protocols(tmp_path)
    shutil.copy(PROTOCOLS_DIR / "fusion.yaml", tmp_path / "fusion.yaml")
    assert len(load_protocols(tmp_path).all()) == 2
    write(tmp_path, edit("family: augmentation", "family: augmentation2"), "zz.yaml")
    with pytest.raises(ProtocolError, match="already covered"):
        load_protocols(tmp_path)


def test_default_directory_is_the_package() -> None:
    assert {p.file for p in load_protocols().all()} == {"augmentation.yaml", "fusion.yaml"}


TREND = "when: {pain_trend: {question: pain, checkins: 7, points: 3, min_slope: 0.3, gte: 4}}"
TREND_RULE = [r.key for r in load_protocols().for_procedure(Procedure.KYPHOPLASTY).rules].index(
    "pain_trend"
)


@pytest.mark.parametrize(
    ("new", "field", "words"),
    [
        ("checkins: 2", "checkins", "greater than or equal to 3"),
        ("checkins: 11", "checkins", "less than or equal to 10"),
        ("points: 1", "points", "greater than or equal to 2"),
        ("gte: 11", "gte", "less than or equal to 10"),
        ("min_slope: 0", "min_slope", "greater than 0"),
        ("min_slope: steep", "min_slope", "number"),
    ],
)
def test_bad_trend_thresholds_give_file_field_and_line(
    tmp_path: Path, new: str, field: str, words: str
) -> None:
    old = {"checkins": "checkins: 7", "points": "points: 3", "gte": "gte: 4"}.get(
        field, "min_slope: 0.3"
    )
    text = edit(TREND, TREND.replace(old, new))
    error = load_error(tmp_path, text)
    assert error.location == f"rules[{TREND_RULE}].when.pain_trend.{field}"
    assert words in error.reason
    assert f"(line {line_of(text, '- key: pain_trend') + 2})" in error.reason


def test_a_trend_slope_that_would_miss_a_rise_is_refused(tmp_path: Path) -> None:
    text = edit(TREND, TREND.replace("min_slope: 0.3", "min_slope: 0.5"))
    error = load_error(tmp_path, text)
    assert error.location == f"rules[{TREND_RULE}].when.pain_trend"
    assert "min_slope 0.5 is above 0.32" in error.reason
    assert f"(line {line_of(text, '- key: pain_trend') + 2})" in error.reason


def test_a_trend_on_a_yes_no_question_is_refused(tmp_path: Path) -> None:
    text = edit(TREND, TREND.replace("question: pain,", "question: pain_worse,"))
    error = load_error(tmp_path, text)
    assert error.location == f"rules[{TREND_RULE}].when.pain_trend.question"
    assert "'pain_worse' is not a scale question" in error.reason


def test_the_old_pain_rising_rule_names_its_replacement(tmp_path: Path) -> None:
    text = edit(TREND, "when: {pain_rising: {question: pain, checkins: 3}}")
    error = load_error(tmp_path, text)
    assert error.location == f"rules[{TREND_RULE}].when"
    assert "pain_rising was replaced by pain_trend" in error.reason
