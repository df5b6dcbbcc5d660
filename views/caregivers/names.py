"""How the caregiver copy names people: the patient by display name or a stand-in, and any
name cut to fit on a button."""

from __future__ import annotations

__all__ = ["NAME_IN_BUTTON", "SOMEONE", "short", "who"]

SOMEONE = "the person you care for"
NAME_IN_BUTTON = 24


def who(name: str | None, default: str = "a patient") -> str:
    """The patient's display name, or ``default`` when they gave none."""
    return name or default


def short(name: str) -> str:
    """A name of at most :data:`NAME_IN_BUTTON` characters (cut with an ellipsis)."""
    return name if len(name) <= NAME_IN_BUTTON else name[: NAME_IN_BUTTON - 1] + "…"
