"""The hazard log names a control for every hazard and only tests that exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOG = ROOT / "docs" / "safety" / "hazard-log.md"
FIELDS = ("cause", "effect", "severity", "likelihood", "control", "test")
SEVERITIES = {"Catastrophic", "Major", "Considerable", "Significant", "Minor"}
LIKELIHOODS = {"Very high", "High", "Medium", "Low", "Very low"}
NODE_ID = re.compile(r"`([^`]+\.py)::(\w+)`")


def hazards() -> dict[str, dict[str, str]]:
    """Hazard title -> its table rows (field -> entry)."""
    found: dict[str, dict[str, str]] = {}
    title = ""
    for line in LOG.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            title = line[3:].strip()
            found[title] = {}
        elif title and line.startswith("| ") and not line.startswith("| field"):
            field, _, entry = line.strip("| ").partition(" | ")
            found[title][field.strip()] = entry.strip()
    return found


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    }


HAZARDS = hazards()


def test_the_log_covers_the_known_hazards() -> None:
    titles = " / ".join(HAZARDS).lower()
    for words in (
        "missed red flag",
        "reported again",
        "emergency typed in words",
        "abandoned check-in",
        "nobody to receive alerts",
        "wrong team",
        "time zone",
        "never finishes enrollment",
        "edited unsafely",
        "draft protocol",
        "emergency number",
        "another patient's data",
    ):
        assert words in titles, words


@pytest.mark.parametrize("title", sorted(HAZARDS))
def test_every_hazard_has_every_field_and_a_control(title: str) -> None:
    rows = HAZARDS[title]
    assert [f for f in FIELDS if not rows.get(f)] == [], title
    assert rows["severity"] in SEVERITIES
    assert rows["likelihood"] in LIKELIHOODS
    assert len(rows["control"]) > 20, "a hazard needs a control in the product"


@pytest.mark.parametrize("title", sorted(HAZARDS))
def test_every_listed_test_exists(title: str) -> None:
    cell = HAZARDS[title]["test"]
    ids = NODE_ID.findall(cell)
    missing = [
        f"{file}::{name}"
        for file, name in ids
        if not (ROOT / file).is_file() or name not in defined_tests(ROOT / file)
    ]
    assert missing == []
    todo = re.search(r"TODO(?: \(([^)]*)\))?", cell)
    if todo:
        pytest.skip(f"{title}: test TODO ({todo.group(1) or 'control being built'})")
    assert ids, f"{title}: name a test (file::test_name) or TODO"
