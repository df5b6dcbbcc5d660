"""The free-text screen: warning signs written in words are found, whatever else is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recovery import Level, ProtocolError, screen_text
from recovery.freetext import PHRASES_FILE, load_phrases, normalize


def keys(text: str) -> list[str]:
    return [sign.key for sign in screen_text(text)]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("I can't breathe and my chest hurts", "chest"),
        ("cannot feel my legs", "legs"),
        ("I CAN’T FEEL MY LEGS!!!", "legs"),
        ("I wet myself and my bottom is numb", "bladder"),
        ("he passed out in the kitchen", "faint"),
        ("she is very drowsy, lips are blue", "drowsy"),
        ("I think I have a fever", "fever"),
        ("the wound is leaking", "wound"),
        ("my calf is swollen", "calf"),
        ("pins and needles in my foot", "numbness"),
        ("the pain is getting worse", "pain"),
    ],
)
def test_written_signs_are_found(text: str, first: str) -> None:
    assert keys(text)[0] == first


def test_a_negation_still_matches_the_reply_is_conditional() -> None:
    assert keys("I do not have chest pain") == ["chest"]


def test_the_most_severe_sign_comes_first() -> None:
    found = screen_text("I have a fever and I cannot breathe")
    assert [s.key for s in found] == ["chest", "fever"]
    assert found[0].level is Level.EMERGENCY


@pytest.mark.parametrize("text", ["hello", "thank you", "my back is a bit sore", "painting", ""])
def test_ordinary_words_match_nothing(text: str) -> None:
    assert keys(text) == []


@given(st.text(max_size=5000))
def test_any_text_in_any_script_never_fails(text: str) -> None:
    for sign in screen_text(text):
        assert sign.level >= Level.URGENT


def test_normalize_drops_apostrophes_and_punctuation() -> None:
    assert normalize("Can't   BREATHE...!") == "cant breathe"


def test_every_sign_cites_a_listed_source_and_is_urgent_or_worse() -> None:
    signs = load_phrases()
    assert {s.key for s in signs if s.level is Level.EMERGENCY} >= {
        "chest",
        "faint",
        "bladder",
        "legs",
        "drowsy",
    }


def test_a_phrase_list_citing_an_unknown_source_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "phrases.yaml"
    broken.write_text(PHRASES_FILE.read_text().replace("source: nhs_pe", "source: nowhere", 1))
    with pytest.raises(ProtocolError, match="unknown source"):
        load_phrases(broken)


def test_an_attention_level_written_sign_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "phrases.yaml"
    broken.write_text(PHRASES_FILE.read_text().replace("level: urgent", "level: attention", 1))
    with pytest.raises(ProtocolError, match="urgent or emergency"):
        load_phrases(broken)
