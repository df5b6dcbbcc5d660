"""Clinical sign-off of a protocol file: a sidecar record ``FILE.approval.json`` beside it.

The record holds ``{"reviewer", "date", "sha256"}``, where ``sha256`` is the hash of the protocol
file's bytes at the moment of approval. The record lives outside the file, so the hash covers
every byte of the file (nothing has to be left out of it) and any edit, even of a comment, makes
the file a draft again until it is approved anew. The ``status``/``reviewed_by`` fields inside
the YAML are notes for readers; only a record whose hash matches the file counts as approval.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from recovery.errors import ProtocolError

__all__ = [
    "Approval",
    "SignedFile",
    "approval_path",
    "approve_file",
    "content_hash",
    "read_approval",
    "sign_off_text",
]

SUFFIX = ".approval.json"


@dataclass(frozen=True)
class Approval:
    """Who approved which bytes of a protocol file, and when."""

    reviewer: str
    date: date
    sha256: str


def content_hash(data: bytes) -> str:
    """Return the sha256 hex digest of a protocol file's bytes."""
    return hashlib.sha256(data).hexdigest()


def sign_off_text(approval: Approval | None, sha256: str) -> str:
    """A file's sign-off in words: approved (by whom, when), draft, or edited after approval."""
    if approval is None:
        return "draft"
    by = f"{approval.reviewer} on {approval.date.isoformat()}"
    return (
        f"approved by {by}"
        if approval.sha256 == sha256
        else f"draft (edited after approval by {by})"
    )


class SignedFile:
    """What a reviewed file (a protocol, an overlay) says of its sign-off; the class using it
    has ``approval`` and ``content_hash`` (the sha256 of the file's bytes)."""

    approval: Approval | None
    content_hash: str

    @property
    def approved(self) -> bool:
        """True when a clinician's approval record matches the file's current bytes."""
        return self.approval is not None and self.approval.sha256 == self.content_hash

    @property
    def sign_off(self) -> str:
        """The sign-off in words: approved (by whom, when), draft, or edited after approval."""
        return sign_off_text(self.approval, self.content_hash)


def approval_path(path: Path) -> Path:
    """Return where the approval record of a protocol file lives (``FILE.approval.json``)."""
    return path.with_name(path.name + SUFFIX)


def read_approval(path: Path) -> Approval | None:
    """Read the approval record of a protocol file.

    Args:
        path: The protocol file (not the record).

    Returns:
        The record, or None when the file has none.

    Raises:
        ProtocolError: The record exists but is not a valid approval record.
    """
    record = approval_path(path)
    if not record.exists():
        return None
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        reviewer, day, sha = data["reviewer"], data["date"], data["sha256"]
        if not (isinstance(reviewer, str) and reviewer.strip()):
            raise ValueError
        if not (isinstance(sha, str) and len(sha) == 64):  # noqa: PLR2004 - sha256 hex
            raise ValueError
        return Approval(reviewer.strip(), date.fromisoformat(day), sha)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        reason = "not a valid approval record (run `checkin-bot protocol approve` again)"
        raise ProtocolError(record.name, "file", reason) from exc


def approve_file(path: Path, reviewer: str, today: date) -> Approval:
    """Record that a reviewer approved the current bytes of a protocol file.

    The caller validates the file first (an invalid file must not be approved).

    Args:
        path: The protocol file.
        reviewer: The clinician's name.
        today: The date of approval (the caller's clock).

    Returns:
        The record written to ``FILE.approval.json``.

    Raises:
        ValueError: The reviewer's name is empty.
    """
    if not reviewer.strip():
        raise ValueError("the reviewer's name is empty")
    approval = Approval(reviewer.strip(), today, content_hash(path.read_bytes()))
    body = {"reviewer": approval.reviewer, "date": today.isoformat(), "sha256": approval.sha256}
    approval_path(path).write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    return approval
