"""English left behind in a message meant for another language (issue #16)."""

from __future__ import annotations

import re
import unicodedata

from views.i18n import FSI, LANGUAGE_NAMES, PDI

__all__ = ["first_strong", "stray_english"]

_COMMAND = re.compile(r"/[a-z]+\b")
_ZONE_ID = re.compile(r"\b[A-Z][A-Za-z]+/[A-Za-z_/]+\b")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Latin words a message in any language may show: the other language named in the
# language item's label ("Язык / Language"), the languages' own names, the UTC zone.
ALWAYS_ALLOWED = frozenset({"Language", "UTC", *LANGUAGE_NAMES.values()})
# English words no Spanish sentence of ours uses (Spanish is written in Latin letters too).
_ENGLISH = """the you your please press type what which when time zone operation send change
name date and or to of in is are for with yes button buttons today yesterday check details saved
nothing home still skip cancel confirm all set next comes monday tuesday wednesday thursday
friday saturday sunday january february march april may june july august september october
november december"""
ENGLISH_WORDS = frozenset(_ENGLISH.split())


def stray_english(text: str, language: str, *, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The English words in ``text`` (a message in ``language``).

    Commands (/settings), IANA zone ids (Europe/London) and ``allowed`` words (a patient's
    name, a city on a button) are not counted. In Russian and Arabic any other Latin word is
    English; in Spanish, only words of :data:`ENGLISH_WORDS`.
    """
    bare = _ZONE_ID.sub(" ", _COMMAND.sub(" ", text))
    words = [w for w in _WORD.findall(bare) if _latin(w) and w not in ALWAYS_ALLOWED | allowed]
    if language == "es":
        return [w for w in words if w.casefold() in ENGLISH_WORDS]
    return words


def _latin(word: str) -> bool:
    return all(unicodedata.name(c, "").startswith("LATIN") or c == "'" for c in word)


def first_strong(line: str) -> str | None:
    """The bidi class (``L``, ``R`` or ``AL``) of a line's first strong character, skipping
    isolated runs (FSI ... PDI) as the Unicode bidi algorithm does when it picks a
    paragraph's direction; None when the line has no strong character."""
    depth = 0
    for char in line:
        if char == FSI:
            depth += 1
        elif char == PDI:
            depth = max(0, depth - 1)
        elif depth == 0 and (kind := unicodedata.bidirectional(char)) in ("L", "R", "AL"):
            return kind
    return None
