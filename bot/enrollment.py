"""Enrollment and settings: /start, /settings, /home, enrollment buttons, shared locations.

/start (a deep-link payload is ignored here), /settings and /home each run one use case of
:mod:`services.enrollment.enroll` for the sender. Typed answers reach
:func:`services.enrollment.enroll.route_text` through the private-text router.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.commands import UseCase, sender_commands
from bot.common import answers_callback, notify, press_of, send_localized
from bot.context import Context
from services.enrollment import enroll
from views.callbacks import EnrollCb, MoreCb, MoreTopic
from views.enrollment import welcome

__all__ = ["handlers"]


async def on_start(update: Update, context: Context) -> None:
    """/start: enrollment begins (or resumes) in the language of the user's Telegram app."""
    user, chat = update.effective_user, update.effective_chat
    if user is not None and chat is not None:
        await enroll.start(context.bot_data.services, user.id, chat.id, user.language_code)


@answers_callback
async def on_choice(update: Update, context: Context) -> None:
    """An enrollment or settings button; a stale one gets a callback notice."""
    query = update.callback_query
    if query is None or query.message is None or query.data is None:
        return
    notice = await enroll.choose(
        context.bot_data.services,
        query.from_user.id,
        query.message.chat.id,
        EnrollCb.unpack(query.data),
        query.message.message_id,
    )
    notify(context, notice)


async def on_location(update: Update, context: Context) -> None:
    """A shared location answers the time zone question."""
    message = update.effective_message
    if message is None or message.location is None or update.effective_user is None:
        return
    await enroll.handle_location(
        context.bot_data.services,
        update.effective_user.id,
        message.chat.id,
        message.location.latitude,
        message.location.longitude,
        update.effective_user.language_code,
    )


def _is_more_data(data: object) -> bool:
    return MoreCb.matches(data) and MoreCb.unpack(str(data)).topic is MoreTopic.DATA


@answers_callback
async def on_more_data(update: Update, context: Context) -> None:
    """ "More about your data" under the consent question: the details, as a new message in
    the reader's language."""
    if press_of(update) is not None:
        await send_localized(update, context, welcome.data_details, purpose="enroll")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    """Handlers of this feature."""
    private = filters.ChatType.PRIVATE
    commands: dict[str, UseCase] = {
        "settings": enroll.open_settings,
        "home": enroll.mark_home,
    }
    return [
        CommandHandler("start", on_start, filters=private),
        *sender_commands(commands, filters=private),
        CallbackQueryHandler(on_choice, pattern=EnrollCb.matches),
        CallbackQueryHandler(on_more_data, pattern=_is_more_data),
        MessageHandler(filters.LOCATION & private, on_location),
    ]
