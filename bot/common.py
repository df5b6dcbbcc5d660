"""Pieces every feature shares: the callback wrapper, the error handler, the fallback."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from functools import wraps
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.context import Context
from services.replies import reader_of, reply, reply_in_language
from views import texts
from views.i18n import Translator
from views.message import Message

__all__ = [
    "Press",
    "answers_callback",
    "fallback_handlers",
    "notify",
    "on_error",
    "press_of",
    "send",
    "send_localized",
]

log = logging.getLogger(__name__)
Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]


def answers_callback(handler: Handler) -> Handler:
    """Answer the callback query once, after the handler (with its alert text, if it set one,
    in the presser's language: notices are message ids)."""

    @wraps(handler)
    async def wrapper(update: Update, context: Context) -> None:
        query = update.callback_query
        try:
            await handler(update, context)
        finally:
            if query is not None:
                notice = (
                    context.chat_data.pop("callback_notice", None) if context.chat_data else None
                )
                if notice:
                    user = query.from_user
                    tr = await reader_of(context.bot_data.services, user.id, user.language_code)
                    notice = tr.gettext(notice)
                await query.answer(text=notice, show_alert=bool(notice))

    return wrapper


@dataclass(frozen=True)
class Press:
    """A button press: who pressed, where, and the button's data."""

    user_id: int
    user_name: str
    chat_id: int
    message_id: int
    data: str
    language_code: str | None = None  # the presser's Telegram language_code


def press_of(update: Update) -> Press | None:
    """The press behind a callback query (None for inaccessible or data-less queries)."""
    query = update.callback_query
    if query is None or query.message is None or query.data is None:
        return None
    return Press(
        user_id=query.from_user.id,
        user_name=query.from_user.full_name,
        chat_id=query.message.chat.id,
        message_id=query.message.message_id,
        data=query.data,
        language_code=query.from_user.language_code,
    )


def notify(context: Context, notice: str | None) -> None:
    """Show ``notice`` (a message id, e.g. :data:`views.texts.STALE_BUTTON`) as the callback
    query's alert; the wrapper translates it and answers the query."""
    if notice and context.chat_data is not None:
        context.chat_data["callback_notice"] = str(notice)


async def send(context: Context, chat_id: int, message: Message, purpose: str = "reply") -> None:
    """Queue a reply through the outbox."""
    await reply(context.bot_data.services, chat_id, message, purpose=purpose)


async def send_localized(
    update: Update,
    context: Context,
    render: Callable[[Translator], Message],
    purpose: str = "reply",
) -> None:
    """Queue ``render`` to the update's chat in the sender's language."""
    user, chat = update.effective_user, update.effective_chat
    if user is not None and chat is not None:
        await reply_in_language(
            context.bot_data.services,
            chat.id,
            render,
            user_id=user.id,
            language_code=user.language_code,
            purpose=purpose,
        )


async def on_unknown(update: Update, context: Context) -> None:
    """Unknown commands and text nobody expects get a pointer to /help."""
    chat = update.effective_chat
    if chat is not None and chat.type == chat.PRIVATE:
        await send_localized(update, context, texts.unknown)


@answers_callback
async def on_unknown_button(update: Update, context: Context) -> None:
    """A button no feature knows (an old or forged one): say so, never leave it spinning."""
    notify(context, texts.STALE_BUTTON)


def fallback_handlers() -> list[BaseHandler[Update, Context, None]]:
    """The catch-alls, registered last."""
    return [
        MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, on_unknown),
        CallbackQueryHandler(on_unknown_button),
    ]


async def on_error(update: object, context: Context) -> None:
    """Log the failure without any message text or user data."""
    update_id = update.update_id if isinstance(update, Update) else None
    chat = update.effective_chat if isinstance(update, Update) else None
    log.error(
        "update %s in chat %s failed: %s",
        update_id,
        chat.id if chat else None,
        type(context.error).__name__,
    )
