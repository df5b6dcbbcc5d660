"""The safety floor: edited protocol files cannot drop or downgrade the seed's red flags."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from recovery import ProtocolError, load_protocol_file, load_protocols
from recovery.floor import FloorItem, floor_items
from recovery.loader import PROTOCOLS_DIR
from recovery.types import Procedure
from recovery.yamlfile import _Loader

FILES = {"augmentation": "augmentation.yaml", "fusion": "fusion.yaml"}
PROCEDURES = {
    "augmentation": (Procedure.VERTEBROPLASTY, Procedure.KYPHOPLASTY),
    "fusion": (Procedure.FUSION,),
}
CASES = [(family, item) for family, procs in PROCEDURES.items() for item in floor_items(procs)]
IDS = [f"{family}-{item.key}" for family, item in CASES]


def shipped(family: str) -> dict[str, Any]:
    text = (PROTOCOLS_DIR / FILES[family]).read_text()
    data: dict[str, Any] = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader (YAML 1.2)
    return data


def refused(tmp_path: Path, data: dict[str, Any]) -> ProtocolError:
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(ProtocolError) as info:
        load_protocol_file(path)
    return info.value


def firing_rules(data: dict[str, Any], item: FloorItem) -> list[dict[str, Any]]:
    """The file's rules that make one of the red flag's answers fire."""
    found = []
    for rule in data["rules"]:
        when = rule["when"]
        for trigger in item.fires:
            if when.get("question") != trigger.question:
                continue
            values = set(trigger.values())
            if set(when.get("in", ())) & values or ("gte" in when and str(when["gte"]) in values):
                found.append(rule)
    return found


def problems_naming(error: ProtocolError, key: str) -> list[str]:
    return [why for _, why in error.problems if f"red flag '{key}'" in why]


def test_the_floor_lists_the_seed_red_flags_with_their_source() -> None:
    aug = {item.key for item in floor_items(PROCEDURES["augmentation"])}
    fusion = {item.key for item in floor_items(PROCEDURES["fusion"])}
    assert aug == {"bad_back_pain", "fever", "numbness"}
    assert fusion == {"chills", "fever", "wound_fluid", "wound_red", "leg_red", "leg_swelling"}
    for _, item in CASES:
        assert item.source == "seed_webmd"
        assert item.fires


@pytest.mark.parametrize("family", sorted(FILES))
def test_the_built_in_protocols_pass_the_floor(family: str) -> None:
    protocol = load_protocol_file(PROTOCOLS_DIR / FILES[family])
    for item in floor_items(protocol.procedures):
        for trigger in item.fires:
            question = protocol.question(trigger.question)
            assert question is not None
            for day in protocol.checkin_days():
                assert question in protocol.questions_for(day), (item.key, day)


@pytest.mark.parametrize(("family", "item"), CASES, ids=IDS)
def test_a_file_without_a_red_flag_rule_is_refused_naming_it(
    tmp_path: Path, family: str, item: FloorItem
) -> None:
    data = shipped(family)
    doomed = firing_rules(data, item)
    assert doomed
    data["rules"] = [rule for rule in data["rules"] if rule not in doomed]
    error = refused(tmp_path, data)
    first_day = min(block["from"] for block in data["checkin_schedule"])
    reasons = problems_naming(error, item.key)
    assert reasons, error.report()
    assert f"on day {first_day}, but is " in reasons[0]
    assert item.sign in reasons[0]


@pytest.mark.parametrize(("family", "item"), CASES, ids=IDS)
def test_a_red_flag_downgraded_to_attention_is_refused(
    tmp_path: Path, family: str, item: FloorItem
) -> None:
    data = shipped(family)
    for rule in firing_rules(data, item):
        rule["level"] = "attention"
    error = refused(tmp_path, data)
    reasons = problems_naming(error, item.key)
    assert reasons
    assert "but is attention (line" in reasons[0]
    assert any(loc.endswith("].level") for loc, why in error.problems if why == reasons[0])


def test_a_red_flag_that_counts_only_later_is_refused_for_the_early_days(tmp_path: Path) -> None:
    data = shipped("augmentation")
    rule = next(r for r in data["rules"] if r["key"] == "fever")
    rule["when"]["after_day"] = 5
    error = refused(tmp_path, data)
    assert "red flag 'fever' (a fever, from the seed)" in error.reason
    assert "on day 0, but is ok" in error.reason


def test_a_red_flag_question_not_asked_every_checkin_day_is_refused(tmp_path: Path) -> None:
    data = shipped("fusion")
    wound = next(q for q in data["questions"] if q["key"] == "wound")
    wound["days"] = {"from": 0, "to": 21}
    error = refused(tmp_path, data)
    assert "red flag 'wound_fluid'" in error.reason
    sign = "(fluid coming out of the wound, from the seed)"
    assert error.reason.startswith(f"red flag 'wound_fluid' {sign} is not asked on day 22")
    assert error.location == "questions[4].days"


def test_a_red_flag_option_removed_from_its_question_is_refused(tmp_path: Path) -> None:
    data = shipped("fusion")
    legs = next(q for q in data["questions"] if q["key"] == "legs")
    legs["options"] = [o for o in legs["options"] if o["value"] != "swollen"]
    for rule in data["rules"]:
        if rule["when"].get("question") == "legs":
            rule["when"]["in"] = [v for v in rule["when"]["in"] if v != "swollen"] or ["numb"]
    error = refused(tmp_path, data)
    assert "red flag 'leg_swelling'" in error.reason
    assert "needs the option 'swollen' of 'legs'" in error.reason


def test_a_protocol_dir_with_a_downgraded_file_is_refused(tmp_path: Path) -> None:
    for name in FILES.values():
        shutil.copy(PROTOCOLS_DIR / name, tmp_path / name)
    fusion = tmp_path / "fusion.yaml"
    text = fusion.read_text()
    old = "  - key: chills\n    level: urgent\n"
    assert old in text
    fusion.write_text(text.replace(old, "  - key: chills\n    level: attention\n"))
    where = r"fusion\.yaml: rules\[\d+\]\.level: red flag 'chills'"
    with pytest.raises(ProtocolError, match=where):
        load_protocols(tmp_path)
