"""How the caregiver copy names people: the patient by display name or a stand-in, and a name
cut so that a button with it fits."""

from __future__ import annotations

from views.i18n import N_, Translator

__all__ = [
    "A_PATIENT",
    "BUTTON_CHARS",
    "NAME_IN_BUTTON",
    "SOMEONE",
    "THE_PATIENT",
    "labelled",
    "short",
    "who",
]

SOMEONE = N_("the person you care for")
A_PATIENT = N_("a patient")
THE_PATIENT = N_("The patient")
NAME_IN_BUTTON = 24
BUTTON_CHARS = 24  # a whole button label, in every language


def who(name: str | None, tr: Translator, default: str = A_PATIENT) -> str:
    """The patient's display name, or the translated ``default`` when they gave none."""
    return name or tr.gettext(default)


def short(name: str, room: int = NAME_IN_BUTTON) -> str:
    """A name of at most ``room`` characters (cut with an ellipsis)."""
    return name if len(name) <= room else name[: max(room - 1, 0)] + "…"


def labelled(msgid: str, name: str, tr: Translator) -> str:
    """A button label ``msgid`` with ``{name}`` filled in, the name cut so the label fits
    :data:`BUTTON_CHARS` characters in the reader's language (isolates included)."""
    room = BUTTON_CHARS - len(tr.gettext(msgid, name=""))
    return tr.gettext(msgid, name=short(name, room))
