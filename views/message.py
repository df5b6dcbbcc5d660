"""A rendered message: what services put in the outbox and the sender turns into a request."""

from __future__ import annotations

from dataclasses import dataclass

from views.keyboard import Keyboard

__all__ = ["MAX_TEXT", "Message"]

MAX_TEXT = 4096


@dataclass(frozen=True)
class Message:
    """Text (at most 4096 characters, Telegram's limit) and an optional inline keyboard, or
    instead a one-time reply keyboard with one button that shares the person's location."""

    text: str
    keyboard: Keyboard = ()
    location_button: str | None = None

    def __post_init__(self) -> None:
        if not self.text or len(self.text) > MAX_TEXT:
            raise ValueError(f"message text must be 1-{MAX_TEXT} characters")
        if self.keyboard and self.location_button:
            raise ValueError("a message has one keyboard: inline buttons or a location button")
