"""Short lists inside a sentence, with the reader's comma (pure)."""

from __future__ import annotations

from collections.abc import Iterable

from views.i18n import Translator

__all__ = ["joined"]

_COMMAS = {"ar": "، "}  # the Arabic comma; every other supported language writes ", "


def joined(parts: Iterable[str], tr: Translator) -> str:
    """``parts`` one after another, each after the first preceded by the reader's comma."""
    return _COMMAS.get(tr.language, ", ").join(parts)
