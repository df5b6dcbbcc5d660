"""The free-text screen, pure: warning signs written in words (``recovery/phrases.yaml``).

A phrase matches whole words in order, ignoring case, punctuation, apostrophes and spacing,
so "I can't BREATHE!!" matches "cant breathe". Accents and other diacritics are ignored too
("dolor de pecho" matches "DOLOR DE PÉCHO", Russian ё is е, Arabic short vowels and tatweel are
dropped, and أ/إ/آ, ى and ة read as ا, ي and ه). Each supported language has its own list,
``phrases.<language>.yaml``, keyed by the English signs. Matching never fails on any text: any
script, emoji or length (only the first 4,096 characters, Telegram's message limit, are read).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from types import MappingProxyType

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from recovery.errors import ProtocolError
from recovery.types import Level

__all__ = [
    "PHRASES_FILE",
    "WRITTEN_PREFIX",
    "TextSign",
    "attach_translations",
    "load_phrases",
    "load_translations",
    "normalize",
    "screen_text",
    "written_sign",
]

PHRASES_FILE = Path(__file__).with_name("phrases.yaml")
WRITTEN_PREFIX = "written_"  # a reason key: this, then the sign's key
MAX_CHARS = 4096
_NOT_WORD = re.compile(r"[^\w]+")
_APOSTROPHES = re.compile(r"['’‘`´]")
# Arabic letters written in more than one way (the hamza forms lose their hamza as a mark).
_LETTERS = str.maketrans({"ى": "ي", "ة": "ه", "ـ": None, "ی": "ي", "ک": "ك", "ٱ": "ا"})


@dataclass(frozen=True)
class TextSign:
    """A warning sign the screen looks for: its key, level, plain words and phrases."""

    key: str
    level: Level
    sign: str
    source: str
    phrases: tuple[str, ...]
    #: language -> (the sign in plain words, the phrases), for each translated list.
    translations: Mapping[str, tuple[str, tuple[str, ...]]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def sign_in(self, language: str) -> str:
        """The sign in plain words in ``language`` (English when it has no list)."""
        return self.translations[language][0] if language in self.translations else self.sign

    def phrases_in(self, languages: Iterable[str] | None) -> tuple[str, ...]:
        """The English phrases and those of ``languages`` (None: of every language)."""
        chosen = self.translations.keys() if languages is None else languages
        extra = [
            p for lang in chosen if lang in self.translations for p in self.translations[lang][1]
        ]
        return (*self.phrases, *extra)


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
        return _plain(phrases)


def _plain(phrases: list[str]) -> list[str]:
    for phrase in phrases:
        if _words(str(phrase), fold=False) != str(phrase):
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
    """Lower-case words separated by single spaces (apostrophes dropped, punctuation a space),
    without diacritics or Arabic letter variants."""
    return _words(text, fold=True)


def _words(text: str, *, fold: bool) -> str:
    lowered = unicodedata.normalize("NFKC", text[:MAX_CHARS]).casefold()
    if fold:
        marks = unicodedata.normalize("NFD", lowered)
        plain = "".join(c for c in marks if not unicodedata.combining(c))
        lowered = unicodedata.normalize("NFC", plain).translate(_LETTERS)
    return _NOT_WORD.sub(" ", _APOSTROPHES.sub("", lowered)).strip()


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


class _TranslatedSign(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sign: str = Field(min_length=3, max_length=160)
    phrases: list[str] = Field(min_length=1)

    @field_validator("phrases")
    @classmethod
    def _plain_words(cls, phrases: list[str]) -> list[str]:
        return _plain(phrases)


class _TranslationModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    language: str = Field(pattern=r"^[a-z]{2}$")
    source: str = Field(min_length=3)
    signs: dict[str, _TranslatedSign]


def load_translations(
    english: tuple[TextSign, ...], folder: Path = PHRASES_FILE.parent
) -> dict[str, dict[str, tuple[str, tuple[str, ...]]]]:
    """Load every ``phrases.<language>.yaml`` beside the English list.

    Args:
        english: the English signs (each list must have exactly their keys).
        folder: where the lists are.

    Returns:
        language -> sign key -> (the sign in plain words, the phrases).

    Raises:
        ProtocolError: a list is unreadable, malformed, misses a sign or has an unknown one.
    """
    keys = {sign.key for sign in english}
    out: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {}
    for path in sorted(folder.glob("phrases.*.yaml")):
        name = path.name
        try:
            model = _TranslationModel.model_validate(yaml.safe_load(path.read_text("utf-8")))
        except (OSError, yaml.YAMLError) as exc:
            raise ProtocolError(name, "file", f"cannot be read ({exc.__class__.__name__})") from exc
        except ValidationError as exc:
            first = exc.errors()[0]
            raise ProtocolError(name, ".".join(map(str, first["loc"])), first["msg"]) from exc
        if path.stem.split(".", 1)[1] != model.language:
            raise ProtocolError(name, "language", "differs from the file name")
        for key in sorted(keys - model.signs.keys()):
            raise ProtocolError(name, f"signs.{key}", "missing: every English sign needs its list")
        for key in sorted(model.signs.keys() - keys):
            raise ProtocolError(name, f"signs.{key}", "unknown sign (not in phrases.yaml)")
        out[model.language] = {k: (s.sign, tuple(s.phrases)) for k, s in model.signs.items()}
    return out


def attach_translations(
    english: tuple[TextSign, ...], lists: Mapping[str, Mapping[str, tuple[str, tuple[str, ...]]]]
) -> tuple[TextSign, ...]:
    """The English signs, each with its translated words and phrases."""
    return tuple(
        replace(
            sign,
            translations=MappingProxyType(
                {lang: by_key[sign.key] for lang, by_key in lists.items()}
            ),
        )
        for sign in english
    )


@cache
def _folded(phrase: str) -> str:
    return normalize(phrase)


@cache
def _default_signs() -> tuple[TextSign, ...]:
    english = load_phrases()
    return attach_translations(english, load_translations(english))


def screen_text(
    text: str,
    signs: tuple[TextSign, ...] | None = None,
    languages: Iterable[str] | None = None,
) -> tuple[TextSign, ...]:
    """The warning signs a message mentions, most severe first (file order within a level).

    Args:
        text: what the person wrote.
        signs: the phrase list; the built-in one by default.
        languages: the lists to read besides English (the writer's language); None reads
            every language's.

    Returns:
        The matching signs; empty when none matched.
    """
    words = f" {normalize(text)} "
    chosen = None if languages is None else tuple(languages)
    found = [
        sign
        for sign in (_default_signs() if signs is None else signs)
        if any(f" {_folded(phrase)} " in words for phrase in sign.phrases_in(chosen))
    ]
    return tuple(sorted(found, key=lambda s: s.level, reverse=True))


def written_sign(reason_key: str) -> TextSign | None:
    """The built-in sign behind a written-sign reason key (``written_<sign key>``), or None."""
    if not reason_key.startswith(WRITTEN_PREFIX):
        return None
    key = reason_key[len(WRITTEN_PREFIX) :]
    return next((sign for sign in _default_signs() if sign.key == key), None)
