"""The free-text screen, pure: warning signs written in words (``recovery/phrases.yaml``).

A phrase matches whole words in order, ignoring case, punctuation, apostrophes and spacing,
so "I can't BREATHE!!" matches "cant breathe". Matching never fails on any text: any script,
emoji or length (only the first 4,096 characters, Telegram's message limit, are read).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from recovery.errors import ProtocolError
from recovery.types import Level

__all__ = ["PHRASES_FILE", "TextSign", "load_phrases", "normalize", "screen_text"]

PHRASES_FILE = Path(__file__).with_name("phrases.yaml")
MAX_CHARS = 4096
_NOT_WORD = re.compile(r"[^\w]+")
_APOSTROPHES = re.compile(r"['’‘`´]")


@dataclass(frozen=True)
class TextSign:
    """A warning sign the screen looks for: its key, level, plain words and phrases."""

    key: str
    level: Level
    sign: str
    source: str
    phrases: tuple[str, ...]


class _SignModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,23}$")
    level: Level
    sign: str = Field(min_length=3, max_length=120)
    source: str
    phrases: list[str] = Field(min_length=1)

    @field_validator("level")
    @classmethod
    def _urgent_or_worse(cls, level: Level) -> Level:
        if level < Level.URGENT:
            raise ValueError("a written warning sign is urgent or emergency")
        return level

    @field_validator("phrases")
    @classmethod
    def _plain_words(cls, phrases: list[str]) -> list[str]:
        for phrase in phrases:
            if normalize(str(phrase)).strip() != str(phrase):
                raise ValueError(f"write {phrase!r} in lower case, without punctuation")
        return phrases


class _SourceModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    title: str
    url: str


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    signs: list[_SignModel] = Field(min_length=1)
    sources: list[_SourceModel]


def normalize(text: str) -> str:
    """Lower-case words separated by single spaces (apostrophes dropped, punctuation a space)."""
    folded = unicodedata.normalize("NFKC", text[:MAX_CHARS]).casefold()
    return _NOT_WORD.sub(" ", _APOSTROPHES.sub("", folded)).strip()


def load_phrases(path: Path = PHRASES_FILE) -> tuple[TextSign, ...]:
    """Load and check the phrase list.

    Raises:
        ProtocolError: the file is unreadable, malformed, cites an unknown source or repeats a
            key.
    """
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        model = _FileModel.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise ProtocolError(name, "file", f"cannot be read ({exc.__class__.__name__})") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ProtocolError(name, where, first["msg"]) from exc
    sources = {s.id for s in model.sources}
    keys: set[str] = set()
    for i, sign in enumerate(model.signs):
        if sign.source not in sources:
            raise ProtocolError(name, f"signs.{i}.source", f"unknown source {sign.source!r}")
        if sign.key in keys:
            raise ProtocolError(name, f"signs.{i}.key", f"key {sign.key!r} used twice")
        keys.add(sign.key)
    return tuple(TextSign(s.key, s.level, s.sign, s.source, tuple(s.phrases)) for s in model.signs)


@cache
def _default_signs() -> tuple[TextSign, ...]:
    return load_phrases()


def screen_text(text: str, signs: tuple[TextSign, ...] | None = None) -> tuple[TextSign, ...]:
    """The warning signs a message mentions, most severe first (file order within a level).

    Args:
        text: what the person wrote.
        signs: the phrase list; the built-in one by default.

    Returns:
        The matching signs; empty when none matched.
    """
    words = f" {normalize(text)} "
    found = [
        sign
        for sign in (_default_signs() if signs is None else signs)
        if any(f" {phrase} " in words for phrase in sign.phrases)
    ]
    return tuple(sorted(found, key=lambda s: s.level, reverse=True))
