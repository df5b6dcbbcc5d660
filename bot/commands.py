"""Command handlers that run one use case for the sender and let it enqueue the reply."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler
from telegram.ext.filters import BaseFilter

from bot.context import Context
from services.context import Services

__all__ = ["UseCase", "for_sender", "sender_commands"]

UseCase = Callable[[Services, int, int, str | None], Awaitable[object]]
"""A use case called as ``use_case(services, user_id, chat_id, language_code)``: the sender's
Telegram language is the reply's language for someone who chose none here yet."""


def for_sender(
    event: str, use_case: UseCase
) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
    """The handler ``on_<event>``: ``use_case(services, user_id, chat_id, language_code)``
    enqueues the reply.

    Args:
        event: the handler's name after ``on_`` (usually the command).
        use_case: the service to await with the sender's user id, chat id and language.

    Returns:
        The handler; an update without a user or chat is ignored.
    """

    async def handler(update: Update, context: Context) -> None:
        user, chat = update.effective_user, update.effective_chat
        if user is not None and chat is not None:
            await use_case(context.bot_data.services, user.id, chat.id, user.language_code)

    handler.__name__ = handler.__qualname__ = f"on_{event}"
    handler.__doc__ = f"Run {use_case.__name__} for the sender."
    return handler


def sender_commands(
    use_cases: Mapping[str, UseCase], *, filters: BaseFilter
) -> list[BaseHandler[Update, Context, None]]:
    """One ``CommandHandler`` per command, running its use case for the sender.

    Args:
        use_cases: the use case of each command name, in registration order.
        filters: the updates the commands accept (e.g. private chats only).

    Returns:
        The handlers, named ``on_<command>``.
    """
    return [
        CommandHandler(name, for_sender(name, use_case), filters=filters)
        for name, use_case in use_cases.items()
    ]
