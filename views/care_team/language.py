"""An operator's own language (``/language``): the choice, and what it changes (pure).

Replies to an operator in their private chat are in their language; the care-team chat's posts
and replies stay in ``CLINIC_LANGUAGE``, which the whole team reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from views.callbacks import CallbackData
from views.i18n import LANGUAGE_NAMES, Translator
from views.keyboard import Button, grid
from views.message import Message

__all__ = ["OperatorLanguageCb", "language_choice", "language_follows_telegram", "language_saved"]


@dataclass(frozen=True)
class OperatorLanguageCb(CallbackData):
    """An operator's language button: the language code."""

    prefix: ClassVar[str] = "ol"
    language: str


def language_choice(tr: Translator) -> Message:
    """``/language``: the languages, each named in itself."""
    return Message(
        tr.gettext(
            "Which language should I use with you here? Posts in the care-team chat stay in "
            "the clinic's language."
        ),
        grid(
            [
                Button(name, data=OperatorLanguageCb(code).pack())
                for code, name in LANGUAGE_NAMES.items()
            ],
            2,
        ),
    )


def language_saved(tr: Translator) -> Message:
    """The choice is stored (``tr`` is the new language)."""
    return Message(tr.gettext("Saved. I will write to you in this language."))


def language_follows_telegram(user_id: int, tr: Translator) -> Message:
    """An operator listed only in OPERATOR_IDS has no row to keep a choice in."""
    return Message(
        tr.gettext(
            "Here I write to you in the language of your Telegram app, because you are listed "
            "in OPERATOR_IDS. To keep a language of your own, ask for: checkin-bot operator "
            "add {user_id}",
            user_id=user_id,
        )
    )
