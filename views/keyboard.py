"""Inline keyboards as plain data: services store them in the outbox, the sender renders them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Button", "Keyboard", "grid", "keyboard_to_json"]


@dataclass(frozen=True)
class Button:
    """One inline button: a callback button (``data``) or a link (``url``)."""

    label: str
    data: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if (self.data is None) == (self.url is None):
            raise ValueError("a button has exactly one of data or url")


Keyboard = tuple[tuple[Button, ...], ...]


def keyboard_to_json(keyboard: Keyboard) -> list[list[dict[str, str]]]:
    """Telegram's inline_keyboard shape, for the outbox payload."""
    return [
        [
            {"text": b.label, "callback_data": b.data}
            if b.data is not None
            else {"text": b.label, "url": b.url or ""}
            for b in row
        ]
        for row in keyboard
    ]


def grid(buttons: list[Button], width: int) -> Keyboard:
    """Lay buttons out in rows of ``width``."""
    return tuple(tuple(buttons[i : i + width]) for i in range(0, len(buttons), width))
