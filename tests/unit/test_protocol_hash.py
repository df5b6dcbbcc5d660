"""A protocol's content hash names exactly the file that judged a check-in."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from recovery import load_protocol_file, load_protocols
from recovery.loader import PROTOCOLS_DIR

AUG = PROTOCOLS_DIR / "augmentation.yaml"


def test_the_hash_is_the_sha256_of_the_files_bytes() -> None:
    protocol = load_protocol_file(AUG)
    assert protocol.content_hash == hashlib.sha256(AUG.read_bytes()).hexdigest()
    assert len(protocol.content_hash) == 64


def test_the_hash_is_stable_across_loads_and_folders(tmp_path: Path) -> None:
    shutil.copy(AUG, tmp_path / "copy.yaml")
    first, again = load_protocol_file(AUG), load_protocol_file(AUG)
    assert first.content_hash == again.content_hash
    assert load_protocol_file(tmp_path / "copy.yaml").content_hash == first.content_hash


def test_any_change_to_the_file_changes_the_hash(tmp_path: Path) -> None:
    original = load_protocol_file(AUG).content_hash
    text = AUG.read_text(encoding="utf-8")
    edited = tmp_path / "augmentation.yaml"
    edited.write_text(text.replace('version: "0.1.0"', 'version: "0.2.0"', 1), encoding="utf-8")
    assert load_protocol_file(edited).content_hash != original
    edited.write_text(text + "\n# a comment the parser ignores\n", encoding="utf-8")
    reloaded = load_protocol_file(edited)
    assert reloaded.version == "0.1.0"
    assert reloaded.content_hash != original  # same content to YAML, yet another file


def test_every_loaded_protocol_has_its_own_hash() -> None:
    hashes = [p.content_hash for p in load_protocols().all()]
    assert len(set(hashes)) == len(hashes) == 2
