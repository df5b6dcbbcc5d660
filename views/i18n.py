"""Interface copy in the reader's language: gettext catalogs managed with Babel.

Copy is written in English in the code and is its own message id: module-level texts are marked
with :func:`N_` and translated where they are rendered; others are passed to
:meth:`Translator.gettext` / :meth:`Translator.ngettext` directly. ``pybabel extract`` collects
them into ``views/locales/messages.pot``; each language has ``<lang>/LC_MESSAGES/messages.po``,
compiled to ``messages.mo`` (shipped in the wheel). The commands are in the README;
``tests/unit/test_catalogs.py`` fails when a catalog is stale, incomplete or not compiled.

Placeholders are Python ``{name}`` fields filled by the translator. In a right-to-left language
each filled value is wrapped in Unicode isolates (FSI ... PDI), so a Latin name or a number keeps
its own direction inside Arabic text.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from gettext import GNUTranslations, NullTranslations
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "FSI",
    "LANGUAGE_NAMES",
    "LOCALES",
    "PDI",
    "RTL",
    "SUPPORTED",
    "Translator",
    "N_",
    "pick_language",
    "translator",
]

_Labels = TypeVar("_Labels", bound="DataclassInstance")
LOCALES = Path(__file__).parent / "locales"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"  # the language of the message ids
SUPPORTED = ("en", "es", "ru", "ar")
RTL = frozenset({"ar"})
FSI, PDI = "\u2068", "\u2069"  # first strong isolate, pop directional isolate
# Each language's button, in its own name (never translated: a reader finds their own).
LANGUAGE_NAMES = {"en": "English", "es": "Español", "ru": "Русский", "ar": "العربية"}


def N_(msgid: str) -> str:  # noqa: N802 (gettext's conventional marker name)
    """Mark ``msgid`` for extraction; it is translated later, where it is rendered."""
    return msgid


def pick_language(code: str | None) -> str:
    """A supported language for a Telegram ``language_code`` (an IETF tag).

    Args:
        code: e.g. ``"es-MX"``, ``"ru"``, ``"pt-br"``, or None when Telegram gave none.

    Returns:
        ``"es-MX"`` -> ``"es"``; an unsupported or missing code -> :data:`DEFAULT_LANGUAGE`.
    """
    base = (code or "").replace("_", "-").split("-", 1)[0].strip().lower()
    return base if base in SUPPORTED else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Translator:
    """One language's catalog: look a message id up and fill its placeholders."""

    language: str
    catalog: NullTranslations

    @property
    def rtl(self) -> bool:
        """Whether the language is written right to left."""
        return self.language in RTL

    @property
    def language_name(self) -> str:
        """The language's own name as written inside a sentence, from CLDR (Babel): "English",
        "español", "русский" (buttons use :data:`LANGUAGE_NAMES`, capitalised)."""
        from babel import Locale  # CLDR data: read only when a name is written

        return Locale.parse(self.language).get_language_name(self.language) or self.language

    def gettext(self, msgid: str, /, **values: object) -> str:
        """The translation of ``msgid`` with ``{name}`` fields filled from ``values``."""
        return self._fill(self.catalog.gettext(msgid), values)

    def words(self, labels: _Labels) -> _Labels:
        """A dataclass of message ids (a view's labels) with every text field translated;
        other fields are kept. Placeholders are left for the view to fill."""
        texts = {
            f.name: self.catalog.gettext(value)
            for f in dataclasses.fields(labels)
            if isinstance(value := getattr(labels, f.name), str)
        }
        return dataclasses.replace(labels, **texts)

    def ngettext(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """The plural form for ``n`` (the language's own rule), with ``{n}`` and ``values``."""
        return self._fill(self.catalog.ngettext(singular, plural, n), {"n": n, **values})

    def isolate(self, value: object) -> str:
        """``value`` as text, isolated from the text around it in a right-to-left language."""
        return f"{FSI}{value}{PDI}" if self.rtl else str(value)

    def _fill(self, text: str, values: Mapping[str, object]) -> str:
        if not values:
            return text
        return text.format(**{name: self.isolate(value) for name, value in values.items()})


@functools.cache
def translator(language: str | None) -> Translator:
    """The translator of a stored language (None or unsupported: the default language).

    Raises:
        FileNotFoundError: a supported language's compiled catalog is missing.
    """
    chosen = pick_language(language)
    if chosen == DEFAULT_LANGUAGE:
        return Translator(chosen, NullTranslations())
    mo = LOCALES / chosen / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo.is_file():
        raise FileNotFoundError(f"no compiled catalog for {chosen!r}: {mo}")
    with mo.open("rb") as compiled:  # the standard library's reader: Babel compiles, gettext reads
        return Translator(chosen, GNUTranslations(compiled))
