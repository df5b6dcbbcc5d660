"""Enrollment and settings: /start, /settings, /home, enrollment buttons, shared locations.

Typed answers reach :func:`services.enrollment.route_text` through the private-text router.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from services import enrollment
from views.callbacks import EnrollCb

from .common import answers_callback, notify
from .context import Context

__all__ = ["handlers"]


async def on_start(update: Update, context: Context) -> None:
    """Start, resume or recap enrollment (a deep-link payload is ignored for now)."""
    if update.effective_user and update.effective_chat:
        await enrollment.start(
            context.bot_data.services, update.effective_user.id, update.effective_chat.id
        )


async def on_settings(update: Update, context: Context) -> None:
    """Show the items an enrolled patient can change."""
    if update.effective_user and update.effective_chat:
        await enrollment.open_settings(
            context.bot_data.services, update.effective_user.id, update.effective_chat.id
        )


async def on_home(update: Update, context: Context) -> None:
    """A fusion patient reports they are home from hospital."""
    if update.effective_user and update.effective_chat:
        await enrollment.mark_home(
            context.bot_data.services, update.effective_user.id, update.effective_chat.id
        )


@answers_callback
async def on_choice(update: Update, context: Context) -> None:
    """An enrollment or settings button; a stale one gets a callback notice."""
    query = update.callback_query
    if query is None or query.message is None or query.data is None:
        return
    notice = await enrollment.choose(
        context.bot_data.services,
        query.from_user.id,
        query.message.chat.id,
        EnrollCb.unpack(query.data),
    )
    notify(context, notice)


async def on_location(update: Update, context: Context) -> None:
    """A shared location answers the time zone question."""
    message = update.effective_message
    if message is None or message.location is None or update.effective_user is None:
        return
    await enrollment.handle_location(
        context.bot_data.services,
        update.effective_user.id,
        message.chat.id,
        message.location.latitude,
        message.location.longitude,
    )


def handlers() -> list[BaseHandler[Update, Context, None]]:
    """Handlers of this feature."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("start", on_start, filters=private),
        CommandHandler("settings", on_settings, filters=private),
        CommandHandler("home", on_home, filters=private),
        CallbackQueryHandler(on_choice, pattern=EnrollCb.matches),
        MessageHandler(filters.LOCATION & private, on_location),
    ]
