"""Clinical sign-off: `checkin-bot protocol approve` records reviewer, date and the file's hash."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.cli import main
from recovery import ProtocolError, load_protocol_file, load_protocols
from recovery.loader import PROTOCOLS_DIR


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in ("augmentation.yaml", "fusion.yaml"):
        shutil.copy(PROTOCOLS_DIR / name, tmp_path / name)
    return tmp_path


def approve(path: Path, reviewer: str = "Dr Ada Lovelace") -> int:
    return main(["protocol", "approve", str(path), "--reviewer", reviewer])


def test_approve_records_reviewer_date_and_the_hash_of_the_file(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fusion = folder / "fusion.yaml"
    assert not load_protocol_file(fusion).approved
    assert approve(fusion) == 0
    sha = hashlib.sha256(fusion.read_bytes()).hexdigest()
    record = json.loads((folder / "fusion.yaml.approval.json").read_text())
    today = datetime.now(UTC).date().isoformat()
    assert record == {"reviewer": "Dr Ada Lovelace", "date": today, "sha256": sha}
    out = capsys.readouterr().out
    assert f"fusion.yaml approved by Dr Ada Lovelace on {today} (sha256 {sha})" in out
    protocol = load_protocol_file(fusion)
    assert protocol.approved
    assert protocol.content_hash == sha
    assert protocol.sign_off == f"approved by Dr Ada Lovelace on {today}"
    assert [p.approved for p in load_protocols(folder).all()] == [False, True]  # augmentation


def test_a_file_edited_after_approval_is_a_draft_again(folder: Path) -> None:
    fusion = folder / "fusion.yaml"
    assert approve(fusion) == 0
    fusion.write_text(fusion.read_text() + "# a harmless looking comment\n")
    protocol = load_protocol_file(fusion)
    assert not protocol.approved
    assert protocol.sign_off.startswith("draft (edited after approval by Dr Ada Lovelace on ")
    assert approve(fusion, "Dr Grace Hopper") == 0
    assert load_protocol_file(fusion).sign_off.startswith("approved by Dr Grace Hopper")


def test_an_invalid_file_is_not_approved(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fusion = folder / "fusion.yaml"
    text = fusion.read_text()
    fusion.write_text(
        text.replace(
            "  - key: chills\n    level: urgent\n", "  - key: chills\n    level: attention\n"
        )
    )
    assert approve(fusion) == 1
    assert "red flag 'chills'" in capsys.readouterr().err
    assert not (folder / "fusion.yaml.approval.json").exists()


def test_an_empty_reviewer_name_is_refused(folder: Path) -> None:
    assert approve(folder / "fusion.yaml", "  ") == 2
    assert not (folder / "fusion.yaml.approval.json").exists()


def test_a_broken_approval_record_is_refused_naming_it(folder: Path) -> None:
    (folder / "fusion.yaml.approval.json").write_text('{"reviewer": "X"}')
    with pytest.raises(ProtocolError, match=r"fusion\.yaml\.approval\.json: file: not a valid"):
        load_protocol_file(folder / "fusion.yaml")


def test_protocol_check_shows_the_sign_off_and_hash(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fusion = folder / "fusion.yaml"
    assert main(["protocol", "check", str(fusion)]) == 0
    sha = hashlib.sha256(fusion.read_bytes()).hexdigest()
    assert f"sign-off: draft; sha256 {sha}" in capsys.readouterr().out


def test_protocol_check_of_a_translation_shows_its_own_sign_off_and_texts(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A reviewer fluent in Spanish reads the texts as patients will, and whose sign-off
    they carry: the translation's, not the English file's."""
    shutil.copy(PROTOCOLS_DIR / "fusion.es.yaml", folder / "fusion.es.yaml")
    spanish = folder / "fusion.es.yaml"
    assert approve(spanish, "Dra. Ana Ruiz") == 0
    assert main(["protocol", "check", str(spanish)]) == 0
    out = capsys.readouterr().out
    assert "fusion.es.yaml: the 'es' translation of fusion.yaml" in out
    assert "sign-off: approved by Dra. Ana Ruiz" in out
    assert "chest=Dolor de pecho o ahogo" in out  # the option as a Spanish reader sees it
    assert "chest=Chest pain" not in out


def test_protocol_check_lists_each_translation_with_its_sign_off(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["protocol", "check"]) == 0
    out = capsys.readouterr().out
    for family in ("fusion", "augmentation"):
        assert f"Translations of '{family}':" in out
        for language in ("es", "ru", "ar"):
            assert f"  {language}: {family}.{language}.yaml, translated by " in out
