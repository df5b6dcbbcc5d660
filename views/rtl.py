"""Arabic for a writer that draws glyphs one after another from left to right (pure).

fpdf2 joins Arabic letters and orders right-to-left text only through HarfBuzz (the optional
``uharfbuzz`` package, not installed here); without it a PDF would show Arabic as separate
letters in reverse order. :func:`visual` does what such a writer needs for our short lines: it
picks each letter's joined form (initial, medial, final or isolated, and the lam-alef
ligatures) from Unicode's Arabic Presentation Forms, which DejaVu Sans has, then lays the line
out right to left as the Unicode bidirectional algorithm does for a right-to-left paragraph:
Latin words and numbers keep their own order inside it, brackets are mirrored. The forms are
read from :mod:`unicodedata` (each presentation form decomposes to its letter and position),
so there is no table to keep up to date. Vowel marks are dropped (the copy has none).

Charts do not need this: matplotlib (3.10 and later) lays text out with libraqm.
"""

from __future__ import annotations

import unicodedata
from functools import cache

__all__ = ["has_arabic", "visual"]

_POSITIONS = ("isolated", "initial", "medial", "final")
_LAM, _TATWEEL, _ZWJ = "\u0644", "\u0640", "\u200d"
_ALEFS = frozenset("\u0622\u0623\u0625\u0627")  # lam + alef is always one glyph
_ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f"))  # dropped
_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")


@cache
def _forms() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """(letter -> position -> form, alef after lam -> position -> ligature)."""
    forms: dict[str, dict[str, str]] = {}
    ligatures: dict[str, dict[str, str]] = {}
    for code in (*range(0xFE70, 0xFF00), *range(0xFB50, 0xFE00)):  # the basic forms first
        tag, _, letters = unicodedata.decomposition(chr(code)).partition(" ")
        position = tag.strip("<>")
        if position not in _POSITIONS:
            continue
        base = "".join(chr(int(part, 16)) for part in letters.split())
        if len(base) == 1:
            forms.setdefault(base, {}).setdefault(position, chr(code))
        elif len(base) == 2 and base[0] == _LAM and base[1] in _ALEFS:
            ligatures.setdefault(base[1], {}).setdefault(position, chr(code))
    return forms, ligatures


def _joins_forward(char: str) -> bool:
    """Whether ``char`` connects to the letter after it (a dual-joining letter)."""
    return char in (_TATWEEL, _ZWJ) or "medial" in _forms()[0].get(char, {})


def _joins(char: str) -> bool:
    return char in (_TATWEEL, _ZWJ) or char in _forms()[0]


def _shape(text: str) -> str:
    """Each Arabic letter in its joined form (logical order kept)."""
    forms, ligatures = _forms()
    letters = [c for c in text if unicodedata.category(c) != "Mn"]  # vowel marks dropped
    shaped: list[str] = []
    i = 0
    while i < len(letters):
        char = letters[i]
        after_joining = i > 0 and _joins_forward(letters[i - 1])
        if char == _LAM and i + 1 < len(letters) and letters[i + 1] in ligatures:
            ligature = ligatures[letters[i + 1]]
            shaped.append(ligature["final" if after_joining else "isolated"])
            i += 2
            continue
        before_joining = i + 1 < len(letters) and _joins_forward(char) and _joins(letters[i + 1])
        mine = forms.get(char)
        if mine is None:
            shaped.append(char)
        else:
            position = {
                (True, True): "medial",
                (True, False): "final",
                (False, True): "initial",
                (False, False): "isolated",
            }[(after_joining, before_joining)]
            shaped.append(mine.get(position) or mine.get("isolated") or char)
        i += 1
    return "".join(shaped)


def _strong(char: str) -> str | None:
    """ "R" for Arabic letters, "L" for Latin letters and digits, None for neutrals."""
    if "\u0600" <= char <= "\u06ff" or "\ufb50" <= char <= "\ufeff":
        return "L" if unicodedata.category(char) == "Nd" else "R"
    if char.isalnum():
        return "L"
    return None


def has_arabic(text: str) -> bool:
    """Whether ``text`` has any Arabic letter."""
    return any(_strong(char) == "R" for char in text)


def visual(text: str) -> str:
    """One line of a right-to-left paragraph, joined and in the order it is drawn.

    Args:
        text: the line in logical (typed) order; isolate marks are dropped.

    Returns:
        The glyphs left to right: ``"بيت 3"`` becomes ``"3 ﺖﻴﺑ"``.
    """
    chars = list(_shape(text.translate(_ISOLATES)))
    kinds = [_strong(char) for char in chars]
    resolved: list[str] = []
    for i, kind in enumerate(kinds):
        if kind is not None:
            resolved.append(kind)
            continue
        before = next((k for k in reversed(kinds[:i]) if k), None)
        after = next((k for k in kinds[i + 1 :] if k), None)
        resolved.append("L" if before == after == "L" else "R")  # neutrals: the paragraph's
    runs: list[tuple[str, str]] = []
    for char, kind in zip(chars, resolved, strict=True):
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1] + char)
        else:
            runs.append((kind, char))
    return "".join(
        run[::-1].translate(_MIRROR) if kind == "R" else run for kind, run in reversed(runs)
    )
