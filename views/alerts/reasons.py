"""An alert's findings in the reader's language (pure).

Alerts store each reason's key and its English text, as the protocol file that judged it
wrote them; an English reader gets them as stored. Another reader gets a rule's phrase from
the protocol's overlay in their language; the unclear-answers reason names those phrases after
a catalogued sentence; a warning sign written in words names the sign in the reader's language.
Anything else (a rule this protocol file no longer has) is shown as stored.
"""

from __future__ import annotations

from collections.abc import Sequence

from recovery import UNCLEAR_RED_FLAG, Protocol, unclear_rule_keys, written_sign
from views.i18n import DEFAULT_LANGUAGE, Translator

__all__ = ["findings_text", "list_text", "shown_reasons", "unclear_signs"]

# Between findings (each may hold commas of its own): a semicolon, in the language's own form.
_SEPARATORS = {"ar": "؛ "}


def shown_reasons(
    keys: Sequence[str],
    texts: Sequence[str],
    english: Protocol | None,
    shown: Protocol | None,
    tr: Translator,
) -> tuple[str, ...]:
    """The stored reasons of an alert as ``tr``'s reader reads them.

    Args:
        keys: the reasons' keys (rule keys, ``unclear_red_flag``, ``written_<sign>``).
        texts: their stored (English) texts, one per key.
        english: the patient's protocol in its own texts (None: no procedure yet).
        shown: the same protocol in the reader's language (its overlay, or ``english``).
        tr: the reader's translator.

    Returns:
        One text per reason, in the stored order (as stored for an English reader).
    """
    if tr.language == DEFAULT_LANGUAGE:
        return tuple(texts)
    phrases = {r.key: r.reason for r in shown.rules} if shown is not None else {}
    result = []
    for key, text in zip(keys, texts, strict=False):
        if key in phrases:
            result.append(phrases[key])
        elif key == UNCLEAR_RED_FLAG and english is not None and shown is not None:
            signs = unclear_signs(english, shown, text, tr)
            result.append(
                text
                if signs is None
                else tr.gettext("not sure or no answer about: {signs}", signs=signs)
            )
        elif (sign := written_sign(key)) is not None:
            result.append(tr.gettext("a message about {sign}", sign=sign.sign_in(tr.language)))
        else:
            result.append(text)
    return tuple(result)


def unclear_signs(english: Protocol, shown: Protocol, text: str, tr: Translator) -> str | None:
    """The warning signs a stored unclear-answer reason names, as one phrase in the reader's
    language ("a, b and c"); None for an English reader (the stored text is theirs) or when the
    stored text cannot be read back into ``english``'s rules.

    Args:
        english: the protocol that wrote the reason, in its own texts.
        shown: the same protocol in the reader's language.
        text: the stored reason (``UNCLEAR_PREFIX`` and the rules' phrases).
        tr: the reader's translator.
    """
    if tr.language == DEFAULT_LANGUAGE:
        return None
    named = unclear_rule_keys(english, text)
    phrases = {r.key: r.reason for r in shown.rules}
    signs = [phrases[k] for k in named or () if k in phrases]
    if not named or len(signs) != len(named):
        return None
    return list_text(signs, tr)


def list_text(items: Sequence[str], tr: Translator, style: str = "standard") -> str:
    """Items as one phrase in the reader's language ("a, b and c"; ``style="or"``: "a or b")."""
    if not items:
        return ""
    from babel.lists import format_list  # imported at first use (start-up time)

    return format_list(list(items), style=style, locale=tr.language)  # type: ignore[arg-type]


def findings_text(reasons: Sequence[str], tr: Translator) -> str:
    """Findings one after another, each whole: "fever; wound drainage"."""
    return _SEPARATORS.get(tr.language, "; ").join(reasons)
